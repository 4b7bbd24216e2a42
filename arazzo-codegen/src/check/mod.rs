//! Static checks of every loaded Arazzo document against itself and its OpenAPI sources.

mod actions;
pub(crate) mod criteria;
mod expressions;
mod flow;
mod ids;
pub(crate) mod messages;
mod outputs;
mod payload;
mod recursion;
mod references;
mod request_body;
mod schema_refs;
mod step_dependencies;
mod steps;
mod types;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::index::{OperationIndex, Resolver};
use crate::load::Project;
use crate::model::{Component, Document, Parameter, ParameterOrRef, Reusable};
use crate::settings::Settings;
use crate::source_map::SourceFile;
use crate::suggest;

/// Shared state of the checks of one document.
pub(crate) struct Ctx<'p> {
    pub project: &'p Project,
    pub resolver: Resolver<'p>,
    pub document: &'p Document,
    pub file: &'p SourceFile,
    pub settings: &'p Settings,
    pub diags: Diagnostics,
    /// The first XPath expression of the document, while this build cannot compile them.
    pub unchecked_xpath: Option<crate::source_map::Span>,
}

impl Ctx<'_> {
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Notes an XPath expression, so that a build that cannot compile them says so once.
    pub fn xpath_seen(&mut self, at: crate::source_map::Span) {
        if !crate::expr::xpath::CHECKED && self.unchecked_xpath.is_none() {
            self.unchecked_xpath = Some(at);
        }
    }
}

/// Runs every check on every Arazzo document of the project.
pub fn check(project: &Project, index: &OperationIndex, settings: &Settings) -> Diagnostics {
    let mut all = Diagnostics::new();
    for (doc, loaded) in project.arazzo.iter().enumerate() {
        let Some(file) = project.files.get(loaded.document.file) else {
            continue;
        };
        let mut ctx = Ctx {
            project,
            resolver: Resolver {
                project,
                index,
                doc: crate::load::ArazzoId(doc),
            },
            document: &loaded.document,
            file,
            settings,
            diags: Diagnostics::new(),
            unchecked_xpath: None,
        };
        ids::check(&mut ctx);
        recursion::check(&mut ctx);
        let cycles = ids::cycles(&loaded.document.workflows);
        for (i, workflow) in loaded.document.workflows.iter().enumerate() {
            ids::dependencies(&mut ctx, workflow, cycles.get(&i).map(Vec::as_slice));
            outputs::check_workflow(&mut ctx, workflow);
            actions::check_workflow(&mut ctx, workflow);
            step_dependencies::check_workflow(&mut ctx, workflow);
            let parsed = expressions::parse_workflow(&mut ctx, workflow);
            steps::check_workflow(&mut ctx, workflow, &parsed);
            references::check_workflow(&mut ctx, workflow, &parsed);
            types::check_workflow(&mut ctx, workflow, &parsed);
        }
        if let Some(at) = ctx.unchecked_xpath {
            ctx.push(
                Diagnostic::new(Code::UncheckedXPath, "XPath expressions are generated without being compiled")
                    .at(at)
                    .label("the first XPath expression of this document")
                    .note("this build of arazzo-codegen has no XPath engine; a broken expression would select nothing at run time")
                    .help("enable the `xpath` feature of arazzo-codegen (the `cargo arazzo` CLI has it) to check them at build time"),
            );
        }
        all.extend(ctx.diags);
    }
    all
}

/// Looks up `$components.<kind>.<name>`, reporting a malformed or dangling reference.
pub(crate) fn component<'d, T>(
    ctx: &mut Ctx<'_>,
    reusable: &Reusable,
    kind: &str,
    map: &'d std::collections::BTreeMap<String, Component<T>>,
) -> Option<&'d T> {
    let text = reusable.reference.value.as_str();
    let prefix = format!("$components.{kind}.");
    let Some(name) = text.strip_prefix(&prefix) else {
        let mut d = Diagnostic::new(
            Code::UnknownComponent,
            format!("`{text}` is not a reference to {kind}"),
        )
        .at(reusable.reference.span)
        .label(format!("expected `{prefix}<name>`"));
        if let Some(other) = ["parameters", "successActions", "failureActions"]
            .iter()
            .find(|k| text.starts_with(&format!("$components.{k}.")))
        {
            d = d.note(format!(
                "a reference to {other} cannot be used where {kind} are listed"
            ));
        }
        ctx.push(d);
        return None;
    };
    match map.get(name) {
        Some(c) => Some(&c.value),
        None => {
            ctx.push(
                Diagnostic::new(
                    Code::UnknownComponent,
                    format!("no component `{name}` in `components.{kind}`"),
                )
                .at(reusable.reference.span)
                .label("unknown component")
                .note(format!(
                    "defined {kind}: {}",
                    suggest::list(map.keys().map(String::as_str))
                ))
                .help_opt(suggest::did_you_mean(name, map.keys().map(String::as_str))),
            );
            None
        }
    }
}

/// A parameter list with Reusable references replaced by their components (value overrides applied).
pub(crate) fn resolve_parameters(ctx: &mut Ctx<'_>, list: &[ParameterOrRef]) -> Vec<Parameter> {
    let components = &ctx.document.components.parameters;
    list.iter()
        .filter_map(|p| match p {
            ParameterOrRef::Parameter(p) => Some(p.clone()),
            ParameterOrRef::Reusable(r) => {
                let mut p = component(ctx, r, "parameters", components)?.clone();
                if let Some(value) = &r.value {
                    p.value = value.clone();
                }
                Some(p)
            }
        })
        .collect()
}

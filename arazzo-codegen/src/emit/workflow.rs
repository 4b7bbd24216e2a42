//! One workflow: its input and output types, and the `async fn` that runs it as a state
//! machine: a `loop` over an enum of its steps, bounded by the step budget.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ClientFields;
use super::names::{Case, Namer, ident};
use super::types::{TypeSpace, output_struct, value_type};
use super::values::{StepVars, lowered};
use crate::plan::{
    ActionPlanKind, Cond, Lowered, Operand, Source, StepCall, TemplatePart, ValueRef, Via,
    WorkflowPlan,
};

/// The names a workflow is known by in generated code, decided before any body is emitted so
/// that workflows can call each other.
pub struct Signature {
    pub id: String,
    /// The public method.
    pub method: Ident,
    /// The method that also returns the last status (what callers inside the module use).
    pub runner: Ident,
    pub input: Option<TokenStream>,
    pub output: Ident,
    /// Output struct field names, in the order of the workflow's outputs.
    pub output_fields: Vec<Ident>,
    pub input_names: Vec<String>,
}

/// Decides the names and the input and output types of a workflow.
pub fn signature(
    w: &WorkflowPlan,
    method_names: &mut Namer,
    space: &mut TypeSpace<'_>,
    defs: &mut Vec<TokenStream>,
) -> Signature {
    let base = super::names::sanitize(&w.key, Case::UpperCamel);
    let method = method_names.name(&w.key, Case::Snake);
    let runner = method_names.name(&format!("run_{}", w.key), Case::Snake);
    let input = w.inputs.as_ref().filter(|s| takes_input(s)).map(|schema| {
        let doc = format!("The inputs of workflow `{}`.", w.id);
        let (ty, nullable) = space.documented_type(schema, &format!("{base}Input"), Some(&doc));
        super::types::optional(ty, nullable)
    });
    let output_name = space.names.name(&format!("{base}Output"), Case::UpperCamel);
    let mut output_fields = Namer::new();
    let fields: Vec<(String, String, TokenStream, Option<String>)> = w
        .outputs
        .iter()
        .map(|o| {
            let doc = match &o.value {
                Lowered::Value(v) => Some(format!("From `{}` ({}).", v.text, o.ty)),
                _ => None,
            };
            (
                output_fields.name(&o.name, Case::Snake),
                o.name.clone(),
                value_type(&o.ty),
                doc,
            )
        })
        .collect();
    defs.push(output_struct(
        &output_name,
        &format!(" The outputs of workflow `{}`.", w.id),
        &fields,
    ));
    Signature {
        id: w.key.clone(),
        method: ident(&method),
        runner: ident(&runner),
        input,
        output: ident(&output_name),
        output_fields: fields.iter().map(|(f, ..)| ident(f)).collect(),
        input_names: w.input_names.clone(),
    }
}

/// A schema that describes something to pass: not an empty object.
fn takes_input(schema: &crate::node::Node) -> bool {
    schema.get("$ref").is_some()
        || schema
            .get("properties")
            .and_then(crate::node::Node::as_map)
            .is_some_and(|p| !p.entries.is_empty())
}

/// Generated-code names shared by a workflow's steps.
pub struct Scope<'a> {
    pub fields: &'a ClientFields,
    pub signatures: &'a [Signature],
    /// `(step id, output map variable)` for steps whose outputs are read.
    pub outputs: Vec<(String, Ident)>,
    /// `(step id, enum variant)`.
    pub variants: Vec<(String, Ident)>,
    pub uses_resume: bool,
    pub uses_workflows: bool,
    pub plan: &'a WorkflowPlan,
}

impl StepVars for Scope<'_> {
    fn outputs_var(&self, step: &str) -> Option<Ident> {
        self.outputs
            .iter()
            .find(|(s, _)| s == step)
            .map(|(_, v)| v.clone())
    }
}

impl Scope<'_> {
    pub fn variant(&self, step: &str) -> TokenStream {
        match self.variants.iter().find(|(s, _)| s == step) {
            Some((_, v)) => quote! { __Step::#v },
            // Checked before generation: every target step exists.
            None => quote! { __Step::First },
        }
    }

    pub fn signature(&self, workflow: &str) -> Option<&Signature> {
        self.signatures.iter().find(|s| s.id == workflow)
    }
}

/// The public method and the runner of one workflow.
pub fn emit(
    w: &WorkflowPlan,
    sig: &Signature,
    fields: &ClientFields,
    signatures: &[Signature],
) -> TokenStream {
    let read = read_sources(w);
    let mut locals = Namer::new();
    let mut variants = Namer::new();
    let retries = w
        .steps
        .iter()
        .flat_map(|s| s.on_failure.iter())
        .any(|a| matches!(a.kind, ActionPlanKind::Retry { .. }));
    let resume = w.steps.iter().flat_map(|s| s.on_failure.iter()).any(|a| {
        matches!(
            a.kind,
            ActionPlanKind::Retry {
                via: Some(Via::Step(_)),
                ..
            }
        )
    });
    let runs_workflows = !w.depends_on.is_empty()
        || w.steps
            .iter()
            .flat_map(|s| s.on_success.iter().chain(&s.on_failure))
            .any(|a| {
                matches!(
                    a.kind,
                    ActionPlanKind::GotoWorkflow(_)
                        | ActionPlanKind::Retry {
                            via: Some(Via::Workflow(_)),
                            ..
                        }
                )
            });
    let scope = Scope {
        fields,
        signatures,
        outputs: w
            .steps
            .iter()
            .filter(|s| read.steps.contains(&s.id) && !s.outputs.is_empty())
            .map(|s| {
                (
                    s.id.clone(),
                    ident(&format!("__out_{}", locals.name(&s.id, Case::Snake))),
                )
            })
            .collect(),
        variants: w
            .steps
            .iter()
            .map(|s| (s.id.clone(), ident(&variants.name(&s.id, Case::UpperCamel))))
            .collect(),
        uses_resume: resume,
        uses_workflows: runs_workflows || read.workflows,
        plan: w,
    };

    let declare_outputs = scope
        .outputs
        .iter()
        .map(|(_, v)| quote! { let mut #v = ::arazzo_runtime::serde_json::Map::new(); });
    let declare_workflows = scope
        .uses_workflows
        .then(|| quote! { let mut __workflows = ::arazzo_runtime::serde_json::Map::new(); });
    let declare_retries = retries.then(|| quote! { let mut __retries: ::std::collections::HashMap<(&str, &str), u64> = ::std::collections::HashMap::new(); });
    let declare_resume = resume.then(|| quote! { let mut __resume: ::std::option::Option<__Step> = ::std::option::Option::None; });
    let dependencies = w
        .depends_on
        .iter()
        .map(|dep| super::step::run_workflow(&scope, dep, "dependsOn"));
    let variant_ids: Vec<&Ident> = scope.variants.iter().map(|(_, v)| v).collect();
    let step_ids: Vec<&String> = scope.variants.iter().map(|(s, _)| s).collect();
    let arms = w.steps.iter().enumerate().map(|(i, s)| {
        let variant = scope.variant(&s.id);
        let next = w.steps.get(i + 1).map(|n| scope.variant(&n.id));
        let body = super::step::arm(s, next, &scope);
        quote! { #variant => #body }
    });
    let first = w
        .steps
        .first()
        .map(|s| scope.variant(&s.id))
        .unwrap_or_else(|| quote! { __Step::First });

    let output_id = &sig.output;
    let output_values = w.outputs.iter().zip(&sig.output_fields).map(|(o, id)| {
        let original = &o.name;
        let value = lowered(&o.value, &scope);
        let expected = o.ty.to_string();
        quote! { #id: ::arazzo_runtime::value::output(WORKFLOW, #original, #expected, #value)? }
    });

    let method = &sig.method;
    let runner = &sig.runner;
    let workflow_id = &w.id;
    let (param, arg, inputs_binding) = match &sig.input {
        Some(ty) => (
            quote! { , input: #ty },
            quote! { input },
            if read.inputs || runs_workflows {
                quote! { let __inputs = ::arazzo_runtime::value::inputs(&input); }
            } else {
                quote! { let _ = input; }
            },
        ),
        None => (
            TokenStream::new(),
            TokenStream::new(),
            if read.inputs || runs_workflows {
                quote! { let __inputs = ::arazzo_runtime::serde_json::Value::Null; }
            } else {
                TokenStream::new()
            },
        ),
    };
    let doc = fn_docs(w);
    let runner_doc = format!(
        " Runs workflow `{}` and also returns the status of its last operation.",
        w.id
    );
    let public = w.public.then(|| {
        quote! {
            #( #[doc = #doc] )*
            pub async fn #method(&self #param) -> ::std::result::Result<#output_id, ::arazzo_runtime::Error> {
                self.#runner(#arg).await.map(|(output, _)| output)
            }
        }
    });
    quote! {
        #public

        #[doc = #runner_doc]
        async fn #runner(&self #param) -> ::std::result::Result<(#output_id, ::std::option::Option<u16>), ::arazzo_runtime::Error> {
            use ::arazzo_runtime::tracing::Instrument as _;
            const WORKFLOW: &str = #workflow_id;
            // Variants are the document's step ids, whatever they have in common; a step the
            // document's actions never reach keeps its variant and arm.
            #[allow(clippy::enum_variant_names, dead_code)]
            #[derive(::std::clone::Clone, ::std::marker::Copy)]
            enum __Step { #( #variant_ids, )* }
            impl __Step {
                fn id(self) -> &'static str {
                    match self { #( __Step::#variant_ids => #step_ids, )* }
                }
            }
            let span = ::arazzo_runtime::tracing::info_span!("arazzo.workflow", workflow = WORKFLOW);
            async move {
                #inputs_binding
                #( #declare_outputs )*
                #declare_workflows
                #declare_retries
                #declare_resume
                let mut __status: ::std::option::Option<u16> = ::std::option::Option::None;
                #( #dependencies )*
                let mut __budget = self.step_budget;
                let mut __next = ::std::option::Option::Some(#first);
                while let ::std::option::Option::Some(__step) = __next {
                    if __budget == 0 {
                        return ::std::result::Result::Err(::arazzo_runtime::Error::StepBudgetExceeded {
                            workflow: WORKFLOW,
                            step: __step.id(),
                            budget: self.step_budget,
                        });
                    }
                    __budget -= 1;
                    __next = match __step { #( #arms, )* };
                }
                ::std::result::Result::Ok((#output_id { #( #output_values, )* }, __status))
            }
            .instrument(span)
            .await
        }
    }
}

fn fn_docs(w: &WorkflowPlan) -> Vec<String> {
    let mut doc = Vec::new();
    for text in [&w.summary, &w.description].into_iter().flatten() {
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.extend(text.trim().lines().map(|l| format!(" {}", l.trim_end())));
    }
    if !doc.is_empty() {
        doc.push(String::new());
    }
    if !w.depends_on.is_empty() {
        let deps: Vec<String> = w.depends_on.iter().map(|d| format!("`{d}`")).collect();
        doc.push(format!(" Runs {} first.", deps.join(", ")));
        doc.push(String::new());
    }
    doc.push(format!(" Workflow `{}`, steps:", w.id));
    for (i, s) in w.steps.iter().enumerate() {
        let what = match &s.call {
            StepCall::Operation(op) => {
                let id = op
                    .operation_id
                    .as_deref()
                    .map(|o| format!("`{o}` "))
                    .unwrap_or_default();
                format!("{id}(`{} {}`)", op.method, op.path_template)
            }
            StepCall::Workflow { workflow, .. } => format!("runs workflow `{workflow}`"),
        };
        doc.push(format!(" {}. `{}`: {what}", i + 1, s.id));
    }
    doc
}

/// What a workflow's expressions read.
struct Reads {
    inputs: bool,
    steps: BTreeSet<String>,
    workflows: bool,
}

fn read_sources(w: &WorkflowPlan) -> Reads {
    let mut reads = Reads {
        inputs: false,
        steps: BTreeSet::new(),
        workflows: false,
    };
    let mut note = |r: &ValueRef| match &r.source {
        Source::Inputs => reads.inputs = true,
        Source::StepOutput { step, .. } => {
            reads.steps.insert(step.clone());
        }
        Source::WorkflowInputs { .. } | Source::WorkflowOutput { .. } => reads.workflows = true,
        _ => {}
    };
    let mut values: Vec<&Lowered> = w.outputs.iter().map(|o| &o.value).collect();
    let mut conds: Vec<&Cond> = Vec::new();
    for s in &w.steps {
        match &s.call {
            StepCall::Operation(op) => {
                values.extend(op.params.iter().map(|p| &p.value));
                if let Some(b) = &op.body {
                    values.push(&b.value);
                    values.extend(b.replacements.iter().map(|(_, v)| v));
                }
            }
            StepCall::Workflow { inputs, .. } => values.extend(inputs.iter().map(|(_, v)| v)),
        }
        values.extend(s.outputs.iter().map(|(_, v)| v));
        conds.extend(s.criteria.iter().map(|c| &c.cond));
        conds.extend(
            s.on_success
                .iter()
                .chain(&s.on_failure)
                .flat_map(|a| a.criteria.iter().map(|c| &c.cond)),
        );
    }
    for v in values {
        visit_lowered(v, &mut note);
    }
    for c in conds {
        visit_cond(c, &mut note);
    }
    reads
}

fn visit_lowered(v: &Lowered, f: &mut dyn FnMut(&ValueRef)) {
    match v {
        Lowered::Literal(_) => {}
        Lowered::Value(r) => f(r),
        Lowered::Template(parts) => parts.iter().for_each(|p| {
            if let TemplatePart::Value(r) = p {
                f(r);
            }
        }),
        Lowered::Array(items) => items.iter().for_each(|i| visit_lowered(i, f)),
        Lowered::Object(entries) => entries.iter().for_each(|(_, v)| visit_lowered(v, f)),
    }
}

fn visit_cond(c: &Cond, f: &mut dyn FnMut(&ValueRef)) {
    let operand = |o: &Operand, f: &mut dyn FnMut(&ValueRef)| {
        if let Operand::Value(r) = o {
            f(r);
        }
    };
    match c {
        Cond::Any(parts) | Cond::All(parts) => parts.iter().for_each(|p| visit_cond(p, f)),
        Cond::Not(inner) => visit_cond(inner, f),
        Cond::Compare { lhs, rhs, .. } => {
            operand(lhs, f);
            operand(rhs, f);
        }
        Cond::IsTrue(o) => operand(o, f),
        Cond::Regex { value, .. } | Cond::JsonPath { value, .. } => f(value),
    }
}

//! One workflow: its input and output types, and the `async fn` that runs it as a state
//! machine: a `loop` over an enum of its steps, bounded by the step budget.

use std::collections::{BTreeMap, BTreeSet};

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
    /// The module holding the workflow's state machine.
    pub module: Ident,
    pub input: Option<TokenStream>,
    /// `(input name, field)` when the input type is a struct.
    pub input_fields: Option<Vec<(String, Ident)>>,
    pub output: Ident,
    /// Output struct field names, in the order of the workflow's outputs.
    pub output_fields: Vec<Ident>,
    pub input_names: Vec<String>,
}

/// Decides the names and the input and output types of a workflow.
pub fn signature(
    w: &WorkflowPlan,
    method_names: &mut Namer,
    module_names: &mut Namer,
    space: &mut TypeSpace<'_>,
    defs: &mut Vec<TokenStream>,
) -> Signature {
    let base = super::names::sanitize(&w.key, Case::UpperCamel);
    let method = method_names.name(&w.key, Case::Snake);
    let runner = method_names.name(&format!("run_{}", w.key), Case::Snake);
    let module = module_names.name(&w.key, Case::Snake);
    let input_fields = w
        .inputs
        .as_ref()
        .filter(|s| takes_input(s))
        .and_then(|schema| space.struct_fields(schema))
        .map(|fields| {
            fields
                .into_iter()
                .map(|(name, field)| (name, ident(&field)))
                .collect()
        });
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
        module: ident(&module),
        input,
        input_fields,
        output: ident(&output_name),
        output_fields: fields.iter().map(|(f, ..)| ident(f)).collect(),
        input_names: w.input_names.clone(),
    }
}

/// The workflows some other workflow runs (as a step, a dependency, or through an action).
pub fn called(plan: &[WorkflowPlan]) -> BTreeSet<&str> {
    let mut called = BTreeSet::new();
    for w in plan {
        called.extend(w.depends_on.iter().map(String::as_str));
        for s in &w.steps {
            if let StepCall::Workflow { workflow, .. } = &s.call {
                called.insert(workflow.as_str());
            }
            for a in s.on_success.iter().chain(&s.on_failure) {
                match &a.kind {
                    ActionPlanKind::GotoWorkflow(t)
                    | ActionPlanKind::Retry {
                        via: Some(Via::Workflow(t)),
                        ..
                    } => {
                        called.insert(t.as_str());
                    }
                    _ => {}
                }
            }
        }
    }
    called
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
    /// `((step id, output name), field of the run)` for the step outputs some expression reads.
    pub outputs: Vec<((String, String), Ident)>,
    /// `(step id, enum variant)`.
    pub variants: Vec<(String, Ident)>,
    pub uses_resume: bool,
    pub uses_workflows: bool,
    pub plan: &'a WorkflowPlan,
    /// `(input name, field)` when expressions read the typed input (`self.input`) rather than
    /// a JSON copy of it (`self.inputs`).
    pub typed_inputs: Option<&'a [(String, Ident)]>,
}

impl StepVars for Scope<'_> {
    fn input_field(&self, name: &str) -> Option<Option<TokenStream>> {
        self.typed_inputs.map(|fields| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, f)| quote! { self.input.#f })
        })
    }

    fn output_field(&self, step: &str, output: &str) -> Option<TokenStream> {
        self.outputs
            .iter()
            .find(|((s, o), _)| s == step && o == output)
            .map(|(_, v)| quote! { self.#v })
    }
}

impl Scope<'_> {
    pub fn variant(&self, step: &str) -> TokenStream {
        match self.variants.iter().find(|(s, _)| s == step) {
            Some((_, v)) => quote! { Step::#v },
            // Checked before generation: every target step exists.
            None => quote! { Step::First },
        }
    }

    pub fn signature(&self, workflow: &str) -> Option<&Signature> {
        self.signatures.iter().find(|s| s.id == workflow)
    }
}

/// A workflow in generated code: its methods on `Client`, and the module holding its state
/// machine.
pub struct Emitted {
    pub methods: TokenStream,
    pub module: TokenStream,
}

/// The public method and the runner of one workflow, and its module: the `Step` enum, the
/// `Run` context with one method per step, and the loop that drives them.
pub fn emit(
    w: &WorkflowPlan,
    sig: &Signature,
    fields: &ClientFields,
    signatures: &[Signature],
    called: bool,
) -> Emitted {
    let read = read_sources(w);
    let mut run_fields = Namer::new();
    for reserved in [
        "client",
        "inputs",
        "workflows",
        "retries",
        "resume",
        "status",
    ] {
        run_fields.reserve(reserved);
    }
    let mut step_fns = Namer::new();
    for reserved in ["new", "execute"] {
        step_fns.reserve(reserved);
    }
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
            .flat_map(|s| {
                s.outputs
                    .iter()
                    .map(move |(name, _)| (s.id.clone(), name.clone()))
            })
            .filter(|key| read.outputs.contains(key))
            .map(|(step, output)| {
                let field = run_fields.name(&format!("{step}_{output}"), Case::Snake);
                ((step, output), ident(&field))
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
        // A JSON copy only when something needs the whole input: `$inputs` itself, or the
        // inputs passed on by name to other workflows.
        typed_inputs: sig
            .input_fields
            .as_deref()
            .filter(|_| read.inputs && !read.whole_inputs && !runs_workflows),
    };
    let keeps_inputs = read.inputs || runs_workflows;

    let mut field_decls = vec![quote! { client: &'a Client }];
    let mut field_inits = vec![quote! { client }];
    if let (Some(_), Some(ty)) = (scope.typed_inputs, &sig.input) {
        field_decls.push(quote! {
            /// The workflow's inputs.
            input: #ty
        });
        field_inits.push(quote! { input });
    } else if keeps_inputs {
        field_decls.push(quote! {
            /// The workflow's inputs as JSON, as expressions read them.
            inputs: ::arazzo_runtime::serde_json::Value
        });
        field_inits.push(match &sig.input {
            Some(_) => quote! { inputs: ::arazzo_runtime::value::inputs(&input) },
            None => quote! { inputs: ::arazzo_runtime::serde_json::Value::Null },
        });
    }
    for ((step, output), field) in &scope.outputs {
        let doc = format!(" Output `{output}` of step `{step}`, once the step has succeeded.");
        field_decls.push(quote! {
            #[doc = #doc]
            #field: ::std::option::Option<::arazzo_runtime::serde_json::Value>
        });
        field_inits.push(quote! { #field: ::std::option::Option::None });
    }
    if scope.uses_workflows {
        field_decls.push(quote! {
            /// The inputs and outputs of the other workflows this one has run, by workflow id.
            workflows: ::arazzo_runtime::serde_json::Map<::std::string::String, ::arazzo_runtime::serde_json::Value>
        });
        field_inits.push(quote! { workflows: ::arazzo_runtime::serde_json::Map::new() });
    }
    if retries {
        field_decls.push(quote! {
            /// Retries used so far, by (step, action).
            retries: ::std::collections::HashMap<(&'static str, &'static str), u64>
        });
        field_inits.push(quote! { retries: ::std::collections::HashMap::new() });
    }
    if resume {
        field_decls.push(quote! {
            /// The step to retry once the step a retry action runs first has succeeded.
            resume: ::std::option::Option<Step>
        });
        field_inits.push(quote! { resume: ::std::option::Option::None });
    }
    field_decls.push(quote! {
        /// The status of the last operation run.
        status: ::std::option::Option<u16>
    });
    field_inits.push(quote! { status: ::std::option::Option::None });

    let dependencies = w
        .depends_on
        .iter()
        .map(|dep| super::step::run_workflow(&scope, dep, "dependsOn"));
    let variant_ids: Vec<&Ident> = scope.variants.iter().map(|(_, v)| v).collect();
    let step_ids: Vec<&String> = scope.variants.iter().map(|(s, _)| s).collect();
    let mut arms = Vec::new();
    let mut step_methods = Vec::new();
    for (i, s) in w.steps.iter().enumerate() {
        let variant = scope.variant(&s.id);
        let next = w.steps.get(i + 1).map(|n| scope.variant(&n.id));
        let body = super::step::arm(s, next, &scope);
        let method = ident(&step_fns.name(&s.id, Case::Snake));
        let doc = format!(" Step `{}`: {}.", s.id, step_summary(s));
        let step_id = &s.id;
        // One span per attempt: a retried or revisited step opens a new one.
        arms.push(quote! {
            #variant => {
                let span = ::arazzo_runtime::tracing::info_span!("arazzo.step", step = #step_id);
                ::arazzo_runtime::tracing::Instrument::instrument(self.#method(), span).await?
            }
        });
        step_methods.push(quote! {
            #[doc = #doc]
            async fn #method(&mut self) -> ::std::result::Result<::std::option::Option<Step>, ::arazzo_runtime::Error> {
                #body
            }
        });
    }
    let first = w
        .steps
        .first()
        .map(|s| scope.variant(&s.id))
        .unwrap_or_else(|| quote! { Step::First });

    let output_id = &sig.output;
    // How often the workflow's outputs read each step output, in any form: one read may move
    // it out instead of copying it.
    let mut reads: BTreeMap<(String, String), usize> = BTreeMap::new();
    for o in &w.outputs {
        visit_lowered(&o.value, &mut |r| {
            if let Source::StepOutput { step, output } = &r.source {
                *reads.entry((step.clone(), output.clone())).or_default() += 1;
            }
        });
    }
    let output_values = w.outputs.iter().zip(&sig.output_fields).map(|(o, id)| {
        let original = &o.name;
        let expected = o.ty.to_string();
        let direct = whole_step_output(&o.value).and_then(|(step, output)| {
            let once = reads.get(&(step.to_owned(), output.to_owned())) == Some(&1);
            Some((scope.output_field(step, output)?, once))
        });
        match direct {
            Some((field, true)) => {
                quote! { #id: ::arazzo_runtime::value::output(WORKFLOW, #original, #expected, #field.take())? }
            }
            Some((field, false)) => quote! { #id: ::arazzo_runtime::value::output_ref(WORKFLOW, #original, #expected, #field.as_ref())? },
            None => {
                let value = lowered(&o.value, &scope);
                quote! { #id: ::arazzo_runtime::value::output(WORKFLOW, #original, #expected, #value)? }
            }
        }
    });

    let method = &sig.method;
    let runner = &sig.runner;
    let module = &sig.module;
    let workflow_id = &w.id;
    let param = sig
        .input
        .as_ref()
        .map(|ty| quote! { , input: #ty })
        .unwrap_or_default();
    let arg = sig.input.as_ref().map(|_| quote! { , input });
    let unused_input = (sig.input.is_some() && !keeps_inputs).then(|| quote! { let _ = input; });
    let doc = fn_docs(w);
    let runner_doc = format!(
        " Runs workflow `{}` and also returns the status of its last operation.",
        w.id
    );
    let module_doc = format!(
        " Workflow `{}` as a state machine: `Step` names its steps, `Run` holds what a run has \
         gathered so far and runs one step per method, `Run::execute` drives them.",
        w.id
    );
    let run = quote! {
        let span = ::arazzo_runtime::tracing::info_span!("arazzo.workflow", workflow = #workflow_id);
        ::arazzo_runtime::tracing::Instrument::instrument(#module::Run::new(self #arg).execute(), span).await
    };
    // The public method runs the workflow itself rather than through the runner: one async
    // layer less to move around.
    let public = w.public.then(|| {
        quote! {
            #( #[doc = #doc] )*
            pub async fn #method(&self #param) -> ::std::result::Result<#output_id, ::arazzo_runtime::Error> {
                #run.map(|(output, _)| output)
            }
        }
    });
    // The runner (which also returns the last status) exists for the workflows that run this one.
    let runner = called.then(|| {
        quote! {
            #[doc = #runner_doc]
            async fn #runner(&self #param) -> ::std::result::Result<(#output_id, ::std::option::Option<u16>), ::arazzo_runtime::Error> {
                #run
            }
        }
    });
    let methods = quote! {
        #public
        #runner
    };
    let module = quote! {
        #[doc = #module_doc]
        #[allow(clippy::module_inception)]
        mod #module {
            use super::*;

            const WORKFLOW: &str = #workflow_id;

            /// The workflow's steps, in document order. A step the document's actions never
            /// reach keeps its variant and method.
            #[allow(clippy::enum_variant_names, dead_code)]
            #[derive(::std::clone::Clone, ::std::marker::Copy)]
            enum Step { #( #variant_ids, )* }

            impl Step {
                fn id(self) -> &'static str {
                    match self { #( Step::#variant_ids => #step_ids, )* }
                }
            }

            /// One run of the workflow: what it has gathered so far.
            pub(super) struct Run<'a> {
                #( #field_decls, )*
            }

            impl<'a> Run<'a> {
                pub(super) fn new(client: &'a Client #param) -> Self {
                    #unused_input
                    Run { #( #field_inits, )* }
                }

                /// Runs the steps from the first, each choosing the next, within the step
                /// budget; then gathers the workflow's outputs.
                pub(super) async fn execute(mut self) -> ::std::result::Result<(#output_id, ::std::option::Option<u16>), ::arazzo_runtime::Error> {
                    #( #dependencies )*
                    let mut budget = self.client.step_budget;
                    let mut next = ::std::option::Option::Some(#first);
                    while let ::std::option::Option::Some(step) = next {
                        if budget == 0 {
                            return ::std::result::Result::Err(::arazzo_runtime::Error::StepBudgetExceeded {
                                workflow: WORKFLOW,
                                step: step.id(),
                                budget: self.client.step_budget,
                            });
                        }
                        budget -= 1;
                        next = match step { #( #arms, )* };
                    }
                    ::std::result::Result::Ok((#output_id { #( #output_values, )* }, self.status))
                }

                #( #step_methods )*
            }
        }
    };
    Emitted { methods, module }
}

/// `(step, output)` when `v` is a step output as it is: converted from the run's field instead
/// of copied first.
fn whole_step_output(v: &Lowered) -> Option<(&str, &str)> {
    let Lowered::Value(r) = v else {
        return None;
    };
    let Source::StepOutput { step, output } = &r.source else {
        return None;
    };
    r.pointer
        .is_empty()
        .then_some((step.as_str(), output.as_str()))
}

/// What a step runs, for its method's documentation.
fn step_summary(s: &crate::plan::StepPlan) -> String {
    match &s.call {
        StepCall::Operation(op) => {
            let id = op
                .operation_id
                .as_deref()
                .map(|o| format!("`{o}` "))
                .unwrap_or_default();
            format!("{id}(`{} {}`)", op.method, op.path_template)
        }
        StepCall::Workflow { workflow, .. } => format!("runs workflow `{workflow}`"),
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
        let what = step_summary(s);
        doc.push(format!(" {}. `{}`: {what}", i + 1, s.id));
    }
    doc
}

/// What a workflow's expressions read.
struct Reads {
    inputs: bool,
    /// `$inputs` itself, not one input.
    whole_inputs: bool,
    /// `(step id, output name)`.
    outputs: BTreeSet<(String, String)>,
    workflows: bool,
}

fn read_sources(w: &WorkflowPlan) -> Reads {
    let mut reads = Reads {
        inputs: false,
        whole_inputs: false,
        outputs: BTreeSet::new(),
        workflows: false,
    };
    let mut note = |r: &ValueRef| match &r.source {
        Source::Inputs => {
            reads.inputs = true;
            reads.whole_inputs |= r.pointer.is_empty();
        }
        Source::StepOutput { step, output } => {
            reads.outputs.insert((step.clone(), output.clone()));
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

pub(super) fn visit_lowered(v: &Lowered, f: &mut dyn FnMut(&ValueRef)) {
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

pub(super) fn visit_cond(c: &Cond, f: &mut dyn FnMut(&ValueRef)) {
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

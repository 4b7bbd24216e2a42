//! One workflow's module: the `Step` enum, the `Run` that holds what a run has gathered with
//! one method per step, the loop that drives them, and `run`, which the client calls.

use proc_macro2::TokenStream;
use quote::quote;

use super::format::docs;
use super::ident;
use super::step;
use super::types::{Scope, rust_type};
use super::values::lowered;
use crate::plan::{Callee, OutputValue, RunInputs, RustType, WorkflowPlan};

/// The module of workflow `w`.
pub fn module(w: &WorkflowPlan) -> TokenStream {
    let name = ident(&w.module);
    let id = &w.id;
    let module_doc = docs(
        &format!(
            "Workflow `{id}` as a state machine: `Step` names its steps, `Run` holds what a run \
             has gathered so far and runs one step per method, `Run::execute` drives them."
        ),
        0,
    );
    let has_criteria = w.steps.iter().any(|s| {
        !s.criteria.is_empty()
            || s.on_success
                .iter()
                .chain(&s.on_failure)
                .any(|a| !a.criteria.is_empty())
    });
    let has_timeouts = w.steps.iter().any(|s| s.timeout.is_some());
    let criterion_fn = has_criteria.then(|| {
        quote! {
            /// A criterion as written at `line`:`column` of the document.
            const fn criterion(text: &'static str, line: u32, column: u32) -> rt::Criterion {
                rt::Criterion::new(text, rt::Location::new(FILE, line, column))
            }
        }
    });
    let timeout_fn = has_timeouts.then(|| {
        quote! {
            /// A step's `timeout` as written at `line`:`column` of the document.
            const fn timeout(millis: u64, line: u32, column: u32) -> rt::Timeout {
                rt::Timeout::new(millis, rt::Location::new(FILE, line, column))
            }
        }
    });
    let location = (has_criteria || has_timeouts).then(|| {
        let file = &w.file;
        quote! {
            const FILE: &str = #file;
            #criterion_fn
            #timeout_fn
        }
    });
    let run_fn = run_fn(w);
    let steps = step_enum(w);
    let run = run_struct(w);
    let output = ident(&w.output);
    let input = match &w.input {
        Some(RustType::Named(n)) => {
            let n = ident(n);
            Some(quote! { use super::#n as Input; })
        }
        _ => None,
    };
    quote! {
        #module_doc
        #[allow(clippy::module_inception)]
        mod #name {
            use super::Client;
            #input
            use super::#output as Output;
            use ::arazzo_runtime::__private as rt;
            use rt::Traced as _;

            const WORKFLOW: &str = #id;
            #location
            #run_fn
            #steps
            #run
        }
    }
}

/// The workflow's input type inside its module: `Input` (imported) when it is a struct or enum.
fn input_type(w: &WorkflowPlan) -> Option<TokenStream> {
    w.input.as_ref().map(|ty| match ty {
        RustType::Named(_) => quote! { Input },
        other => rust_type(other, Scope::Module),
    })
}

/// `run`: a run of the workflow inside its span, with the status of its last operation.
fn run_fn(w: &WorkflowPlan) -> TokenStream {
    let keeps = w.run.inputs != RunInputs::None;
    let (param, arg) = match input_type(w) {
        Some(ty) => {
            if keeps {
                (quote! { , input: #ty }, Some(quote! { , input }))
            } else {
                (quote! { , _input: #ty }, None)
            }
        }
        None => (TokenStream::new(), None),
    };
    let within = w.run.within.then(|| {
        quote! {
            /// Runs the workflow within the run of another workflow: the workflows `completed`
            /// holds are not run again as dependencies.
            pub(super) fn run_within<'a>(
                client: &'a Client #param, completed: &'a mut rt::Completed
            ) -> impl ::std::future::Future<Output = rt::RunResult<Output>> + 'a {
                Run::new(client #arg, completed).execute().traced_workflow(WORKFLOW)
            }
        }
    });
    let execute = if w.run.completing {
        quote! {
            async move {
                let mut completed = rt::Completed::new();
                Run::new(client #arg, &mut completed).execute().await
            }
        }
    } else {
        quote! { Run::new(client #arg).execute() }
    };
    quote! {
        /// Runs the workflow; also gives the status of its last operation (the caller's
        /// `$statusCode`).
        pub(super) fn run(
            client: &Client #param
        ) -> impl ::std::future::Future<Output = rt::RunResult<Output>> + '_ {
            #execute.traced_workflow(WORKFLOW)
        }
        #within
    }
}

fn step_enum(w: &WorkflowPlan) -> TokenStream {
    let variants: Vec<_> = w.steps.iter().map(|s| ident(&s.variant)).collect();
    let ids = w.steps.iter().map(|s| &s.id);
    let mut allowed = Vec::new();
    if w.run.similar_step_names {
        allowed.push(quote! { clippy::enum_variant_names });
    }
    if w.run.unreachable_steps {
        allowed.push(quote! { dead_code });
    }
    let allow = (!allowed.is_empty()).then(|| quote! { #[allow(#( #allowed ),*)] });
    quote! {
        /// The workflow's steps, in the order they run when nothing jumps.
        #allow
        #[derive(Clone, Copy)]
        enum Step { #( #variants, )* }

        impl Step {
            fn id(self) -> &'static str {
                match self { #( Step::#variants => #ids, )* }
            }
        }
    }
}

fn run_struct(w: &WorkflowPlan) -> TokenStream {
    let mut fields = vec![quote! { client: &'a Client }];
    let mut inits = vec![quote! { client }];
    match (&w.run.inputs, input_type(w)) {
        (RunInputs::Typed, Some(ty)) => {
            fields.push(quote! {
                /// The workflow's inputs.
                input: #ty
            });
            inits.push(quote! { input });
        }
        (RunInputs::Typed | RunInputs::Json, input) => {
            fields.push(quote! {
                /// The workflow's inputs as JSON, as expressions read them.
                inputs: rt::Value
            });
            inits.push(match input {
                Some(_) => quote! { inputs: rt::inputs(&input) },
                None => quote! { inputs: rt::Value::Null },
            });
        }
        (RunInputs::None, _) => {}
    }
    for f in &w.run.step_outputs {
        let doc = docs(
            &format!(
                "Output `{}` of step `{}`, once the step has succeeded.",
                f.output, f.step
            ),
            8,
        );
        let field = ident(&f.field);
        fields.push(quote! {
            #doc
            #field: Option<rt::Value>
        });
        inits.push(quote! { #field: None });
    }
    if w.run.workflows {
        fields.push(quote! {
            /// The inputs and outputs of the other workflows this one has run, by workflow id.
            workflows: rt::Map<String, rt::Value>
        });
        inits.push(quote! { workflows: rt::Map::new() });
    }
    if w.run.completing {
        fields.push(quote! {
            /// The workflows the whole run has completed as dependencies, with their records:
            /// shared with the workflows it runs and the one that runs it.
            completed: &'a mut rt::Completed
        });
        inits.push(quote! { completed });
    }
    if w.run.retries {
        fields.push(quote! {
            /// Retries used so far, by step and action.
            retries: rt::Retries
        });
        inits.push(quote! { retries: rt::Retries::default() });
    }
    if w.run.resume {
        fields.push(quote! {
            /// The step to retry once the step a retry action runs first has succeeded.
            resume: Option<Step>
        });
        inits.push(quote! { resume: None });
    }
    for (field, s) in super::messages::subscription_fields(&w.run.subscriptions)
        .into_iter()
        .zip(&w.run.subscriptions)
    {
        fields.push(field);
        let f = ident(&s.field);
        inits.push(quote! { #f: None });
    }
    fields.push(quote! {
        /// The status of the last operation run.
        status: Option<u16>
    });
    inits.push(quote! { status: None });
    let mut param = match (&w.run.inputs, input_type(w)) {
        (RunInputs::None, _) | (_, None) => TokenStream::new(),
        (_, Some(ty)) => quote! { , input: #ty },
    };
    if w.run.completing {
        param.extend(quote! { , completed: &'a mut rt::Completed });
    }
    let methods = run_methods(w);
    quote! {
        /// One run of the workflow: what it has gathered so far.
        struct Run<'a> { #( #fields, )* }

        impl<'a> Run<'a> {
            fn new(client: &'a Client #param) -> Self {
                Run { #( #inits, )* }
            }

            #methods
        }
    }
}

fn run_methods(w: &WorkflowPlan) -> TokenStream {
    let dependencies: Vec<TokenStream> = w
        .depends_on
        .iter()
        .map(|d| {
            let (method, key) = (ident(&d.method), &d.key);
            let args = match &d.input {
                None => TokenStream::new(),
                Some(_) => {
                    let names = &d.input_names;
                    quote! { "dependsOn", rt::pick(&self.inputs, &[#( #names ),*]) }
                }
            };
            quote! {
                if !self.completed.recall(#key, &mut self.workflows) {
                    self.#method(#args).await?;
                    self.completed.keep(#key, &self.workflows);
                }
            }
        })
        .chain(w.recalls.iter().filter(|_| w.run.completing).map(|key| {
            quote! { self.completed.recall(#key, &mut self.workflows); }
        }))
        .collect();
    let first = w
        .steps
        .first()
        .map(|s| {
            let v = ident(&s.variant);
            quote! { Some(Step::#v) }
        })
        .unwrap_or_else(|| quote! { None });
    let arms = w.steps.iter().map(|s| {
        let (v, m) = (ident(&s.variant), ident(&s.method));
        quote! { Step::#v => self.#m().traced(step.id()).await? }
    });
    let outputs = w.outputs.iter().map(|o| {
        let (field, name, expected) = (ident(&o.field), &o.name, &o.expected);
        let value = match &o.value {
            OutputValue::Take(f) => {
                let f = ident(f);
                quote! { rt::output(WORKFLOW, #name, #expected, self.#f.take())? }
            }
            OutputValue::Borrow(f) => {
                let f = ident(f);
                quote! { rt::output_ref(WORKFLOW, #name, #expected, self.#f.as_ref())? }
            }
            OutputValue::Compute(v) => {
                let v = lowered(v);
                quote! { rt::output(WORKFLOW, #name, #expected, #v)? }
            }
        };
        quote! { #field: #value }
    });
    let queries = output_queries(w);
    let subscribe = super::messages::subscribe(&w.run.subscriptions);
    let steps = w.steps.iter().map(step::method);
    let runs = w.runs.iter().map(run_other);
    let ended = w.run.ends_on_failure.then(|| ended(w));
    // A step's retry counts last one execution of it (docs/decisions.md).
    let enter = w
        .run
        .retries
        .then(|| quote! { self.retries.enter(step.id()); });
    let head = if w.depends_on.is_empty() {
        quote! {
            /// Runs the steps from the first, each choosing the next, within the step budget;
            /// then gathers the workflow's outputs.
            async fn execute(mut self) -> rt::RunResult<Output>
        }
    } else {
        quote! {
            /// Runs the workflows it depends on that the run has not completed (each once,
            /// however many depend on it), then the steps from the first, each choosing the
            /// next, within the step budget; then gathers the workflow's outputs.
            async fn execute(mut self) -> rt::RunResult<Output>
        }
    };
    quote! {
            #head {
                #( #dependencies )*
                #( #subscribe )*
                let mut budget = self.client.settings.budget(WORKFLOW);
                let mut next = #first;
                while let Some(step) = next {
                    budget.spend(step.id())?;
                    #enter
                    next = match step { #( #arms, )* };
                }
                #( #queries )*
                let output = Output { #( #outputs, )* };
                Ok((output, self.status))
            }

            #( #steps )*
            #( #runs )*
            #ended
    }
}

/// The run's method that runs another workflow with the inputs it is given, and records its
/// inputs and outputs for `$workflows.<id>…`.
fn run_other(c: &Callee) -> TokenStream {
    let method = ident(&c.method);
    let module = ident(&c.module);
    let key = &c.key;
    let (run, arg) = if c.within {
        (quote! { run_within }, quote! { , &mut *self.completed })
    } else {
        (quote! { run }, TokenStream::new())
    };
    let doc = docs(
        &format!(
            "Runs workflow `{key}` and keeps its inputs and outputs for `$workflows.{key}…`. \
             `why` says what runs it, for errors."
        ),
        8,
    );
    let Some(ty) = &c.input else {
        let doc = docs(
            &format!("Runs workflow `{key}` and keeps its outputs for `$workflows.{key}…`."),
            8,
        );
        return quote! {
            #doc
            async fn #method(&mut self) -> Result<(), rt::Error> {
                let (output, status) = rt::boxed(super::#module::#run(self.client #arg)).await?;
                self.status = status.or(self.status);
                rt::record(&mut self.workflows, #key, rt::Value::Object(rt::Map::new()), &output);
                Ok(())
            }
        };
    };
    let ty = rust_type(ty, Scope::Module);
    quote! {
        #doc
        async fn #method(&mut self, why: &'static str, inputs: rt::Value) -> Result<(), rt::Error> {
            let input: #ty = rt::child_input(WORKFLOW, why, #key, inputs.clone())?;
            let (output, status) = rt::boxed(super::#module::#run(self.client, input #arg)).await?;
            self.status = status.or(self.status);
            rt::record(&mut self.workflows, #key, inputs, &output);
            Ok(())
        }
    }
}

/// The error of a failure action that ends the run: it carries the outputs computable from
/// the steps run so far.
fn ended(w: &WorkflowPlan) -> TokenStream {
    let inserts = w.outputs.iter().map(|o| {
        let name = &o.name;
        let value = match &o.value {
            OutputValue::Take(f) | OutputValue::Borrow(f) => {
                let f = ident(f);
                quote! { self.#f.clone() }
            }
            OutputValue::Compute(v) => lowered(v),
        };
        quote! {
            if let Some(v) = #value {
                outputs.insert(#name.to_owned(), v);
            }
        }
    });
    let mutable = (!w.outputs.is_empty()).then(|| quote! { mut });
    let queries = output_queries(w);
    quote! {
        /// The error of a failure action that ends the run, with the workflow's outputs that
        /// the steps run so far can give, and the status and body of the attempt it ended
        /// after.
        fn ended(
            &self,
            step: &'static str,
            action: &'static str,
            status: Option<u16>,
            body_excerpt: String,
        ) -> rt::Error {
            #( #queries )*
            let #mutable outputs = rt::Map::new();
            #( #inserts )*
            let outputs = ::std::boxed::Box::new(outputs);
            rt::Error::Ended { workflow: WORKFLOW, step, action, status, body_excerpt, outputs }
        }
    }
}

/// The `static`s of the compiled queries of the workflow's outputs.
fn output_queries(w: &WorkflowPlan) -> Vec<TokenStream> {
    let mut queries = Vec::new();
    for o in &w.outputs {
        if let OutputValue::Compute(v) = &o.value {
            v.queries(&mut queries);
        }
    }
    queries
        .iter()
        .map(|(name, query)| super::values::query_static(name, query))
        .collect()
}

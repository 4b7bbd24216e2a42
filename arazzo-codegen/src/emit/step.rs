//! One step's method: run the step (an operation, or a child workflow), check its criteria,
//! keep its outputs, and choose the next step by its actions.

use proc_macro2::TokenStream;
use quote::quote;

use super::format::docs;
use super::ident;
use super::types::{Scope, rust_type};
use super::values::{condition, field_value, lowered, lowered_value, place, statics};
use crate::model::ParamLocation;
use crate::plan::{
    ActionPlan, ActionPlanKind, AuthField, AuthPlan, BodyKind, Callee, CriterionPlan, HttpMethod,
    Lowered, OperationCall, ParamPlan, ParamStyle, ReplaceTarget, StepCall, StepPlan, Via,
};

/// The method of step `s` of workflow `w`: returns the next step (`None` ends the workflow).
pub fn method(s: &StepPlan) -> TokenStream {
    let name = ident(&s.method);
    let mut doc = format!("Step `{}`: {}.", s.id, summary(s));
    if let Some(description) = &s.description {
        doc.push_str("\n\n");
        doc.push_str(description);
    }
    let doc = docs(&doc, 8);
    let constants = constants(s);
    let check = criteria(s);
    let outputs: Vec<TokenStream> = s
        .outputs
        .iter()
        .map(|(field, v)| {
            let f = ident(field);
            let v = lowered(v);
            // The outputs of the step's latest success: a value an earlier execution gave and
            // this one lacks is gone.
            quote! { self.#f = #v; }
        })
        .collect();
    // A body that does not parse as its content type is an error here, where it arrived,
    // not a value missing in a later step.
    let decoded = s
        .outputs_read_response_body()
        .then(|| quote! { exchange.check_body()?; });
    let next = default_next(s);
    let success = actions(s, &s.on_success, true, Some(quote! { Ok(#next) }));
    // 1.0.1, `retry`: "If a stepId or workflowId are specified, then the reference is executed
    // and the context is returned, after which the current step is retried." A failure of this
    // step drops the way back: its own failure actions decide.
    let (away, back) = if s.resumes {
        (
            quote! { let back = self.resume.take(); },
            quote! {
                if let Some(back) = back {
                    self.retries.again(back.id());
                    return Ok(Some(back));
                }
            },
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let then = quote! {
        #check
        #decoded
        #( #outputs )*
        #back
        #success
    };
    let run = match &s.call {
        StepCall::Operation(op) => operation(s, op),
        StepCall::Message(m) => super::messages::call(s, m),
        StepCall::Workflow {
            callee,
            inputs,
            reads_outputs,
            record,
        } => child(
            s,
            callee,
            inputs,
            (*reads_outputs, *record),
            names(&then, "exchange"),
        ),
    };
    quote! {
        #doc
        async fn #name(&mut self) -> Result<Option<Step>, rt::Error> {
            #( #constants )*
            #away
            #run
            #then
        }
    }
}

/// What a step runs, for its method's documentation.
pub fn summary(s: &StepPlan) -> String {
    match &s.call {
        StepCall::Operation(op) => {
            let id = op
                .operation_id
                .as_deref()
                .map(|o| format!("`{o}` "))
                .unwrap_or_default();
            format!("{id}(`{} {}`)", op.method.as_str(), op.path)
        }
        StepCall::Message(m) => super::messages::summary(m),
        StepCall::Workflow { callee, .. } => format!("runs workflow `{}`", callee.key),
    }
}

/// The step's constants: its timeout, the compiled queries of its selectors, a descriptor per criterion (its text and where it is written), and
/// the compiled patterns and queries of its conditions.
fn constants(s: &StepPlan) -> Vec<TokenStream> {
    let all = s.criteria.iter().chain(
        s.on_success
            .iter()
            .chain(&s.on_failure)
            .flat_map(|a| a.criteria.iter()),
    );
    let mut out = Vec::new();
    if let Some(t) = &s.timeout {
        let name = ident(&t.name);
        let millis = proc_macro2::Literal::u64_unsuffixed(t.millis);
        let line = proc_macro2::Literal::usize_unsuffixed(t.line);
        let column = proc_macro2::Literal::usize_unsuffixed(t.column);
        out.push(quote! {
            const #name: rt::Timeout = timeout(#millis, #line, #column);
        });
    }
    for (name, query) in &s.queries {
        out.push(super::values::query_static(name, query));
    }
    for c in all {
        let name = ident(&c.name);
        let text = &c.text;
        let line = proc_macro2::Literal::usize_unsuffixed(c.line);
        let column = proc_macro2::Literal::usize_unsuffixed(c.column);
        out.push(quote! {
            const #name: rt::Criterion = criterion(#text, #line, #column);
        });
        statics(&c.cond, &mut out);
    }
    out
}

fn default_next(s: &StepPlan) -> TokenStream {
    match &s.next {
        Some(n) => {
            let n = ident(n);
            quote! { Some(Step::#n) }
        }
        None => quote! { None },
    }
}

/// `exchange.holds(&C, …)`: a criterion evaluated and traced.
fn holds(c: &CriterionPlan) -> TokenStream {
    let name = ident(&c.name);
    let cond = condition(&c.cond);
    quote! { exchange.holds(&#name, #cond) }
}

/// The success criteria: each that does not hold returns its error, unless failure actions
/// decide what happens then.
fn criteria(s: &StepPlan) -> TokenStream {
    let failing = |what: TokenStream| actions(s, &s.on_failure, false, Some(what));
    match s.criteria.as_slice() {
        // A step that runs a workflow succeeds when the workflow does (within the step's
        // timeout): the child's last status is not its success.
        [] if matches!(s.call, StepCall::Workflow { .. }) => match &s.timeout {
            None => TokenStream::new(),
            Some(_) => {
                let handle = failing(quote! { return Err(exchange.failed(&rt::ANY_2XX)); });
                quote! {
                    if !exchange.completed() {
                        #handle
                    }
                }
            }
        },
        [] => {
            let handle = failing(quote! { return Err(exchange.failed(&rt::ANY_2XX)); });
            quote! {
                if !exchange.is_success() {
                    #handle
                }
            }
        }
        [only] => {
            let name = ident(&only.name);
            let handle = failing(quote! { return Err(exchange.failed(&#name)); });
            let check = holds(only);
            quote! {
                if !#check {
                    #handle
                }
            }
        }
        many if s.on_failure.is_empty() => {
            let checks = many.iter().map(|c| {
                let name = ident(&c.name);
                let check = holds(c);
                quote! {
                    if !#check {
                        return Err(exchange.failed(&#name));
                    }
                }
            });
            quote! { #( #checks )* }
        }
        many => {
            let checks = many.iter().map(|c| {
                let name = ident(&c.name);
                let check = holds(c);
                quote! { if !#check { Some(&#name) } else }
            });
            let handle = failing(quote! { return Err(exchange.failed(failed)); });
            // An action that is always taken leaves the failed criterion unread.
            let bound = if names(&handle, "failed") {
                quote! { Some(failed) }
            } else {
                quote! { Some(_) }
            };
            quote! {
                let failed = #( #checks )* { None };
                if let #bound = failed {
                    #handle
                }
            }
        }
    }
}

/// The first action whose criteria hold is taken; when none is, `fallback`. An action without
/// criteria is always taken, so nothing after it is written. Every action ends the method,
/// with a `return`, except an always-taken success action, which is the method's value.
fn actions(
    s: &StepPlan,
    list: &[ActionPlan],
    success: bool,
    fallback: Option<TokenStream>,
) -> TokenStream {
    let step_id = &s.id;
    let mut chain = Vec::new();
    for action in list {
        let name = &action.name;
        let mut guards: Vec<TokenStream> = action.criteria.iter().map(holds).collect();
        if let ActionPlanKind::Retry { limit, .. } = &action.kind {
            let limit = proc_macro2::Literal::u64_unsuffixed(*limit);
            guards.push(quote! { self.retries.try_take(#step_id, #name, #limit) });
        }
        let last = guards.is_empty() && success;
        let body = action_body(s, action, success, last);
        if guards.is_empty() {
            chain.push(body);
            return quote! { #( #chain )* };
        }
        chain.push(quote! {
            if #( #guards )&&* {
                #body
            }
        });
    }
    quote! {
        #( #chain )*
        #fallback
    }
}

/// What taking an action does. `last`: the action is the method's final expression.
fn action_body(s: &StepPlan, action: &ActionPlan, success: bool, last: bool) -> TokenStream {
    let (step_id, name) = (&s.id, &action.name);
    let this = ident(&s.variant);
    let done = |value: TokenStream| {
        if last {
            value
        } else {
            quote! { return #value; }
        }
    };
    let (kind, target, body) = match &action.kind {
        ActionPlanKind::End if success => ("End", String::new(), done(quote! { Ok(None) })),
        ActionPlanKind::End => (
            "End",
            String::new(),
            quote! {
                return Err(self.ended(#step_id, #name, exchange.answered(), exchange.excerpt()));
            },
        ),
        ActionPlanKind::GotoStep(target) => {
            let v = ident(&target.variant);
            (
                "Goto",
                target.id.clone(),
                done(quote! { Ok(Some(Step::#v)) }),
            )
        }
        ActionPlanKind::GotoWorkflow(callee) => {
            let (inputs, run) = run_call(callee, "goto", action.inputs.as_deref());
            let end = done(quote! { Ok(None) });
            (
                "Goto",
                callee.key.clone(),
                quote! {
                    #inputs
                    #run.await?;
                    #end
                },
            )
        }
        ActionPlanKind::Retry { after, via, .. } => {
            let after = match after {
                Some(a) => {
                    let a = proc_macro2::Literal::f64_unsuffixed(*a);
                    quote! { Some(#a) }
                }
                None => quote! { None },
            };
            let wait = if matches!(s.call, StepCall::Message(_)) {
                quote! { self.client.settings.wait_before_message_retry(&exchange, #after).await?; }
            } else {
                quote! { self.client.settings.wait_before_retry(&exchange, #after).await?; }
            };
            let (target, then) = match via {
                None => (
                    String::new(),
                    quote! {
                        self.retries.again(#step_id);
                        return Ok(Some(Step::#this));
                    },
                ),
                Some(Via::Step(t)) => {
                    let v = ident(&t.variant);
                    (
                        t.id.clone(),
                        quote! {
                            self.resume = Some(Step::#this);
                            return Ok(Some(Step::#v));
                        },
                    )
                }
                Some(Via::Workflow(callee)) => {
                    let (inputs, run) = run_call(callee, "retry", action.inputs.as_deref());
                    (
                        callee.key.clone(),
                        quote! {
                            #inputs
                            #run.await?;
                            self.retries.again(#step_id);
                            return Ok(Some(Step::#this));
                        },
                    )
                }
            };
            ("Retry", target, quote! { #wait #then })
        }
    };
    let kind = ident(kind);
    quote! {
        exchange.action(#name, rt::ActionKind::#kind, #target);
        #body
    }
}

/// A step that runs a child workflow with its parameters as inputs. Binds `exchange` (a
/// stand-in holding the child's last status) when `read_after`, and `child_outputs` when
/// `reads`; keeps the child's inputs and outputs for `$workflows.<id>…` when `record`.
fn child(
    s: &StepPlan,
    callee: &Callee,
    inputs: &[(String, Lowered)],
    (reads, record): (bool, bool),
    read_after: bool,
) -> TokenStream {
    let step_id = &s.id;
    let module = ident(&callee.module);
    let key = &callee.key;
    let input = callee.input.as_ref().map(|ty| {
        let ty = rust_type(ty, Scope::Module);
        let inserts = inputs.iter().map(|(name, v)| {
            let v = lowered(v);
            quote! {
                if let Some(v) = #v {
                    inputs.insert(#name.to_owned(), v);
                }
            }
        });
        let mutable = (!inputs.is_empty()).then(|| quote! { mut });
        let given = record.then(|| quote! { let given = rt::Value::Object(inputs.clone()); });
        quote! {
            let #mutable inputs = rt::Map::new();
            #( #inserts )*
            #given
            let input: #ty = rt::child_input(WORKFLOW, #step_id, #key, rt::Value::Object(inputs))?;
        }
    });
    let arg = callee.input.as_ref().map(|_| quote! { , input });
    let given = match &callee.input {
        Some(_) => quote! { given },
        None => quote! { rt::Value::Object(rt::Map::new()) },
    };
    // The latest run of a workflow is what `$workflows.<id>…` reads.
    let recorded =
        record.then(|| quote! { rt::record(&mut self.workflows, #key, #given, &output); });
    let outputs = if reads || record {
        quote! { output }
    } else {
        quote! { _ }
    };
    let keep = reads.then(|| quote! { let child_outputs = rt::inputs(&output); });
    let run = if callee.within {
        quote! { rt::boxed(super::#module::run_within(self.client #arg, &mut *self.completed)) }
    } else {
        quote! { rt::boxed(super::#module::run(self.client #arg)) }
    };
    // The child's failure is this step's failure: its failure actions decide, reading the
    // child's last status; when none applies, the run fails with the child's error.
    let failed = (!s.on_failure.is_empty()).then(|| {
        let handle = actions(s, &s.on_failure, false, Some(quote! { return Err(error); }));
        quote! {
            let exchange = rt::Exchange::child_failed(WORKFLOW, #step_id, &error);
            self.status = error.status().or(self.status);
            #handle
        }
    });
    let Some(t) = &s.timeout else {
        let finished = match &failed {
            None => quote! { #run.await? },
            Some(failed) => quote! {
                match #run.await {
                    Ok(finished) => finished,
                    Err(error) => { #failed }
                }
            },
        };
        let exchange = read_after
            .then(|| quote! { let exchange = rt::Exchange::child(WORKFLOW, #step_id, status); });
        return quote! {
            #input
            let (#outputs, status) = #finished;
            self.status = status;
            #keep
            #recorded
            #exchange
        };
    };
    // Within the step's timeout: a child run that takes longer is dropped where it is.
    let limit = ident(&t.name);
    let (declare, keep) = if reads {
        (
            quote! { let mut child_outputs = rt::Value::Null; },
            quote! { child_outputs = rt::inputs(&output); },
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let finished = quote! {
        self.status = status;
        #keep
        #recorded
        rt::Exchange::child(WORKFLOW, #step_id, status)
    };
    let timed_out = quote! { rt::Exchange::timed_out(WORKFLOW, #step_id, #limit) };
    let exchange = match &failed {
        None => quote! {
            match rt::within(#limit, #run).await? {
                Some((#outputs, status)) => { #finished }
                None => #timed_out,
            }
        },
        Some(failed) => quote! {
            match rt::within(#limit, #run).await {
                Ok(Some((#outputs, status))) => { #finished }
                Ok(None) => #timed_out,
                Err(error) => { #failed }
            }
        },
    };
    quote! {
        #input
        #declare
        let exchange = #exchange;
    }
}

/// Whether `tokens` name `wanted` anywhere.
fn names(tokens: &TokenStream, wanted: &str) -> bool {
    tokens.clone().into_iter().any(|t| match t {
        proc_macro2::TokenTree::Ident(i) => i == wanted,
        proc_macro2::TokenTree::Group(g) => names(&g.stream(), wanted),
        _ => false,
    })
}

fn style(style: ParamStyle) -> TokenStream {
    let name = match style {
        ParamStyle::Simple => "Simple",
        ParamStyle::Form => "Form",
        ParamStyle::Label => "Label",
        ParamStyle::Matrix => "Matrix",
        ParamStyle::SpaceDelimited => "SpaceDelimited",
        ParamStyle::PipeDelimited => "PipeDelimited",
        ParamStyle::DeepObject => "DeepObject",
    };
    let name = ident(name);
    quote! { rt::Style::#name }
}

fn encodings(list: &[(String, ParamStyle, bool)]) -> TokenStream {
    let items = list.iter().map(|(key, s, explode)| {
        let s = style(*s);
        quote! { (#key, rt::FieldEncoding { style: #s, explode: #explode }) }
    });
    quote! { &[#( #items ),*] }
}

/// A parameter's descriptor: the location's OpenAPI defaults, changed where the operation
/// says otherwise.
fn param(p: &ParamPlan) -> TokenStream {
    let (name, from) = (&p.name, &p.written);
    let (constructor, default_style, default_explode, default_required) = match p.location {
        ParamLocation::Path => ("path", ParamStyle::Simple, false, true),
        ParamLocation::Query => ("query", ParamStyle::Form, true, false),
        // A form is query-ready as it is; any other media type is encoded whole.
        ParamLocation::QueryString if p.style == ParamStyle::Form => {
            ("querystring", ParamStyle::Form, false, false)
        }
        ParamLocation::QueryString => ("querystring_encoded", p.style, false, false),
        ParamLocation::Header => ("header", ParamStyle::Simple, false, false),
        ParamLocation::Cookie => ("cookie", ParamStyle::Form, true, false),
        ParamLocation::Channel => {
            super::plan_bug(format!("channel parameter `{name}` in an HTTP call"));
            ("query", ParamStyle::Form, true, false)
        }
    };
    let constructor = ident(constructor);
    let mut tokens = quote! { rt::Param::#constructor(#name, #from) };
    if p.style != default_style {
        let s = style(p.style);
        tokens = quote! { #tokens.style(#s) };
    }
    if p.explode != default_explode {
        let explode = p.explode;
        tokens = quote! { #tokens.explode(#explode) };
    }
    if p.required && !default_required {
        tokens = quote! { #tokens.required() };
    }
    if p.secret {
        tokens = quote! { #tokens.secret() };
    }
    tokens
}

/// `rt::post`, …: starts a call of an operation with that method.
fn method_constructor(m: HttpMethod) -> proc_macro2::Ident {
    ident(&m.as_str().to_ascii_lowercase())
}

/// Builds and sends an operation call, binding `exchange`.
fn operation(s: &StepPlan, op: &OperationCall) -> TokenStream {
    let step_id = &s.id;
    let constructor = method_constructor(op.method);
    let path = &op.path;
    let params = op.params.iter().map(|p| {
        let descriptor = param(p);
        // A stored value is lent, unless `$request.path` must keep a copy.
        match place(&p.value) {
            Some(value) if !(op.reads_request_path && p.location == ParamLocation::Path) => {
                quote! { call.param_ref(#descriptor, #value)?; }
            }
            _ => {
                let value = lowered(&p.value);
                quote! { call.param(#descriptor, #value)?; }
            }
        }
    });
    let body = op.body.as_ref().map(|b| {
        // Checked as a header value when the generated code is compiled, not at each request.
        let literal = &b.content_type;
        let declared = (b.kind != BodyKind::Multipart).then(|| {
            quote! { const CONTENT_TYPE: rt::ContentType = rt::ContentType::new(#literal); }
        });
        let content_type = quote! { CONTENT_TYPE };
        if let (BodyKind::FormFields(list), Lowered::Object(entries)) = (&b.kind, &b.value) {
            let fields = entries.iter().map(|(k, v)| {
                let v = field_value(v);
                quote! { (#k, #v) }
            });
            if list.is_empty() {
                return quote! {
                    #declared
                    call.form_fields(#content_type, &[#( #fields ),*]);
                };
            }
            let encodings = encodings(list);
            return quote! {
                #declared
                call.form_fields_encoded(#content_type, &[#( #fields ),*], #encodings);
            };
        }
        let value = lowered_value(&b.value);
        let replacements = replacements(b);
        let send = match &b.kind {
            BodyKind::Json => quote! { call.json(#content_type, body); },
            BodyKind::JsonText | BodyKind::Text => quote! { call.text(#content_type, body); },
            BodyKind::Multipart => quote! { call.multipart(body); },
            BodyKind::Form(list) | BodyKind::FormFields(list) => {
                let encodings = encodings(list);
                quote! { call.form(#content_type, body, #encodings); }
            }
        };
        let mutable = (!b.replacements.is_empty()).then(|| quote! { mut });
        quote! {
            #declared
            let #mutable body = #value;
            #( #replacements )*
            #send
        }
    });
    let (auth, credentials) = auth(&op.auth);
    let base = ident(&op.base);
    let send = match &s.timeout {
        None if op.auth.needs_tokens() => quote! {
            let exchange = call
                .send_authorized(None, &self.client.settings, &self.client.#base, #credentials)
                .await?;
            self.status = Some(exchange.status);
        },
        None => quote! {
            let exchange = call.send(&self.client.settings, &self.client.#base, #credentials).await?;
            self.status = Some(exchange.status);
        },
        Some(t) if op.auth.needs_tokens() => {
            let limit = ident(&t.name);
            quote! {
                let exchange = call
                    .send_authorized(
                        Some(#limit),
                        &self.client.settings,
                        &self.client.#base,
                        #credentials,
                    )
                    .await?;
                if exchange.completed() {
                    self.status = Some(exchange.status);
                }
            }
        }
        // A timed-out attempt has no status: the last one stays what `$statusCode` read.
        Some(t) => {
            let limit = ident(&t.name);
            quote! {
                let exchange = call
                    .send_within(#limit, &self.client.settings, &self.client.#base, #credentials)
                    .await?;
                if exchange.completed() {
                    self.status = Some(exchange.status);
                }
            }
        }
    };
    let mutable = (!op.params.is_empty() || op.body.is_some()).then(|| quote! { mut });
    quote! {
        let #mutable call = rt::#constructor(WORKFLOW, #step_id, #path);
        #( #params )*
        #body
        #auth
        #send
    }
}

/// The statements that apply a body's payload replacements to `body`, in order.
pub(super) fn replacements(b: &crate::plan::BodyPlan) -> Vec<TokenStream> {
    b.replacements
        .iter()
        .map(|(target, v)| {
            let v = lowered(v);
            match target {
                ReplaceTarget::Pointer(tokens) => {
                    quote! { rt::replace(&mut body, &[#( #tokens ),*], #v); }
                }
                ReplaceTarget::Query { name, .. } => {
                    let name = ident(name);
                    quote! { #name.replace_all(&mut body, #v); }
                }
            }
        })
        .collect()
}

/// The credentials sent: `(statement binding `auth`, what `send` takes)`.
fn auth(plan: &AuthPlan) -> (TokenStream, TokenStream) {
    let field = |f: &AuthField| {
        let name = ident(&f.field);
        quote! { self.client.#name }
    };
    match (plan.alternatives.as_slice(), plan.anonymous) {
        ([], _) => (TokenStream::new(), quote! { &[] }),
        ([only], false) => {
            let each = only.iter().map(|f| {
                let (field, scopes) = (field(f), &f.scopes);
                match scopes {
                    Some(scopes) => quote! { call.credential_scoped(&#field, &[#( #scopes ),*])? },
                    None => quote! { call.credential(&#field)? },
                }
            });
            (quote! { let auth = [#( #each ),*]; }, quote! { &auth })
        }
        (alternatives, anonymous) => {
            let arms = alternatives.iter().map(|alternative| {
                let bindings: Vec<_> = (0..alternative.len())
                    .map(|i| ident(&format!("a{i}")))
                    .collect();
                let gets = alternative.iter().map(|f| {
                    let (field, scopes) = (field(f), &f.scopes);
                    match scopes {
                        Some(scopes) => quote! { #field.auth_scoped(&[#( #scopes ),*]) },
                        None => quote! { #field.auth() },
                    }
                });
                quote! {
                    if let (#( Some(#bindings), )*) = (#( #gets, )*) {
                        ::std::vec![#( #bindings ),*]
                    } else
                }
            });
            let fallback = match (&plan.first, anonymous) {
                (Some(_), false) => {
                    let mut named: Vec<&String> = Vec::new();
                    for f in alternatives.iter().flatten() {
                        if !named.contains(&&f.field) {
                            named.push(&f.field);
                        }
                    }
                    let named = named.into_iter().map(|f| {
                        let f = ident(f);
                        quote! { &self.client.#f }
                    });
                    quote! { return Err(call.missing_credentials(&[#( #named ),*])); }
                }
                _ => quote! { ::std::vec::Vec::new() },
            };
            (
                quote! { let auth = #( #arms )* { #fallback }; },
                quote! { &auth },
            )
        }
    }
}

/// `self.run_<callee>(…)`: runs another workflow; `why` says what runs it (for the error of
/// inputs that do not fit), when the workflow takes inputs: `given` (an action's `parameters`,
/// built into `inputs` by the statement returned first), or else this run's inputs of the same
/// names.
pub fn run_call(
    c: &Callee,
    why: &str,
    given: Option<&[(String, Lowered)]>,
) -> (TokenStream, TokenStream) {
    let method = ident(&c.method);
    if c.input.is_none() {
        return (TokenStream::new(), quote! { self.#method() });
    }
    match given {
        Some(list) => {
            let inputs = lowered_value(&Lowered::Object(list.to_vec()));
            (
                quote! { let inputs = #inputs; },
                quote! { self.#method(#why, inputs) },
            )
        }
        None => {
            let names = &c.input_names;
            (
                TokenStream::new(),
                quote! { self.#method(#why, rt::pick(&self.inputs, &[#( #names ),*])) },
            )
        }
    }
}

//! The body of one step's method: run the step (an operation or a child workflow), evaluate
//! its criteria, keep its outputs, and choose the next step by its actions.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::names::ident;
use super::values::{StepVars, borrowed, condition, lowered, lowered_value};
use super::workflow::Scope;
use crate::model::ParamLocation;
use crate::plan::{
    ActionPlan, ActionPlanKind, BodyKind, CriterionPlan, Lowered, OperationCall, ParamStyle,
    PathPart, SchemeKind, StepCall, StepPlan, Via,
};

/// The body of the step's method: returns the next step (`None` ends the workflow).
pub fn arm(s: &StepPlan, next: Option<TokenStream>, scope: &Scope<'_>) -> TokenStream {
    let run = match &s.call {
        StepCall::Operation(op) => operation(s, op, scope),
        StepCall::Workflow { workflow, inputs } => child(s, workflow, inputs, scope),
    };
    let failed = failed_criterion(s, scope);
    // Only the outputs some expression reads are kept.
    let outputs = s.outputs.iter().filter_map(|(name, v)| {
        let field = scope.output_field(&s.id, name)?;
        let v = lowered(v, scope);
        Some(quote! {
            if let ::std::option::Option::Some(v) = #v {
                #field = ::std::option::Option::Some(v);
            }
        })
    });
    let default_next = match (next, scope.uses_resume) {
        (Some(n), true) => quote! { self.resume.take().or(::std::option::Option::Some(#n)) },
        (Some(n), false) => quote! { ::std::option::Option::Some(#n) },
        (None, true) => quote! { self.resume.take() },
        (None, false) => quote! { ::std::option::Option::None },
    };
    let on_success = actions(s, &s.on_success, true, default_next, scope);
    let give_up = quote! {
        return ::std::result::Result::Err(__exchange.criterion_failed(__failed.0, __failed.1))
    };
    let on_failure = actions(s, &s.on_failure, false, give_up, scope);
    quote! {
        #run
        let __failed: ::std::option::Option<(&'static str, &'static str)> = #failed;
        ::std::result::Result::Ok(match __failed {
            ::std::option::Option::None => {
                #( #outputs )*
                #on_success
            }
            ::std::option::Option::Some(__failed) => {
                #on_failure
            }
        })
    }
}

/// `None` when every success criterion holds, else the first that does not (text, location).
fn failed_criterion(s: &StepPlan, scope: &Scope<'_>) -> TokenStream {
    let step_id = &s.id;
    if s.criteria.is_empty() {
        return quote! {
            if __exchange.is_success() {
                ::std::option::Option::None
            } else {
                ::std::option::Option::Some(("a 2xx status (no successCriteria)", ""))
            }
        };
    }
    let checks = s.criteria.iter().map(|c| {
        let holds = traced(c, step_id, scope);
        let (text, location) = (&c.text, &c.location);
        quote! { if !#holds { ::std::option::Option::Some((#text, #location)) } else }
    });
    quote! { #( #checks )* { ::std::option::Option::None } }
}

/// A criterion's condition, recorded in the trace.
fn traced(c: &CriterionPlan, step_id: &str, scope: &Scope<'_>) -> TokenStream {
    let cond = condition(&c.cond, scope);
    let text = &c.text;
    quote! { ::arazzo_runtime::flow::criterion(WORKFLOW, #step_id, #text, #cond) }
}

/// The first action whose criteria hold decides the next step; none: `fallback`.
fn actions(
    s: &StepPlan,
    list: &[ActionPlan],
    success: bool,
    fallback: TokenStream,
    scope: &Scope<'_>,
) -> TokenStream {
    let step_id = &s.id;
    let mut chain = Vec::new();
    for action in list {
        let name = &action.name;
        let mut guards: Vec<TokenStream> = action
            .criteria
            .iter()
            .map(|c| traced(c, step_id, scope))
            .collect();
        let (kind, target, body) = match &action.kind {
            ActionPlanKind::End if success => {
                ("end", String::new(), quote! { ::std::option::Option::None })
            }
            ActionPlanKind::End => {
                let partial = partial_outputs(scope);
                (
                    "end",
                    String::new(),
                    quote! {
                        return ::std::result::Result::Err(::arazzo_runtime::Error::Ended {
                            workflow: WORKFLOW,
                            step: #step_id,
                            action: #name,
                            status: self.status,
                            outputs: #partial,
                        })
                    },
                )
            }
            ActionPlanKind::GotoStep(target) => ("goto", target.clone(), {
                let v = scope.variant(target);
                quote! { ::std::option::Option::Some(#v) }
            }),
            ActionPlanKind::GotoWorkflow(target) => ("goto", target.clone(), {
                let run = run_workflow(scope, target, "goto");
                quote! {{
                    #run
                    ::std::option::Option::None
                }}
            }),
            ActionPlanKind::Retry { after, limit, via } => {
                let key = quote! { (#step_id, #name) };
                guards.push(quote! { self.retries.get(&#key).copied().unwrap_or(0) < #limit });
                let after = match after {
                    Some(a) => quote! { ::std::option::Option::Some(#a) },
                    None => quote! { ::std::option::Option::None },
                };
                let this = scope.variant(step_id);
                let (target, then) = match via {
                    None => (String::new(), quote! { ::std::option::Option::Some(#this) }),
                    Some(Via::Step(v)) => {
                        let v_variant = scope.variant(v);
                        (
                            v.clone(),
                            quote! {{
                                self.resume = ::std::option::Option::Some(#this);
                                ::std::option::Option::Some(#v_variant)
                            }},
                        )
                    }
                    Some(Via::Workflow(w)) => {
                        let run = run_workflow(scope, w, "retry");
                        (
                            w.clone(),
                            quote! {{
                                #run
                                ::std::option::Option::Some(#this)
                            }},
                        )
                    }
                };
                (
                    "retry",
                    target,
                    quote! {{
                        *self.retries.entry(#key).or_insert(0) += 1;
                        self.client.sleeper.sleep(::arazzo_runtime::flow::retry_delay(&__exchange, #after)).await;
                        #then
                    }},
                )
            }
        };
        let taken = quote! {
            ::arazzo_runtime::flow::action(WORKFLOW, #step_id, #name, #kind, #target);
            #body
        };
        if guards.is_empty() {
            // Always taken: later actions (and the fallback) can never apply.
            return if chain.is_empty() {
                quote! {{ #taken }}
            } else {
                quote! { #( #chain )* { #taken } }
            };
        }
        chain.push(quote! {
            if #( #guards )&&* {
                #taken
            } else
        });
    }
    if chain.is_empty() {
        fallback
    } else {
        quote! { #( #chain )* { #fallback } }
    }
}

/// The workflow's outputs computable from the steps run so far, untyped.
fn partial_outputs(scope: &Scope<'_>) -> TokenStream {
    let inserts = scope.plan.outputs.iter().map(|o| {
        let name = &o.name;
        let v = lowered(&o.value, scope);
        quote! {
            if let ::std::option::Option::Some(v) = #v {
                m.insert(#name.to_owned(), v);
            }
        }
    });
    quote! {{
        let mut m = ::arazzo_runtime::serde_json::Map::new();
        #( #inserts )*
        m
    }}
}

/// Runs another workflow of the module with the caller's inputs where names match, recording
/// its inputs and outputs for `$workflows.<id>…`.
pub fn run_workflow(scope: &Scope<'_>, target: &str, why: &str) -> TokenStream {
    let Some(sig) = scope.signature(target) else {
        return TokenStream::new();
    };
    let runner = &sig.runner;
    let names = &sig.input_names;
    let child_output = &sig.output;
    let (arg, input_value) = match &sig.input {
        Some(ty) => (
            quote! {
                let __child_input: #ty = ::arazzo_runtime::serde_json::from_value(__child_inputs.clone()).map_err(|e| {
                    ::arazzo_runtime::Error::ChildInput { workflow: WORKFLOW, step: #why, child: #target, reason: e.to_string() }
                })?;
            },
            quote! { __child_input },
        ),
        None => (TokenStream::new(), TokenStream::new()),
    };
    quote! {{
        let __child_inputs = ::arazzo_runtime::value::pick(&self.inputs, &[#( #names ),*]);
        #arg
        let __future: ::arazzo_runtime::flow::WorkflowFuture<'_, #child_output> = ::std::boxed::Box::pin(self.client.#runner(#input_value));
        let (__child_output, __child_status) = __future.await?;
        self.status = __child_status.or(self.status);
        let mut __record = ::arazzo_runtime::serde_json::Map::new();
        __record.insert("inputs".to_owned(), __child_inputs);
        __record.insert("outputs".to_owned(), ::arazzo_runtime::value::inputs(&__child_output));
        self.workflows.insert(#target.to_owned(), ::arazzo_runtime::serde_json::Value::Object(__record));
    }}
}

/// A step that runs a child workflow with its parameters as inputs.
fn child(
    s: &StepPlan,
    target: &str,
    inputs: &[(String, Lowered)],
    scope: &Scope<'_>,
) -> TokenStream {
    let step_id = &s.id;
    let Some(sig) = scope.signature(target) else {
        return TokenStream::new();
    };
    let runner = &sig.runner;
    let child_output = &sig.output;
    let inserts: Vec<TokenStream> = inputs
        .iter()
        .map(|(name, v)| {
            let v = lowered(v, scope);
            quote! {
                if let ::std::option::Option::Some(v) = #v {
                    __child_inputs.insert(#name.to_owned(), v);
                }
            }
        })
        .collect();
    let (arg, input_value) = match &sig.input {
        Some(ty) => (
            quote! {
                let __child_input: #ty = ::arazzo_runtime::serde_json::from_value(::arazzo_runtime::serde_json::Value::Object(__child_inputs)).map_err(|e| {
                    ::arazzo_runtime::Error::ChildInput { workflow: WORKFLOW, step: #step_id, child: #target, reason: e.to_string() }
                })?;
            },
            quote! { __child_input },
        ),
        None => (quote! { let _ = __child_inputs; }, TokenStream::new()),
    };
    let mutable = if inputs.is_empty() {
        quote! {}
    } else {
        quote! { mut }
    };
    quote! {
        let #mutable __child_inputs = ::arazzo_runtime::serde_json::Map::new();
        #( #inserts )*
        #arg
        let __future: ::arazzo_runtime::flow::WorkflowFuture<'_, #child_output> = ::std::boxed::Box::pin(self.client.#runner(#input_value));
        let (__child_output, __child_status) = __future.await?;
        self.status = __child_status;
        let __child_outputs = ::arazzo_runtime::value::inputs(&__child_output);
        let __exchange = ::arazzo_runtime::http::Exchange::child(WORKFLOW, #step_id, __child_status);
    }
}

fn style_tokens(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::Simple => quote! { Simple },
        ParamStyle::Form => quote! { Form },
        ParamStyle::Label => quote! { Label },
        ParamStyle::Matrix => quote! { Matrix },
        ParamStyle::SpaceDelimited => quote! { SpaceDelimited },
        ParamStyle::PipeDelimited => quote! { PipeDelimited },
        ParamStyle::DeepObject => quote! { DeepObject },
    }
}

fn field_encoding(key: &str, style: ParamStyle, explode: bool) -> TokenStream {
    let style = style_tokens(style);
    quote! { (#key, ::arazzo_runtime::encode::FieldEncoding { style: ::arazzo_runtime::encode::Style::#style, explode: #explode }) }
}

/// Whether any expression of the step reads `$request.body` (which must then be kept).
fn reads_request_body(s: &StepPlan) -> bool {
    let mut reads = false;
    let mut note = |r: &crate::plan::ValueRef| {
        reads |= matches!(r.source, crate::plan::Source::RequestBody);
    };
    for (_, v) in &s.outputs {
        super::workflow::visit_lowered(v, &mut note);
    }
    let actions = s.on_success.iter().chain(&s.on_failure);
    for c in s
        .criteria
        .iter()
        .chain(actions.flat_map(|a| a.criteria.iter()))
    {
        super::workflow::visit_cond(&c.cond, &mut note);
    }
    reads
}

/// Builds and sends an operation call, binding `__exchange`.
fn operation(s: &StepPlan, op: &OperationCall, scope: &Scope<'_>) -> TokenStream {
    let step_id = &s.id;
    let method = match op.method.as_str() {
        m @ ("GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE") => {
            let m = ident(m);
            quote! { ::arazzo_runtime::reqwest::Method::#m }
        }
        other => {
            let bytes = proc_macro2::Literal::byte_string(other.as_bytes());
            quote! { ::arazzo_runtime::reqwest::Method::from_bytes(#bytes).unwrap_or_default() }
        }
    };
    let path = op.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote! { __call.path(#text); },
        PathPart::Param(name) => match op.params.iter().find(|p| p.location == ParamLocation::Path && p.name == *name) {
            Some(p) => {
                let value = lowered(&p.value, scope);
                let (explode, written) = (p.explode, &p.written);
                let style = style_tokens(p.style);
                quote! { __call.path_param(#name, #value, ::arazzo_runtime::encode::Style::#style, #explode, #written)?; }
            }
            // Checked before generation: every path parameter is supplied.
            None => quote! { __call.path_param(#name, ::std::option::Option::None, ::arazzo_runtime::encode::Style::Simple, false, "")?; },
        },
    });
    let params = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let (name, value, explode, required, written) = (&p.name, lowered(&p.value, scope), p.explode, p.required, &p.written);
        match p.location {
            ParamLocation::Query => {
                let style = style_tokens(p.style);
                quote! { __call.query(#name, #value, ::arazzo_runtime::encode::Style::#style, #explode, #required, #written)?; }
            }
            ParamLocation::Header => quote! { __call.header(#name, #value, #explode, #required, #written)?; },
            _ => quote! { __call.cookie(#name, #value, #required, #written)?; },
        }
    });
    let body = op.body.as_ref().map(|b| {
        if let (BodyKind::Form(encodings), Lowered::Object(entries), true, false) =
            (&b.kind, &b.value, b.replacements.is_empty(), reads_request_body(s))
        {
            // Fields read where they are: no JSON object is built, nothing is copied.
            let content_type = &b.content_type;
            let encodings = encodings.iter().map(|(k, style, explode)| field_encoding(k, *style, *explode));
            let fields = entries.iter().map(|(k, v)| {
                let v = borrowed(v, scope);
                quote! { (#k, #v) }
            });
            return quote! { __call.form_fields(#content_type, &[#( #fields ),*], &[#( #encodings ),*]); };
        }
        let value = lowered_value(&b.value, scope);
        let replacements = b.replacements.iter().map(|(tokens, v)| {
            let v = lowered(v, scope);
            quote! { ::arazzo_runtime::value::replace(&mut __body, &[#( #tokens ),*], #v); }
        });
        let content_type = &b.content_type;
        let send = match &b.kind {
            // A string payload for a JSON body is JSON text (a template): sent as it is.
            BodyKind::Json if matches!(&b.value, Lowered::Template(_) | Lowered::Literal(serde_json::Value::String(_))) => {
                quote! { __call.text(#content_type, __body); }
            }
            BodyKind::Json => quote! { __call.json(#content_type, __body); },
            BodyKind::Text => quote! { __call.text(#content_type, __body); },
            BodyKind::Multipart => quote! { __call.multipart(__body); },
            BodyKind::Form(encodings) => {
                let encodings = encodings.iter().map(|(k, style, explode)| field_encoding(k, *style, *explode));
                quote! { __call.form(#content_type, __body, &[#( #encodings ),*]); }
            }
        };
        let mutable = if b.replacements.is_empty() { quote! {} } else { quote! { mut } };
        quote! {
            let #mutable __body = #value;
            #( #replacements )*
            #send
        }
    });
    let base = scope
        .fields
        .sources
        .iter()
        .find(|(name, _)| *name == op.source)
        .map(|(_, f)| f.clone())
        .unwrap_or_else(|| ident("http"));
    let auth = auth(step_id, op, scope);
    let template = &op.path_template;
    quote! {
        let mut __call = ::arazzo_runtime::http::Call::new(WORKFLOW, #step_id, #method, #template);
        #( #path )*
        #( #params )*
        #body
        #auth
        let __exchange = __call.send(self.client.http.get(), &self.client.#base, &__auth, self.client.request_hook.as_ref()).await?;
        self.status = ::std::option::Option::Some(__exchange.status);
    }
}

fn auth(step_id: &str, op: &OperationCall, scope: &Scope<'_>) -> TokenStream {
    let none = quote! { let __auth: [::arazzo_runtime::auth::Auth<'_>; 0] = []; };
    if op.security.is_empty() {
        return none;
    }
    let field_of = |scheme: &str| scope.fields.schemes.iter().find(|f| f.name == scheme);
    // One `(pattern, credential fields, credentials)` per alternative the client can fill.
    let mut alternatives = Vec::new();
    let mut anonymous = false;
    for alternative in &op.security {
        if alternative.is_empty() {
            anonymous = true;
            continue;
        }
        let found: Vec<_> = alternative.iter().filter_map(|n| field_of(n)).collect();
        if found.len() != alternative.len() {
            continue;
        }
        let bindings: Vec<Ident> = (0..found.len()).map(|i| ident(&format!("a{i}"))).collect();
        let refs: Vec<TokenStream> = found
            .iter()
            .map(|f| {
                let f = &f.field;
                quote! { &self.client.#f }
            })
            .collect();
        let auths: Vec<TokenStream> = found
            .iter()
            .zip(&bindings)
            .map(|(f, b)| auth_value(&f.kind, b))
            .collect();
        let pattern: Vec<TokenStream> = bindings
            .iter()
            .map(|b| quote! { ::std::option::Option::Some(#b) })
            .collect();
        alternatives.push((pattern, refs, auths));
    }
    if alternatives.is_empty() && anonymous {
        return none;
    }
    // Alternatives of one length (the usual case: one scheme each) need no allocation: the
    // credentials are an array. Otherwise (or when none may be sent) a `Vec`.
    let length = alternatives.first().map_or(0, |(_, _, a)| a.len());
    let array = !anonymous && alternatives.iter().all(|(_, _, a)| a.len() == length);
    let arms = alternatives.iter().map(|(pattern, refs, auths)| {
        let value = if array {
            quote! { [#( #auths ),*] }
        } else {
            quote! { ::std::vec::Vec::from([#( #auths ),*]) }
        };
        quote! {
            if let (#( #pattern, )*) = (#( #refs, )*) {
                break 'auth #value;
            }
        }
    });
    let fallback = if anonymous {
        quote! { ::std::vec::Vec::new() }
    } else {
        let (scheme, setter) = op
            .security
            .first()
            .and_then(|a| a.first())
            .and_then(|n| field_of(n).map(|f| (f.name.clone(), f.setter.clone())))
            .unwrap_or_default();
        quote! {
            return ::std::result::Result::Err(::arazzo_runtime::Error::MissingCredentials {
                workflow: WORKFLOW,
                step: #step_id,
                scheme: #scheme,
                setter: #setter,
            })
        }
    };
    let ty = if array {
        let length = proc_macro2::Literal::usize_unsuffixed(length);
        quote! { [::arazzo_runtime::auth::Auth<'_>; #length] }
    } else {
        quote! { ::std::vec::Vec<::arazzo_runtime::auth::Auth<'_>> }
    };
    quote! {
        let __auth: #ty = 'auth: {
            #( #arms )*
            #fallback
        };
    }
}

fn auth_value(kind: &SchemeKind, binding: &Ident) -> TokenStream {
    match kind {
        SchemeKind::Basic => quote! { ::arazzo_runtime::auth::Auth::Basic(#binding) },
        SchemeKind::Bearer => quote! { ::arazzo_runtime::auth::Auth::Bearer(#binding) },
        SchemeKind::ApiKey { location, name } => {
            let location = match location {
                ParamLocation::Query => quote! { Query },
                ParamLocation::Cookie => quote! { Cookie },
                _ => quote! { Header },
            };
            quote! {
                ::arazzo_runtime::auth::Auth::ApiKey {
                    location: ::arazzo_runtime::auth::KeyLocation::#location,
                    name: #name,
                    key: #binding,
                }
            }
        }
    }
}

//! One workflow: its input and output types, and the `async fn` that runs its steps in order.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ClientFields;
use super::names::{Case, Namer, ident};
use super::types::{TypeSpace, output_struct, value_type};
use super::values::{StepVars, condition, lowered, lowered_value};
use crate::model::ParamLocation;
use crate::plan::{
    BodyKind, Cond, Lowered, Operand, ParamStyle, PathPart, SchemeKind, Source, StepPlan,
    TemplatePart, ValueRef, WorkflowPlan,
};

struct Vars {
    outputs: Vec<(String, Ident)>,
}

impl StepVars for Vars {
    fn outputs_var(&self, step: &str) -> Option<Ident> {
        self.outputs
            .iter()
            .find(|(s, _)| s == step)
            .map(|(_, v)| v.clone())
    }
}

/// The method and the type definitions of one workflow.
pub fn emit(
    w: &WorkflowPlan,
    fn_name: &str,
    fields: &ClientFields,
    space: &mut TypeSpace<'_>,
) -> (TokenStream, Vec<TokenStream>) {
    let base = super::names::sanitize(&w.id, Case::UpperCamel);
    let mut defs = Vec::new();

    // Input.
    let input_type = w.inputs.as_ref().filter(|s| takes_input(s)).map(|schema| {
        let doc = format!("The inputs of workflow `{}`.", w.id);
        let (ty, nullable) = space.documented_type(schema, &format!("{base}Input"), Some(&doc));
        super::types::optional(ty, nullable)
    });

    // Output.
    let output_name = space.names.name(&format!("{base}Output"), Case::UpperCamel);
    let mut output_fields = Namer::new();
    let outputs: Vec<(String, String, TokenStream, Option<String>)> = w
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
        &outputs,
    ));

    // Which step outputs are ever read decides which are kept.
    let read = read_sources(w);
    let mut locals = Namer::new();
    let vars = Vars {
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
    };
    let declare_outputs = vars
        .outputs
        .iter()
        .map(|(_, v)| quote! { let mut #v = ::arazzo_runtime::serde_json::Map::new(); });
    let steps: Vec<TokenStream> = w.steps.iter().map(|s| step(s, fields, &vars)).collect();

    let output_id = ident(&output_name);
    let output_values = w
        .outputs
        .iter()
        .zip(&outputs)
        .map(|(o, (field, original, _, _))| {
            let id = ident(field);
            let value = lowered(&o.value, &vars);
            let expected = o.ty.to_string();
            quote! { #id: ::arazzo_runtime::value::output(WORKFLOW, #original, #expected, #value)? }
        });

    let fn_id = ident(fn_name);
    let workflow_id = &w.id;
    let (param, inputs_binding) = match &input_type {
        Some(ty) => (
            quote! { , input: #ty },
            if read.inputs {
                quote! { let __inputs = ::arazzo_runtime::value::inputs(&input); }
            } else {
                quote! { let _ = input; }
            },
        ),
        None => (
            TokenStream::new(),
            if read.inputs {
                quote! { let __inputs = ::arazzo_runtime::serde_json::Value::Null; }
            } else {
                TokenStream::new()
            },
        ),
    };
    let doc = fn_docs(w);
    let method = quote! {
        #( #[doc = #doc] )*
        pub async fn #fn_id(&self #param) -> ::std::result::Result<#output_id, ::arazzo_runtime::Error> {
            use ::arazzo_runtime::tracing::Instrument as _;
            const WORKFLOW: &str = #workflow_id;
            let span = ::arazzo_runtime::tracing::info_span!("arazzo.workflow", workflow = WORKFLOW);
            async {
                #inputs_binding
                #( #declare_outputs )*
                #( #steps )*
                ::std::result::Result::Ok(#output_id {
                    #( #output_values, )*
                })
            }
            .instrument(span)
            .await
        }
    };
    (method, defs)
}

/// A schema that describes something to pass: not an empty object.
fn takes_input(schema: &crate::node::Node) -> bool {
    schema.get("$ref").is_some()
        || schema
            .get("properties")
            .and_then(crate::node::Node::as_map)
            .is_some_and(|p| !p.entries.is_empty())
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
    doc.push(format!(" Workflow `{}`, steps:", w.id));
    for (i, s) in w.steps.iter().enumerate() {
        let op = s
            .operation_id
            .as_deref()
            .map(|o| format!("`{o}` "))
            .unwrap_or_default();
        doc.push(format!(
            " {}. `{}`: {op}(`{} {}`)",
            i + 1,
            s.id,
            s.method,
            s.path_template
        ));
    }
    doc
}

/// What a workflow's expressions read: the inputs, and the outputs of which steps.
struct Reads {
    inputs: bool,
    steps: BTreeSet<String>,
}

fn read_sources(w: &WorkflowPlan) -> Reads {
    let mut reads = Reads {
        inputs: false,
        steps: BTreeSet::new(),
    };
    let mut note = |r: &ValueRef| match &r.source {
        Source::Inputs => reads.inputs = true,
        Source::StepOutput { step, .. } => {
            reads.steps.insert(step.clone());
        }
        _ => {}
    };
    let mut values: Vec<&Lowered> = w.outputs.iter().map(|o| &o.value).collect();
    let mut conds: Vec<&Cond> = Vec::new();
    for s in &w.steps {
        values.extend(s.params.iter().map(|p| &p.value));
        if let Some(b) = &s.body {
            values.push(&b.value);
            values.extend(b.replacements.iter().map(|(_, v)| v));
        }
        values.extend(s.outputs.iter().map(|(_, v)| v));
        conds.extend(s.criteria.iter().map(|c| &c.cond));
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

fn step(s: &StepPlan, fields: &ClientFields, vars: &Vars) -> TokenStream {
    let step_id = &s.id;
    let method = match s.method.as_str() {
        m @ ("GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE") => {
            let m = ident(m);
            quote! { ::arazzo_runtime::reqwest::Method::#m }
        }
        other => {
            let bytes = proc_macro2::Literal::byte_string(other.as_bytes());
            quote! { ::arazzo_runtime::reqwest::Method::from_bytes(#bytes).unwrap_or_default() }
        }
    };
    let path = s.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote! { __call.path(#text); },
        PathPart::Param(name) => match s
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.name == *name)
        {
            Some(p) => {
                let value = lowered(&p.value, vars);
                let (explode, written) = (p.explode, &p.written);
                let style = style_tokens(p.style);
                quote! { __call.path_param(#name, #value, ::arazzo_runtime::encode::Style::#style, #explode, #written)?; }
            }
            // Checked before generation: every path parameter is supplied.
            None => quote! { __call.path_param(#name, ::std::option::Option::None, ::arazzo_runtime::encode::Style::Simple, false, "")?; },
        },
    });
    let params = s.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let (name, value, explode, required, written) = (&p.name, lowered(&p.value, vars), p.explode, p.required, &p.written);
        match p.location {
            ParamLocation::Query => {
                let style = style_tokens(p.style);
                quote! { __call.query(#name, #value, ::arazzo_runtime::encode::Style::#style, #explode, #required, #written)?; }
            }
            ParamLocation::Header => quote! { __call.header(#name, #value, #explode, #required, #written)?; },
            _ => quote! { __call.cookie(#name, #value, #required, #written)?; },
        }
    });
    let body = s.body.as_ref().map(|b| {
        let value = lowered_value(&b.value, vars);
        let replacements = b.replacements.iter().map(|(tokens, v)| {
            let v = lowered(v, vars);
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
                let encodings = encodings.iter().map(|(k, style, explode)| {
                    let style = style_tokens(*style);
                    quote! { (#k, ::arazzo_runtime::encode::FieldEncoding { style: ::arazzo_runtime::encode::Style::#style, explode: #explode }) }
                });
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
    let base = fields
        .sources
        .iter()
        .find(|(name, _)| *name == s.source)
        .map(|(_, f)| f.clone())
        .unwrap_or_else(|| ident("http"));
    let auth = auth(s, fields);
    let criteria = if s.criteria.is_empty() {
        quote! {
            if !__exchange.is_success() {
                return ::std::result::Result::Err(__exchange.criterion_failed("a 2xx status (no successCriteria)", ""));
            }
        }
    } else {
        let checks = s.criteria.iter().map(|c| {
            let cond = condition(&c.cond, vars);
            let (text, location) = (&c.text, &c.location);
            quote! {
                if !#cond {
                    return ::std::result::Result::Err(__exchange.criterion_failed(#text, #location));
                }
            }
        });
        quote! { #( #checks )* }
    };
    let outputs = vars.outputs_var(&s.id).map(|var| {
        let inserts = s.outputs.iter().map(|(name, v)| {
            let v = lowered(v, vars);
            quote! {
                if let ::std::option::Option::Some(v) = #v {
                    #var.insert(#name.to_owned(), v);
                }
            }
        });
        quote! { #( #inserts )* }
    });
    quote! {
        {
            let mut __call = ::arazzo_runtime::http::Call::new(WORKFLOW, #step_id, #method);
            #( #path )*
            #( #params )*
            #body
            #auth
            let __exchange = __call.send(&self.http, &self.#base, &__auth, self.request_hook.as_ref()).await?;
            #criteria
            #outputs
        }
    }
}

fn auth(s: &StepPlan, fields: &ClientFields) -> TokenStream {
    if s.security.is_empty() {
        return quote! { let __auth: [::arazzo_runtime::auth::Auth<'_>; 0] = []; };
    }
    let field_of = |scheme: &str| fields.schemes.iter().find(|f| f.name == scheme);
    let mut arms = Vec::new();
    let mut anonymous = false;
    for alternative in &s.security {
        if alternative.is_empty() {
            anonymous = true;
            continue;
        }
        let found: Vec<_> = alternative.iter().filter_map(|n| field_of(n)).collect();
        if found.len() != alternative.len() {
            continue;
        }
        let bindings: Vec<Ident> = (0..found.len()).map(|i| ident(&format!("a{i}"))).collect();
        let refs = found.iter().map(|f| {
            let f = &f.field;
            quote! { &self.#f }
        });
        let auths = found
            .iter()
            .zip(&bindings)
            .map(|(f, b)| auth_value(&f.kind, b));
        let pattern = bindings
            .iter()
            .map(|b| quote! { ::std::option::Option::Some(#b) });
        arms.push(quote! {
            if let (#( #pattern, )*) = (#( #refs, )*) {
                break 'auth ::std::vec::Vec::from([#( #auths ),*]);
            }
        });
    }
    let fallback = if anonymous {
        quote! { ::std::vec::Vec::new() }
    } else {
        let (scheme, setter) = s
            .security
            .first()
            .and_then(|a| a.first())
            .and_then(|n| field_of(n).map(|f| (f.name.clone(), f.setter.clone())))
            .unwrap_or_default();
        let step_id = &s.id;
        quote! {
            return ::std::result::Result::Err(::arazzo_runtime::Error::MissingCredentials {
                workflow: WORKFLOW,
                step: #step_id,
                scheme: #scheme,
                setter: #setter,
            })
        }
    };
    quote! {
        let __auth: ::std::vec::Vec<::arazzo_runtime::auth::Auth<'_>> = 'auth: {
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

//! Lowered expressions, values and conditions as Rust expressions, inside a workflow's module:
//! `self` is the run, `exchange` the current step's request and response, `child_outputs`
//! the outputs of the workflow a step ran.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ident;
use crate::expr::CmpOp;
use crate::expr::embedded::{Language, Slot};
use crate::plan::{Cond, Escape, Lowered, Operand, Query, Source, TemplatePart, ValueRef};

/// A JSON value built by constructors (no text is parsed at run time).
pub fn json_literal(value: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    match value {
        Value::Null => quote! { rt::Value::Null },
        Value::Bool(b) => quote! { rt::Value::Bool(#b) },
        Value::Number(n) => {
            let literal = if let Some(i) = n.as_i64() {
                match i32::try_from(i) {
                    Ok(small) => Literal::i32_unsuffixed(small),
                    Err(_) => Literal::i64_suffixed(i),
                }
            } else if let Some(u) = n.as_u64() {
                Literal::u64_suffixed(u)
            } else {
                Literal::f64_unsuffixed(n.as_f64().filter(|f| f.is_finite()).unwrap_or(0.0))
            };
            quote! { rt::Value::from(#literal) }
        }
        Value::String(s) => quote! { rt::Value::from(#s) },
        Value::Array(items) => {
            let nested = items.iter().any(|i| i.is_array() || i.is_object());
            let items = items.iter().map(json_literal);
            if nested {
                // Not `vec![…]`: a macro's arguments are left unformatted, and these span lines.
                quote! { rt::Value::Array(::std::vec::Vec::from([#( #items ),*])) }
            } else {
                quote! { rt::Value::Array(::std::vec![#( #items ),*]) }
            }
        }
        Value::Object(map) if map.is_empty() => quote! { rt::Value::Object(rt::Map::new()) },
        Value::Object(map) => {
            let inserts = map.iter().map(|(k, v)| {
                let v = json_literal(v);
                quote! { m.insert(#k.to_owned(), #v); }
            });
            quote! {{
                let mut m = rt::Map::new();
                #( #inserts )*
                rt::Value::Object(m)
            }}
        }
    }
}

fn tokens_of(pointer: &[String]) -> TokenStream {
    quote! { &[#( #pointer ),*] }
}

/// An expression of type `Option<Value>`.
pub fn value_ref(r: &ValueRef) -> TokenStream {
    // `root` is an `Option<&Value>`: the value read where it is, copied.
    let read = |root: TokenStream| {
        if r.pointer.is_empty() {
            quote! { #root.cloned() }
        } else {
            let tokens = tokens_of(&r.pointer);
            quote! { rt::read(#root, #tokens) }
        }
    };
    // `value` is an `Option<Value>` already made.
    let owned = |value: TokenStream| {
        if r.pointer.is_empty() {
            value
        } else {
            let tokens = tokens_of(&r.pointer);
            quote! { rt::read(#value.as_ref(), #tokens) }
        }
    };
    let absent = quote! { None::<rt::Value> };
    match &r.source {
        Source::Url => owned(quote! { exchange.url() }),
        Source::Method => owned(quote! { exchange.method() }),
        Source::StatusCode => owned(quote! { exchange.status_code() }),
        Source::RequestHeader(n) => owned(quote! { exchange.request_header(#n) }),
        Source::RequestQuery(n) => owned(quote! { exchange.request_query(#n) }),
        Source::RequestPath(n) => owned(quote! { exchange.request_path(#n) }),
        Source::ResponseHeader(n) => owned(quote! { exchange.response_header(#n) }),
        Source::RequestBody => read(quote! { exchange.request_body() }),
        Source::ResponseBody => read(quote! { exchange.response_body() }),
        Source::MessagePayload => read(quote! { exchange.message_payload() }),
        Source::MessageHeader(n) => owned(quote! { exchange.message_header(#n) }),
        Source::Inputs => read(quote! { Some(&self.inputs) }),
        Source::TypedInput { field: Some(f) } => {
            let f = ident(f);
            owned(quote! { rt::field(&self.input.#f) })
        }
        Source::StepOutput { field: Some(f), .. } => {
            let f = ident(f);
            if r.pointer.is_empty() {
                quote! { self.#f.clone() }
            } else {
                read(quote! { self.#f.as_ref() })
            }
        }
        Source::TypedInput { field: None } | Source::StepOutput { field: None, .. } => absent,
        Source::Constant(v) => {
            let literal = json_literal(v);
            owned(quote! { Some(#literal) })
        }
        Source::ChildOutputs => read(quote! { Some(&child_outputs) }),
        Source::WorkflowOutput { workflow, output } => {
            let mut tokens = vec!["outputs".to_owned(), output.clone()];
            tokens.extend(r.pointer.iter().cloned());
            let tokens = tokens_of(&tokens);
            quote! { rt::read(self.workflows.get(#workflow), #tokens) }
        }
        Source::WorkflowInputs { workflow } => {
            let mut tokens = vec!["inputs".to_owned()];
            tokens.extend(r.pointer.iter().cloned());
            let tokens = tokens_of(&tokens);
            quote! { rt::read(self.workflows.get(#workflow), #tokens) }
        }
    }
}

/// An expression of type `Option<&Value>`: a value read where it is when it is stored (inputs,
/// outputs, bodies), else a temporary that lives to the end of the statement.
pub fn borrowed(v: &Lowered) -> TokenStream {
    if let Some(place) = place(v) {
        return place;
    }
    if let Lowered::Literal(value) = v {
        let literal = json_literal(value);
        return quote! { Some(&#literal) };
    }
    let owned = lowered(v);
    quote! { #owned.as_ref() }
}

/// A form field's value (`&dyn FieldValue`): read where it is when it is stored (a typed
/// input written as its text), else made.
pub fn field_value(v: &Lowered) -> TokenStream {
    if let Lowered::Value(ValueRef {
        source: Source::TypedInput { field: Some(f) },
        pointer,
        ..
    }) = v
        && pointer.is_empty()
    {
        let f = ident(f);
        return quote! { &rt::Typed(&self.input.#f) };
    }
    let value = place(v).unwrap_or_else(|| lowered(v));
    quote! { &#value }
}

/// An expression of type `Option<&Value>` for a value that is stored somewhere (the inputs'
/// JSON, a step output, a body): read where it is.
pub fn place(v: &Lowered) -> Option<TokenStream> {
    if let Lowered::Value(r) = v {
        let root = match &r.source {
            Source::RequestBody => Some(quote! { exchange.request_body() }),
            Source::ResponseBody => Some(quote! { exchange.response_body() }),
            Source::MessagePayload => Some(quote! { exchange.message_payload() }),
            Source::Inputs => Some(quote! { Some(&self.inputs) }),
            Source::StepOutput { field: Some(f), .. } => {
                let f = ident(f);
                Some(quote! { self.#f.as_ref() })
            }
            Source::ChildOutputs => Some(quote! { Some(&child_outputs) }),
            _ => None,
        };
        if let Some(root) = root {
            if r.pointer.is_empty() {
                return Some(root);
            }
            let tokens = tokens_of(&r.pointer);
            return Some(quote! { rt::at(#root, #tokens) });
        }
    }
    None
}

/// The `rt::Part`s of a template.
fn template_parts(parts: &[TemplatePart]) -> Vec<TokenStream> {
    parts
        .iter()
        .map(|p| match p {
            TemplatePart::Text(t) => quote! { rt::Part::Text(#t) },
            TemplatePart::Value(r, escape) => {
                let value = borrowed(&Lowered::Value(r.clone()));
                match escape {
                    Escape::None => quote! { rt::Part::Value(#value) },
                    Escape::Form => quote! { rt::Part::Form(#value) },
                    Escape::Query(language, slot) => {
                        let escape = query_escape(*language, *slot);
                        quote! { rt::Part::Escaped(#value, #escape) }
                    }
                }
            }
        })
        .collect()
}

/// `rt::Escape::…` for a value at `slot` of a query in `language`.
fn query_escape(language: Language, slot: Slot) -> TokenStream {
    match (language, slot) {
        (Language::Regex, _) => quote! { rt::Escape::Regex },
        (Language::JsonPath, Slot::Quoted(q)) => quote! { rt::Escape::JsonPathString(#q) },
        (Language::JsonPath, Slot::Bare) => quote! { rt::Escape::JsonPathLiteral },
        (Language::XPath, Slot::Quoted(q)) => quote! { rt::Escape::XPathString(#q) },
        (Language::XPath, Slot::Bare) => quote! { rt::Escape::XPathLiteral },
    }
}

/// What a lowered value becomes: a `Value` that is always there, or an `Option<Value>`.
enum Emitted {
    Always(TokenStream),
    Maybe(TokenStream),
}

fn emitted(v: &Lowered) -> Emitted {
    match v {
        Lowered::Literal(value) => Emitted::Always(json_literal(value)),
        Lowered::Value(r) => Emitted::Maybe(value_ref(r)),
        Lowered::Select { value, name, .. } => {
            let value = borrowed(&Lowered::Value(value.clone()));
            let name = super::ident(name);
            Emitted::Maybe(quote! { #name.select(#value) })
        }
        Lowered::Template(parts) => {
            let parts = template_parts(parts);
            Emitted::Always(quote! { rt::text(&[#( #parts ),*]) })
        }
        Lowered::Array(items) => {
            let items = items.iter().map(lowered);
            Emitted::Always(quote! {
                rt::Value::Array([#( #items ),*].into_iter().flatten().collect())
            })
        }
        Lowered::Object(entries) if entries.is_empty() => {
            Emitted::Always(quote! { rt::Value::Object(rt::Map::new()) })
        }
        Lowered::Object(entries) => {
            let inserts = entries.iter().map(|(k, v)| match emitted(v) {
                Emitted::Always(value) => quote! { m.insert(#k.to_owned(), #value); },
                Emitted::Maybe(value) => quote! {
                    if let Some(v) = #value {
                        m.insert(#k.to_owned(), v);
                    }
                },
            });
            Emitted::Always(quote! {{
                let mut m = rt::Map::new();
                #( #inserts )*
                rt::Value::Object(m)
            }})
        }
    }
}

/// An expression of type `Option<Value>`; absent leaves of objects and lists are left out,
/// never sent as empty strings.
pub fn lowered(v: &Lowered) -> TokenStream {
    match emitted(v) {
        Emitted::Always(value) => quote! { Some(#value) },
        Emitted::Maybe(value) => value,
    }
}

/// An expression of type `Value`; an absent value is `null`.
pub fn lowered_value(v: &Lowered) -> TokenStream {
    match emitted(v) {
        Emitted::Always(value) => value,
        Emitted::Maybe(value) => quote! { #value.unwrap_or(rt::Value::Null) },
    }
}

/// A condition inside `||`, `&&` or `!`: parenthesised when it is itself a chain.
fn grouped(c: &Cond) -> TokenStream {
    let inner = condition(c);
    if matches!(c, Cond::Any(_) | Cond::All(_)) {
        quote! { (#inner) }
    } else {
        inner
    }
}

fn operand(o: &Operand) -> TokenStream {
    match o {
        Operand::Value(r) => borrowed(&Lowered::Value(r.clone())),
        Operand::Literal(v) => {
            let literal = json_literal(v);
            quote! { Some(&#literal) }
        }
    }
}

/// A `bool` expression. Patterns and queries are the step method's `static`s (see
/// [`statics`]).
pub fn condition(c: &Cond) -> TokenStream {
    match c {
        Cond::Any(parts) => {
            let parts = parts.iter().map(grouped);
            quote! { #( #parts )||* }
        }
        Cond::All(parts) => {
            let parts = parts.iter().map(grouped);
            quote! { #( #parts )&&* }
        }
        Cond::Not(inner) => {
            let inner = grouped(inner);
            quote! { !#inner }
        }
        Cond::Compare { lhs, op, rhs } => {
            let (lhs, rhs) = (operand(lhs), operand(rhs));
            let op = match op {
                CmpOp::Eq => quote! { Eq },
                CmpOp::Ne => quote! { Ne },
                CmpOp::Lt => quote! { Lt },
                CmpOp::Le => quote! { Le },
                CmpOp::Gt => quote! { Gt },
                CmpOp::Ge => quote! { Ge },
            };
            quote! { rt::compare(#lhs, rt::Op::#op, #rhs) }
        }
        Cond::IsTrue(o) => {
            let o = operand(o);
            quote! { rt::is_true(#o) }
        }
        Cond::Status { op, value } => {
            let op = match op {
                CmpOp::Eq => quote! { == },
                CmpOp::Ne => quote! { != },
                CmpOp::Lt => quote! { < },
                CmpOp::Le => quote! { <= },
                CmpOp::Gt => quote! { > },
                CmpOp::Ge => quote! { >= },
            };
            let value = Literal::u16_unsuffixed(*value);
            quote! { exchange.status #op #value }
        }
        Cond::Exists(value) => {
            let value = borrowed(&Lowered::Value(value.clone()));
            quote! { #value.is_some() }
        }
        Cond::Completed => quote! { exchange.completed() },
        Cond::Built {
            language,
            value,
            parts,
        } => {
            let value = borrowed(&Lowered::Value(value.clone()));
            let parts = template_parts(parts);
            let check = match language {
                Language::Regex => quote! { rt::regex_matches },
                Language::JsonPath => quote! { rt::jsonpath_matches },
                Language::XPath => quote! { rt::xpath_matches },
            };
            quote! { #check(rt::condition_text(&[#( #parts ),*]), #value) }
        }
        Cond::Regex { value, name, .. }
        | Cond::JsonPath { value, name, .. }
        | Cond::XPath { value, name, .. } => {
            let name = ident(name);
            let value = borrowed(&Lowered::Value(value.clone()));
            quote! { #name.matches(#value) }
        }
    }
}

/// The `static`s a condition's patterns and queries live in, compiled on first use.
pub fn statics(c: &Cond, out: &mut Vec<TokenStream>) {
    match c {
        Cond::Any(parts) | Cond::All(parts) => parts.iter().for_each(|p| statics(p, out)),
        Cond::Not(inner) => statics(inner, out),
        Cond::Regex { pattern, name, .. } => {
            let name = ident(name);
            out.push(quote! { static #name: rt::Pattern = rt::Pattern::new(#pattern); });
        }
        Cond::JsonPath { query, name, .. } => {
            out.push(query_static(name, &Query::JsonPath(query.clone())));
        }
        Cond::XPath { query, name, .. } => {
            out.push(query_static(name, &Query::XPath(query.clone())));
        }
        Cond::Compare { .. }
        | Cond::IsTrue(_)
        | Cond::Status { .. }
        | Cond::Exists(_)
        | Cond::Built { .. }
        | Cond::Completed => {}
    }
}

/// The `static` holding a compiled query, compiled by its engine on first use.
pub fn query_static(name: &str, query: &Query) -> TokenStream {
    let name = ident(name);
    match query {
        Query::JsonPath(q) => quote! { static #name: rt::JsonQuery = rt::JsonQuery::new(#q); },
        Query::XPath(q) => quote! { static #name: rt::XPath = rt::XPath::new(#q); },
    }
}

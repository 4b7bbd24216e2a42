//! Lowered expressions, values and conditions as Rust expressions.
//!
//! In generated code, `self` is the workflow's `Run`: `self.inputs` holds the workflow input as
//! JSON, one field per step the outputs of that step, and `__exchange` is the current step's
//! request and response.

use proc_macro2::TokenStream;
use quote::quote;

use crate::expr::CmpOp;
use crate::plan::{Cond, Lowered, Operand, Source, TemplatePart, ValueRef};

/// Where the run keeps each step output that expressions read.
pub trait StepVars {
    /// `None` when the inputs are read from their JSON copy (`self.inputs`); else the typed
    /// field of input `name` (`None` if there is no such input).
    fn input_field(&self, name: &str) -> Option<Option<TokenStream>>;

    /// An expression of type `Option<Value>` (a place, not a copy).
    fn output_field(&self, step: &str, output: &str) -> Option<TokenStream>;
}

/// A JSON value built by constructors (no text is parsed at run time).
pub fn json_literal(value: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    match value {
        Value::Null => quote! { ::arazzo_runtime::serde_json::Value::Null },
        Value::Bool(b) => quote! { ::arazzo_runtime::serde_json::Value::Bool(#b) },
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                quote! { ::arazzo_runtime::serde_json::Value::from(#i) }
            } else if let Some(u) = n.as_u64() {
                quote! { ::arazzo_runtime::serde_json::Value::from(#u) }
            } else {
                let f = n.as_f64().unwrap_or_default();
                quote! { ::arazzo_runtime::serde_json::Value::from(#f) }
            }
        }
        Value::String(s) => quote! { ::arazzo_runtime::serde_json::Value::String(#s.to_owned()) },
        Value::Array(items) => {
            let items = items.iter().map(json_literal);
            quote! { ::arazzo_runtime::serde_json::Value::Array(::std::vec![#( #items ),*]) }
        }
        Value::Object(map) => {
            let inserts = map.iter().map(|(k, v)| {
                let v = json_literal(v);
                quote! { m.insert(#k.to_owned(), #v); }
            });
            quote! {{
                let mut m = ::arazzo_runtime::serde_json::Map::new();
                #( #inserts )*
                ::arazzo_runtime::serde_json::Value::Object(m)
            }}
        }
    }
}

fn tokens_of(pointer: &[String]) -> TokenStream {
    quote! { &[#( #pointer ),*] }
}

/// An expression of type `Option<Value>`.
pub fn value_ref(r: &ValueRef, vars: &dyn StepVars) -> TokenStream {
    let read = |root: TokenStream| {
        if r.pointer.is_empty() {
            quote! { #root.cloned() }
        } else {
            let tokens = tokens_of(&r.pointer);
            quote! { ::arazzo_runtime::value::read(#root, #tokens) }
        }
    };
    let owned = |value: TokenStream| {
        if r.pointer.is_empty() {
            value
        } else {
            let tokens = tokens_of(&r.pointer);
            quote! { ::arazzo_runtime::value::read(#value.as_ref(), #tokens) }
        }
    };
    match &r.source {
        Source::Url => owned(quote! { __exchange.url() }),
        Source::Method => owned(quote! { __exchange.method() }),
        Source::StatusCode => owned(quote! { __exchange.status_code() }),
        Source::RequestHeader(n) => owned(quote! { __exchange.request_header(#n) }),
        Source::RequestQuery(n) => owned(quote! { __exchange.request_query(#n) }),
        Source::RequestPath(n) => owned(quote! { __exchange.request_path(#n) }),
        Source::ResponseHeader(n) => owned(quote! { __exchange.response_header(#n) }),
        Source::RequestBody => read(quote! { __exchange.request_body() }),
        Source::ResponseBody => read(quote! { __exchange.response_body() }),
        Source::Inputs => match r.pointer.split_first() {
            Some((first, rest)) => match vars.input_field(first) {
                Some(Some(field)) => {
                    let value = quote! { ::arazzo_runtime::value::field(&#field) };
                    if rest.is_empty() {
                        value
                    } else {
                        let tokens = tokens_of(rest);
                        quote! { ::arazzo_runtime::value::read(#value.as_ref(), #tokens) }
                    }
                }
                Some(None) => {
                    quote! { ::std::option::Option::<::arazzo_runtime::serde_json::Value>::None }
                }
                None => read(quote! { ::std::option::Option::Some(&self.inputs) }),
            },
            None => read(quote! { ::std::option::Option::Some(&self.inputs) }),
        },
        Source::StepOutput { step, output } => match vars.output_field(step, output) {
            Some(field) if r.pointer.is_empty() => quote! { #field.clone() },
            Some(field) => read(quote! { #field.as_ref() }),
            None => quote! { ::std::option::Option::<::arazzo_runtime::serde_json::Value>::None },
        },
        Source::Constant(v) => {
            let literal = json_literal(v);
            owned(quote! { ::std::option::Option::Some(#literal) })
        }
        Source::ChildOutputs => read(quote! { ::std::option::Option::Some(&__child_outputs) }),
        Source::WorkflowOutput { workflow, output } => {
            let mut tokens = vec!["outputs".to_owned(), output.clone()];
            tokens.extend(r.pointer.iter().cloned());
            let tokens = tokens_of(&tokens);
            quote! { ::arazzo_runtime::value::read(self.workflows.get(#workflow), #tokens) }
        }
        Source::WorkflowInputs { workflow } => {
            let mut tokens = vec!["inputs".to_owned()];
            tokens.extend(r.pointer.iter().cloned());
            let tokens = tokens_of(&tokens);
            quote! { ::arazzo_runtime::value::read(self.workflows.get(#workflow), #tokens) }
        }
    }
}

/// An expression of type `Option<&Value>`: a value read where it is when it is stored (inputs,
/// outputs, bodies), else a temporary that lives to the end of the statement.
pub fn borrowed(v: &Lowered, vars: &dyn StepVars) -> TokenStream {
    if let Lowered::Value(r) = v {
        let tokens = tokens_of(&r.pointer);
        let root = match &r.source {
            Source::RequestBody => Some(quote! { __exchange.request_body() }),
            Source::ResponseBody => Some(quote! { __exchange.response_body() }),
            Source::Inputs
                if r.pointer
                    .first()
                    .is_none_or(|first| vars.input_field(first).is_none()) =>
            {
                Some(quote! { ::std::option::Option::Some(&self.inputs) })
            }
            Source::StepOutput { step, output } => vars
                .output_field(step, output)
                .map(|field| quote! { #field.as_ref() }),
            Source::ChildOutputs => Some(quote! { ::std::option::Option::Some(&__child_outputs) }),
            _ => None,
        };
        if let Some(root) = root {
            return quote! { ::arazzo_runtime::value::at(#root, #tokens) };
        }
    }
    let owned = lowered(v, vars);
    quote! { #owned.as_ref() }
}

/// An expression of type `Value` for a lowered value; an absent expression value is `null`.
pub fn lowered_value(v: &Lowered, vars: &dyn StepVars) -> TokenStream {
    match v {
        Lowered::Value(_) => {
            let opt = lowered(v, vars);
            quote! { #opt.unwrap_or(::arazzo_runtime::serde_json::Value::Null) }
        }
        Lowered::Literal(value) => json_literal(value),
        Lowered::Template(_) | Lowered::Array(_) | Lowered::Object(_) => {
            // These always produce a value: unwrap the `Some` at generation time.
            let opt = lowered(v, vars);
            let inner = strip_some(opt.clone());
            inner.unwrap_or_else(
                || quote! { #opt.unwrap_or(::arazzo_runtime::serde_json::Value::Null) },
            )
        }
    }
}

/// `::std::option::Option::Some(x)` → `x`.
fn strip_some(tokens: TokenStream) -> Option<TokenStream> {
    let expr: syn::Expr = syn::parse2(tokens).ok()?;
    let syn::Expr::Call(call) = expr else {
        return None;
    };
    let syn::Expr::Path(path) = call.func.as_ref() else {
        return None;
    };
    if path.path.segments.last().map(|s| s.ident.to_string()) != Some("Some".to_owned())
        || call.args.len() != 1
    {
        return None;
    }
    call.args.first().map(|a| quote! { #a })
}

/// An expression of type `Option<Value>` for any lowered value; absent leaves of objects and
/// lists are left out, never sent as empty strings.
pub fn lowered(v: &Lowered, vars: &dyn StepVars) -> TokenStream {
    match v {
        Lowered::Literal(value) => {
            let literal = json_literal(value);
            quote! { ::std::option::Option::Some(#literal) }
        }
        Lowered::Value(r) => value_ref(r, vars),
        Lowered::Template(parts) => {
            let parts = parts.iter().map(|p| match p {
                TemplatePart::Text(t) => quote! { ::arazzo_runtime::value::Part::Text(#t) },
                TemplatePart::Value(r) => {
                    let value = value_ref(r, vars);
                    quote! { ::arazzo_runtime::value::Part::Value(#value) }
                }
            });
            quote! {
                ::std::option::Option::Some(::arazzo_runtime::serde_json::Value::String(
                    ::arazzo_runtime::value::template(&[#( #parts ),*])
                ))
            }
        }
        Lowered::Array(items) => {
            let items = items.iter().map(|i| lowered(i, vars));
            quote! {
                ::std::option::Option::Some(::arazzo_runtime::serde_json::Value::Array(
                    [#( #items ),*].into_iter().flatten().collect()
                ))
            }
        }
        Lowered::Object(entries) => {
            let inserts = entries.iter().map(|(k, v)| {
                let value = lowered(v, vars);
                quote! {
                    if let ::std::option::Option::Some(v) = #value {
                        m.insert(#k.to_owned(), v);
                    }
                }
            });
            quote! {
                ::std::option::Option::Some({
                    let mut m = ::arazzo_runtime::serde_json::Map::new();
                    #( #inserts )*
                    ::arazzo_runtime::serde_json::Value::Object(m)
                })
            }
        }
    }
}

/// A condition inside `||`, `&&` or `!`: parenthesised when it is itself a chain.
fn grouped(c: &Cond, vars: &dyn StepVars) -> TokenStream {
    let inner = condition(c, vars);
    if matches!(c, Cond::Any(_) | Cond::All(_)) {
        quote! { (#inner) }
    } else {
        inner
    }
}

fn operand(o: &Operand, vars: &dyn StepVars) -> TokenStream {
    match o {
        Operand::Value(r) => value_ref(r, vars),
        Operand::Literal(v) => {
            let literal = json_literal(v);
            quote! { ::std::option::Option::Some(#literal) }
        }
    }
}

/// A `bool` expression.
pub fn condition(c: &Cond, vars: &dyn StepVars) -> TokenStream {
    match c {
        Cond::Any(parts) => {
            let parts = parts.iter().map(|p| grouped(p, vars));
            quote! { #( #parts )||* }
        }
        Cond::All(parts) => {
            let parts = parts.iter().map(|p| grouped(p, vars));
            quote! { #( #parts )&&* }
        }
        Cond::Not(inner) => {
            let inner = grouped(inner, vars);
            quote! { !#inner }
        }
        Cond::Compare { lhs, op, rhs } => {
            let (lhs, rhs) = (operand(lhs, vars), operand(rhs, vars));
            let op = match op {
                CmpOp::Eq => quote! { Eq },
                CmpOp::Ne => quote! { Ne },
                CmpOp::Lt => quote! { Lt },
                CmpOp::Le => quote! { Le },
                CmpOp::Gt => quote! { Gt },
                CmpOp::Ge => quote! { Ge },
            };
            quote! {
                ::arazzo_runtime::criteria::compare(#lhs.as_ref(), ::arazzo_runtime::criteria::Op::#op, #rhs.as_ref())
            }
        }
        Cond::IsTrue(o) => {
            let o = operand(o, vars);
            quote! { ::arazzo_runtime::criteria::is_true(#o.as_ref()) }
        }
        Cond::Regex { value, pattern } => {
            let value = value_ref(value, vars);
            quote! {{
                static PATTERN: ::std::sync::LazyLock<::std::option::Option<::arazzo_runtime::regex::Regex>> =
                    ::std::sync::LazyLock::new(|| ::arazzo_runtime::regex::Regex::new(#pattern).ok());
                PATTERN.as_ref().is_some_and(|pattern| ::arazzo_runtime::criteria::regex_matches(pattern, #value.as_ref()))
            }}
        }
        Cond::JsonPath {
            value,
            query,
            tests_context,
        } => {
            let value = value_ref(value, vars);
            quote! {{
                static QUERY: ::std::sync::LazyLock<::std::option::Option<::arazzo_runtime::serde_json_path::JsonPath>> =
                    ::std::sync::LazyLock::new(|| ::arazzo_runtime::serde_json_path::JsonPath::parse(#query).ok());
                QUERY.as_ref().is_some_and(|query| ::arazzo_runtime::criteria::jsonpath_matches(query, #tests_context, #value.as_ref()))
            }}
        }
    }
}

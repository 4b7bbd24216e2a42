//! Planned types as Rust: the definitions of input and output types, and type expressions.

use proc_macro2::TokenStream;
use quote::quote;

use super::format::docs;
use super::ident;
use crate::plan::{Absent, RustType, TypeDef, serde_case};

/// Where a type is written: beside the user's items (every path spelled out, so that a user's
/// own `Option` or `String` cannot change its meaning), or inside a workflow's own module
/// (which imports nothing from its parent but by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    TopLevel,
    Module,
}

/// A type expression.
pub fn rust_type(ty: &RustType, scope: Scope) -> TokenStream {
    let top = scope == Scope::TopLevel;
    match ty {
        RustType::String if top => quote! { ::std::string::String },
        RustType::String => quote! { String },
        RustType::I32 => quote! { i32 },
        RustType::I64 => quote! { i64 },
        RustType::F64 => quote! { f64 },
        RustType::Bool => quote! { bool },
        RustType::Json if top => quote! { ::arazzo_runtime::serde_json::Value },
        RustType::Json => quote! { rt::Value },
        RustType::JsonObject if top => quote! {
            ::arazzo_runtime::serde_json::Map<::std::string::String, ::arazzo_runtime::serde_json::Value>
        },
        RustType::JsonObject => quote! { rt::Map<String, rt::Value> },
        RustType::Vec(item) => {
            let item = rust_type(item, scope);
            if top {
                quote! { ::std::vec::Vec<#item> }
            } else {
                quote! { Vec<#item> }
            }
        }
        RustType::Option(inner) => {
            let inner = rust_type(inner, scope);
            if top {
                quote! { ::std::option::Option<#inner> }
            } else {
                quote! { Option<#inner> }
            }
        }
        RustType::Map(value) => {
            let value = rust_type(value, scope);
            if top {
                quote! { ::std::collections::BTreeMap<::std::string::String, #value> }
            } else {
                quote! { ::std::collections::BTreeMap<String, #value> }
            }
        }
        RustType::Named(name) => {
            let id = ident(name);
            if top {
                quote! { #id }
            } else {
                quote! { super::#id }
            }
        }
    }
}

/// A struct or enum definition, at the top level of the module.
pub fn definition(def: &TypeDef) -> TokenStream {
    match def {
        TypeDef::Struct {
            name,
            doc,
            rename_all,
            fields,
        } => {
            let id = ident(name);
            let doc = docs(doc.as_deref().unwrap_or_default(), 0);
            let rename_all = rename_all.map(|rule| quote! { , rename_all = #rule });
            let fields = fields.iter().map(|f| {
                let field = ident(&f.name);
                let ty = rust_type(&f.ty, Scope::TopLevel);
                let original = &f.original;
                let rename = f
                    .renamed(rename_all_rule(def))
                    .then(|| quote! { rename = #original, });
                let attrs = match f.absent {
                    Absent::AsNone => quote! {
                        #[serde(#rename default, skip_serializing_if = "::std::option::Option::is_none")]
                    },
                    Absent::AsNull => quote! {
                        #[serde(#rename default, skip_serializing_if = "::arazzo_runtime::serde_json::Value::is_null")]
                    },
                    Absent::Never if rename.is_some() => quote! { #[serde(rename = #original)] },
                    Absent::Never => TokenStream::new(),
                };
                let doc = docs(f.doc.as_deref().unwrap_or_default(), 4);
                quote! { #doc #attrs pub #field: #ty }
            });
            quote! {
                #doc
                #[derive(
                    ::std::fmt::Debug,
                    ::std::clone::Clone,
                    ::std::cmp::PartialEq,
                    ::arazzo_runtime::serde::Serialize,
                    ::arazzo_runtime::serde::Deserialize,
                )]
                #[serde(crate = "::arazzo_runtime::serde" #rename_all)]
                pub struct #id { #( #fields, )* }
            }
        }
        TypeDef::Enum {
            name,
            doc,
            rename_all,
            variants,
        } => {
            let id = ident(name);
            let doc = docs(doc.as_deref().unwrap_or_default(), 0);
            let rule = *rename_all;
            let rename_all = rename_all.map(|rule| quote! { , rename_all = #rule });
            // Each variant's value shows in `rename_all` or in its own `rename`.
            let variants = variants.iter().map(|(variant, value)| {
                let v = ident(variant);
                if serde_case(variant, rule, true) == *value {
                    quote! { #v }
                } else {
                    quote! { #[serde(rename = #value)] #v }
                }
            });
            quote! {
                #doc
                #[derive(
                    ::std::fmt::Debug,
                    ::std::clone::Clone,
                    ::std::marker::Copy,
                    ::std::cmp::PartialEq,
                    ::std::cmp::Eq,
                    ::std::hash::Hash,
                    ::arazzo_runtime::serde::Serialize,
                    ::arazzo_runtime::serde::Deserialize,
                )]
                #[serde(crate = "::arazzo_runtime::serde" #rename_all)]
                pub enum #id { #( #variants, )* }
            }
        }
    }
}

fn rename_all_rule(def: &TypeDef) -> Option<&'static str> {
    match def {
        TypeDef::Struct { rename_all, .. } | TypeDef::Enum { rename_all, .. } => *rename_all,
    }
}

//! Rust types for workflow inputs (from their JSON Schemas) and outputs (from expression types).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::names::{Case, Namer, ident};
use crate::model::Components;
use crate::node::{Node, Value};
use crate::types::{Type, ValueType};

/// Doc attributes from a description.
pub fn docs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines = text.lines().map(|l| format!(" {}", l.trim_end()));
    quote! { #( #[doc = #lines] )* }
}

fn serde_derives() -> TokenStream {
    quote! {
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq, ::arazzo_runtime::serde::Serialize, ::arazzo_runtime::serde::Deserialize)]
        #[serde(crate = "::arazzo_runtime::serde")]
    }
}

/// The named types of one generated module.
pub struct TypeSpace<'a> {
    components: &'a Components,
    pub names: &'a mut Namer,
    pub defs: Vec<TokenStream>,
    /// `components.inputs` entries already generated, by name.
    generated: BTreeMap<String, String>,
}

impl<'a> TypeSpace<'a> {
    pub fn new(components: &'a Components, names: &'a mut Namer) -> Self {
        TypeSpace {
            components,
            names,
            defs: Vec::new(),
            generated: BTreeMap::new(),
        }
    }

    /// The Rust type of `schema`; a named type (struct or enum) is called after `name`.
    /// The boolean says whether the value may be `null`.
    pub fn schema_type(&mut self, schema: &Node, name: &str) -> (TokenStream, bool) {
        self.documented_type(schema, name, None)
    }

    /// `(property, field)` of the struct generated for `schema`, when it is a struct: the fields
    /// that expressions like `$inputs.name` can read without a JSON copy.
    pub fn struct_fields(&self, schema: &Node) -> Option<Vec<(String, String)>> {
        let target = match schema.get("$ref").and_then(Node::as_str) {
            Some(reference) => {
                let component = reference.strip_prefix("#/components/inputs/")?;
                &self.components.inputs.get(component)?.value
            }
            None => schema,
        };
        let (types, nullable) = types_of(target);
        let props = target.get("properties").and_then(Node::as_map)?;
        (!nullable && matches!(types.as_slice(), ["object"] | []) && !props.entries.is_empty())
            .then(|| field_names(target))
    }

    /// Like [`Self::schema_type`], documenting the named type with `fallback` when the schema
    /// has no description of its own.
    pub fn documented_type(
        &mut self,
        schema: &Node,
        name: &str,
        fallback: Option<&str>,
    ) -> (TokenStream, bool) {
        if let Some(reference) = schema.get("$ref").and_then(Node::as_str) {
            let Some(component) = reference.strip_prefix("#/components/inputs/") else {
                return (json_value(), true);
            };
            if let Some(existing) = self.generated.get(component) {
                let id = ident(existing);
                return (quote! { #id }, false);
            }
            let Some(target) = self
                .components
                .inputs
                .get(component)
                .map(|c| c.value.clone())
            else {
                return (json_value(), true);
            };
            let type_name = self.names.name(component, Case::UpperCamel);
            self.generated
                .insert(component.to_owned(), type_name.clone());
            return self.named(&target, &type_name, fallback);
        }
        let wanted = self.names.name(name, Case::UpperCamel);
        self.named(schema, &wanted, fallback)
    }

    /// `schema` as a type whose definition (if it needs one) is called `type_name` (reserved).
    fn named(
        &mut self,
        schema: &Node,
        type_name: &str,
        fallback: Option<&str>,
    ) -> (TokenStream, bool) {
        let (types, nullable) = types_of(schema);
        let description = schema
            .get("description")
            .and_then(Node::as_str)
            .or(fallback);
        let ty = match types.as_slice() {
            ["string"] if schema.get("enum").is_some() => {
                self.string_enum(schema, type_name, description)
            }
            ["string"] => quote! { ::std::string::String },
            ["integer"] => match schema.get("format").and_then(Node::as_str) {
                Some("int32") => quote! { i32 },
                _ => quote! { i64 },
            },
            ["number"] => quote! { f64 },
            ["boolean"] => quote! { bool },
            ["array"] => {
                let item = schema.get("items");
                let (item_ty, item_nullable) = match item {
                    Some(i) => self.schema_type(i, &format!("{type_name}Item")),
                    None => (json_value(), true),
                };
                let item_ty = optional(item_ty, item_nullable && item.is_some_and(|i| !is_any(i)));
                quote! { ::std::vec::Vec<#item_ty> }
            }
            ["object"] | []
                if schema
                    .get("properties")
                    .and_then(Node::as_map)
                    .is_some_and(|p| !p.entries.is_empty()) =>
            {
                self.object(schema, type_name, description)
            }
            ["object"] => match schema
                .get("additionalProperties")
                .filter(|a| a.as_map().is_some())
            {
                Some(values) => {
                    let (value_ty, value_nullable) =
                        self.schema_type(values, &format!("{type_name}Value"));
                    let value_ty = optional(value_ty, value_nullable && !is_any(values));
                    quote! { ::std::collections::BTreeMap<::std::string::String, #value_ty> }
                }
                None => {
                    quote! { ::arazzo_runtime::serde_json::Map<::std::string::String, ::arazzo_runtime::serde_json::Value> }
                }
            },
            _ => return (json_value(), true),
        };
        (ty, nullable)
    }

    fn string_enum(
        &mut self,
        schema: &Node,
        type_name: &str,
        description: Option<&str>,
    ) -> TokenStream {
        let values: Vec<String> = schema
            .get("enum")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(Node::as_str)
            .map(str::to_owned)
            .collect();
        if values.is_empty() {
            return quote! { ::std::string::String };
        }
        let mut variants = Namer::new();
        let arms = values.iter().map(|v| {
            let variant = variants.name(v, Case::UpperCamel);
            let id = ident(&variant);
            let doc = format!(" `{v}`");
            if variant == *v {
                quote! { #[doc = #doc] #id }
            } else {
                quote! { #[doc = #doc] #[serde(rename = #v)] #id }
            }
        });
        let id = ident(type_name);
        let doc = docs(description);
        self.defs.push(quote! {
            #doc
            #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash, ::arazzo_runtime::serde::Serialize, ::arazzo_runtime::serde::Deserialize)]
            #[serde(crate = "::arazzo_runtime::serde")]
            pub enum #id { #( #arms, )* }
        });
        quote! { #id }
    }

    fn object(&mut self, schema: &Node, type_name: &str, description: Option<&str>) -> TokenStream {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(Node::as_str)
            .collect();
        let names = field_names(schema);
        let mut out = Vec::new();
        if let Some(props) = schema.get("properties").and_then(Node::as_map) {
            for (entry, (_, field)) in props.entries.iter().zip(names) {
                let (ty, nullable) =
                    self.schema_type(&entry.value, &format!("{type_name}_{}", entry.key));
                let is_required = required.contains(&entry.key.as_str());
                let any = is_any(&entry.value);
                let wrap = (!is_required || nullable) && !any;
                let ty = optional(ty, wrap);
                let id = ident(&field);
                let original = &entry.key;
                let rename = (field != *original).then(|| quote! { rename = #original, });
                let attrs = if wrap {
                    quote! { #[serde(#rename default, skip_serializing_if = "::std::option::Option::is_none")] }
                } else if any && !is_required {
                    quote! { #[serde(#rename default, skip_serializing_if = "::arazzo_runtime::serde_json::Value::is_null")] }
                } else if rename.is_some() {
                    quote! { #[serde(#rename)] }
                } else {
                    TokenStream::new()
                };
                let doc = docs(entry.value.get("description").and_then(Node::as_str));
                out.push(quote! { #doc #attrs pub #id: #ty });
            }
        }
        let id = ident(type_name);
        let doc = docs(description);
        let derives = serde_derives();
        self.defs.push(quote! {
            #doc
            #derives
            pub struct #id { #( #out, )* }
        });
        quote! { #id }
    }
}

/// `(property, field name)` of an object schema's struct, in the order of its properties.
fn field_names(schema: &Node) -> Vec<(String, String)> {
    let mut fields = Namer::new();
    schema
        .get("properties")
        .and_then(Node::as_map)
        .map(|props| {
            props
                .entries
                .iter()
                .map(|e| (e.key.clone(), fields.name(&e.key, Case::Snake)))
                .collect()
        })
        .unwrap_or_default()
}

/// `Option<T>` when `wrap`.
pub fn optional(ty: TokenStream, wrap: bool) -> TokenStream {
    if wrap {
        quote! { ::std::option::Option<#ty> }
    } else {
        ty
    }
}

pub fn json_value() -> TokenStream {
    quote! { ::arazzo_runtime::serde_json::Value }
}

/// A schema that accepts anything: typed as a JSON value, which has its own `null`.
fn is_any(schema: &Node) -> bool {
    let (types, _) = types_of(schema);
    types.is_empty()
        && schema.get("properties").is_none()
        && schema.get("$ref").is_none()
        && schema.get("enum").is_none()
}

/// The non-null `type`s of a schema, and whether it admits `null`.
fn types_of(schema: &Node) -> (Vec<&str>, bool) {
    let mut nullable = schema
        .get("nullable")
        .is_some_and(|n| n.value == Value::Bool(true));
    let mut types: Vec<&str> = match schema.get("type").map(|t| &t.value) {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Seq(items)) => items.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    };
    if types.contains(&"null") {
        nullable = true;
        types.retain(|t| *t != "null");
    }
    (types, nullable)
}

/// The Rust type of an output.
pub fn value_type(t: &ValueType) -> TokenStream {
    let inner = match &t.ty {
        Type::Integer => quote! { i64 },
        Type::Number => quote! { f64 },
        Type::String => quote! { ::std::string::String },
        Type::Boolean => quote! { bool },
        Type::Array(item) => {
            let item = value_type(item);
            quote! { ::std::vec::Vec<#item> }
        }
        Type::Object => {
            quote! { ::arazzo_runtime::serde_json::Map<::std::string::String, ::arazzo_runtime::serde_json::Value> }
        }
        Type::Json => return json_value(),
    };
    optional(inner, t.nullable)
}

/// The struct holding a workflow's outputs.
pub fn output_struct(
    name: &str,
    doc: &str,
    fields: &[(String, String, TokenStream, Option<String>)],
) -> TokenStream {
    let id = ident(name);
    let derives = serde_derives();
    let fields = fields.iter().map(|(field, original, ty, field_doc)| {
        let id = ident(field);
        let rename = (field != original).then(|| quote! { #[serde(rename = #original)] });
        let doc = docs(field_doc.as_deref());
        quote! { #doc #rename pub #id: #ty }
    });
    quote! {
        #[doc = #doc]
        #derives
        pub struct #id { #( #fields, )* }
    }
}

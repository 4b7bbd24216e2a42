//! The Rust types of a generated module: workflow inputs from their JSON Schemas, outputs from
//! the types of their expressions. What each schema becomes (struct, enum, list, map, JSON
//! value) and what every type and field is called is decided here; the emitter writes it.

use std::collections::BTreeMap;

use super::names::{Case, Namer};
use crate::model::Components;
use crate::node::{Node, Value};
use crate::types::{Type, ValueType};

/// A type as generated code names it.
#[derive(Debug, Clone, PartialEq)]
pub enum RustType {
    String,
    I32,
    I64,
    F64,
    Bool,
    /// `serde_json::Value`: anything, with its own `null`.
    Json,
    /// `serde_json::Map<String, Value>`: an object of unknown shape.
    JsonObject,
    Vec(Box<RustType>),
    Option(Box<RustType>),
    /// `BTreeMap<String, T>`: an object whose values share one schema.
    Map(Box<RustType>),
    /// A struct or enum of the module.
    Named(String),
}

impl RustType {
    /// `Option<self>` when `wrap`.
    pub fn optional(self, wrap: bool) -> Self {
        if wrap {
            RustType::Option(Box::new(self))
        } else {
            self
        }
    }
}

/// A struct or enum definition of the module.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    Struct {
        name: String,
        doc: Option<String>,
        /// serde's `rename_all` that spells the most fields as the document does; the others
        /// are renamed one by one.
        rename_all: Option<&'static str>,
        fields: Vec<FieldDef>,
    },
    /// A string enum: each variant serialises as its value.
    Enum {
        name: String,
        doc: Option<String>,
        rename_all: Option<&'static str>,
        /// `(variant, value)`.
        variants: Vec<(String, String)>,
    },
}

impl FieldDef {
    /// Whether the field needs its own `rename` under the struct's `rename_all`.
    pub fn renamed(&self, rename_all: Option<&str>) -> bool {
        serde_case(&self.name, rename_all, false) != self.original
    }
}

/// The `rename_all` rules that cover the most `(rust name, serialised name)` pairs (none when
/// no rule covers more than the names as they are).
pub fn rename_rule<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    variants: bool,
) -> Option<&'static str> {
    let rules: &[Option<&'static str>] = if variants {
        &[
            None,
            Some("lowercase"),
            Some("snake_case"),
            Some("kebab-case"),
            Some("camelCase"),
            Some("SCREAMING_SNAKE_CASE"),
            Some("UPPERCASE"),
        ]
    } else {
        &[
            None,
            Some("camelCase"),
            Some("PascalCase"),
            Some("kebab-case"),
        ]
    };
    let covered = |rule: Option<&str>| {
        pairs
            .clone()
            .filter(|(name, original)| serde_case(name, rule, variants) == *original)
            .count()
    };
    let mut best = None;
    let mut best_count = covered(None);
    for rule in rules.iter().skip(1) {
        let count = covered(*rule);
        if count > best_count {
            best = *rule;
            best_count = count;
        }
    }
    best
}

/// What serde's `rename_all = rule` makes of a field (snake_case) or variant (PascalCase).
pub fn serde_case(name: &str, rule: Option<&str>, variant: bool) -> String {
    let Some(rule) = rule else {
        return name.to_owned();
    };
    let words: Vec<String> = if variant {
        let mut words: Vec<String> = Vec::new();
        for (i, ch) in name.char_indices() {
            if i == 0 || ch.is_ascii_uppercase() {
                words.push(String::new());
            }
            if let Some(w) = words.last_mut() {
                w.push(ch.to_ascii_lowercase());
            }
        }
        words
    } else {
        name.split('_').map(str::to_owned).collect()
    };
    let capitalized = |w: &str| {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_default()
    };
    match rule {
        "lowercase" => words.concat(),
        "UPPERCASE" => words.concat().to_ascii_uppercase(),
        "snake_case" => words.join("_"),
        "SCREAMING_SNAKE_CASE" => words.join("_").to_ascii_uppercase(),
        "kebab-case" => words.join("-"),
        "PascalCase" => words.iter().map(|w| capitalized(w)).collect(),
        "camelCase" => words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == 0 { w.clone() } else { capitalized(w) })
            .collect(),
        _ => name.to_owned(),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub name: String,
    /// The property as the document writes it (serde renames to it).
    pub original: String,
    pub ty: RustType,
    pub doc: Option<String>,
    pub absent: Absent,
}

/// How a field that may be missing is (de)serialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    /// Always there.
    Never,
    /// An `Option`: missing reads as `None`, `None` is not written.
    AsNone,
    /// A JSON value: missing reads as `null`, `null` is not written.
    AsNull,
}

/// The named types of one generated module, and the names they took.
pub struct TypeSpace<'a> {
    components: &'a Components,
    pub names: Namer,
    pub defs: Vec<TypeDef>,
    /// `components.inputs` entries already generated, by name.
    generated: BTreeMap<String, String>,
}

impl<'a> TypeSpace<'a> {
    pub fn new(components: &'a Components, names: Namer) -> Self {
        TypeSpace {
            components,
            names,
            defs: Vec::new(),
            generated: BTreeMap::new(),
        }
    }

    /// The Rust type of `schema`; a named type (struct or enum) is called after `name`. The
    /// boolean says whether the value may be `null`.
    pub fn schema_type(&mut self, schema: &Node, name: &str) -> (RustType, bool) {
        self.documented_type(schema, name, None)
    }

    /// `(property, field)` of the struct generated for `schema`, when it is a struct: the fields
    /// that expressions like `$inputs.name` can read without a JSON copy.
    pub fn struct_fields(&self, schema: &Node) -> Option<Vec<(String, String)>> {
        let target = self.resolve(schema)?;
        let (types, nullable) = types_of(target);
        let props = target.get("properties").and_then(Node::as_map)?;
        (!nullable && matches!(types.as_slice(), ["object"] | []) && !props.entries.is_empty())
            .then(|| field_names(target))
    }

    fn resolve<'s>(&'s self, schema: &'s Node) -> Option<&'s Node> {
        match schema.get("$ref").and_then(Node::as_str) {
            Some(reference) => {
                let component = reference.strip_prefix("#/components/inputs/")?;
                Some(&self.components.inputs.get(component)?.value)
            }
            None => Some(schema),
        }
    }

    /// Like [`Self::schema_type`], documenting the named type with `fallback` when the schema
    /// has no description of its own.
    pub fn documented_type(
        &mut self,
        schema: &Node,
        name: &str,
        fallback: Option<&str>,
    ) -> (RustType, bool) {
        if let Some(reference) = schema.get("$ref").and_then(Node::as_str) {
            let Some(component) = reference.strip_prefix("#/components/inputs/") else {
                return (RustType::Json, true);
            };
            if let Some(existing) = self.generated.get(component) {
                return (RustType::Named(existing.clone()), false);
            }
            let Some(target) = self
                .components
                .inputs
                .get(component)
                .map(|c| c.value.clone())
            else {
                return (RustType::Json, true);
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
    ) -> (RustType, bool) {
        let (types, nullable) = types_of(schema);
        let description = schema
            .get("description")
            .and_then(Node::as_str)
            .or(fallback);
        let ty = match types.as_slice() {
            ["string"] if schema.get("enum").is_some() => {
                self.string_enum(schema, type_name, description)
            }
            ["string"] => RustType::String,
            ["integer"] => match schema.get("format").and_then(Node::as_str) {
                Some("int32") => RustType::I32,
                _ => RustType::I64,
            },
            ["number"] => RustType::F64,
            ["boolean"] => RustType::Bool,
            ["array"] => {
                let item = schema.get("items");
                let (item_ty, item_nullable) = match item {
                    Some(i) => self.schema_type(i, &format!("{type_name}Item")),
                    None => (RustType::Json, true),
                };
                let wrap = item_nullable && item.is_some_and(|i| !is_any(i));
                RustType::Vec(Box::new(item_ty.optional(wrap)))
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
                    let wrap = value_nullable && !is_any(values);
                    RustType::Map(Box::new(value_ty.optional(wrap)))
                }
                None => RustType::JsonObject,
            },
            _ => return (RustType::Json, true),
        };
        (ty, nullable)
    }

    fn string_enum(
        &mut self,
        schema: &Node,
        type_name: &str,
        description: Option<&str>,
    ) -> RustType {
        let values: Vec<String> = schema
            .get("enum")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(Node::as_str)
            .map(str::to_owned)
            .collect();
        if values.is_empty() {
            return RustType::String;
        }
        let mut variants = Namer::new();
        let variants: Vec<(String, String)> = values
            .into_iter()
            .map(|v| (variants.name(&v, Case::UpperCamel), v))
            .collect();
        let rename_all = rename_rule(
            variants
                .iter()
                .map(|(v, value)| (v.as_str(), value.as_str())),
            true,
        );
        self.defs.push(TypeDef::Enum {
            name: type_name.to_owned(),
            doc: description.map(str::to_owned),
            rename_all,
            variants,
        });
        RustType::Named(type_name.to_owned())
    }

    fn object(&mut self, schema: &Node, type_name: &str, description: Option<&str>) -> RustType {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(Node::as_str)
            .collect();
        let names = field_names(schema);
        let mut fields = Vec::new();
        if let Some(props) = schema.get("properties").and_then(Node::as_map) {
            for (entry, (_, field)) in props.entries.iter().zip(names) {
                let (ty, nullable) =
                    self.schema_type(&entry.value, &format!("{type_name}_{}", entry.key));
                let is_required = required.contains(&entry.key.as_str());
                let any = is_any(&entry.value);
                let wrap = (!is_required || nullable) && !any;
                let absent = if wrap {
                    Absent::AsNone
                } else if any && !is_required {
                    Absent::AsNull
                } else {
                    Absent::Never
                };
                fields.push(FieldDef {
                    name: field,
                    original: entry.key.clone(),
                    ty: ty.optional(wrap),
                    doc: entry
                        .value
                        .get("description")
                        .and_then(Node::as_str)
                        .map(str::to_owned),
                    absent,
                });
            }
        }
        self.defs.push(TypeDef::Struct {
            name: type_name.to_owned(),
            doc: description.map(str::to_owned),
            rename_all: struct_rename(&fields),
            fields,
        });
        RustType::Named(type_name.to_owned())
    }
}

/// The `rename_all` of a struct with `fields`.
pub fn struct_rename(fields: &[FieldDef]) -> Option<&'static str> {
    rename_rule(
        fields
            .iter()
            .map(|f| (f.name.as_str(), f.original.as_str())),
        false,
    )
}

/// `(property, field name)` of an object schema's struct, in the order of its properties. A
/// property whose name already is its field name is named first, so `orderby` keeps `orderby`
/// and `$orderby` beside it becomes `orderby_2`.
fn field_names(schema: &Node) -> Vec<(String, String)> {
    let mut fields = Namer::new();
    let Some(props) = schema.get("properties").and_then(Node::as_map) else {
        return Vec::new();
    };
    let exact = |key: &str| super::names::sanitize(key, Case::Snake) == key;
    let mut named: Vec<Option<String>> = props
        .entries
        .iter()
        .map(|e| exact(&e.key).then(|| fields.name(&e.key, Case::Snake)))
        .collect();
    for (e, name) in props.entries.iter().zip(named.iter_mut()) {
        if name.is_none() {
            *name = Some(fields.name(&e.key, Case::Snake));
        }
    }
    props
        .entries
        .iter()
        .zip(named)
        .map(|(e, name)| (e.key.clone(), name.unwrap_or_default()))
        .collect()
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

/// A schema that describes something to pass: not an empty object.
pub fn takes_input(schema: &Node) -> bool {
    schema.get("$ref").is_some()
        || schema
            .get("properties")
            .and_then(Node::as_map)
            .is_some_and(|p| !p.entries.is_empty())
}

/// The Rust type of a workflow output, from the type of its expression.
pub fn value_type(t: &ValueType) -> RustType {
    let inner = match &t.ty {
        Type::Integer => RustType::I64,
        Type::Number => RustType::F64,
        Type::String => RustType::String,
        Type::Boolean => RustType::Bool,
        Type::Array(item) => RustType::Vec(Box::new(value_type(item))),
        Type::Object => RustType::JsonObject,
        Type::Json => return RustType::Json,
    };
    inner.optional(t.nullable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_rules_are_serde_s() {
        assert_eq!(
            serde_case("friendly_name", Some("camelCase"), false),
            "friendlyName"
        );
        assert_eq!(
            serde_case("InProgress", Some("snake_case"), true),
            "in_progress"
        );
        assert_eq!(
            serde_case("InProgress", Some("kebab-case"), true),
            "in-progress"
        );
        assert_eq!(serde_case("Webhook", Some("lowercase"), true), "webhook");
        assert_eq!(
            rename_rule([("Get", "get"), ("Post", "post")].into_iter(), true),
            Some("lowercase")
        );
        assert_eq!(
            rename_rule(
                [("sid", "sid"), ("friendly_name", "friendlyName")].into_iter(),
                false
            ),
            Some("camelCase")
        );
        assert_eq!(rename_rule([("sid", "sid")].into_iter(), false), None);
    }
}

//! Static types of runtime expressions, derived from JSON Schemas (workflow inputs, OpenAPI
//! request and response bodies). The generator reads them to type workflow outputs; the checks
//! use them to spot comparisons that can never hold and pointers that lead nowhere.

mod example;
mod infer;
pub mod presence;
mod schema;
mod success;

pub use infer::{Typer, literal_type};
pub use schema::{SchemaHome, Walk};
pub use success::{response_key, statuses as success_statuses};

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    Integer,
    Number,
    String,
    Boolean,
    Array(Box<ValueType>),
    Object,
    /// Nothing provable: any JSON value.
    Json,
}

/// A type, and whether the value may be `null` or absent.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueType {
    pub ty: Type,
    pub nullable: bool,
}

impl ValueType {
    pub const fn new(ty: Type) -> Self {
        ValueType {
            ty,
            nullable: false,
        }
    }

    pub const fn json() -> Self {
        ValueType {
            ty: Type::Json,
            nullable: true,
        }
    }

    pub fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ty {
            Type::Integer => f.write_str("integer")?,
            Type::Number => f.write_str("number")?,
            Type::String => f.write_str("string")?,
            Type::Boolean => f.write_str("boolean")?,
            Type::Array(item) => write!(f, "array<{item}>")?,
            Type::Object => f.write_str("object")?,
            Type::Json => return f.write_str("json"),
        }
        if self.nullable {
            f.write_str("?")?;
        }
        Ok(())
    }
}

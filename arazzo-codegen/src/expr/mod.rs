//! Runtime expressions, `{$…}` templates and `simple` conditions: parsed with a real grammar at
//! build time, located to the character, never evaluated from text at run time.

pub mod ast;
pub mod condition;
mod display;
pub mod embedded;
pub mod jsonpath;
pub mod parse;
pub mod selector;
pub mod xpath;

pub use ast::*;
pub use parse::{ExprError, expression, expression_in_text, string_value};

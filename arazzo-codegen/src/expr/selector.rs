//! Selector Objects (Arazzo 1.1) read for the later stages: the context expression, and the
//! query as what it is at run time: a JSON pointer (a `jsonpointer` selector, or a JSONPath
//! that names one node), a JSONPath query, or an XPath expression.

use super::jsonpath::{GOESSNER, from_goessner, singular_pointer};
use super::{ExprError, Expression, expression};
use crate::model::Selector;
use crate::node::{Node, pointer};

#[derive(Debug, Clone, PartialEq)]
pub enum SelectorQuery {
    /// RFC 6901 tokens into the context.
    Pointer(Vec<String>),
    /// An RFC 9535 query (Goessner's form already rewritten), selecting more than one node or
    /// by a filter.
    JsonPath(String),
    /// An XPath expression on the context's XML text; `version` as written (`xpath-31` when not).
    XPath { query: String, version: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSelector {
    pub context: Expression,
    pub query: SelectorQuery,
}

/// What is wrong with a selector, and which of its fields says so.
#[derive(Debug, Clone)]
pub enum SelectorError {
    Context(ExprError),
    Query(String),
}

/// The selector's `type`: its kind and, from an Expression Type Object, its version.
pub fn kind_of(node: &Node) -> Option<(&str, Option<&str>)> {
    match node.as_str() {
        Some(kind) => Some((kind, None)),
        None => Some((node.get("type")?.as_str()?, node.get("version")?.as_str())),
    }
}

pub fn parse(s: &Selector<'_>) -> Result<ParsedSelector, SelectorError> {
    let context_text = s.context.as_str().unwrap_or_default();
    let context = expression(context_text).map_err(SelectorError::Context)?;
    let text = s.selector.as_str().unwrap_or_default();
    let query = match kind_of(s.kind) {
        Some(("jsonpointer", _)) => SelectorQuery::Pointer(
            pointer::parse(text).map_err(|e| SelectorError::Query(e.to_string()))?,
        ),
        Some(("jsonpath", version)) => {
            let query = match version {
                Some(GOESSNER) => from_goessner(text.trim()),
                _ => text.trim().to_owned(),
            };
            serde_json_path::JsonPath::parse(&query).map_err(|e| {
                SelectorError::Query(format!("invalid JSONPath query: {}", e.message()))
            })?;
            match singular_pointer(&query) {
                Some(tokens) => SelectorQuery::Pointer(tokens),
                None => SelectorQuery::JsonPath(query),
            }
        }
        Some(("xpath", version)) => {
            super::xpath::check(text).map_err(|e| {
                SelectorError::Query(format!("invalid XPath expression: {}", e.message))
            })?;
            SelectorQuery::XPath {
                query: text.to_owned(),
                version: version.unwrap_or("xpath-31").to_owned(),
            }
        }
        _ => return Err(SelectorError::Query("unknown selector type".to_owned())),
    };
    Ok(ParsedSelector { context, query })
}

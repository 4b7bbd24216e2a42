//! Arazzo 1.1's Selector Object and Expression Type Object: a query (JSONPath, XPath or a JSON
//! pointer) applied to the value a runtime expression names.

use super::Spanned;
use crate::node::{Node, Value};

/// What kind of query a selector, a criterion or a payload replacement's target is.
#[derive(Debug, Clone, PartialEq)]
pub enum ExpressionType {
    /// `rfc9535` (the default) or `draft-goessner-dispatch-jsonpath-00`.
    JsonPath { version: Option<Spanned<String>> },
    /// `xpath-31` (the default), `xpath-30`, `xpath-20` or `xpath-10`.
    XPath { version: Option<Spanned<String>> },
    /// RFC 6901.
    JsonPointer,
}

/// `{context, selector, type}` where a value is expected (1.1 documents only).
#[derive(Debug, Clone)]
pub struct Selector<'n> {
    pub node: &'n Node,
    /// The runtime expression naming the structured data.
    pub context: &'n Node,
    pub selector: &'n Node,
    pub kind: &'n Node,
}

impl<'n> Selector<'n> {
    /// `node` as a Selector Object: a mapping whose fields are `context`, `selector`, `type` and
    /// `x-` extensions only, with `context` and `selector` strings.
    pub fn of(node: &'n Node) -> Option<Self> {
        let map = node.as_map()?;
        let only_selector_fields = map.entries.iter().all(|e| {
            matches!(e.key.as_str(), "context" | "selector" | "type") || e.key.starts_with("x-")
        });
        let (context, selector, kind) =
            (map.get("context")?, map.get("selector")?, map.get("type")?);
        (only_selector_fields
            && matches!(context.value, Value::String(_))
            && matches!(selector.value, Value::String(_)))
        .then_some(Selector {
            node,
            context,
            selector,
            kind,
        })
    }
}

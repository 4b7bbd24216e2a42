//! XPath criteria and Selector Objects (Arazzo `xpath`, 1.0 and 1.1) on XML text, such as an
//! XML response body. With the `xpath` feature they are evaluated by `xee-xpath`, an XPath 3.1
//! engine (queries written for `xpath-10`, `-20` or `-30` run on it too). Without the feature
//! the types still exist, so that a generated module that uses XPath fails to compile with one
//! clear message (see [`require_xpath`]) instead of a list of missing items.
//!
//! Following the specification's evaluation-errors rule, a query that cannot be evaluated (the
//! context is not XML text, the XML does not parse, the query raises an error) selects nothing
//! and does not hold; the run goes on.

use serde_json::Value;

/// The query of an `xpath` criterion or selector, compiled on first use in each thread (the
/// engine's compiled queries cannot be shared between threads). It was compiled at build
/// time too, where the generator has the `xpath` feature. Generated code holds one in a
/// `static`.
#[derive(Debug)]
pub struct XPath {
    source: &'static str,
}

impl XPath {
    pub const fn new(source: &'static str) -> Self {
        XPath { source }
    }

    /// Whether the query holds on the context's XML: the effective boolean value of what it
    /// returns (a non-empty node list, `true()`, a non-zero number, a non-empty string).
    pub fn matches(&self, context: Option<&Value>) -> bool {
        engine::matches(Query::Static(self.source), context)
    }

    /// What a Selector Object with this query selects: one item, or a list when it returns
    /// several; nothing when it returns nothing. Nodes are their string value (an element's
    /// text, an attribute's value); booleans and numbers are JSON booleans and numbers.
    pub fn select(&self, context: Option<&Value>) -> Option<Value> {
        engine::select(Query::Static(self.source), context)
    }

    /// A payload replacement whose target is this query (`targetSelectorType: xpath`): in the
    /// XML text of `body`, every element it selects gets the value as its only content, and
    /// every attribute or text node it selects gets the value as its text. Nothing changes
    /// where it selects nothing, or when the body is not XML; an absent value changes nothing.
    pub fn replace_all(&self, body: &mut Value, value: Option<Value>) {
        if let Some(value) = value {
            engine::replace_all(self.source, body, &crate::criteria::text(&value));
        }
    }
}

/// Whether an `xpath` condition built at run time (1.1, with embedded runtime expressions)
/// holds on the context's XML.
pub fn xpath_matches(query: Option<String>, context: Option<&Value>) -> bool {
    match query {
        Some(query) => engine::matches(Query::Built(&query), context),
        None => false,
    }
}

/// A query of generated code (compiled once per thread) or one built at run time (compiled
/// for this evaluation only, so no cache grows with the values a run sees).
#[cfg_attr(not(feature = "xpath"), allow(dead_code))]
enum Query<'q> {
    Static(&'static str),
    Built(&'q str),
}

/// Implemented when this crate is built with its `xpath` feature.
#[diagnostic::on_unimplemented(
    message = "this workflow evaluates XPath, and arazzo-runtime is built without its `xpath` feature",
    label = "XPath criteria or selectors are generated in this module",
    note = "enable it in Cargo.toml: `arazzo-runtime = {{ version = \"…\", features = [\"xpath\"] }}`"
)]
pub trait XPathEnabled {}

/// The features this build of the runtime has.
pub struct Features;

#[cfg(feature = "xpath")]
impl XPathEnabled for Features {}

/// Generated modules that use XPath call this in a constant, so that a build without the
/// `xpath` feature stops with [`XPathEnabled`]'s message.
pub const fn require_xpath<T: XPathEnabled>() {}

#[cfg(not(feature = "xpath"))]
mod engine {
    use super::Query;
    use serde_json::Value;

    pub fn matches(_: Query<'_>, _: Option<&Value>) -> bool {
        false
    }

    pub fn select(_: Query<'_>, _: Option<&Value>) -> Option<Value> {
        None
    }

    pub fn replace_all(_: &'static str, _: &mut Value, _: &str) {}
}

#[cfg(feature = "xpath")]
mod engine {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use serde_json::Value;
    use xee_xpath::query::SequenceQuery;
    use xee_xpath::{Atomic, Documents, Item, Queries, Query as _, Sequence};

    use super::Query;

    thread_local! {
        /// Queries of generated code, by their text: as many as the statics that name them.
        static COMPILED: RefCell<HashMap<&'static str, Option<SequenceQuery>>> =
            RefCell::new(HashMap::new());
    }

    pub fn matches(query: Query<'_>, context: Option<&Value>) -> bool {
        evaluate(query, context, |sequence, _, _| {
            sequence.effective_boolean_value().ok()
        })
        .unwrap_or(false)
    }

    pub fn select(query: Query<'_>, context: Option<&Value>) -> Option<Value> {
        evaluate(query, context, |sequence, documents, _| {
            let mut items = sequence
                .iter()
                .map(|item| json(&item, documents))
                .collect::<Option<Vec<Value>>>()?;
            match items.len() {
                0 => None,
                1 => items.pop(),
                _ => Some(Value::Array(items)),
            }
        })
    }

    pub fn replace_all(source: &'static str, body: &mut Value, text: &str) {
        let replaced = evaluate(
            Query::Static(source),
            Some(body),
            |sequence, documents, root| {
                let nodes: Vec<xot::Node> = sequence
                    .iter()
                    .filter_map(|item| match item {
                        Item::Node(node) => Some(node),
                        _ => None,
                    })
                    .collect();
                if nodes.is_empty() {
                    return None;
                }
                let xot = documents.xot_mut();
                for node in nodes {
                    set_text(xot, node, text)?;
                }
                xot.to_string(root).ok()
            },
        );
        if let Some(xml) = replaced {
            *body = Value::String(xml);
        }
    }

    /// `node`'s text becomes `text`: an element's whole content, an attribute's value.
    fn set_text(xot: &mut xot::Xot, node: xot::Node, text: &str) -> Option<()> {
        match xot.value_mut(node) {
            xot::Value::Attribute(attribute) => attribute.set_value(text),
            xot::Value::Text(t) => t.set(text),
            xot::Value::Element(_) => {
                let children: Vec<xot::Node> = xot.children(node).collect();
                for child in children {
                    xot.remove(child).ok()?;
                }
                xot.append_text(node, text).ok()?;
            }
            _ => return None,
        }
        Some(())
    }

    fn evaluate<R>(
        query: Query<'_>,
        context: Option<&Value>,
        read: impl FnOnce(&Sequence, &mut Documents, xot::Node) -> Option<R>,
    ) -> Option<R> {
        let Some(Value::String(xml)) = context else {
            return None;
        };
        let mut documents = Documents::new();
        let (document, root) = match documents.add_string_without_uri(xml) {
            Ok(document) => (document, documents.document_node(document)?),
            Err(e) => {
                tracing::warn!(error = %e, "an XPath query's context is not well-formed XML; it selects nothing");
                return None;
            }
        };
        let run = |compiled: &SequenceQuery, documents: &mut Documents| match compiled
            .execute(documents, document)
        {
            Ok(sequence) => read(&sequence, documents, root),
            Err(e) => {
                tracing::warn!(error = %e, "an XPath query raised an error; it selects nothing");
                None
            }
        };
        match query {
            Query::Static(source) => COMPILED.with(|cache| {
                let mut cache = cache.borrow_mut();
                let compiled = cache.entry(source).or_insert_with(|| compile(source));
                run(compiled.as_ref()?, &mut documents)
            }),
            Query::Built(source) => run(&compile(source)?, &mut documents),
        }
    }

    fn compile(source: &str) -> Option<SequenceQuery> {
        match Queries::default().sequence(source) {
            Ok(compiled) => Some(compiled),
            Err(e) => {
                tracing::warn!(query = source, error = %e, "an XPath query could not be compiled; it selects nothing");
                None
            }
        }
    }

    fn json(item: &Item, documents: &Documents) -> Option<Value> {
        Some(match item {
            Item::Atomic(Atomic::Boolean(b)) => Value::Bool(*b),
            Item::Atomic(Atomic::Integer(_, n)) => match i64::try_from(n.as_ref()) {
                Ok(n) => Value::from(n),
                Err(_) => Value::String(n.to_string()),
            },
            Item::Atomic(Atomic::Double(f)) => number(f.0),
            Item::Atomic(Atomic::Float(f)) => number(f64::from(f.0)),
            Item::Atomic(Atomic::Decimal(d)) => match d.to_string().parse::<f64>() {
                Ok(f) => number(f),
                Err(_) => Value::String(d.to_string()),
            },
            other => Value::String(other.string_value(documents.xot()).ok()?),
        })
    }

    /// A finite double as a JSON number (integral values as integers); NaN and the
    /// infinities, which JSON has no number for, as XPath writes them.
    fn number(f: f64) -> Value {
        if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 {
            Value::from(f as i64)
        } else {
            serde_json::Number::from_f64(f).map_or_else(
                || {
                    Value::String(if f.is_nan() {
                        "NaN".to_owned()
                    } else if f > 0.0 {
                        "INF".to_owned()
                    } else {
                        "-INF".to_owned()
                    })
                },
                Value::Number,
            )
        }
    }
}

#[cfg(all(test, feature = "xpath"))]
mod tests {
    use super::*;
    use serde_json::json;

    const ORDER: &str = r#"<order id="42"><status>shipped</status><item sku="a" price="2.5"/><item sku="b" price="4"/></order>"#;

    fn xml() -> Option<Value> {
        Some(Value::String(ORDER.to_owned()))
    }

    #[test]
    fn criteria_hold_on_their_effective_boolean_value() {
        static SHIPPED: XPath = XPath::new("/order/status = 'shipped'");
        static CHEAP: XPath = XPath::new("//item[@price < 1]");
        static ITEMS: XPath = XPath::new("count(//item)");
        assert!(SHIPPED.matches(xml().as_ref()));
        assert!(!CHEAP.matches(xml().as_ref()));
        assert!(ITEMS.matches(xml().as_ref()));
    }

    #[test]
    fn selectors_give_json_values() {
        static ID: XPath = XPath::new("/order/@id");
        static SKUS: XPath = XPath::new("//item/@sku");
        static TOTAL: XPath = XPath::new("sum(//item/@price)");
        static NONE: XPath = XPath::new("//missing");
        assert_eq!(ID.select(xml().as_ref()), Some(json!("42")));
        assert_eq!(SKUS.select(xml().as_ref()), Some(json!(["a", "b"])));
        assert_eq!(TOTAL.select(xml().as_ref()), Some(json!(6.5)));
        assert_eq!(NONE.select(xml().as_ref()), None);
    }

    #[test]
    fn replacements_write_text_into_the_xml() {
        static STATUS: XPath = XPath::new("/order/status");
        static PRICES: XPath = XPath::new("//item/@price");
        static NONE: XPath = XPath::new("//missing");
        let mut body =
            json!("<order><status>new<b/></status><item price='1'/><item price='2'/></order>");
        STATUS.replace_all(&mut body, Some(json!("paid & <sent>")));
        PRICES.replace_all(&mut body, Some(json!(3)));
        assert_eq!(
            body,
            json!(
                r#"<order><status>paid &amp; &lt;sent&gt;</status><item price="3"/><item price="3"/></order>"#
            )
        );
        let before = body.clone();
        NONE.replace_all(&mut body, Some(json!("x")));
        STATUS.replace_all(&mut body, None);
        assert_eq!(body, before);
        let mut not_xml = json!({"status": "new"});
        STATUS.replace_all(&mut not_xml, Some(json!("paid")));
        assert_eq!(not_xml, json!({"status": "new"}));
    }

    #[test]
    fn what_cannot_be_evaluated_selects_nothing() {
        static STATUS: XPath = XPath::new("/order/status");
        static BROKEN: XPath = XPath::new("/order/[");
        assert!(!STATUS.matches(Some(&json!({"order": {"status": "shipped"}}))));
        assert!(!STATUS.matches(Some(&json!("<order><status>"))));
        assert!(!STATUS.matches(Some(&json!("<!DOCTYPE x [<!ENTITY a 'b'>]><order/>"))));
        assert!(!BROKEN.matches(xml().as_ref()));
        assert!(!STATUS.matches(None));
        assert!(xpath_matches(
            Some("/order/@id = '42'".to_owned()),
            xml().as_ref()
        ));
        assert!(!xpath_matches(
            Some("/order/@id = ".to_owned()),
            xml().as_ref()
        ));
    }
}

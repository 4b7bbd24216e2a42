//! A payload as written in a step against the schema of what it becomes: literals of the wrong
//! type, members the schema rules out, required members missing, values outside an `enum`.
//! Runtime expressions are typed like everywhere else and checked by their type.

use std::collections::{HashMap, HashSet};

use super::types::a_kind;
use crate::expr::StringValue;
use crate::model::{Step, Workflow};
use crate::node::{Node, Value};
use crate::source_map::Span;
use crate::suggest;
use crate::types::{SchemaHome, Type, Typer, ValueType, literal_type};

/// One way a payload does not fit.
#[derive(Debug, Clone)]
pub struct Misfit {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// Checks payloads written in one step.
pub struct PayloadCheck<'a, 'p> {
    pub typer: &'a Typer<'p>,
    pub doc: crate::load::ArazzoId,
    pub workflow: &'p Workflow,
    pub step: &'p Step,
    /// Replacements may add members later: required ones are not asked for.
    pub replaced: bool,
}

const MAX_DEPTH: usize = 32;

/// What one payload check has done: the (value, schema) pairs it has reported on, and whether a
/// value fits a branch, for each pair tried.
#[derive(Default)]
struct Memo {
    checked: HashSet<(*const Node, *const Node)>,
    fits: HashMap<(*const Node, *const Node), bool>,
}

impl<'p> PayloadCheck<'_, 'p> {
    /// Every way `value` does not fit `schema`.
    pub fn misfits(&self, value: &Node, home: SchemaHome<'p>, schema: &'p Node) -> Vec<Misfit> {
        let mut out = Vec::new();
        let mut memo = Memo::default();
        self.check(value, home, schema, "the payload", 0, &mut memo, &mut out);
        out
    }

    /// Whether `value` fits `schema`, once for each pair.
    fn fits_branch(
        &self,
        value: &Node,
        home: SchemaHome<'p>,
        schema: &'p Node,
        depth: usize,
        memo: &mut Memo,
    ) -> bool {
        let Some((home, schema)) = home.follow(schema) else {
            return true;
        };
        let key = (value as *const Node, schema as *const Node);
        if let Some(&fits) = memo.fits.get(&key) {
            return fits;
        }
        // A branch that comes back to itself while it is tried is taken to fit there.
        memo.fits.insert(key, true);
        let mut trial = Memo {
            fits: std::mem::take(&mut memo.fits),
            checked: HashSet::new(),
        };
        let mut misfits = Vec::new();
        self.check(value, home, schema, "", depth, &mut trial, &mut misfits);
        memo.fits = trial.fits;
        memo.fits.insert(key, misfits.is_empty());
        misfits.is_empty()
    }

    #[allow(clippy::too_many_arguments)]
    fn check(
        &self,
        value: &Node,
        home: SchemaHome<'p>,
        schema: &'p Node,
        what: &str,
        depth: usize,
        memo: &mut Memo,
        out: &mut Vec<Misfit>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        crate::work::add(1);
        let Some((home, schema)) = home.follow(schema) else {
            return;
        };
        // The same value against the same schema, reached another way (a schema that several
        // `allOf` parts share): what it finds is said once.
        if !memo
            .checked
            .insert((value as *const Node, schema as *const Node))
        {
            return;
        }
        if let Some(all) = schema.get("allOf").and_then(Node::as_seq) {
            for branch in all {
                self.check(value, home, branch, what, depth + 1, memo, out);
            }
        }
        for key in ["oneOf", "anyOf"] {
            let Some(branches) = schema.get(key).and_then(Node::as_seq) else {
                continue;
            };
            let fits_one = branches
                .iter()
                .any(|b| self.fits_branch(value, home, b, depth + 1, memo));
            if !fits_one && !branches.is_empty() {
                out.push(Misfit {
                    span: value.span,
                    message: format!(
                        "{what} fits none of the {} schemas its `{key}` allows",
                        branches.len()
                    ),
                    help: None,
                });
                return;
            }
        }
        let given = match &value.value {
            Value::String(text) => match crate::expr::string_value(text) {
                Ok(StringValue::Expression(e)) => {
                    self.typer
                        .type_of(self.doc, self.workflow, Some(self.step), &e)
                }
                _ => ValueType::new(Type::String),
            },
            _ => literal_type(value),
        };
        let wanted = home.type_of(schema);
        if !fits(&given, &wanted) {
            out.push(Misfit {
                span: value.span,
                message: format!(
                    "{what} is {}, where the schema wants {}",
                    a_kind(&given),
                    a_kind(&wanted)
                ),
                help: None,
            });
            return;
        }
        if let Some(allowed) = schema.get("enum").and_then(Node::as_seq)
            && is_literal(value)
            && !allowed.iter().any(|a| a.to_json() == value.to_json())
        {
            let shown: Vec<String> = allowed.iter().map(|a| a.to_json().to_string()).collect();
            out.push(Misfit {
                span: value.span,
                message: format!("{what} is not one of the values the schema allows"),
                help: Some(format!("allowed: {}", shown.join(", "))),
            });
        }
        match &value.value {
            Value::Map(map) => self.members(map, value.span, home, schema, depth, memo, out),
            Value::Seq(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        let what = format!("item {i}");
                        self.check(item, home, item_schema, &what, depth + 1, memo, out);
                    }
                }
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn members(
        &self,
        map: &crate::node::Map,
        span: Span,
        home: SchemaHome<'p>,
        schema: &'p Node,
        depth: usize,
        memo: &mut Memo,
        out: &mut Vec<Misfit>,
    ) {
        let props = schema.get("properties").and_then(Node::as_map);
        for e in &map.entries {
            let what = format!("member `{}`", e.key);
            match props.and_then(|p| p.get(&e.key)) {
                Some(sub) => self.check(&e.value, home, sub, &what, depth + 1, memo, out),
                None => match schema.get("additionalProperties") {
                    Some(extra) if extra.as_map().is_some() => {
                        self.check(&e.value, home, extra, &what, depth + 1, memo, out);
                    }
                    Some(extra) if extra.value == Value::Bool(false) => {
                        let keys: Vec<&str> = props.map(|p| p.keys().collect()).unwrap_or_default();
                        out.push(Misfit {
                            span: e.key_span,
                            message: format!(
                                "member `{}` is not in the schema, which allows no others",
                                e.key
                            ),
                            help: suggest::did_you_mean(&e.key, keys.iter().copied()),
                        });
                    }
                    _ => {}
                },
            }
        }
        if self.replaced {
            return;
        }
        for required in schema
            .get("required")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(Node::as_str)
        {
            if map.get(required).is_none() {
                out.push(Misfit {
                    span,
                    message: format!("the schema requires member `{required}`, which is missing"),
                    help: Some(format!("add `{required}`")),
                });
            }
        }
    }
}

fn is_literal(node: &Node) -> bool {
    match &node.value {
        Value::String(text) => matches!(crate::expr::string_value(text), Ok(StringValue::Literal)),
        Value::Seq(_) | Value::Map(_) => false,
        _ => true,
    }
}

/// Whether a value of type `given` can stand where `wanted` is described.
pub fn fits(given: &ValueType, wanted: &ValueType) -> bool {
    match (&given.ty, &wanted.ty) {
        (Type::Json, _) | (_, Type::Json) => true,
        (Type::Integer, Type::Number) => true,
        (Type::Array(_), Type::Array(_)) => true,
        (a, b) => a == b,
    }
}

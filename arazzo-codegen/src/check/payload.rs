//! A payload as written in a step against the schema of what it becomes: literals of the wrong
//! type, members the schema rules out, required members missing, values outside an `enum`.
//! Runtime expressions are typed like everywhere else and checked by their type.

use std::collections::{HashMap, HashSet};

use super::types::a_kind;
use crate::diagnostics::{Code, Diagnostic};
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
    /// The name of a member the schema does not declare but allows: sent as written, most
    /// likely a slip (`undeclared-member`, a warning). Without it, the value does not fit
    /// (`payload-schema`).
    pub undeclared: Option<String>,
}

impl Misfit {
    fn error(span: Span, message: String, help: Option<String>) -> Self {
        Misfit {
            span,
            message,
            help,
            undeclared: None,
        }
    }
}

/// Checks payloads written in one step.
pub struct PayloadCheck<'a, 'p> {
    pub typer: &'a Typer<'p>,
    pub doc: crate::load::ArazzoId,
    pub workflow: &'p Workflow,
    pub step: &'p Step,
    /// Replacements may add members later: required ones are not asked for.
    pub replaced: bool,
    /// A 1.1 document: a `{context, selector, type}` value is a Selector Object, whose value
    /// is only known when it runs.
    pub selectors: bool,
    /// A form or multipart body: every scalar goes out as text, so a string stands for a
    /// number or a boolean (and one value for a list of them) as well as its text does.
    pub textual: bool,
}

const MAX_DEPTH: usize = 32;

/// What one payload check has done: the (value, schema) pairs it has reported on, and whether a
/// value fits a branch, for each pair tried.
#[derive(Default)]
struct Memo {
    checked: HashSet<(*const Node, *const Node)>,
    fits: HashMap<(*const Node, *const Node), bool>,
    /// Objects checked against a composed schema (`allOf`, `oneOf`, `anyOf`): a member one
    /// part does not declare may be another's, so none is called undeclared.
    composed: HashSet<*const crate::node::Map>,
}

impl<'p> PayloadCheck<'_, 'p> {
    /// Every way `value` does not fit `schema`.
    pub fn misfits(&self, value: &Node, home: SchemaHome<'p>, schema: &'p Node) -> Vec<Misfit> {
        self.misfits_of("the payload", value, home, schema)
    }

    /// [`Self::misfits`], naming the value `what` (`the replacement for /x`).
    pub fn misfits_of(
        &self,
        what: &str,
        value: &Node,
        home: SchemaHome<'p>,
        schema: &'p Node,
    ) -> Vec<Misfit> {
        let mut out = Vec::new();
        let mut memo = Memo::default();
        self.check(value, home, schema, what, 0, &mut memo, &mut out);
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
            composed: std::mem::take(&mut memo.composed),
        };
        let mut misfits = Vec::new();
        self.check(value, home, schema, "", depth, &mut trial, &mut misfits);
        memo.fits = trial.fits;
        memo.composed = trial.composed;
        // An undeclared member is a warning, not a misfit: the branch still fits.
        let fit = misfits.iter().all(|m| m.undeclared.is_some());
        memo.fits.insert(key, fit);
        fit
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
        if self.selectors && crate::model::Selector::of(value).is_some() {
            return;
        }
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
        if let Value::Map(map) = &value.value
            && ["allOf", "oneOf", "anyOf"]
                .iter()
                .any(|k| schema.get(k).is_some())
        {
            memo.composed.insert(map as *const crate::node::Map);
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
                out.push(Misfit::error(
                    value.span,
                    format!(
                        "{what} fits none of the {} schemas its `{key}` allows",
                        branches.len()
                    ),
                    None,
                ));
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
        let as_text = |t: &ValueType| match &t.ty {
            Type::Array(item) => !matches!(item.ty, Type::Object | Type::Array(_)),
            Type::Object => false,
            _ => true,
        };
        let sent_as_text = self.textual && as_text(&given) && as_text(&wanted);
        if !(fits(&given, &wanted) || sent_as_text) {
            out.push(Misfit::error(
                value.span,
                format!(
                    "{what} is {}, where the schema wants {}",
                    a_kind(&given),
                    a_kind(&wanted)
                ),
                input_fix(value, &wanted),
            ));
            return;
        }
        if let Some(allowed) = schema.get("enum").and_then(Node::as_seq)
            && is_literal(value)
            && !allowed.iter().any(|a| a.to_json() == value.to_json())
        {
            let shown: Vec<String> = allowed.iter().map(|a| a.to_json().to_string()).collect();
            out.push(Misfit::error(
                value.span,
                format!("{what} is not one of the values the schema allows"),
                Some(format!("allowed: {}", shown.join(", "))),
            ));
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
        let declared: Vec<&str> = props.map(|p| p.keys().collect()).unwrap_or_default();
        let required: Vec<&str> = if self.replaced {
            Vec::new()
        } else {
            schema
                .get("required")
                .and_then(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .filter_map(Node::as_str)
                .collect()
        };
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|r| map.get(r).is_none())
            .collect();
        // A member one slip away from a missing required one is that one, misspelt: said once,
        // on the member, as the missing one.
        let mut misspelt: HashMap<&str, &str> = HashMap::new();
        for e in &map.entries {
            if props.and_then(|p| p.get(&e.key)).is_none()
                && let Some(meant) = suggest::closest(&e.key, missing.iter().copied())
                && !misspelt.values().any(|m| *m == meant)
            {
                misspelt.insert(e.key.as_str(), meant);
            }
        }
        for e in &map.entries {
            let what = format!("member `{}`", e.key);
            if let Some(meant) = misspelt.get(e.key.as_str()) {
                out.push(Misfit::error(
                    e.key_span,
                    format!(
                        "the schema requires member `{meant}`, which is missing; `{}` is not declared",
                        e.key
                    ),
                    Some(format!("did you mean `{meant}`?")),
                ));
                continue;
            }
            match props.and_then(|p| p.get(&e.key)) {
                Some(sub) => self.check(&e.value, home, sub, &what, depth + 1, memo, out),
                None => match schema.get("additionalProperties") {
                    Some(extra) if extra.as_map().is_some() => {
                        self.check(&e.value, home, extra, &what, depth + 1, memo, out);
                    }
                    Some(extra) if extra.value == Value::Bool(false) => {
                        out.push(Misfit::error(
                            e.key_span,
                            format!(
                                "member `{}` is not in the schema, which allows no others",
                                e.key
                            ),
                            suggest::did_you_mean(&e.key, declared.iter().copied()),
                        ));
                    }
                    // Allowed, but declared nowhere: a schema that lists its members and says
                    // nothing of others most likely means these.
                    None if !declared.is_empty()
                        && schema.get("patternProperties").is_none()
                        && !memo.composed.contains(&(map as *const crate::node::Map)) =>
                    {
                        out.push(Misfit {
                            span: e.key_span,
                            message: format!("member `{}` is not declared by the schema", e.key),
                            help: suggest::did_you_mean(&e.key, declared.iter().copied()).or_else(
                                || {
                                    Some(format!(
                                        "it declares {}",
                                        suggest::list(declared.iter().copied())
                                    ))
                                },
                            ),
                            undeclared: Some(e.key.clone()),
                        });
                    }
                    _ => {}
                },
            }
        }
        for required in missing {
            if !misspelt.values().any(|m| *m == required) {
                out.push(Misfit::error(
                    span,
                    format!("the schema requires member `{required}`, which is missing"),
                    Some(format!("add `{required}`")),
                ));
            }
        }
    }
}

/// The warning of a member `schema_of` (what the payload becomes) does not declare.
pub fn undeclared(misfit: &Misfit, schema_of: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UndeclaredMember,
        format!("{} of {schema_of}", misfit.message),
    )
    .at(misfit.span)
    .label("sent as written, though the schema does not describe it")
    .help_opt(misfit.help.clone())
}

/// For a workflow input sent where the schema wants another type: the declaration to change.
fn input_fix(value: &Node, wanted: &ValueType) -> Option<String> {
    let name = value.as_str()?.strip_prefix("$inputs.")?;
    if wanted.ty == Type::Json {
        return None;
    }
    let keyword = super::types::kind(wanted);
    let plain = name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    plain.then(|| format!("declare input `{name}` with `type: {keyword}`"))
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

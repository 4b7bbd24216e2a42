//! Lowering parsed expressions and criteria into the intermediate form the generator emits.

use crate::expr::embedded::{EmbeddedPart, Language, Slot, embedded};
use crate::expr::jsonpath::comparison_dialect;
use crate::expr::selector::{self, SelectorError, SelectorQuery};
use crate::expr::{self, ExprError, Expression, Part, Root, Segment, StringValue, WorkflowField};
use crate::index::inputs::{declared_input_names, resolve_dotted};
use crate::load::ArazzoId;
use crate::model::{ArazzoVersion, Criterion, CriterionType, Selector, Step, StepTarget, Workflow};
use crate::node::{Node, Value};
use crate::settings::Settings;
use crate::types::{Typer, ValueType};

/// Where a value is read from at run time.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Url,
    Method,
    StatusCode,
    RequestHeader(String),
    RequestQuery(String),
    RequestPath(String),
    RequestBody,
    ResponseHeader(String),
    ResponseBody,
    /// `$message.payload` of the message a receive step got (1.1).
    MessagePayload,
    /// `$message.header.<name>`.
    MessageHeader(String),
    /// The workflow's inputs object; the input's name is the first pointer token. What the run
    /// holds decides how it is read: see [`Source::TypedInput`].
    Inputs,
    /// One field of the typed input (the input's name is no longer in the pointer); `None`:
    /// the workflow has no such input, so the value is absent.
    TypedInput {
        field: Option<String>,
    },
    /// The outputs object of the child workflow a step ran (`$outputs`).
    ChildOutputs,
    StepOutput {
        step: String,
        output: String,
        /// The run field that keeps it, once planned; `None`: nothing keeps it (absent).
        field: Option<String>,
    },
    WorkflowInputs {
        workflow: String,
    },
    WorkflowOutput {
        workflow: String,
        output: String,
    },
    /// A value known at build time (`$sourceDescriptions.<name>.url`, a component).
    Constant(serde_json::Value),
}

/// A typed reference to a run-time value: a source, then RFC 6901 tokens into it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRef {
    pub source: Source,
    pub pointer: Vec<String>,
    pub ty: ValueType,
    /// The expression as written (canonical form), for comments and error messages.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Value(ValueRef),
    Literal(serde_json::Value),
}

/// A criterion, ready to become Rust.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Any(Vec<Cond>),
    All(Vec<Cond>),
    Not(Box<Cond>),
    Compare {
        lhs: Operand,
        op: expr::CmpOp,
        rhs: Operand,
    },
    IsTrue(Operand),
    /// `$statusCode` against a status number: compared as the integers they are.
    Status {
        op: expr::CmpOp,
        value: u16,
    },
    /// A JSON pointer criterion: the pointer names a value.
    Exists(ValueRef),
    /// A `regex` or `jsonpath` condition with embedded runtime expressions (1.1): built, then
    /// compiled, at run time.
    Built {
        language: Language,
        value: ValueRef,
        parts: Vec<TemplatePart>,
    },
    /// The attempt finished within the step's `timeout`.
    Completed,
    /// `name`: the `static` holding the compiled pattern in the step's method.
    Regex {
        value: ValueRef,
        pattern: String,
        name: String,
    },
    /// `name`: the `static` holding the compiled query in the step's method.
    JsonPath {
        value: ValueRef,
        query: String,
        name: String,
    },
    /// An `xpath` condition on the value's XML text; `name` as for [`Cond::JsonPath`].
    XPath {
        value: ValueRef,
        query: String,
        name: String,
    },
}

/// A query compiled by its engine at run time, held in a `static`.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    JsonPath(String),
    XPath(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    Text(String),
    /// A value's text, escaped for where the template puts it.
    Value(ValueRef, Escape),
}

/// How a value embedded in a `{$…}` template is written, so that no value can change the
/// structure of what it is embedded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// Plain text (a string parameter or payload).
    None,
    /// A form-urlencoded component: inside a query string, a value cannot add a pair.
    Form,
    /// A value embedded in a condition's query (1.1): written as its place there requires.
    Query(Language, Slot),
}

impl Lowered {
    /// Escapes every value a template embeds as `escape` says.
    pub fn escaped(mut self, escape: Escape) -> Self {
        if let Lowered::Template(parts) = &mut self {
            for part in parts {
                if let TemplatePart::Value(_, e) = part {
                    *e = escape;
                }
            }
        }
        self
    }
}

/// A parameter value, payload or output: literal JSON with expression leaves.
#[derive(Debug, Clone, PartialEq)]
pub enum Lowered {
    Literal(serde_json::Value),
    Value(ValueRef),
    Template(Vec<TemplatePart>),
    Array(Vec<Lowered>),
    Object(Vec<(String, Lowered)>),
    /// A Selector Object's JSONPath or XPath query on a value (1.1): what it selects, a list
    /// when it selects several. JSONPath selectors that name one node are [`Lowered::Value`].
    /// `name`: the `static` holding the compiled query.
    Select {
        value: ValueRef,
        query: Query,
        name: String,
    },
}

impl Lowered {
    /// Calls `f` with the name of every compiled query in the value.
    pub fn query_names_mut(&mut self, f: &mut dyn FnMut(&mut String)) {
        match self {
            Lowered::Select { name, .. } => f(name),
            Lowered::Array(items) => items.iter_mut().for_each(|i| i.query_names_mut(f)),
            Lowered::Object(entries) => entries.iter_mut().for_each(|(_, v)| v.query_names_mut(f)),
            Lowered::Literal(_) | Lowered::Value(_) | Lowered::Template(_) => {}
        }
    }

    /// Every `(static name, query)` of the value's compiled queries.
    pub fn queries(&self, out: &mut Vec<(String, Query)>) {
        match self {
            Lowered::Select { name, query, .. } => out.push((name.clone(), query.clone())),
            Lowered::Array(items) => items.iter().for_each(|i| i.queries(out)),
            Lowered::Object(entries) => entries.iter().for_each(|(_, v)| v.queries(out)),
            Lowered::Literal(_) | Lowered::Value(_) | Lowered::Template(_) => {}
        }
    }
}

/// An error about a query, which is not a runtime expression.
fn outside_expression(message: String) -> ExprError {
    let mut e = ExprError::new(message, 0..0);
    e.in_expression = false;
    e
}

/// Lowers the expressions of one workflow.
pub struct Lowerer<'p> {
    pub typer: &'p Typer<'p>,
    pub settings: &'p Settings,
    /// Index of the workflow's document in the project.
    pub doc: ArazzoId,
    pub workflow: &'p Workflow,
}

impl<'p> Lowerer<'p> {
    /// A value tree as written in a step (`step` is `None` at workflow level).
    pub fn value(&self, node: &Node, step: Option<&'p Step>) -> Result<Lowered, ExprError> {
        if self.is_1_1()
            && let Some(s) = Selector::of(node)
        {
            return self.selector(&s, step);
        }
        Ok(match &node.value {
            Value::String(text) => match expr::string_value(text)? {
                StringValue::Literal => Lowered::Literal(node.to_json()),
                StringValue::Expression(e) => Lowered::Value(self.expression(&e, step)),
                StringValue::Template(parts) => Lowered::Template(
                    parts
                        .into_iter()
                        .map(|p| match p {
                            expr::TemplatePart::Literal(t) => TemplatePart::Text(t),
                            expr::TemplatePart::Expression(e) => {
                                TemplatePart::Value(self.expression(&e, step), Escape::None)
                            }
                        })
                        .collect(),
                ),
            },
            // A list or object with no expression in it is one literal.
            Value::Seq(items) => {
                let items: Vec<Lowered> = items
                    .iter()
                    .map(|n| self.value(n, step))
                    .collect::<Result<_, _>>()?;
                if items.iter().all(|i| matches!(i, Lowered::Literal(_))) {
                    Lowered::Literal(node.to_json())
                } else {
                    Lowered::Array(items)
                }
            }
            Value::Map(map) => {
                let entries: Vec<(String, Lowered)> = map
                    .entries
                    .iter()
                    .map(|e| Ok((e.key.clone(), self.value(&e.value, step)?)))
                    .collect::<Result<_, ExprError>>()?;
                if entries
                    .iter()
                    .all(|(_, v)| matches!(v, Lowered::Literal(_)))
                {
                    Lowered::Literal(node.to_json())
                } else {
                    Lowered::Object(entries)
                }
            }
            _ => Lowered::Literal(node.to_json()),
        })
    }

    fn is_1_1(&self) -> bool {
        self.typer
            .project
            .arazzo
            .get(self.doc.0)
            .is_some_and(|d| d.document.version >= ArazzoVersion::V1_1)
    }

    /// A Selector Object: a pointer into its context where it names one node, else a query.
    fn selector(&self, s: &Selector<'_>, step: Option<&'p Step>) -> Result<Lowered, ExprError> {
        let parsed = selector::parse(s).map_err(|e| match e {
            SelectorError::Context(e) => e,
            SelectorError::Query(message) => outside_expression(message),
        })?;
        match parsed.query {
            SelectorQuery::Pointer(tokens) => {
                let mut e = parsed.context;
                let mut pointer = e.pointer.take().map(|p| p.tokens).unwrap_or_default();
                pointer.extend(tokens);
                e.pointer = Some(expr::Pointer {
                    tokens: pointer,
                    range: e.range.end..e.range.end,
                });
                Ok(Lowered::Value(self.expression(&e, step)))
            }
            SelectorQuery::JsonPath(query) => Ok(Lowered::Select {
                value: self.expression(&parsed.context, step),
                query: Query::JsonPath(query),
                name: String::new(),
            }),
            SelectorQuery::XPath { query, .. } => Ok(Lowered::Select {
                value: self.expression(&parsed.context, step),
                query: Query::XPath(query),
                name: String::new(),
            }),
        }
    }

    /// One expression as a typed reference.
    pub fn expression(&self, e: &Expression, step: Option<&'p Step>) -> ValueRef {
        let ty = self.typer.type_of(self.doc, self.workflow, step, e);
        let mut pointer = Vec::new();
        let source = match &e.root {
            Root::Url => Source::Url,
            Root::Method => Source::Method,
            Root::StatusCode => Source::StatusCode,
            Root::Request { part, name } => {
                let n = name.as_ref().map(|n| n.text.clone()).unwrap_or_default();
                match part {
                    Part::Header => Source::RequestHeader(n),
                    Part::Query => Source::RequestQuery(n),
                    Part::Path => Source::RequestPath(n),
                    Part::Body | Part::Payload => Source::RequestBody,
                }
            }
            Root::Response { part, name } => match part {
                Part::Body => Source::ResponseBody,
                _ => Source::ResponseHeader(
                    name.as_ref().map(|n| n.text.clone()).unwrap_or_default(),
                ),
            },
            Root::AllInputs => Source::Inputs,
            Root::Inputs(name) => {
                let declared = declared_input_names(self.typer.project, self.doc, self.workflow);
                pointer.extend(split(&name.text, &declared));
                Source::Inputs
            }
            Root::Outputs(name) => {
                let outputs = self.child_outputs(step);
                pointer.extend(split(&name.text, &outputs));
                Source::ChildOutputs
            }
            Root::StepOutput { step: id, output } => {
                let names: Vec<String> = self
                    .workflow
                    .steps
                    .iter()
                    .find(|s| s.step_id.value == id.text)
                    .map(|s| s.outputs.iter().map(|o| o.name.value.clone()).collect())
                    .unwrap_or_default();
                let mut tokens = split(&output.text, &names).into_iter();
                let first = tokens.next().unwrap_or_default();
                pointer.extend(tokens);
                Source::StepOutput {
                    step: id.text.clone(),
                    output: first,
                    field: None,
                }
            }
            Root::Workflow {
                workflow,
                field,
                name,
            } => {
                let other = self.typer.project.arazzo.get(self.doc.0).and_then(|d| {
                    d.document
                        .workflows
                        .iter()
                        .find(|w| w.workflow_id.value == workflow.text)
                });
                match field {
                    WorkflowField::Inputs => {
                        let declared = other
                            .map(|w| declared_input_names(self.typer.project, self.doc, w))
                            .unwrap_or_default();
                        pointer.extend(split(&name.text, &declared));
                        Source::WorkflowInputs {
                            workflow: workflow.text.clone(),
                        }
                    }
                    WorkflowField::Outputs => {
                        let names: Vec<String> = other
                            .map(|w| w.outputs.iter().map(|o| o.name.value.clone()).collect())
                            .unwrap_or_default();
                        let mut tokens = split(&name.text, &names).into_iter();
                        let first = tokens.next().unwrap_or_default();
                        pointer.extend(tokens);
                        Source::WorkflowOutput {
                            workflow: workflow.text.clone(),
                            output: first,
                        }
                    }
                }
            }
            Root::SourceDescription { source, reference } => {
                let url = self
                    .typer
                    .project
                    .arazzo
                    .get(self.doc.0)
                    .and_then(|d| {
                        d.document
                            .source_descriptions
                            .iter()
                            .find(|s| s.name.value == source.text)
                    })
                    .filter(|_| reference.text == "url")
                    .map(|s| s.url.value.clone());
                Source::Constant(serde_json::Value::String(
                    url.unwrap_or_else(|| reference.text.clone()),
                ))
            }
            Root::Component { .. } => Source::Constant(serde_json::Value::Null),
            Root::SelfUri => Source::Constant(
                self.typer
                    .project
                    .arazzo
                    .get(self.doc.0)
                    .and_then(|d| d.document.self_uri.as_ref())
                    .map_or(serde_json::Value::Null, |u| {
                        serde_json::Value::String(u.value.clone())
                    }),
            ),
            Root::Message {
                part: Part::Payload,
                ..
            } => Source::MessagePayload,
            Root::Message { name, .. } => {
                Source::MessageHeader(name.as_ref().map(|n| n.text.clone()).unwrap_or_default())
            }
        };
        pointer.extend(e.path.iter().map(|s| match s {
            Segment::Member(m) => m.clone(),
            Segment::Index(i) => i.to_string(),
        }));
        if let Some(p) = &e.pointer {
            pointer.extend(p.tokens.iter().cloned());
        }
        ValueRef {
            source,
            pointer,
            ty,
            text: e.to_string(),
        }
    }

    fn child_outputs(&self, step: Option<&'p Step>) -> Vec<String> {
        let Some(StepTarget::WorkflowId(id)) = step.and_then(|s| s.target.as_ref()) else {
            return Vec::new();
        };
        let resolver = crate::index::Resolver {
            project: self.typer.project,
            index: self.typer.index,
            doc: self.doc,
        };
        match resolver.workflow(id) {
            Ok(Some((_, child))) => child.outputs.iter().map(|o| o.name.value.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// A criterion of `step` (or of a workflow-level action when `step` is `None`).
    pub fn criterion(&self, c: &Criterion, step: Option<&'p Step>) -> Result<Cond, ExprError> {
        let context = |c: &Criterion| -> Result<ValueRef, ExprError> {
            let text = c
                .context
                .as_ref()
                .map_or("$response.body", |x| x.value.as_str());
            Ok(self.expression(&expr::expression(text)?, step))
        };
        match &c.kind.value {
            CriterionType::Simple => {
                let parsed = expr::condition::condition(&c.condition.value)?;
                Ok(self.condition(&parsed.condition, step))
            }
            CriterionType::Regex | CriterionType::JsonPath { .. } | CriterionType::XPath { .. }
                if self.is_1_1() && c.condition.value.contains("{$") =>
            {
                let (language, text) = match c.kind.value {
                    CriterionType::Regex => (Language::Regex, c.condition.value.clone()),
                    CriterionType::XPath { .. } => (Language::XPath, c.condition.value.clone()),
                    _ => (
                        Language::JsonPath,
                        crate::expr::jsonpath::criterion_query(c),
                    ),
                };
                let parts = embedded(&text, language)?
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| match p {
                        EmbeddedPart::Text(t) => TemplatePart::Text(t),
                        EmbeddedPart::Value(e, slot) => TemplatePart::Value(
                            self.expression(&e, step),
                            Escape::Query(language, slot),
                        ),
                    })
                    .collect();
                Ok(Cond::Built {
                    language,
                    value: context(c)?,
                    parts,
                })
            }
            CriterionType::Regex => Ok(Cond::Regex {
                value: context(c)?,
                pattern: c.condition.value.clone(),
                name: String::new(),
            }),
            CriterionType::JsonPath { .. } => {
                let written = crate::expr::jsonpath::criterion_query(c);
                let written = written.as_str();
                let query = match (
                    serde_json_path::JsonPath::parse(written),
                    self.settings.lenient_jsonpath(),
                ) {
                    (Err(_), true) => {
                        comparison_dialect(written).unwrap_or_else(|| written.to_owned())
                    }
                    _ => written.to_owned(),
                };
                Ok(Cond::JsonPath {
                    value: context(c)?,
                    query,
                    name: String::new(),
                })
            }
            CriterionType::JsonPointer => {
                let mut value = context(c)?;
                let tokens = crate::node::pointer::parse(&c.condition.value).map_err(|e| {
                    let mut e = ExprError::new(e.to_string(), 0..0);
                    e.in_expression = false;
                    e
                })?;
                value.pointer.extend(tokens);
                value.text = format!("{}#{}", value.text, c.condition.value);
                Ok(Cond::Exists(value))
            }
            CriterionType::XPath { .. } => Ok(Cond::XPath {
                value: context(c)?,
                query: c.condition.value.clone(),
                name: String::new(),
            }),
        }
    }

    fn condition(&self, c: &expr::Condition, step: Option<&'p Step>) -> Cond {
        let operand = |o: &expr::Operand| match o {
            expr::Operand::Expression(e) => Operand::Value(self.expression(e, step)),
            expr::Operand::Literal { value, .. } => Operand::Literal(match value {
                expr::Literal::Null => serde_json::Value::Null,
                expr::Literal::Bool(b) => serde_json::Value::Bool(*b),
                expr::Literal::Number(n) => number(*n),
                expr::Literal::String(s) => serde_json::Value::String(s.clone()),
            }),
        };
        match c {
            // Flatten chains so the generated code reads as one `&&`/`||` list.
            expr::Condition::Or(..) => Cond::Any(
                flatten(c, true)
                    .into_iter()
                    .map(|x| self.condition(x, step))
                    .collect(),
            ),
            expr::Condition::And(..) => Cond::All(
                flatten(c, false)
                    .into_iter()
                    .map(|x| self.condition(x, step))
                    .collect(),
            ),
            expr::Condition::Not(inner) => Cond::Not(Box::new(self.condition(inner, step))),
            expr::Condition::Compare { lhs, op, rhs } => status_comparison(lhs, *op, rhs)
                .unwrap_or_else(|| Cond::Compare {
                    lhs: operand(lhs),
                    op: *op,
                    rhs: operand(rhs),
                }),
            expr::Condition::Operand(o) => Cond::IsTrue(operand(o)),
        }
    }
}

/// `$statusCode == 201` (or `201 == $statusCode`): what most criteria are, compared directly.
fn status_comparison(lhs: &expr::Operand, op: expr::CmpOp, rhs: &expr::Operand) -> Option<Cond> {
    use expr::CmpOp::{Eq, Ge, Gt, Le, Lt, Ne};
    let status = |o: &expr::Operand| {
        matches!(o, expr::Operand::Expression(e)
            if e.root == Root::StatusCode && e.path.is_empty() && e.pointer.is_none())
    };
    let number = |o: &expr::Operand| match o {
        expr::Operand::Literal {
            value: expr::Literal::Number(n),
            ..
        } if n.fract() == 0.0 && (0.0..=f64::from(u16::MAX)).contains(n) => Some(*n as u16),
        _ => None,
    };
    let (op, value) = if status(lhs) {
        (op, number(rhs)?)
    } else if status(rhs) {
        let mirrored = match op {
            Lt => Gt,
            Le => Ge,
            Gt => Lt,
            Ge => Le,
            same @ (Eq | Ne) => same,
        };
        (mirrored, number(lhs)?)
    } else {
        return None;
    };
    Some(Cond::Status { op, value })
}

fn flatten(c: &expr::Condition, or: bool) -> Vec<&expr::Condition> {
    match (c, or) {
        (expr::Condition::Or(a, b), true) | (expr::Condition::And(a, b), false) => {
            let mut v = flatten(a, or);
            v.extend(flatten(b, or));
            v
        }
        _ => vec![c],
    }
}

/// Integers stay integers, so `200` compares and prints as `200`.
fn number(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// `a.b.c` as pointer tokens: the longest declared name first, then members.
fn split(dotted: &str, declared: &[impl AsRef<str>]) -> Vec<String> {
    let names: Vec<&str> = declared.iter().map(AsRef::as_ref).collect();
    match resolve_dotted(dotted, &names) {
        Some(name) => std::iter::once(name.to_owned())
            .chain(
                dotted
                    .get(name.len() + 1..)
                    .unwrap_or("")
                    .split('.')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            )
            .collect(),
        None => dotted.split('.').map(str::to_owned).collect(),
    }
}

//! The type of each runtime expression, found by following it to the schema that describes it.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use super::presence::{self, AtEnd};
use super::{SchemaHome, Type, ValueType, Walk, success};
use crate::expr::selector::{self, ParsedSelector, SelectorQuery};
use crate::expr::{Expression, Part, Root, Segment, StringValue, WorkflowField, string_value};
use crate::index::{Called, OperationIndex, Resolver};
use crate::load::ArazzoId;
use crate::load::Project;
use crate::model::{ArazzoVersion, Selector, Step, StepTarget, Workflow};
use crate::node::{Node, pointer};
use crate::openapi::{Operation, operation};

/// Where an expression's value is described.
enum Located<'p> {
    Schema {
        home: SchemaHome<'p>,
        node: &'p Node,
        tokens: Vec<String>,
        /// The value may be absent whatever the schema says: another workflow's output that
        /// some normal end of its run does not set.
        absent: bool,
    },
    Fixed(ValueType),
}

impl Located<'_> {
    /// The same place, for a value that may be absent.
    fn maybe(self, absent: bool) -> Self {
        if !absent {
            return self;
        }
        match self {
            Located::Schema {
                home, node, tokens, ..
            } => Located::Schema {
                home,
                node,
                tokens,
                absent: true,
            },
            Located::Fixed(t) => Located::Fixed(t.nullable()),
        }
    }
}

const MAX_DEPTH: usize = 16;

/// Types expressions of the workflows of one project.
pub struct Typer<'p> {
    pub project: &'p Project,
    pub index: &'p OperationIndex,
    /// What every normal end of each workflow has, once asked: `(document, workflow id)`.
    sure: RefCell<HashMap<(usize, String), Rc<AtEnd>>>,
    /// The statuses each step's criteria pin, once asked (keyed by the step's address: the
    /// project outlives the typer).
    pinned: RefCell<HashMap<usize, Rc<Option<BTreeSet<u16>>>>>,
}

impl<'p> Typer<'p> {
    pub fn new(project: &'p Project, index: &'p OperationIndex) -> Self {
        Typer {
            project,
            index,
            sure: RefCell::new(HashMap::new()),
            pinned: RefCell::new(HashMap::new()),
        }
    }

    /// Whether output `dotted` of `workflow` is set at every normal end of its runs: else a
    /// step that reads it may find it absent.
    fn output_sure(&self, doc: ArazzoId, workflow: &Workflow, dotted: &str) -> bool {
        let names: Vec<&str> = workflow
            .outputs
            .iter()
            .map(|o| o.name.value.as_str())
            .collect();
        let (name, _) = split_dotted(dotted, &names);
        let Some(output) = workflow.outputs.iter().find(|o| o.name.value == name) else {
            return true;
        };
        let Some(loaded) = self.project.arazzo.get(doc.0) else {
            return true;
        };
        let key = (doc.0, workflow.workflow_id.value.clone());
        let known = self.sure.borrow().get(&key).cloned();
        let at_end = match known {
            Some(at_end) => at_end,
            None => {
                let at_end = Rc::new(presence::of_workflow(&loaded.document.components, workflow));
                self.sure.borrow_mut().insert(key, at_end.clone());
                at_end
            }
        };
        at_end.has(&presence::needs_of(workflow, &output.value))
    }

    /// The type of `expr`, written in `workflow` (of document `doc`), in `step` when it is inside one.
    pub fn type_of(
        &self,
        doc: ArazzoId,
        workflow: &'p Workflow,
        step: Option<&'p Step>,
        expr: &Expression,
    ) -> ValueType {
        match self.locate(doc, workflow, step, expr, 0) {
            Located::Fixed(t) => t,
            Located::Schema {
                home,
                node,
                tokens,
                absent,
            } => match home.walk(node, &tokens) {
                Walk::Found(t) if absent => t.nullable(),
                Walk::Found(t) => t,
                Walk::Outside { .. } => ValueType::json(),
            },
        }
    }

    /// Follows the expression's navigation (`#/…`, `.member`, `[i]`) into its schema, when it
    /// has one: `Some(Walk::Outside …)` names the token that cannot exist.
    pub fn walk(
        &self,
        doc: ArazzoId,
        workflow: &'p Workflow,
        step: Option<&'p Step>,
        expr: &Expression,
    ) -> Option<(Walk, usize)> {
        match self.locate(doc, workflow, step, expr, 0) {
            Located::Schema {
                home,
                node,
                tokens,
                absent,
            } => {
                // Tokens before the expression's own navigation came from the chain behind it.
                let own = navigation(expr).len();
                let inherited = tokens.len().saturating_sub(own);
                let walked = match home.walk(node, &tokens) {
                    Walk::Found(t) if absent => Walk::Found(t.nullable()),
                    other => other,
                };
                Some((walked, inherited))
            }
            Located::Fixed(_) => None,
        }
    }

    fn locate(
        &self,
        doc: ArazzoId,
        workflow: &'p Workflow,
        step: Option<&'p Step>,
        expr: &Expression,
        depth: usize,
    ) -> Located<'p> {
        if depth > MAX_DEPTH {
            return Located::Fixed(ValueType::json());
        }
        let navigated = !expr.path.is_empty() || expr.pointer.is_some();
        let fixed = |t: ValueType| {
            if navigated {
                Located::Fixed(ValueType::json())
            } else {
                Located::Fixed(t)
            }
        };
        match &expr.root {
            Root::Url | Root::Method => fixed(ValueType::new(Type::String)),
            Root::StatusCode => fixed(ValueType::new(Type::Integer)),
            Root::Request {
                part: Part::Body, ..
            } => self
                .operation(doc, step)
                .and_then(|op| self.request_schema(&op, step))
                .map_or(Located::Fixed(ValueType::json()), |(home, node)| {
                    Located::Schema {
                        home,
                        node,
                        tokens: navigation(expr),
                        absent: false,
                    }
                }),
            Root::Response {
                part: Part::Body, ..
            } => self
                .operation(doc, step)
                .and_then(|op| self.response_schema(&op, step))
                .map_or(
                    Located::Fixed(ValueType::json()),
                    |(home, node, media, absent)| {
                        let tokens = navigation(expr);
                        match (media.contains("xml"), tokens.is_empty()) {
                            // An XML body is its text at run time; its schema describes elements.
                            (true, true) => Located::Fixed(ValueType::new(Type::String)),
                            (true, false) => Located::Fixed(ValueType::json()),
                            (false, _) => Located::Schema {
                                home,
                                node,
                                tokens,
                                absent,
                            },
                        }
                    },
                ),
            Root::Request { .. } | Root::Response { .. } => {
                fixed(ValueType::new(Type::String).nullable())
            }
            Root::AllInputs => match self.input_schema(doc, workflow) {
                Some((home, node)) => Located::Schema {
                    home,
                    node,
                    tokens: navigation(expr),
                    absent: false,
                },
                None => Located::Fixed(ValueType::json()),
            },
            Root::Inputs(name) => match self.input_schema(doc, workflow) {
                Some((home, node)) => {
                    let declared: Vec<&str> = node
                        .get("properties")
                        .and_then(Node::as_map)
                        .map(|m| m.keys().collect())
                        .unwrap_or_default();
                    let (first, rest) = split_dotted(&name.text, &declared);
                    let mut tokens = vec![first];
                    tokens.extend(dotted_tokens(&rest));
                    tokens.extend(navigation(expr));
                    Located::Schema {
                        home,
                        node,
                        tokens,
                        absent: false,
                    }
                }
                None => Located::Fixed(ValueType::json()),
            },
            Root::StepOutput { step: id, output } => {
                let Some(target) = workflow.steps.iter().find(|s| s.step_id.value == id.text)
                else {
                    return Located::Fixed(ValueType::json());
                };
                self.output_of(
                    doc,
                    workflow,
                    Some(target),
                    &target.outputs,
                    &output.text,
                    expr,
                    depth,
                )
            }
            Root::Outputs(name) => {
                let Some(StepTarget::WorkflowId(child_id)) = step.and_then(|s| s.target.as_ref())
                else {
                    return Located::Fixed(ValueType::json());
                };
                let resolver = Resolver {
                    project: self.project,
                    index: self.index,
                    doc,
                };
                let Ok(Some((child_doc, child))) = resolver.workflow(child_id) else {
                    return Located::Fixed(ValueType::json());
                };
                let absent = !self.output_sure(child_doc, child, &name.text);
                self.output_of(
                    child_doc,
                    child,
                    None,
                    &child.outputs,
                    &name.text,
                    expr,
                    depth,
                )
                .maybe(absent)
            }
            Root::Workflow {
                workflow: id,
                field,
                name,
            } => {
                let Some(other) = self.project.arazzo.get(doc.0).and_then(|d| {
                    d.document
                        .workflows
                        .iter()
                        .find(|w| w.workflow_id.value == id.text)
                }) else {
                    return Located::Fixed(ValueType::json());
                };
                match field {
                    WorkflowField::Outputs => {
                        let absent = !self.output_sure(doc, other, &name.text);
                        self.output_of(doc, other, None, &other.outputs, &name.text, expr, depth)
                            .maybe(absent)
                    }
                    WorkflowField::Inputs => {
                        let synthetic = Expression {
                            root: Root::Inputs(name.clone()),
                            ..expr.clone()
                        };
                        self.locate(doc, other, None, &synthetic, depth + 1)
                    }
                }
            }
            Root::SourceDescription { .. } | Root::SelfUri => fixed(ValueType::new(Type::String)),
            Root::Message {
                part: Part::Payload,
                ..
            } => self.received_payload(doc, step).map_or(
                Located::Fixed(ValueType::json()),
                |(home, node)| Located::Schema {
                    home,
                    node,
                    tokens: navigation(expr),
                    absent: false,
                },
            ),
            // Transports carry header values as text.
            Root::Message { .. } => fixed(ValueType::new(Type::String).nullable()),
            Root::Component { .. } => Located::Fixed(ValueType::json()),
        }
    }

    /// The payload schema of the one message a receive step may get (several: none).
    fn received_payload(
        &self,
        doc: ArazzoId,
        step: Option<&'p Step>,
    ) -> Option<(SchemaHome<'p>, &'p Node)> {
        let step = step?;
        let resolver = Resolver {
            project: self.project,
            index: self.index,
            doc,
        };
        let Called::Message(called) = resolver.called(step.target.as_ref()?).ok()?? else {
            return None;
        };
        let resolved = crate::asyncapi::resolve(self.project, &called).ok()?;
        let side = match step.action.as_ref().map(|a| a.value.as_str()) {
            Some("receive") => resolved.receive?,
            _ => return None,
        };
        let [message] = side.messages.as_slice() else {
            return None;
        };
        let schema = message.payload?;
        Some((
            SchemaHome::OpenApi {
                project: self.project,
                file: schema.file,
            },
            schema.node,
        ))
    }

    /// The value of output `dotted` among `outputs`, plus `expr`'s own navigation.
    #[allow(clippy::too_many_arguments)]
    fn output_of(
        &self,
        doc: ArazzoId,
        workflow: &'p Workflow,
        step: Option<&'p Step>,
        outputs: &'p [crate::model::Output],
        dotted: &str,
        expr: &Expression,
        depth: usize,
    ) -> Located<'p> {
        let names: Vec<&str> = outputs.iter().map(|o| o.name.value.as_str()).collect();
        let (name, rest) = split_dotted(dotted, &names);
        let Some(output) = outputs.iter().find(|o| o.name.value == name) else {
            return Located::Fixed(ValueType::json());
        };
        let extra: Vec<String> = dotted_tokens(&rest)
            .into_iter()
            .chain(navigation(expr))
            .collect();
        let inner = match output.value.as_str().map(string_value) {
            Some(Ok(StringValue::Expression(e))) => self.locate(doc, workflow, step, &e, depth + 1),
            Some(Ok(StringValue::Template(_))) => Located::Fixed(ValueType::new(Type::String)),
            None if self.is_1_1(doc) && Selector::of(&output.value).is_some() => {
                self.selected(doc, workflow, step, &output.value, depth)
            }
            _ => Located::Fixed(literal_type(&output.value)),
        };
        match inner {
            Located::Schema {
                home,
                node,
                mut tokens,
                absent,
            } => {
                tokens.extend(extra);
                Located::Schema {
                    home,
                    node,
                    tokens,
                    absent,
                }
            }
            Located::Fixed(t) if extra.is_empty() => Located::Fixed(t),
            Located::Fixed(_) => Located::Fixed(ValueType::json()),
        }
    }

    fn is_1_1(&self, doc: ArazzoId) -> bool {
        self.project
            .arazzo
            .get(doc.0)
            .is_some_and(|d| d.document.version >= ArazzoVersion::V1_1)
    }

    /// What a Selector Object selects: through the schema of its context when it is a
    /// pointer (or a JSONPath naming one node); anything for other queries.
    fn selected(
        &self,
        doc: ArazzoId,
        workflow: &'p Workflow,
        step: Option<&'p Step>,
        node: &'p Node,
        depth: usize,
    ) -> Located<'p> {
        let parsed = Selector::of(node).and_then(|s| selector::parse(&s).ok());
        let Some(ParsedSelector {
            context,
            query: SelectorQuery::Pointer(tokens),
        }) = parsed
        else {
            return Located::Fixed(ValueType::json());
        };
        match self.locate(doc, workflow, step, &context, depth + 1) {
            Located::Schema {
                home,
                node,
                tokens: mut inner,
                absent,
            } => {
                inner.extend(tokens);
                Located::Schema {
                    home,
                    node,
                    tokens: inner,
                    absent,
                }
            }
            Located::Fixed(t) if tokens.is_empty() => Located::Fixed(t),
            Located::Fixed(_) => Located::Fixed(ValueType::json()),
        }
    }

    fn input_schema(
        &self,
        doc: ArazzoId,
        workflow: &'p Workflow,
    ) -> Option<(SchemaHome<'p>, &'p Node)> {
        let components = &self.project.arazzo.get(doc.0)?.document.components;
        let mut schema = workflow.inputs.as_ref()?;
        if let Some(name) = schema
            .get("$ref")
            .and_then(Node::as_str)
            .and_then(|r| r.strip_prefix("#/components/inputs/"))
        {
            schema = &components.inputs.get(name)?.value;
        }
        Some((SchemaHome::Arazzo { components }, schema))
    }

    /// The operation `step` calls and the schema of the request body it sends (of the step's
    /// content type, else the first JSON one, else the first).
    pub fn step_request_schema(
        &self,
        doc: ArazzoId,
        step: &'p Step,
    ) -> Option<(Operation, SchemaHome<'p>, &'p Node)> {
        let op = self.operation(doc, Some(step))?;
        let (home, schema) = self.request_schema(&op, Some(step))?;
        Some((op, home, schema))
    }

    fn operation(&self, doc: ArazzoId, step: Option<&'p Step>) -> Option<Operation> {
        let resolver = Resolver {
            project: self.project,
            index: self.index,
            doc,
        };
        let Called::Http(op) = resolver.called(step?.target.as_ref()?).ok()?? else {
            return None;
        };
        operation(self.project, &op).ok()
    }

    fn op_node(&self, op: &Operation) -> Option<&'p Node> {
        let tokens = pointer::parse(&op.pointer).ok()?;
        self.project.tree(op.file)?.at(&tokens)
    }

    /// The schema of the first 2xx response with a body (JSON preferred), its media type, and
    /// whether the step may succeed on another response, which then need not hold what this
    /// one describes: a criterion such as `$statusCode == 404` or `== 200 || == 201`, or no
    /// criterion on an operation that declares several successes.
    fn response_schema(
        &self,
        op: &Operation,
        step: Option<&'p Step>,
    ) -> Option<(SchemaHome<'p>, &'p Node, &'p str, bool)> {
        let responses = self.op_node(op)?.get("responses")?.as_map()?;
        let mut codes: Vec<&crate::node::Entry> = responses
            .entries
            .iter()
            .filter(|e| e.key.starts_with('2'))
            .collect();
        codes.sort_by(|a, b| a.key.cmp(&b.key));
        let body = |e: &'p crate::node::Entry| {
            let target =
                crate::openapi::refs::follow(self.project, op.file, String::new(), &e.value)
                    .ok()?;
            let home = SchemaHome::OpenApi {
                project: self.project,
                file: target.file,
            };
            media_schema(target.node.get("content")?, None).map(|(media, s)| (home, s, media))
        };
        let (typed_key, (home, node, media)) = codes
            .iter()
            .find_map(|e| Some((e.key.as_str(), body(e)?)))?;
        let keys = responses.entries.iter().map(|e| e.key.as_str());
        let pinned = step.map(|s| self.pinned(s));
        let others: Vec<&str> = match pinned.as_deref() {
            Some(Some(pinned)) => pinned
                .iter()
                .copied()
                .map(|status| success::response_key(keys.clone(), status).unwrap_or(""))
                .collect(),
            _ => codes.iter().map(|e| e.key.as_str()).collect(),
        };
        let absent = others.into_iter().any(|key| {
            key != typed_key
                && responses
                    .entries
                    .iter()
                    .find(|e| e.key == key)
                    .and_then(body)
                    .is_none_or(|(_, other, _)| !self.same_schema(op, other, node))
        });
        Some((home, node, media, absent))
    }

    fn pinned(&self, step: &Step) -> Rc<Option<BTreeSet<u16>>> {
        let key = std::ptr::from_ref(step) as usize;
        if let Some(known) = self.pinned.borrow().get(&key) {
            return known.clone();
        }
        let found = Rc::new(success::statuses(step));
        self.pinned.borrow_mut().insert(key, found.clone());
        found
    }

    /// Whether two schemas are one, once their `$ref`s are followed.
    fn same_schema(&self, op: &Operation, a: &'p Node, b: &'p Node) -> bool {
        let follow = |n: &'p Node| {
            crate::openapi::refs::follow(self.project, op.file, String::new(), n)
                .map(|t| t.node as *const Node)
                .unwrap_or(n as *const Node)
        };
        std::ptr::eq(a, b) || follow(a) == follow(b)
    }

    fn request_schema(
        &self,
        op: &Operation,
        step: Option<&'p Step>,
    ) -> Option<(SchemaHome<'p>, &'p Node)> {
        let body = self.op_node(op)?.get("requestBody")?;
        let target =
            crate::openapi::refs::follow(self.project, op.file, String::new(), body).ok()?;
        let wanted = step
            .and_then(|s| s.request_body.as_ref())
            .and_then(|b| b.content_type.as_ref())
            .map(|c| c.value.as_str());
        let home = SchemaHome::OpenApi {
            project: self.project,
            file: target.file,
        };
        media_schema(target.node.get("content")?, wanted).map(|(_, s)| (home, s))
    }
}

/// The schema of the wanted media type, else of the first JSON one, else of the first.
fn media_schema<'n>(content: &'n Node, wanted: Option<&str>) -> Option<(&'n str, &'n Node)> {
    let map = content.as_map()?;
    let pick = wanted
        .and_then(|w| map.entries.iter().find(|e| e.key == w))
        .or_else(|| map.entries.iter().find(|e| e.key.contains("json")))
        .or_else(|| map.entries.first())?;
    Some((pick.key.as_str(), pick.value.get("schema")?))
}

/// Splits `a.b.c` into the declared name it starts with (longest) and the rest.
fn split_dotted(dotted: &str, declared: &[&str]) -> (String, String) {
    match crate::index::inputs::resolve_dotted(dotted, declared) {
        Some(name) => (
            name.to_owned(),
            dotted.get(name.len() + 1..).unwrap_or("").to_owned(),
        ),
        None => {
            let (first, rest) = dotted.split_once('.').unwrap_or((dotted, ""));
            (first.to_owned(), rest.to_owned())
        }
    }
}

fn dotted_tokens(rest: &str) -> Vec<String> {
    rest.split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The expression's own navigation as pointer tokens: `.member`/`[i]`, then `#/…`.
fn navigation(expr: &Expression) -> Vec<String> {
    let mut tokens: Vec<String> = expr
        .path
        .iter()
        .map(|s| match s {
            Segment::Member(m) => m.clone(),
            Segment::Index(i) => i.to_string(),
        })
        .collect();
    if let Some(p) = &expr.pointer {
        tokens.extend(p.tokens.iter().cloned());
    }
    tokens
}

/// The type of a literal value written in the document.
pub fn literal_type(node: &Node) -> ValueType {
    use crate::node::Value;
    match &node.value {
        Value::Null => ValueType::json(),
        Value::Bool(_) => ValueType::new(Type::Boolean),
        Value::Int(_) => ValueType::new(Type::Integer),
        Value::Float(_) => ValueType::new(Type::Number),
        Value::String(_) => ValueType::new(Type::String),
        Value::Seq(_) => ValueType::new(Type::Array(Box::new(ValueType::json()))),
        Value::Map(_) => ValueType::new(Type::Object),
    }
}

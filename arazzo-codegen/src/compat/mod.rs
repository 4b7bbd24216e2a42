//! Documents written for other runners (`Compatibility::Lenient`): the shorthands those runners
//! accept but the specification does not define, rewritten to the specification's forms before
//! any check runs, with one `runner-shorthand` warning each that shows the portable form. Later
//! stages see only specification forms.
//!
//! Shorthands inside runtime expressions are found by the expression grammar itself (its errors
//! carry the specification's form), never by matching text beside it. A rewritten expression
//! keeps the span of the text it was written as, so a later diagnostic inside it points at the
//! right string but may be off by a few columns within it.

mod openapi;
mod output_names;
mod x_operation;

pub use openapi::read_faults as read_openapi_faults;
pub use output_names::keep_unread as keep_unread_output_names;
pub use x_operation::describe as describe_x_operations;

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::expr::{self, ExprError, Expression, Root, StringValue, TemplatePart};
use crate::index::{OperationIndex, split_source_ref};
use crate::load::{ArazzoId, Project, SourceTarget};
use crate::model::{
    Action, ActionList, ActionOrRef, Criterion, CriterionType, Document, Output, ParameterOrRef,
    Spanned, Step, StepTarget, Workflow,
};
use crate::node::{Node, ScalarStyle, Value};
use crate::settings::{Compatibility, Settings};
use crate::source_map::Span;

/// What the rewrites need to know about the project before they change it.
struct Facts<'i> {
    index: &'i OperationIndex,
    /// Per Arazzo document: its sources by name.
    sources: Vec<BTreeMap<String, SourceTarget>>,
    /// Per Arazzo document: each workflow's output names.
    outputs: Vec<BTreeMap<String, Vec<String>>>,
}

/// Rewrites every Arazzo document of `project` when `settings` ask for lenient compatibility.
pub fn rewrite(project: &mut Project, index: &OperationIndex, settings: &Settings) -> Diagnostics {
    let mut out = Diagnostics::new();
    if settings.compatibility != Compatibility::Lenient {
        return out;
    }
    let facts = Facts {
        index,
        sources: project
            .arazzo
            .iter()
            .map(|d| {
                d.sources
                    .iter()
                    .map(|s| (s.name.clone(), s.target))
                    .collect()
            })
            .collect(),
        outputs: project
            .arazzo
            .iter()
            .map(|d| {
                d.document
                    .workflows
                    .iter()
                    .map(|w| {
                        let names = w.outputs.iter().map(|o| o.name.value.clone()).collect();
                        (w.workflow_id.value.clone(), names)
                    })
                    .collect()
            })
            .collect(),
    };
    for (doc, loaded) in project.arazzo.iter_mut().enumerate() {
        let mut rewriter = Rewriter {
            facts: &facts,
            doc: ArazzoId(doc),
            out: &mut out,
        };
        rewriter.document(&mut loaded.document);
    }
    out
}

struct Rewriter<'a> {
    facts: &'a Facts<'a>,
    doc: ArazzoId,
    out: &'a mut Diagnostics,
}

impl Rewriter<'_> {
    fn source(&self, name: &str) -> Option<SourceTarget> {
        self.facts.sources.get(self.doc.0)?.get(name).copied()
    }

    fn warn(&mut self, span: Span, written: &str, portable: &str, what: &str) {
        self.out.push(
            Diagnostic::new(
                Code::RunnerShorthand,
                format!("`{written}` is {what}, not the specification's form"),
            )
            .at(span)
            .label(format!("read as `{portable}`"))
            .help(format!(
                "write `{portable}` so that every Arazzo tool reads it the same way"
            )),
        );
    }

    fn document(&mut self, document: &mut Document) {
        for w in &mut document.workflows {
            self.workflow(w);
        }
        for c in document.components.parameters.values_mut() {
            visit_node(&mut c.value.value, &mut |text, span, syntax| {
                self.expression(text, span, syntax);
            });
        }
        for c in document
            .components
            .success_actions
            .values_mut()
            .chain(document.components.failure_actions.values_mut())
        {
            self.action(&mut c.value);
        }
    }

    /// An action's `workflowId`, and the expressions of its criteria.
    fn action(&mut self, action: &mut Action) {
        if let Some(id) = &mut action.workflow_id {
            self.workflow_id(id);
        }
        for c in &mut action.criteria {
            visit_criterion(c, &mut |text, span, syntax| {
                self.expression(text, span, syntax)
            });
        }
    }

    fn workflow(&mut self, w: &mut Workflow) {
        for dep in &mut w.depends_on {
            self.workflow_id(dep);
        }
        for step in &mut w.steps {
            match &mut step.target {
                Some(StepTarget::OperationId(id)) => self.operation_id(id),
                Some(StepTarget::OperationPath(path)) => self.source_path(path, "operationPath"),
                Some(StepTarget::ChannelPath(path)) => self.source_path(path, "channelPath"),
                Some(StepTarget::WorkflowId(id)) => self.workflow_id(id),
                None => {}
            }
        }
        for step in &mut w.steps {
            for id in inline(&mut step.on_success).chain(inline(&mut step.on_failure)) {
                self.workflow_id(id);
            }
        }
        for id in inline(&mut w.success_actions).chain(inline(&mut w.failure_actions)) {
            self.workflow_id(id);
        }
        let mut reads = Vec::new();
        visit_workflow(w, &mut |text, span, syntax| {
            self.expression(text, span, syntax);
            for e in expressions(text, syntax) {
                if let Root::StepOutput { step, output } = e.root {
                    reads.push((step.text, output.text, span));
                }
            }
        });
        self.child_outputs(w, reads);
    }

    /// Rewrites every shorthand the grammar finds in a string that may hold runtime
    /// expressions (one at a time, until it parses or fails for another reason), with one
    /// warning per kind of shorthand.
    fn expression(&mut self, text: &mut String, span: Span, syntax: Syntax) {
        let written = text.clone();
        let mut kinds: Vec<&'static str> = Vec::new();
        // Each fix removes one shorthand; a string holds no more than its length of them.
        for _ in 0..=written.len() {
            let Some(fix) = parse(text, syntax).err().and_then(|e| e.shorthand) else {
                break;
            };
            if text.get(fix.range.clone()).is_none() {
                break;
            }
            text.replace_range(fix.range.clone(), &fix.portable);
            if !kinds.contains(&fix.what) {
                kinds.push(fix.what);
            }
        }
        // `Bearer $inputs.token`: text the specification sends as written, which runners read
        // as `Bearer {$inputs.token}`.
        if syntax == Syntax::Value {
            for _ in 0..=written.len() {
                if parse(text, syntax).is_err() {
                    break;
                }
                let Some(range) = expr::expression_in_text(text) else {
                    break;
                };
                let Some(inner) = text.get(range.clone()).map(str::to_owned) else {
                    break;
                };
                text.replace_range(range, &format!("{{{inner}}}"));
                const WHAT: &str = "an expression in text without braces";
                if !kinds.contains(&WHAT) {
                    kinds.push(WHAT);
                }
            }
        }
        for what in kinds {
            self.warn(span, &written, text, what);
        }
    }

    /// `museum-api.getMuseumHours` for `$sourceDescriptions.museum-api.getMuseumHours`.
    fn operation_id(&mut self, id: &mut Spanned<String>) {
        if id.value.starts_with('$') {
            return;
        }
        let Some(sources) = self.facts.sources.get(self.doc.0) else {
            return;
        };
        let exists = sources.values().any(|t| match t {
            SourceTarget::OpenApi(d) => self.facts.index.contains(*d, &id.value),
            _ => false,
        });
        let Some((name, op)) = id.value.split_once('.') else {
            return;
        };
        if exists
            || !matches!(self.source(name), Some(SourceTarget::OpenApi(d)) if self.facts.index.contains(d, op))
        {
            return;
        }
        let portable = format!("$sourceDescriptions.{name}.{op}");
        self.warn(
            id.span,
            &id.value,
            &portable,
            "a `<source>.<operationId>` shorthand",
        );
        id.value = portable;
    }

    /// `$sourceDescriptions.museum-api#/paths/…` (or `{…}`, `.url` without braces, or the bare
    /// source name) for `{$sourceDescriptions.museum-api.url}#/paths/…`, in an operationPath or
    /// a channelPath (`field`).
    fn source_path(&mut self, path: &mut Spanned<String>, field: &str) {
        let Some((head, fragment)) = path.value.split_once('#') else {
            return;
        };
        if head.starts_with("{$sourceDescriptions.") && head.ends_with(".url}") {
            return;
        }
        let bare = head.trim_start_matches('{').trim_end_matches('}');
        let name = bare.strip_prefix("$sourceDescriptions.").unwrap_or(bare);
        let name = name.strip_suffix(".url").unwrap_or(name);
        if self.source(name).is_none() {
            return;
        }
        let portable = format!("{{$sourceDescriptions.{name}.url}}#{fragment}");
        self.warn(
            path.span,
            &path.value,
            &portable,
            &format!(
                "a{} {field} without `{{$sourceDescriptions.<name>.url}}`",
                if field.starts_with('o') { "n" } else { "" }
            ),
        );
        path.value = portable;
    }

    /// `$sourceDescriptions.tickets.workflows.get-tickets` for `$sourceDescriptions.tickets.get-tickets`.
    fn workflow_id(&mut self, id: &mut Spanned<String>) {
        let Some((name, rest)) = split_source_ref(&id.value) else {
            return;
        };
        let Some(workflow) = rest.strip_prefix("workflows.") else {
            return;
        };
        if !matches!(self.source(name), Some(SourceTarget::Arazzo(_))) {
            return;
        }
        let portable = format!("$sourceDescriptions.{name}.{workflow}");
        self.warn(
            id.span,
            &id.value,
            &portable,
            "a `$sourceDescriptions.<name>.workflows.<workflowId>` shorthand",
        );
        id.value = portable;
    }

    /// `$steps.<s>.outputs.<name>` where step `s` runs a workflow that has output `name` but
    /// does not declare it: the step gets `name: $outputs.<name>`, which other runners imply.
    fn child_outputs(&mut self, w: &mut Workflow, reads: Vec<(String, String, Span)>) {
        let mut wanted: Vec<(String, String, Span)> = Vec::new();
        for key in reads {
            if !wanted.iter().any(|(s, n, _)| *s == key.0 && *n == key.1) {
                wanted.push(key);
            }
        }
        for (step_id, name, span) in wanted {
            let Some(step) = w.steps.iter_mut().find(|s| s.step_id.value == step_id) else {
                continue;
            };
            if step.outputs.iter().any(|o| o.name.value == name)
                || !self.child_has_output(step, &name)
            {
                continue;
            }
            let written = format!("$steps.{step_id}.outputs.{name}");
            let portable = format!("{name}: $outputs.{name}");
            self.out.push(
                Diagnostic::new(
                    Code::RunnerShorthand,
                    format!(
                        "`{written}` reads an output of the workflow step `{step_id}` runs, which the step does not declare"
                    ),
                )
                .at(span)
                .label(format!("read as if step `{step_id}` declared `{portable}`"))
                .help(format!(
                    "declare `{portable}` in the `outputs` of step `{step_id}` so that every Arazzo tool reads it the same way"
                )),
            );
            let at = step.step_id.span;
            step.outputs.insert(
                0,
                Output {
                    name: Spanned::new(name.clone(), at),
                    value: Node {
                        span: at,
                        value: Value::String(format!("$outputs.{name}")),
                        style: ScalarStyle::Plain,
                    },
                },
            );
        }
    }

    fn child_has_output(&self, step: &Step, name: &str) -> bool {
        let Some(StepTarget::WorkflowId(id)) = &step.target else {
            return false;
        };
        let (doc, workflow) = match split_source_ref(&id.value) {
            Some((source, workflow)) => match self.source(source) {
                Some(SourceTarget::Arazzo(doc)) => (doc, workflow),
                _ => return false,
            },
            None => (self.doc, id.value.as_str()),
        };
        self.facts
            .outputs
            .get(doc.0)
            .and_then(|o| o.get(workflow))
            .is_some_and(|names| names.iter().any(|n| n == name))
    }
}

/// The `workflowId`s of a list's inline actions (Reusable ones are rewritten in components).
fn inline(list: &mut ActionList) -> impl Iterator<Item = &mut Spanned<String>> {
    list.iter_mut().filter_map(|a| match a {
        ActionOrRef::Action(a) => a.workflow_id.as_mut(),
        ActionOrRef::Reusable(_) => None,
    })
}

/// How a string holds runtime expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// A value: plain text, one expression, or a template.
    Value,
    /// A `simple` condition.
    Condition,
    /// A criterion's context: one expression.
    Expression,
    /// A `regex` or `jsonpath` condition: no runtime expression.
    Other,
}

type Visit<'a> = dyn FnMut(&mut String, Span, Syntax) + 'a;

/// Parses `text` as `syntax` says, for its errors.
fn parse(text: &str, syntax: Syntax) -> Result<(), ExprError> {
    match syntax {
        Syntax::Value => expr::string_value(text).map(drop),
        Syntax::Condition => expr::condition::condition(text).map(drop),
        Syntax::Expression => expr::expression(text).map(drop),
        Syntax::Other => Ok(()),
    }
}

/// The runtime expressions of a string that parses.
fn expressions(text: &str, syntax: Syntax) -> Vec<Expression> {
    match syntax {
        Syntax::Value => match expr::string_value(text) {
            Ok(StringValue::Expression(e)) => vec![e],
            Ok(StringValue::Template(parts)) => parts
                .into_iter()
                .filter_map(|p| match p {
                    TemplatePart::Expression(e) => Some(e),
                    TemplatePart::Literal(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        },
        Syntax::Condition => match expr::condition::condition(text) {
            Ok(parsed) => parsed
                .condition
                .operands()
                .into_iter()
                .filter_map(|o| match o {
                    expr::Operand::Expression(e) => Some(e.clone()),
                    expr::Operand::Literal { .. } => None,
                })
                .collect(),
            Err(_) => Vec::new(),
        },
        Syntax::Expression => expr::expression(text).into_iter().collect(),
        Syntax::Other => Vec::new(),
    }
}

/// Every string of a workflow that may hold a runtime expression, in document order.
fn visit_workflow(w: &mut Workflow, f: &mut Visit<'_>) {
    visit_parameters(&mut w.parameters, f);
    for step in &mut w.steps {
        visit_parameters(&mut step.parameters, f);
        if let Some(body) = &mut step.request_body {
            if let Some(payload) = &mut body.payload {
                visit_node(payload, f);
            }
            for r in &mut body.replacements {
                visit_node(&mut r.value, f);
            }
        }
        for c in &mut step.success_criteria {
            visit_criterion(c, f);
        }
        visit_actions(&mut step.on_success, f);
        visit_actions(&mut step.on_failure, f);
        for o in &mut step.outputs {
            visit_node(&mut o.value, f);
        }
    }
    visit_actions(&mut w.success_actions, f);
    visit_actions(&mut w.failure_actions, f);
    for o in &mut w.outputs {
        visit_node(&mut o.value, f);
    }
}

fn visit_parameters(list: &mut [ParameterOrRef], f: &mut Visit<'_>) {
    for p in list {
        match p {
            ParameterOrRef::Parameter(p) => visit_node(&mut p.value, f),
            ParameterOrRef::Reusable(r) => {
                if let Some(v) = &mut r.value {
                    visit_node(v, f);
                }
            }
        }
    }
}

fn visit_actions(list: &mut ActionList, f: &mut Visit<'_>) {
    for a in list {
        if let ActionOrRef::Action(a) = a {
            for c in &mut a.criteria {
                visit_criterion(c, f);
            }
        }
    }
}

/// The condition and context, each kept in step with the node it was read from.
fn visit_criterion(c: &mut Criterion, f: &mut Visit<'_>) {
    let syntax = match c.kind.value {
        CriterionType::Simple => Syntax::Condition,
        _ => Syntax::Other,
    };
    f(&mut c.condition.value, c.condition.span, syntax);
    if let Value::String(s) = &mut c.condition_node.value {
        s.clone_from(&c.condition.value);
    }
    if let Some(context) = &mut c.context {
        f(&mut context.value, context.span, Syntax::Expression);
        if let Some(Node {
            value: Value::String(s),
            ..
        }) = &mut c.context_node
        {
            s.clone_from(&context.value);
        }
    }
}

fn visit_node(node: &mut Node, f: &mut Visit<'_>) {
    let span = node.span;
    match &mut node.value {
        Value::String(s) => f(s, span, Syntax::Value),
        Value::Seq(items) => items.iter_mut().for_each(|n| visit_node(n, f)),
        Value::Map(map) => map
            .entries
            .iter_mut()
            .for_each(|e| visit_node(&mut e.value, f)),
        _ => {}
    }
}

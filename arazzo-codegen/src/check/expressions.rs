//! Finds every runtime expression and condition of a workflow, parses it, and reports malformed
//! ones at the exact character. Later checks read the parsed forms from [`ParsedWorkflow`].

use std::collections::HashMap;

use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::expr::condition::{self, ConditionWarning};
use crate::expr::embedded::{EmbeddedPart, Language, embedded};
use crate::expr::selector::{self, SelectorError};
use crate::expr::{Condition, ExprError, Expression, StringValue, TemplatePart, string_value};
use crate::model::{
    Action, ActionOrRef, ArazzoVersion, Criterion, CriterionType, ParameterOrRef, Selector, Step,
    Workflow,
};
use crate::node::{Node, Value, span_in_string};
use crate::source_map::Span;

/// When an expression is evaluated, which decides what it may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Building a request: parameters and bodies. No response exists yet.
    Request,
    /// After a response: criteria, actions and step outputs.
    Response,
    /// After every step: the workflow's outputs.
    WorkflowOutputs,
}

/// One expression and where it was written.
pub struct Occurrence<'w> {
    pub expr: Expression,
    pub node: &'w Node,
    pub phase: Phase,
    /// The step whose parameters, criteria or outputs hold it.
    pub step: Option<&'w Step>,
}

#[derive(Default)]
pub struct ParsedWorkflow<'w> {
    pub occurrences: Vec<Occurrence<'w>>,
    /// Parsed `simple` conditions, by the span of their criterion, with the step they test.
    pub conditions: HashMap<Span, (Condition, Option<&'w Step>)>,
    /// Whether some string failed to parse: what it meant to read is then unknown.
    pub had_errors: bool,
}

pub(crate) fn malformed(ctx: &Ctx<'_>, node: &Node, e: &ExprError, code: Code) -> Diagnostic {
    Diagnostic::new(code, e.message.clone())
        .at(span_in_string(node, e.range.clone(), ctx.file))
        .label("here")
        .help_opt(e.help.clone())
}

struct Walker<'c, 'p, 'w> {
    ctx: &'c mut Ctx<'p>,
    parsed: ParsedWorkflow<'w>,
}

pub fn parse_workflow<'w>(ctx: &mut Ctx<'w>, workflow: &'w Workflow) -> ParsedWorkflow<'w> {
    let mut w = Walker {
        ctx,
        parsed: ParsedWorkflow::default(),
    };
    let components = &w.ctx.document.components;
    for p in &workflow.parameters {
        if let Some(node) = parameter_value(p, components) {
            w.values(node, Phase::Request, None);
        }
    }
    for list in [&workflow.success_actions, &workflow.failure_actions] {
        for action in actions(list, components) {
            w.criteria(&action.criteria, None);
        }
    }
    for output in &workflow.outputs {
        w.values(&output.value, Phase::WorkflowOutputs, None);
    }
    for step in &workflow.steps {
        for p in &step.parameters {
            if let Some(node) = parameter_value(p, components) {
                w.values(node, Phase::Request, Some(step));
            }
        }
        if let Some(body) = &step.request_body {
            if let Some(payload) = &body.payload {
                w.values(payload, Phase::Request, Some(step));
            }
            for r in &body.replacements {
                w.values(&r.value, Phase::Request, Some(step));
            }
        }
        if let Some(correlation) = &step.correlation_id {
            w.values(correlation, Phase::Request, Some(step));
        }
        w.criteria(&step.success_criteria, Some(step));
        for list in [&step.on_success, &step.on_failure] {
            for action in actions(list, components) {
                w.criteria(&action.criteria, Some(step));
            }
        }
        for output in &step.outputs {
            w.values(&output.value, Phase::Response, Some(step));
        }
    }
    w.parsed
}

fn parameter_value<'w>(
    p: &'w ParameterOrRef,
    components: &'w crate::model::Components,
) -> Option<&'w Node> {
    match p {
        ParameterOrRef::Parameter(p) => Some(&p.value),
        ParameterOrRef::Reusable(r) => r.value.as_ref().or_else(|| {
            let name = r.reference.value.strip_prefix("$components.parameters.")?;
            components.parameters.get(name).map(|c| &c.value.value)
        }),
    }
}

/// Inline actions and the components that Reusable references name (missing ones are reported
/// by the action checks).
fn actions<'w>(
    list: &'w [ActionOrRef],
    components: &'w crate::model::Components,
) -> Vec<&'w Action> {
    list.iter()
        .filter_map(|a| match a {
            ActionOrRef::Action(a) => Some(a),
            ActionOrRef::Reusable(r) => {
                let text = r.reference.value.as_str();
                text.strip_prefix("$components.successActions.")
                    .and_then(|n| components.success_actions.get(n))
                    .or_else(|| {
                        text.strip_prefix("$components.failureActions.")
                            .and_then(|n| components.failure_actions.get(n))
                    })
                    .map(|c| &c.value)
            }
        })
        .collect()
}

impl<'w> Walker<'_, '_, 'w> {
    fn push(&mut self, expr: Expression, node: &'w Node, phase: Phase, step: Option<&'w Step>) {
        self.parsed.occurrences.push(Occurrence {
            expr,
            node,
            phase,
            step,
        });
    }

    /// Every string leaf of a value: a literal, one expression, or a template; and (1.1)
    /// Selector Objects among them.
    fn values(&mut self, node: &'w Node, phase: Phase, step: Option<&'w Step>) {
        if self.ctx.document.version >= ArazzoVersion::V1_1
            && let Some(s) = Selector::of(node)
        {
            self.selector(&s, phase, step);
            return;
        }
        match &node.value {
            Value::String(text) => self.string(node, text, phase, step),
            Value::Seq(items) => items.iter().for_each(|n| self.values(n, phase, step)),
            Value::Map(map) => map
                .entries
                .iter()
                .for_each(|e| self.values(&e.value, phase, step)),
            _ => {}
        }
    }

    fn string(&mut self, n: &'w Node, text: &str, phase: Phase, step: Option<&'w Step>) {
        match string_value(text) {
            Ok(StringValue::Literal) => {
                if let Some(range) = crate::expr::expression_in_text(text) {
                    let expression = text.get(range.clone()).unwrap_or_default();
                    let fixed = format!(
                        "{}{{{expression}}}{}",
                        text.get(..range.start).unwrap_or_default(),
                        text.get(range.end..).unwrap_or_default()
                    );
                    self.ctx.push(
                        Diagnostic::new(
                            Code::LiteralExpression,
                            format!("`{expression}` is sent as these very characters, not as its value"),
                        )
                        .at(crate::node::span_in_string(n, range, self.ctx.file))
                        .label("plain text here")
                        .note("a value that does not start with `$` is text, except the expressions it wraps in braces")
                        .help(format!("to send the value, write `{fixed}` (`--compatibility lenient` reads it so, with a warning)")),
                    );
                }
            }
            Ok(StringValue::Expression(e)) => self.push(e, n, phase, step),
            Ok(StringValue::Template(parts)) => {
                for part in parts {
                    if let TemplatePart::Expression(e) = part {
                        self.push(e, n, phase, step);
                    }
                }
            }
            Err(e) => {
                let d = malformed(self.ctx, n, &e, Code::MalformedExpression);
                self.ctx.push(d);
                self.parsed.had_errors = true;
            }
        }
    }

    /// A Selector Object: its context is one runtime expression, its selector a query of its
    /// type that parses.
    fn selector(&mut self, s: &Selector<'w>, phase: Phase, step: Option<&'w Step>) {
        match selector::parse(s) {
            Ok(parsed) => {
                if matches!(parsed.query, selector::SelectorQuery::XPath { .. }) {
                    self.ctx.xpath_seen(s.selector.span);
                }
                self.push(parsed.context, s.context, phase, step);
            }
            Err(SelectorError::Context(e)) => {
                self.parsed.had_errors = true;
                let d = malformed(self.ctx, s.context, &e, Code::MalformedExpression).note(
                    "a selector's `context` is one runtime expression, such as `$response.body`",
                );
                self.ctx.push(d);
            }
            Err(SelectorError::Query(message)) => {
                let code = match selector::kind_of(s.kind) {
                    Some(("jsonpointer", _)) => Code::InvalidJsonPointer,
                    Some(("xpath", _)) => Code::InvalidXPath,
                    _ => Code::InvalidJsonPath,
                };
                self.ctx.push(
                    Diagnostic::new(code, format!("invalid selector: {message}"))
                        .at(s.selector.span)
                        .label("this selector"),
                );
            }
        }
    }

    fn criteria(&mut self, list: &'w [Criterion], step: Option<&'w Step>) {
        for criterion in list {
            if let Some(node) = &criterion.context_node {
                match node.as_str().map(crate::expr::expression) {
                    Some(Ok(e)) => self.push(e, node, Phase::Response, step),
                    Some(Err(e)) => {
                        self.parsed.had_errors = true;
                        let d = malformed(self.ctx, node, &e, Code::MalformedExpression)
                            .note("a criterion's `context` is one runtime expression, such as `$response.body`");
                        self.ctx.push(d);
                    }
                    None => {}
                }
            }
            let language = match &criterion.kind.value {
                CriterionType::Regex => Some(Language::Regex),
                CriterionType::JsonPath { .. } => Some(Language::JsonPath),
                CriterionType::XPath { .. } => Some(Language::XPath),
                CriterionType::Simple | CriterionType::JsonPointer => None,
            };
            // In 1.0, `{$…}` in a query is text like any other.
            if let Some(language) = language
                && self.ctx.document.version >= ArazzoVersion::V1_1
            {
                self.embedded(criterion, language, step);
            }
            match &criterion.kind.value {
                CriterionType::Simple => self.simple(criterion, step),
                CriterionType::Regex => super::criteria::regex(self.ctx, criterion),
                CriterionType::JsonPath { .. } => super::criteria::jsonpath(self.ctx, criterion),
                CriterionType::XPath { .. } => super::criteria::xpath(self.ctx, criterion),
                CriterionType::JsonPointer => super::criteria::jsonpointer(self.ctx, criterion),
            }
        }
    }

    /// The runtime expressions embedded in a `regex`, `jsonpath` or `xpath` condition (1.1).
    fn embedded(&mut self, criterion: &'w Criterion, language: Language, step: Option<&'w Step>) {
        let node = &criterion.condition_node;
        match embedded(&criterion.condition.value, language) {
            Ok(Some(parts)) => {
                for part in parts {
                    if let EmbeddedPart::Value(e, _) = part {
                        self.push(e, node, Phase::Response, step);
                    }
                }
            }
            Ok(None) => {}
            Err(e) => {
                self.parsed.had_errors = true;
                let d = malformed(self.ctx, node, &e, Code::MalformedExpression);
                self.ctx.push(d);
            }
        }
    }

    fn simple(&mut self, criterion: &'w Criterion, step: Option<&'w Step>) {
        let node = &criterion.condition_node;
        match condition::condition(&criterion.condition.value) {
            Ok(parsed) => {
                for ConditionWarning {
                    message,
                    range,
                    help,
                } in &parsed.warnings
                {
                    let d = Diagnostic::new(Code::DoubleQuotedString, message.clone())
                        .at(span_in_string(node, range.clone(), self.ctx.file))
                        .label("accepted, but not Arazzo syntax")
                        .help_opt(help.clone());
                    self.ctx.push(d);
                }
                for operand in parsed.condition.operands() {
                    if let crate::expr::Operand::Expression(e) = operand {
                        self.push(e.clone(), node, Phase::Response, step);
                    }
                }
                self.parsed
                    .conditions
                    .insert(criterion.span, (parsed.condition, step));
            }
            Err(e) => {
                self.parsed.had_errors = true;
                let code = if e.in_expression {
                    Code::MalformedExpression
                } else {
                    Code::MalformedCondition
                };
                let d = malformed(self.ctx, node, &e, code);
                self.ctx.push(d);
            }
        }
    }
}

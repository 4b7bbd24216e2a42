//! The canonical text of parsed expressions and conditions: what tests compare and what
//! generated code quotes in its comments.

use std::fmt;

use super::ast::*;

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Header => "header",
            Part::Query => "query",
            Part::Path => "path",
            Part::Body => "body",
            Part::Payload => "payload",
        })
    }
}

impl fmt::Display for Root {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Root::Url => f.write_str("$url"),
            Root::Method => f.write_str("$method"),
            Root::StatusCode => f.write_str("$statusCode"),
            Root::Request { part, name }
            | Root::Response { part, name }
            | Root::Message { part, name } => {
                let side = match self {
                    Root::Request { .. } => "request",
                    Root::Response { .. } => "response",
                    _ => "message",
                };
                write!(f, "${side}.{part}")?;
                match name {
                    Some(n) => write!(f, ".{}", n.text),
                    None => Ok(()),
                }
            }
            Root::AllInputs => f.write_str("$inputs"),
            Root::Inputs(n) => write!(f, "$inputs.{}", n.text),
            Root::Outputs(n) => write!(f, "$outputs.{}", n.text),
            Root::StepOutput { step, output } => {
                write!(f, "$steps.{}.outputs.{}", step.text, output.text)
            }
            Root::Workflow {
                workflow,
                field,
                name,
            } => {
                let field = match field {
                    WorkflowField::Inputs => "inputs",
                    WorkflowField::Outputs => "outputs",
                };
                write!(f, "$workflows.{}.{field}.{}", workflow.text, name.text)
            }
            Root::SourceDescription { source, reference } => {
                write!(f, "$sourceDescriptions.{}.{}", source.text, reference.text)
            }
            Root::Component { kind, name } => {
                let kind = match kind {
                    ComponentKind::Parameters => "parameters",
                    ComponentKind::SuccessActions => "successActions",
                    ComponentKind::FailureActions => "failureActions",
                    ComponentKind::Inputs => "inputs",
                };
                write!(f, "$components.{kind}.{}", name.text)
            }
            Root::SelfUri => f.write_str("$self"),
        }
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.root)?;
        for segment in &self.path {
            match segment {
                Segment::Member(m) => write!(f, ".{m}")?,
                Segment::Index(i) => write!(f, "[{i}]")?,
            }
        }
        if let Some(pointer) = self.pointer.as_ref().filter(|p| !p.tokens.is_empty()) {
            write!(f, "#{}", crate::node::pointer::join(&pointer.tokens))?;
        }
        Ok(())
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Number(n) => write!(f, "{n}"),
            Literal::String(s) => write!(f, "'{}'", s.replace('\'', "''")),
        }
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Expression(e) => write!(f, "{e}"),
            Operand::Literal { value, .. } => write!(f, "{value}"),
        }
    }
}

/// Fully parenthesised, so a reader (and a test) sees exactly how it was grouped.
impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Or(a, b) => write!(f, "({a} || {b})"),
            Condition::And(a, b) => write!(f, "({a} && {b})"),
            Condition::Not(c) => write!(f, "!{c}"),
            Condition::Compare { lhs, op, rhs } => write!(f, "{lhs} {} {rhs}", op.as_str()),
            Condition::Operand(o) => write!(f, "{o}"),
        }
    }
}

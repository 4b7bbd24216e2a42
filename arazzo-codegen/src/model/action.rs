use super::{Criterion, Extensions, Reusable, Spanned};
use crate::source_map::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    End,
    Goto,
    Retry,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::End => "end",
            ActionKind::Goto => "goto",
            ActionKind::Retry => "retry",
        }
    }
}

/// A success or failure action. Success actions never carry `retry`, `retryAfter` or
/// `retryLimit`; the loader rejects those.
#[derive(Debug, Clone)]
pub struct Action {
    pub name: Spanned<String>,
    pub kind: Spanned<ActionKind>,
    pub workflow_id: Option<Spanned<String>>,
    pub step_id: Option<Spanned<String>>,
    pub retry_after: Option<Spanned<f64>>,
    pub retry_limit: Option<Spanned<u64>>,
    /// 1.1: inputs for the workflow a `goto` or `retry` runs.
    pub parameters: Vec<super::ParameterOrRef>,
    pub criteria: Vec<Criterion>,
    pub span: Span,
    pub extensions: Extensions,
}

#[derive(Debug, Clone)]
pub enum ActionOrRef {
    Action(Action),
    Reusable(Reusable),
}

pub type ActionList = Vec<ActionOrRef>;

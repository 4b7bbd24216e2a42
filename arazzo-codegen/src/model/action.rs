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

/// The actions of `list`, Reusable references resolved against `components` (one that names
/// nothing is left out: the checks report it).
pub fn resolved<'w>(
    components: &'w super::Components,
    list: &'w [ActionOrRef],
    success: bool,
) -> Vec<&'w Action> {
    list.iter()
        .filter_map(|a| match a {
            ActionOrRef::Action(a) => Some(a),
            ActionOrRef::Reusable(r) => {
                let (prefix, map) = if success {
                    ("$components.successActions.", &components.success_actions)
                } else {
                    ("$components.failureActions.", &components.failure_actions)
                };
                r.reference
                    .value
                    .strip_prefix(prefix)
                    .and_then(|n| map.get(n))
                    .map(|c| &c.value)
            }
        })
        .collect()
}

/// A step's actions, then its workflow's whose names the step does not reuse: a step "can
/// override but not remove" them.
pub fn merged<'w>(own: Vec<&'w Action>, shared: &[&'w Action]) -> Vec<&'w Action> {
    let mut all = own;
    for a in shared {
        if !all.iter().any(|b| b.name.value == a.name.value) {
            all.push(a);
        }
    }
    all
}

//! The statuses a step can succeed on, as far as its criteria say: a response body is typed
//! from one response, and any other response the step may succeed on can lack what it holds.

use std::collections::BTreeSet;

use crate::expr::condition::condition;
use crate::expr::{CmpOp, Condition, Literal, Operand, Root};
use crate::model::{CriterionType, Step};

/// The statuses `step` can succeed on, when a `simple` criterion pins them (every criterion must
/// hold, so the pinned sets intersect); `None` when no criterion does, and any status the
/// description declares as a success (2xx) may end the step successfully.
pub fn statuses(step: &Step) -> Option<BTreeSet<u16>> {
    let mut pinned: Option<BTreeSet<u16>> = None;
    for criterion in &step.success_criteria {
        if !matches!(criterion.kind.value, CriterionType::Simple) || criterion.context.is_some() {
            continue;
        }
        let Ok(parsed) = condition(&criterion.condition.value) else {
            continue;
        };
        if let Some(set) = of(&parsed.condition) {
            pinned = Some(match pinned {
                Some(known) => known.intersection(&set).copied().collect(),
                None => set,
            });
        }
    }
    pinned
}

/// An upper bound of the statuses under which `c` can hold, when it has one.
fn of(c: &Condition) -> Option<BTreeSet<u16>> {
    match c {
        Condition::Or(a, b) => {
            let mut set = of(a)?;
            set.extend(of(b)?);
            Some(set)
        }
        Condition::And(a, b) => match (of(a), of(b)) {
            (Some(x), Some(y)) => Some(x.intersection(&y).copied().collect()),
            (Some(x), None) | (None, Some(x)) => Some(x),
            (None, None) => None,
        },
        Condition::Compare {
            lhs,
            op: CmpOp::Eq,
            rhs,
        } => match (status_code(lhs), number(rhs), number(lhs), status_code(rhs)) {
            (true, Some(n), _, _) | (_, _, Some(n), true) => Some(BTreeSet::from([n])),
            _ => None,
        },
        Condition::Not(_) | Condition::Compare { .. } | Condition::Operand(_) => None,
    }
}

fn status_code(o: &Operand) -> bool {
    matches!(o, Operand::Expression(e)
        if e.root == Root::StatusCode && e.pointer.is_none() && e.path.is_empty())
}

fn number(o: &Operand) -> Option<u16> {
    match o {
        Operand::Literal {
            value: Literal::Number(n),
            ..
        } if n.fract() == 0.0 && (100.0..600.0).contains(n) => Some(*n as u16),
        _ => None,
    }
}

/// The response key that describes `status`: the exact code, else its range (`4XX`), else
/// `default`.
pub fn response_key<'k>(
    keys: impl Iterator<Item = &'k str> + Clone,
    status: u16,
) -> Option<&'k str> {
    let exact = status.to_string();
    let range = format!("{}XX", status / 100);
    keys.clone()
        .find(|k| *k == exact)
        .or_else(|| keys.clone().find(|k| k.eq_ignore_ascii_case(&range)))
        .or_else(|| keys.clone().find(|k| *k == "default"))
}

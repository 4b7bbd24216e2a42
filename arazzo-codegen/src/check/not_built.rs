//! Arazzo 1.1 fields that are read and checked but not compiled yet: each is a located
//! `unsupported-feature` error, never wrong code. Entries leave this list as they are built.

use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Selector, Workflow};
use crate::node::{Node, Value};
use crate::source_map::Span;

pub fn check_workflow(ctx: &mut Ctx<'_>, workflow: &Workflow) {
    let mut found: Vec<(Span, &str)> = Vec::new();
    for step in &workflow.steps {
        for o in &step.outputs {
            selectors(&o.value, false, &mut found);
        }
        for p in step.parameters.iter().filter_map(|p| match p {
            crate::model::ParameterOrRef::Parameter(p) => Some(p),
            crate::model::ParameterOrRef::Reusable(_) => None,
        }) {
            selectors(&p.value, false, &mut found);
        }
        if let Some(body) = &step.request_body {
            if let Some(payload) = &body.payload {
                selectors(payload, true, &mut found);
            }
            for r in &body.replacements {
                selectors(&r.value, false, &mut found);
            }
        }
    }
    for o in &workflow.outputs {
        selectors(&o.value, false, &mut found);
    }
    for (span, what) in found {
        ctx.push(
            Diagnostic::new(
                Code::UnsupportedFeature,
                format!("{what} (Arazzo 1.1) is not compiled yet"),
            )
            .at(span)
            .label("read and checked, not compiled yet")
            .note("arazzo-rs is adding Arazzo 1.1 features one by one; this one is next"),
        );
    }
}

fn selectors(node: &Node, nested: bool, found: &mut Vec<(Span, &'static str)>) {
    if let Some(s) = Selector::of(node) {
        if matches!(crate::expr::selector::kind_of(s.kind), Some(("xpath", _))) {
            found.push((node.span, "an XPath Selector Object"));
        }
        return;
    }
    if !nested {
        return;
    }
    match &node.value {
        Value::Map(map) => map
            .entries
            .iter()
            .for_each(|e| selectors(&e.value, true, found)),
        Value::Seq(items) => items.iter().for_each(|n| selectors(n, true, found)),
        _ => {}
    }
}

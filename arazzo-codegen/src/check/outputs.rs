//! Outputs name run-time values: a runtime expression, or (1.1) a Selector Object. A literal
//! is not an output; documents written for other runners use `null` as a placeholder, which
//! lenient compatibility reads as the constant it is.

use super::Ctx;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{ArazzoVersion, Output, Selector, Workflow};
use crate::node::Value;
use crate::settings::Compatibility;

pub fn check_workflow(ctx: &mut Ctx<'_>, workflow: &Workflow) {
    let step_outputs = workflow.steps.iter().flat_map(|s| &s.outputs);
    for output in workflow.outputs.iter().chain(step_outputs) {
        literal(ctx, output);
    }
}

fn literal(ctx: &mut Ctx<'_>, output: &Output) {
    let value = &output.value;
    if matches!(value.value, Value::String(_)) || Selector::of(value).is_some() {
        return;
    }
    let expected = match ctx.document.version {
        ArazzoVersion::V1_0 => "a runtime expression",
        ArazzoVersion::V1_1 => "a runtime expression or a Selector Object",
    };
    let message = format!(
        "output `{}` is {}, not {expected}",
        output.name.value,
        value.kind()
    );
    let d = if ctx.settings.compatibility == Compatibility::Lenient
        && !matches!(value.value, Value::Seq(_) | Value::Map(_))
    {
        Diagnostic::new(Code::RunnerShorthand, message)
            .at(value.span)
            .label("read as this constant")
    } else {
        Diagnostic::new(Code::WrongType, message)
            .at(value.span)
            .label(format!("expected {expected}"))
            .help("name where the value comes from, such as `$response.body#/id`, or remove the output")
    };
    ctx.push(d);
}

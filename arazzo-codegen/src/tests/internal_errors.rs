//! A broken invariant between the planner and the emitter is reported as an internal error
//! (a bug to report), never as a panic or as code that means something else.

use crate::diagnostics::Code;
use crate::report::Analysis;
use crate::settings::Settings;

#[test]
fn a_name_that_is_not_an_identifier_is_an_internal_error_not_a_panic() {
    skip_when_packaged!();
    let settings = Settings::default();
    let analysis = Analysis::run(
        "../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml".as_ref(),
        &settings,
    );
    let mut plan = crate::plan::plan(&analysis.project, &analysis.index, &settings)
        .unwrap_or_else(|d| panic!("{d:?}"));
    if let Some(w) = plan.workflows.first_mut() {
        w.module = "not an identifier".to_owned();
    }
    let Err(diagnostics) = crate::emit::emit(&plan) else {
        panic!("wrong code was emitted");
    };
    let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::InternalError]);
    let d = diagnostics.iter().next().unwrap_or_else(|| unreachable!());
    assert!(d.message.contains("not an identifier"), "{}", d.message);
    assert!(d.help.as_deref().is_some_and(|h| h.contains("report")));
}

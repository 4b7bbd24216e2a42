//! A document using every construct the checks read: no false alarms, nothing lost on the way in.

use crate::load::{OpenApiId, SourceTarget};
use crate::model::{ActionOrRef, ParameterOrRef, StepTarget};
use crate::{Settings, check_file};

fn report() -> crate::Report {
    check_file(
        "../fixtures/valid/every-feature.arazzo.yaml".as_ref(),
        &Settings::default(),
    )
}

#[test]
fn every_feature_checks_cleanly() {
    skip_when_packaged!();
    let report = report();
    assert!(report.diagnostics.is_empty(), "{}", report.render());
}

#[test]
fn extensions_are_kept_on_every_object() {
    skip_when_packaged!();
    let report = report();
    let doc = &report
        .project
        .arazzo
        .first()
        .unwrap_or_else(|| panic!("{}", report.render()))
        .document;
    assert!(doc.info.extensions.contains_key("x-owner"));
    assert!(
        doc.source_descriptions
            .first()
            .is_some_and(|s| s.extensions.contains_key("x-note"))
    );
    let workflow = doc
        .workflows
        .first()
        .unwrap_or_else(|| panic!("no workflow"));
    assert!(workflow.extensions.contains_key("x-team"));
    assert!(
        workflow
            .steps
            .first()
            .is_some_and(|s| s.extensions.contains_key("x-trace"))
    );
    assert!(doc.components.extensions.contains_key("x-generated-by"));
}

#[test]
fn steps_reusables_and_sources_are_read_as_written() {
    skip_when_packaged!();
    let report = report();
    let loaded = report
        .project
        .arazzo
        .first()
        .unwrap_or_else(|| panic!("{}", report.render()));
    let sources: Vec<SourceTarget> = loaded.sources.iter().map(|s| s.target).collect();
    assert_eq!(
        sources,
        [
            SourceTarget::OpenApi(OpenApiId(0)),
            SourceTarget::OpenApi(OpenApiId(1))
        ]
    );
    let workflow = loaded
        .document
        .workflows
        .first()
        .unwrap_or_else(|| panic!("no workflow"));
    let targets: Vec<String> = workflow
        .steps
        .iter()
        .map(|s| match &s.target {
            Some(StepTarget::OperationId(t)) => format!("operationId {}", t.value),
            Some(StepTarget::OperationPath(t)) => format!("operationPath {}", t.value),
            Some(StepTarget::WorkflowId(t)) => format!("workflowId {}", t.value),
            Some(StepTarget::ChannelPath(t)) => format!("channelPath {}", t.value),
            None => "none".to_owned(),
        })
        .collect();
    assert_eq!(
        targets,
        [
            "operationId $sourceDescriptions.petstore.listPets",
            "operationPath {$sourceDescriptions.petstore.url}#/paths/~1pets~1{petId}/get",
            "operationId $sourceDescriptions.store.listPets",
            "operationId deletePet",
        ]
    );
    let list = workflow.steps.first().unwrap_or_else(|| panic!("no step"));
    let Some(ParameterOrRef::Reusable(reusable)) = list.parameters.first() else {
        panic!("expected a Reusable parameter");
    };
    assert_eq!(reusable.reference.value, "$components.parameters.limit");
    assert_eq!(
        reusable.value.as_ref().and_then(|v| v.as_str()),
        Some("$inputs.pageSize")
    );
    let read = workflow
        .steps
        .get(1)
        .unwrap_or_else(|| panic!("no second step"));
    let Some(ActionOrRef::Action(retry)) = read.on_failure.get(1) else {
        panic!("expected an inline retry action");
    };
    assert_eq!(retry.retry_after.as_ref().map(|r| r.value), Some(0.5));
    assert_eq!(retry.retry_limit.as_ref().map(|r| r.value), Some(3));
}

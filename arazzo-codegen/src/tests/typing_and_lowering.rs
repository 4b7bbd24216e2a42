//! Expression types from real schemas, and the lowered form the generator reads.

use crate::expr;
use crate::index::OperationIndex;
use crate::load::ArazzoId;
use crate::model::{Step, Workflow};
use crate::plan::{Cond, Lowerer, Source};
use crate::types::Typer;
use crate::{JsonPathDialect, Report, Settings, check_file};

fn load(path: &str) -> Report {
    let report = check_file(path.as_ref(), &Settings::default());
    assert!(!report.has_errors(), "{}", report.render());
    report
}

fn workflow<'r>(report: &'r Report, id: &str) -> &'r Workflow {
    report
        .project
        .arazzo
        .first()
        .and_then(|d| {
            d.document
                .workflows
                .iter()
                .find(|w| w.workflow_id.value == id)
        })
        .unwrap_or_else(|| panic!("no workflow {id}"))
}

fn step<'w>(workflow: &'w Workflow, id: &str) -> &'w Step {
    workflow
        .steps
        .iter()
        .find(|s| s.step_id.value == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

/// `(step or "" for workflow level, expression, type)`.
fn assert_types(report: &Report, workflow_id: &str, cases: &[(&str, &str, &str)]) {
    let index = OperationIndex::build(&report.project);
    let typer = Typer::new(&report.project, &index);
    let workflow = workflow(report, workflow_id);
    for (step_id, text, expected) in cases {
        let at = (!step_id.is_empty()).then(|| step(workflow, step_id));
        let e = expr::expression(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let ty = typer.type_of(ArazzoId(0), workflow, at, &e);
        assert_eq!(&ty.to_string(), expected, "{text} in step {step_id:?}");
    }
}

#[test]
fn twilio_expressions_are_typed_from_the_openapi_schemas() {
    skip_when_packaged!();
    let report = load("../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml");
    assert_types(
        &report,
        "create-conversation-with-webhook",
        &[
            ("createConversation", "$statusCode", "integer"),
            ("createConversation", "$url", "string"),
            ("createConversation", "$method", "string"),
            ("createConversation", "$response.header.Location", "string?"),
            ("createConversation", "$response.body#/sid", "string?"),
            ("createConversation", "$response.body#/state", "string?"),
            (
                "createConversation",
                "$response.body#/date_created",
                "string?",
            ),
            ("createConversation", "$response.body", "object"),
            ("attachWebhook", "$response.body#/configuration", "object?"),
            ("attachWebhook", "$response.body#/sid", "string?"),
            ("attachWebhook", "$request.body#/Target", "string"),
            (
                "attachWebhook",
                "$request.body#/Configuration.Filters",
                "array<string>?",
            ),
            (
                "attachWebhook",
                "$request.body#/Configuration.ReplayAfter",
                "integer?",
            ),
            ("", "$inputs.target", "string"),
            ("", "$inputs.configurationUrl", "string"),
            ("", "$inputs.friendlyName", "string?"),
            ("", "$inputs.configurationMethod", "string?"),
            ("", "$inputs", "object"),
            (
                "",
                "$steps.createConversation.outputs.conversationSid",
                "string?",
            ),
            ("", "$steps.attachWebhook.outputs.webhookSid", "string?"),
            (
                "",
                "$workflows.create-conversation-with-webhook.outputs.webhookSid",
                "string?",
            ),
            (
                "",
                "$workflows.create-conversation-with-webhook.inputs.target",
                "string",
            ),
            ("", "$sourceDescriptions.conversations.url", "string"),
        ],
    );
}

#[test]
fn navigation_through_refs_arrays_and_optional_members() {
    skip_when_packaged!();
    let report = load("../fixtures/valid/every-feature.arazzo.yaml");
    assert_types(
        &report,
        "adopt-pet",
        &[
            ("read", "$response.body", "object"),
            ("read", "$response.body#/id", "integer"),
            ("read", "$response.body#/name", "string"),
            ("read", "$response.body#/status", "string?"),
            ("read", "$response.body#/tags", "array<string>?"),
            ("read", "$response.body#/tags/0", "string?"),
            ("read", "$response.body.tags[1]", "string?"),
            ("read", "$response.body#/unknown", "json"),
            ("list", "$response.body#/pets/0/id", "json"),
            ("", "$inputs.pageSize", "integer?"),
            ("", "$inputs.owner", "object?"),
            ("", "$inputs.owner.name", "string?"),
            ("", "$inputs.owner#/name", "string?"),
            ("", "$steps.read.outputs.pet", "object"),
            ("", "$steps.read.outputs.pet#/name", "string"),
            ("", "$steps.read.outputs.pet.tags", "array<string>?"),
            ("", "$steps.list.outputs.firstId", "json"),
        ],
    );
    assert_types(
        &report,
        "adopt-twice",
        &[
            // `adopt-pet` may end before `read` sets `pet` (`nothing-found`): absent then.
            ("again", "$outputs.pet", "object?"),
            ("again", "$outputs.pet#/id", "integer?"),
            ("", "$steps.again.outputs.pet#/name", "string?"),
            ("", "$workflows.adopt-pet.outputs.pet#/status", "string?"),
        ],
    );
}

#[test]
fn expressions_lower_to_a_source_and_pointer_tokens() {
    skip_when_packaged!();
    let report = load("../fixtures/valid/every-feature.arazzo.yaml");
    let index = OperationIndex::build(&report.project);
    let typer = Typer::new(&report.project, &index);
    let settings = Settings::default();
    let wf = workflow(&report, "adopt-pet");
    let lowerer = Lowerer {
        typer: &typer,
        settings: &settings,
        doc: ArazzoId(0),
        workflow: wf,
    };
    let read = Some(step(wf, "read"));
    let cases: &[(&str, Source, &[&str])] = &[
        ("$inputs.owner.name", Source::Inputs, &["owner", "name"]),
        ("$inputs.owner#/name", Source::Inputs, &["owner", "name"]),
        ("$inputs", Source::Inputs, &[]),
        (
            "$response.body.tags[0]",
            Source::ResponseBody,
            &["tags", "0"],
        ),
        (
            "$response.body#/a~1b/c~0d",
            Source::ResponseBody,
            &["a/b", "c~d"],
        ),
        ("$statusCode", Source::StatusCode, &[]),
        (
            "$response.header.Location",
            Source::ResponseHeader("Location".into()),
            &[],
        ),
        (
            "$steps.list.outputs.firstId",
            Source::StepOutput {
                step: "list".into(),
                output: "firstId".into(),
                field: None,
            },
            &[],
        ),
        (
            "$steps.read.outputs.pet.name",
            Source::StepOutput {
                step: "read".into(),
                output: "pet".into(),
                field: None,
            },
            &["name"],
        ),
        (
            "$workflows.adopt-pet.outputs.pet#/id",
            Source::WorkflowOutput {
                workflow: "adopt-pet".into(),
                output: "pet".into(),
            },
            &["id"],
        ),
        (
            "$sourceDescriptions.petstore.url",
            Source::Constant("../invalid/support/petstore.openapi.yaml".into()),
            &[],
        ),
    ];
    for (text, source, pointer) in cases {
        let e = expr::expression(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let lowered = lowerer.expression(&e, read);
        assert_eq!(&lowered.source, source, "{text}");
        assert_eq!(lowered.pointer, *pointer, "{text}");
        assert_eq!(lowered.text, e.to_string());
    }
}

#[test]
fn criteria_lower_to_flat_condition_trees() {
    skip_when_packaged!();
    let report = load("../fixtures/valid/every-feature.arazzo.yaml");
    let index = OperationIndex::build(&report.project);
    let typer = Typer::new(&report.project, &index);
    let settings = Settings::default();
    let wf = workflow(&report, "adopt-pet");
    let list = step(wf, "list");
    let lowerer = Lowerer {
        typer: &typer,
        settings: &settings,
        doc: ArazzoId(0),
        workflow: wf,
    };
    let criteria = &list.success_criteria;
    let simple = lowerer
        .criterion(&criteria[0], Some(list))
        .unwrap_or_else(|e| panic!("{e:?}"));
    // `$statusCode == 200` compares the status as the integer it is.
    assert_eq!(
        simple,
        Cond::Status {
            op: crate::expr::CmpOp::Eq,
            value: 200
        }
    );

    let jsonpath = lowerer
        .criterion(&criteria[1], Some(list))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        jsonpath,
        Cond::JsonPath {
            value: lowerer.expression(
                &expr::expression("$response.body").unwrap_or_else(|e| panic!("{e:?}")),
                Some(list)
            ),
            query: "$[?count(@.pets) > 0]".to_owned(),
            name: String::new(),
        }
    );
    let regex = lowerer
        .criterion(&criteria[2], Some(list))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        matches!(&regex, Cond::Regex { pattern, value, .. } if pattern == r"^2\d\d$" && value.source == Source::StatusCode),
        "{regex:?}"
    );
}

#[test]
fn the_lenient_dialect_lowers_bare_comparisons_to_context_filters() {
    skip_when_packaged!();
    let settings = Settings::default().with_jsonpath_dialect(JsonPathDialect::Lenient);
    let report = check_file(
        "../fixtures/invalid/invalid-jsonpath--bare-comparison.arazzo.yaml".as_ref(),
        &settings,
    );
    assert!(!report.has_errors(), "{}", report.render());
    let index = OperationIndex::build(&report.project);
    let typer = Typer::new(&report.project, &index);
    let wf = workflow(&report, "main");
    let list = step(wf, "list");
    let lowerer = Lowerer {
        typer: &typer,
        settings: &settings,
        doc: ArazzoId(0),
        workflow: wf,
    };
    let lowered = lowerer
        .criterion(&list.success_criteria[0], Some(list))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let Cond::JsonPath { query, .. } = lowered else {
        panic!("{lowered:?}")
    };
    // A root filter, which the runtime also applies to the context itself.
    assert_eq!(query, "$[?@.status != 'sold']");
}

#[test]
fn chains_of_or_and_and_flatten() {
    skip_when_packaged!();
    let report = load("../fixtures/valid/every-feature.arazzo.yaml");
    let index = OperationIndex::build(&report.project);
    let typer = Typer::new(&report.project, &index);
    let settings = Settings::default();
    let wf = workflow(&report, "adopt-pet");
    let lowerer = Lowerer {
        typer: &typer,
        settings: &settings,
        doc: ArazzoId(0),
        workflow: wf,
    };
    let mut criterion = step(wf, "list").success_criteria[0].clone();
    criterion.condition.value = "$statusCode == 200 || $statusCode == 201 || ($url != null && $method == 'GET' && !$response.body#/x)".to_owned();
    let lowered = lowerer
        .criterion(&criterion, Some(step(wf, "list")))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let Cond::Any(options) = lowered else {
        panic!("{lowered:?}")
    };
    assert_eq!(options.len(), 3);
    let Some(Cond::All(parts)) = options.get(2) else {
        panic!("{options:?}")
    };
    assert_eq!(parts.len(), 3);
    assert!(matches!(parts.get(2), Some(Cond::Not(_))));
}

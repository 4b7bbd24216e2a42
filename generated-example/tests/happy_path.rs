//! The mock's default answers run the happy path. Arazzo 1.1.0, Step Object: `successCriteria`
//! is "A list of assertions to determine the success of the step. Each assertion is described
//! using a Criterion Object. All assertions MUST be satisfied for the step to be deemed
//! successful." So each operation's default answer is chosen to satisfy the criteria of the
//! step that calls it, where they can be read (docs/decisions.md, "The mock's happy path"):
//! a polling step whose description's first `enum` value is `validating` no longer waits 720
//! times 5 seconds.

use std::time::Duration;

use arazzo_runtime::mock::Answer;
use serde_json::json;

mod batches {
    arazzo_macros::arazzo!("../fixtures/codegen/polling.arazzo.yaml");
}

fn input() -> batches::RunBatchInput {
    batches::RunBatchInput {
        file_id: "file-in".to_owned(),
    }
}

#[tokio::test]
async fn a_polling_workflow_ends_at_the_first_answer_with_no_set_up() {
    let mock = batches::mock::Mock::start().await;
    let client = batches::Client::new().with_mock(&mock);

    let output = client.run_batch(input()).await.unwrap();

    // The poll's criteria: `$statusCode == 200 && $response.body#/request_counts/completed >= 1`,
    // `$response.body#/status == 'completed'`, and a regex `^file-[a-z0-9]{6,}$` on
    // `output_file_id`; the list's jsonpath `$[?@.status == 'completed']` on `data`.
    let file = output.output_file.unwrap_or_default();
    assert!(file.starts_with("file-") && file.len() >= 11, "{file}");
    assert_eq!(mock.get_batch().calls(), 1);
    assert_eq!(mock.list_batches().calls(), 1);
    assert!(mock.waits().is_empty(), "{:?}", mock.waits());
    mock.verify();
}

#[tokio::test]
async fn programmed_polling_records_its_waits_instead_of_sleeping() {
    let mock = batches::mock::Mock::start().await;
    let running = json!({"id": "b1", "status": "in_progress", "request_counts": {"completed": 0}});
    let done = json!({"id": "b1", "status": "completed", "output_file_id": "file-abcdef",
        "request_counts": {"completed": 3}});
    mock.get_batch().answers([
        Answer::status(200).json(running.clone()),
        Answer::status(200).json(running),
        Answer::status(200).json(done),
    ]);
    let client = batches::Client::new().with_mock(&mock);

    let output = client.run_batch(input()).await.unwrap();

    assert_eq!(output.output_file.as_deref(), Some("file-abcdef"));
    // `retryAfter: 5`, twice: recorded by the mock's sleeper, which returns at once.
    assert_eq!(
        mock.waits(),
        [Duration::from_secs(5), Duration::from_secs(5)]
    );
    assert_eq!(mock.get_batch().calls(), 3);
}

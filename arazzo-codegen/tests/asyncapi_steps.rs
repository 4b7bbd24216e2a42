//! Steps that send or receive AsyncAPI messages, checked against their descriptions (3.0 and
//! 2.6): which way a workflow may go on an operation, the reply of an operation, channel
//! parameters, and what `$message` reads. Each mistake is one located diagnostic.

use std::path::{Path, PathBuf};

use arazzo_codegen::{Report, Settings, check_file};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/asyncapi")
        .join(name)
}

/// Checks a workflow written against the AsyncAPI fixture `description` (source `api`).
fn check_steps(test: &str, description: &str, steps: &str) -> Report {
    let dir = std::env::temp_dir().join(format!("arazzo-asyncapi-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let doc = format!(
        "arazzo: 1.1.0\ninfo: {{title: Messages, version: 1.0.0}}\nsourceDescriptions:\n  - name: api\n    url: {}\n    type: asyncapi\nworkflows:\n  - workflowId: flow\n    inputs:\n      type: object\n      properties:\n        id: {{type: string}}\n    steps:\n{steps}",
        fixture(description).display()
    );
    let path = dir.join("flow.arazzo.yaml");
    std::fs::write(&path, doc).unwrap_or_else(|e| panic!("{e}"));
    let report = check_file(&path, &Settings::default());
    let _ = std::fs::remove_dir_all(&dir);
    report
}

/// The codes of the diagnostics, but for the input every test workflow declares.
fn codes(report: &Report) -> Vec<&'static str> {
    report
        .diagnostics()
        .iter()
        .map(|d| d.code.as_str())
        .filter(|c| *c != "unused-input")
        .collect()
}

#[test]
fn the_message_fixtures_check_cleanly() {
    for name in ["pet-purchase.arazzo.yaml", "kitchen.arazzo.yaml"] {
        let report = check_file(&fixture(name), &Settings::default());
        assert!(
            report.diagnostics().is_empty(),
            "{name}:\n{}",
            report.render()
        );
    }
}

#[test]
fn receiving_on_an_operation_with_a_reply_receives_the_reply() {
    // `placeOrder` is an operation the service receives; a workflow receiving on it gets its
    // reply, whose payload has `orderId` (an integer) and no `petId`.
    let report = check_steps(
        "reply",
        "pet-orders.asyncapi.yaml",
        "      - stepId: confirmed\n        operationId: placeOrder\n        action: receive\n        correlationId: $inputs.id\n        timeout: 1000\n        successCriteria:\n          - condition: $message.payload.orderId == 'seven'\n        outputs:\n          pet: $message.payload#/petId\n",
    );
    assert_eq!(
        codes(&report),
        ["incomparable-types", "pointer-outside-schema"],
        "{}",
        report.render()
    );
    let rendered = report.render();
    assert!(rendered.contains("`petId`"), "{rendered}");
}

#[test]
fn asyncapi_2_clients_send_on_publish_and_receive_on_subscribe() {
    let report = check_steps(
        "v2-directions",
        "kitchen.asyncapi.yaml",
        "      - stepId: wrongWay\n        operationId: dishReady\n        action: send\n        requestBody:\n          payload: {ticketId: t1, dish: soup}\n      - stepId: alsoWrong\n        operationId: submitTicket\n        action: receive\n        parameters:\n          - {name: station, in: channel, value: grill}\n        timeout: 1000\n",
    );
    assert_eq!(
        codes(&report),
        ["message-action", "message-action"],
        "{}",
        report.render()
    );
    let rendered = report.render();
    assert!(
        rendered.contains("operation `dishReady` lets a workflow receive, not send"),
        "{rendered}"
    );
    assert!(
        rendered.contains("the description says `subscribe`"),
        "{rendered}"
    );
    assert!(
        rendered.contains("operation `submitTicket` lets a workflow send, not receive"),
        "{rendered}"
    );
}

#[test]
fn channel_parameters_fill_the_address_and_are_all_needed() {
    let report = check_steps(
        "channel-parameters",
        "kitchen.asyncapi.yaml",
        "      - stepId: submit\n        operationId: submitTicket\n        action: send\n        parameters:\n          - {name: stations, in: channel, value: grill}\n        requestBody:\n          payload: {dish: soup, table: 4}\n",
    );
    assert_eq!(
        codes(&report),
        ["missing-parameter", "unknown-parameter"],
        "{}",
        report.render()
    );
    let rendered = report.render();
    assert!(rendered.contains("did you mean `station`?"), "{rendered}");
    assert!(rendered.contains("`station` (channel)"), "{rendered}");
    assert!(rendered.contains("kitchen.tickets.{station}"), "{rendered}");
}

#[test]
fn message_reads_only_what_a_receive_step_got() {
    let report = check_steps(
        "message-scope",
        "kitchen.asyncapi.yaml",
        "      - stepId: submit\n        operationId: submitTicket\n        action: send\n        parameters:\n          - {name: station, in: channel, value: $message.header.station}\n        requestBody:\n          payload: {dish: soup, table: 4}\n        outputs:\n          sent: $message.payload\n",
    );
    assert_eq!(
        codes(&report),
        ["expression-scope", "expression-scope"],
        "{}",
        report.render()
    );
    let rendered = report.render();
    assert!(
        rendered.contains("no message has been received while a step is being prepared"),
        "{rendered}"
    );
    assert!(rendered.contains("step `submit` sends one"), "{rendered}");
}

#[test]
fn a_payload_must_fit_one_of_the_messages_a_channel_carries() {
    let report = check_steps(
        "payload",
        "kitchen.asyncapi.yaml",
        "      - stepId: submit\n        operationId: submitTicket\n        action: send\n        parameters:\n          - {name: station, in: channel, value: grill}\n        requestBody:\n          payload: {dish: 12, table: $inputs.id}\n",
    );
    assert_eq!(
        codes(&report),
        ["payload-schema", "payload-schema"],
        "{}",
        report.render()
    );
    let rendered = report.render();
    assert!(
        rendered.contains("member `dish` is an integer, where the schema wants a string"),
        "{rendered}"
    );
    // `$inputs.id` is a string: typed like any expression, and found not to fit.
    assert!(
        rendered.contains("member `table` is a string, where the schema wants an integer"),
        "{rendered}"
    );
}

#[test]
fn messages_in_another_file_are_followed_by_their_refs() {
    let dir = std::env::temp_dir().join(format!("arazzo-asyncapi-refs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    };
    write(
        "greetings.asyncapi.yaml",
        "asyncapi: 3.0.0\ninfo: {title: Greetings, version: 1.0.0}\nchannels:\n  hello:\n    address: greetings\n    messages:\n      greeting:\n        $ref: 'messages/greeting.yaml#/Greeting'\noperations:\n  greet:\n    action: receive\n    channel: {$ref: '#/channels/hello'}\n",
    );
    std::fs::create_dir_all(dir.join("messages")).unwrap_or_else(|e| panic!("{e}"));
    write(
        "messages/greeting.yaml",
        "Greeting:\n  payload:\n    type: object\n    required: [name]\n    properties:\n      name: {type: string}\n",
    );
    write(
        "flow.arazzo.yaml",
        "arazzo: 1.1.0\ninfo: {title: Greet, version: 1.0.0}\nsourceDescriptions:\n  - {name: api, url: greetings.asyncapi.yaml, type: asyncapi}\nworkflows:\n  - workflowId: greet\n    steps:\n      - stepId: greet\n        operationId: greet\n        action: send\n        requestBody:\n          payload: {name: 42}\n",
    );
    let report = check_file(&dir.join("flow.arazzo.yaml"), &Settings::default());
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(codes(&report), ["payload-schema"], "{}", report.render());
    let rendered = report.render();
    assert!(
        rendered.contains("member `name` is an integer, where the schema wants a string"),
        "{rendered}"
    );
}

#[test]
fn a_receive_address_must_be_known_when_the_run_starts() {
    let report = check_steps(
        "late-address",
        "kitchen.asyncapi.yaml",
        "      - stepId: submit\n        operationId: submitTicket\n        action: send\n        parameters:\n          - {name: station, in: channel, value: grill}\n        requestBody:\n          payload: {dish: soup, table: 4}\n        outputs:\n          station: grill\n      - stepId: listen\n        channelPath: '{$sourceDescriptions.api.url}#/channels/kitchen.tickets.{station}'\n        action: receive\n        timeout: 1000\n        parameters:\n          - {name: station, in: channel, value: $steps.submit.outputs.station}\n",
    );
    assert_eq!(codes(&report), ["expression-scope"], "{}", report.render());
    let rendered = report.render();
    assert!(
        rendered.contains("not known when the workflow starts"),
        "{rendered}"
    );
}

#[test]
fn messages_that_carry_the_correlation_id_in_different_places_are_refused() {
    let dir = std::env::temp_dir().join(format!("arazzo-asyncapi-places-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    };
    write(
        "events.asyncapi.yaml",
        "asyncapi: 3.0.0\ninfo: {title: Events, version: 1.0.0}\nchannels:\n  done:\n    address: jobs.done\n    messages:\n      byHeader:\n        correlationId: {location: '$message.header#/jobId'}\n        payload: {type: object}\n      byPayload:\n        correlationId: {location: '$message.payload#/job/id'}\n        payload: {type: object}\n",
    );
    write(
        "flow.arazzo.yaml",
        "arazzo: 1.1.0\ninfo: {title: Jobs, version: 1.0.0}\nsourceDescriptions:\n  - {name: api, url: events.asyncapi.yaml, type: asyncapi}\nworkflows:\n  - workflowId: wait\n    inputs: {type: object, properties: {job: {type: string}}}\n    steps:\n      - stepId: done\n        channelPath: '{$sourceDescriptions.api.url}#/channels/done'\n        action: receive\n        correlationId: $inputs.job\n        timeout: 1000\n",
    );
    let report = check_file(&dir.join("flow.arazzo.yaml"), &Settings::default());
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        codes(&report),
        ["missing-correlation"],
        "{}",
        report.render()
    );
    let rendered = report.render();
    assert!(
        rendered.contains("carry it in different places"),
        "{rendered}"
    );
    assert!(rendered.contains("$message.payload#/job/id"), "{rendered}");
}

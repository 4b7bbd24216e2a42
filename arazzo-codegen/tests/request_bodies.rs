//! Request bodies checked before they are sent. Arazzo 1.1.0, Request Body Object: `payload` is
//! "A value representing the request body payload. The value can be a literal value or can
//! contain Runtime Expressions which MUST be evaluated prior to calling the referenced
//! operation", and a replacement's `target` is "A JSON Pointer or XPath Expression which MUST be
//! resolved against the request body. Used to identify the location to inject the value". The
//! operation's description says what that body must be; what does not fit it is found at build
//! time (docs/decisions.md, "Request bodies held against the operation's schema").

use arazzo_codegen::{Report, Settings, check_file};

fn check(name: &str) -> Report {
    check_file(
        format!("../fixtures/invalid/{name}").as_ref(),
        &Settings::default(),
    )
}

/// `(code, line, message, help)` of every diagnostic.
fn seen(report: &Report) -> Vec<(String, usize, String, String)> {
    report
        .diagnostics()
        .iter()
        .map(|d| {
            let line = report.location(d).map_or(0, |l| l.line);
            let help = d.help.clone().unwrap_or_default();
            (d.code.to_string(), line, d.message.clone(), help)
        })
        .collect()
}

#[test]
fn a_body_that_cannot_be_what_the_operation_takes_is_an_error_at_its_value() {
    let report = check("payload-schema--request-body.arazzo.yaml");
    let seen = seen(&report);
    let expected = [
        (
            25,
            "member `input_file_id` is an integer, where the schema wants a string",
            "declare input `fileId` with `type: string`",
        ),
        (
            26,
            "member `endpoint` is not one of the values the schema allows",
            r#"allowed: "/v1/responses", "/v1/chat/completions", "/v1/embeddings""#,
        ),
        // The required member is missing because a present one is that member, misspelt: said
        // once, on the misspelt member, with the name it should have.
        (
            27,
            "the schema requires member `completion_window`, which is missing; `completion_windw` is not declared",
            "did you mean `completion_window`?",
        ),
        // A replacement's value against the member its pointer reaches.
        (
            41,
            "the replacement for `/completion_window` is an integer, where the schema wants a string",
            "",
        ),
    ];
    assert_eq!(seen.len(), expected.len(), "{seen:#?}");
    for ((code, line, message, help), (want_line, want_message, want_help)) in
        seen.iter().zip(expected)
    {
        assert_eq!(code, "payload-schema");
        assert_eq!(*line, want_line, "{message}");
        assert_eq!(
            *message,
            format!("the request body does not fit the schema of POST /batches: {want_message}")
        );
        assert_eq!(help, want_help);
    }
    assert!(report.has_errors());
}

#[test]
fn members_the_schema_does_not_declare_are_warnings_with_what_was_meant() {
    let report = check("undeclared-member--request-body.arazzo.yaml");
    let seen = seen(&report);
    // A form body sends every value as text: `index: "3"` where the schema says integer is
    // what goes on the wire for 3, and is not reported.
    assert_eq!(seen.len(), 2, "{seen:#?}");
    let of = "the schema of the request body of POST /threads/{thread_id}/messages";
    assert_eq!(
        seen[0],
        (
            "undeclared-member".to_owned(),
            32,
            format!("member `thread_id` is not declared by {of}"),
            "`thread_id` is a path parameter of POST /threads/{thread_id}/messages: give it in \
             the step's `parameters` with `in: path`"
                .to_owned()
        )
    );
    assert_eq!(
        seen[1],
        (
            "undeclared-member".to_owned(),
            33,
            format!("member `atributes` is not declared by {of}"),
            "did you mean `attributes`?".to_owned()
        )
    );
    assert!(!report.has_errors());
}

/// Bodies that fit, in the shapes real documents write them, say nothing: members of `allOf`
/// parts, a body given whole by an expression, a template string, a Selector Object (1.1), an
/// object schema open to any member, and a required member a replacement adds.
#[test]
fn bodies_that_fit_say_nothing() {
    let dir = std::env::temp_dir().join(format!("arazzo-bodies-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("api.openapi.yaml"),
        r##"openapi: 3.1.0
info: {title: t, version: "1"}
servers: [{url: "https://api.example.test"}]
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - $ref: "#/components/schemas/Named"
                - type: object
                  required: [kind]
                  properties:
                    kind: {type: string, enum: [cat, dog]}
                    tags: {type: array, items: {type: string}}
      responses: {"201": {description: made}}
  /notes:
    post:
      operationId: addNote
      requestBody:
        content:
          application/json:
            schema: {type: object, additionalProperties: true, properties: {text: {type: string}}}
      responses: {"201": {description: made}}
components:
  schemas:
    Named:
      type: object
      required: [name]
      properties:
        name: {type: string}
"##,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let flow = dir.join("flow.arazzo.yaml");
    std::fs::write(
        &flow,
        r#"arazzo: 1.1.0
info: {title: fits, version: 1.0.0}
sourceDescriptions:
  - {name: api, url: api.openapi.yaml, type: openapi}
workflows:
  - workflowId: fits
    inputs:
      type: object
      properties:
        pet: {type: object}
        name: {type: string}
    steps:
      - stepId: parts
        operationId: addPet
        requestBody:
          contentType: application/json
          payload: {name: $inputs.name, kind: cat, tags: [a, b]}
      - stepId: whole
        operationId: addPet
        requestBody:
          contentType: application/json
          payload: $inputs.pet
      - stepId: template
        operationId: addPet
        requestBody:
          contentType: application/json
          payload: '{"name": "{$inputs.name}", "kind": "dog"}'
      - stepId: selected
        operationId: addPet
        requestBody:
          contentType: application/json
          payload:
            name: {context: $inputs.pet, selector: /name, type: jsonpointer}
            kind: dog
      - stepId: open
        operationId: addNote
        requestBody:
          contentType: application/json
          payload: {text: hi, colour: blue}
      - stepId: replaced
        operationId: addPet
        requestBody:
          contentType: application/json
          payload: {kind: cat}
          replacements:
            - {target: /name, value: $inputs.name}
"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let report = check_file(&flow, &Settings::default());
    let _ = std::fs::remove_dir_all(&dir);
    assert!(!report.has_errors(), "{}", report.render());
    assert!(
        report
            .diagnostics()
            .iter()
            .all(|d| !matches!(d.code.as_str(), "payload-schema" | "undeclared-member")),
        "{}",
        report.render()
    );
}

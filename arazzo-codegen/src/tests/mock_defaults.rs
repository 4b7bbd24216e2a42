//! The default answers of generated mocks, chosen at generation from each operation's
//! responses: the first 2xx (`2XX`, then `default`, as 200), its JSON media type, the media
//! type's `example`, then its first `examples` entry, then a value built from the schema.

use crate::Settings;
use crate::plan::MockRoute;

const OPENAPI: &str = r#"openapi: 3.1.0
info: {title: Defaults, version: 1.0.0}
paths:
  /a:
    get:
      operationId: mediaExample
      responses:
        '400': {description: Bad.}
        '200':
          description: With an example beside its schema.
          content:
            text/plain: {example: not chosen}
            application/json:
              schema: {type: object, properties: {a: {type: string}}}
              example: {a: from the example}
  /b:
    post:
      operationId: namedExamples
      responses:
        '201':
          description: With named examples.
          content:
            application/json:
              examples:
                first: {value: {b: 2}}
                second: {value: {b: 3}}
  /c/{id}:
    get:
      operationId: fromSchema
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        2XX:
          description: Built from the schema.
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: string, format: uuid}
                  n: {type: integer, minimum: 3}
                  tags: {type: array, items: {type: string, enum: [x, y]}}
                  secret: {type: string, writeOnly: true}
                  kind: {allOf: [{$ref: '#/components/schemas/Kind'}]}
  /tree:
    get:
      operationId: recursive
      responses:
        '200':
          description: A tree whose nodes hold nodes.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
  /d:
    delete:
      operationId: noBody
      responses:
        default:
          description: Anything else.
          content:
            application/json: {schema: {type: object}}
        '204': {description: Gone.}
components:
  schemas:
    Kind: {type: object, properties: {name: {type: string, default: plain}}}
    Node:
      type: object
      required: [name, self]
      properties:
        name: {type: string}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        parent: {$ref: '#/components/schemas/Node'}
        self: {$ref: '#/components/schemas/Node'}
"#;

const ARAZZO: &str = r#"arazzo: 1.0.1
info: {title: Defaults, version: 1.0.0}
sourceDescriptions:
  - {name: api, url: api.openapi.yaml, type: openapi}
workflows:
  - workflowId: all
    steps:
      - {stepId: a, operationId: mediaExample}
      - {stepId: b, operationId: namedExamples}
      - stepId: c
        operationId: fromSchema
        parameters: [{name: id, in: path, value: x}]
      - {stepId: d, operationId: noBody}
      - {stepId: e, operationId: recursive}
"#;

#[test]
fn default_answers_follow_the_description() {
    let dir = std::env::temp_dir().join(format!("arazzo-mock-defaults-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("api.openapi.yaml"), OPENAPI).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("flow.arazzo.yaml"), ARAZZO).unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings::default();
    let analysis = crate::report::Analysis::run(&dir.join("flow.arazzo.yaml"), &settings);
    let planned = crate::plan::plan(&analysis.project, &analysis.index, &settings);
    let _ = std::fs::remove_dir_all(&dir);
    let plan = planned.unwrap_or_else(|d| panic!("{d:?}"));
    let route = |operation: &str| -> &MockRoute {
        plan.mock
            .routes
            .iter()
            .find(|r| r.operation == operation)
            .unwrap_or_else(|| panic!("no route for {operation}"))
    };
    let answer = |operation: &str| {
        let r = route(operation);
        (r.status, r.content_type.as_str(), r.body.as_str())
    };
    assert_eq!(
        answer("mediaExample"),
        (200, "application/json", r#"{"a":"from the example"}"#)
    );
    assert_eq!(
        answer("namedExamples"),
        (201, "application/json", r#"{"b":2}"#)
    );
    assert_eq!(
        answer("fromSchema"),
        (
            200,
            "application/json",
            r#"{"id":"00000000-0000-4000-8000-000000000000","n":3,"tags":["x"],"kind":{"name":"plain"}}"#
        )
    );
    assert_eq!(answer("noBody"), (204, "", ""));
    // A schema met again inside itself stops there: an empty list, an optional member left
    // out, a required one `null`.
    assert_eq!(
        answer("recursive"),
        (
            200,
            "application/json",
            r#"{"name":"string","children":[],"self":null}"#
        )
    );
    // Each source under its own prefix; path parameters become request fields.
    let c = route("fromSchema");
    assert_eq!((c.prefix.as_str(), c.path.as_str()), ("/api", "/c/{id}"));
    assert_eq!(c.params.len(), 1);
    assert_eq!(c.params.first().map(|p| p.field.as_str()), Some("id"));
}

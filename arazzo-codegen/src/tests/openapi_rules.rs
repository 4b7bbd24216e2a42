//! Rules of OpenAPI itself that real descriptions rely on: `$ref`s inside specification
//! extensions (`x-…`) mean nothing and are not followed (the example files they name are
//! rarely shipped), while a name that only looks like one (a header `x-rate-limit`) is followed
//! as any other; header parameters named `Accept`, `Content-Type` or `Authorization` are
//! ignored, so a step need not supply them. And a parameter an operation does not declare,
//! when it is no slip of a declared name, is sent as written with a warning.

use crate::{Settings, check_file};

const OPENAPI: &str = r#"openapi: 3.1.0
info: {title: Refs, version: 1.0.0}
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: Accept, in: header, required: true, schema: {type: string}}
        - {name: authorization, in: header, required: true, schema: {type: string}}
      x-ms-examples:
        list:
          $ref: ./examples/not-shipped.json
      responses:
        '200':
          description: Items.
          headers:
            x-rate-limit:
              $ref: 'headers.yaml#/RateLimit'
"#;

const ARAZZO: &str = r#"arazzo: 1.0.1
info: {title: Refs, version: 1.0.0}
sourceDescriptions:
  - name: api
    url: api.openapi.yaml
    type: openapi
workflows:
  - workflowId: list
    steps:
      - stepId: list
        operationId: listItems
"#;

#[test]
fn refs_in_extensions_and_headers_openapi_ignores_are_ignored() {
    let dir = std::env::temp_dir().join(format!("arazzo-extension-refs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    };
    write("api.openapi.yaml", OPENAPI);
    write("headers.yaml", "RateLimit:\n  schema:\n    type: integer\n");
    write("flow.arazzo.yaml", ARAZZO);
    let report = check_file(&dir.join("flow.arazzo.yaml"), &Settings::default());
    let headers_read = report
        .project
        .files
        .find(&crate::load::absolute(&dir.join("headers.yaml")))
        .is_some();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(report.diagnostics.is_empty(), "{}", report.render());
    assert!(
        headers_read,
        "the header named x-rate-limit was not followed"
    );
}

#[test]
fn an_undeclared_parameter_is_sent_as_written_with_a_warning() {
    let dir = std::env::temp_dir().join(format!("arazzo-undeclared-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    };
    write(
        "api.openapi.yaml",
        "openapi: 3.1.0\ninfo: {title: A, version: 1.0.0}\npaths:\n  /runs:\n    get:\n      operationId: listRuns\n      parameters:\n        - {name: limit, in: query, schema: {type: integer}}\n      responses:\n        '200': {description: Runs.}\n",
    );
    write(
        "flow.arazzo.yaml",
        "arazzo: 1.0.1\ninfo: {title: A, version: 1.0.0}\nsourceDescriptions:\n  - {name: api, url: api.openapi.yaml, type: openapi}\nworkflows:\n  - workflowId: runs\n    steps:\n      - stepId: list\n        operationId: listRuns\n        parameters:\n          - {name: OpenAI-Beta, in: header, value: assistants=v2}\n          - {name: limt, in: query, value: 5}\n",
    );
    let report = check_file(&dir.join("flow.arazzo.yaml"), &Settings::default());
    let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
    // `limt` is a slip of `limit`: still an error, with its did-you-mean.
    assert_eq!(
        codes,
        ["undeclared-parameter", "unknown-parameter"],
        "{}",
        report.render()
    );
    write(
        "flow.arazzo.yaml",
        "arazzo: 1.0.1\ninfo: {title: A, version: 1.0.0}\nsourceDescriptions:\n  - {name: api, url: api.openapi.yaml, type: openapi}\nworkflows:\n  - workflowId: runs\n    steps:\n      - stepId: list\n        operationId: listRuns\n        parameters:\n          - {name: OpenAI-Beta, in: header, value: assistants=v2}\n",
    );
    let generated = crate::generate_file(&dir.join("flow.arazzo.yaml"), &Settings::default());
    let _ = std::fs::remove_dir_all(&dir);
    let (code, _) = generated.unwrap_or_else(|r| panic!("{}", r.render()));
    assert!(
        code.contains("rt::Param::header(\"OpenAI-Beta\", \"assistants=v2\")"),
        "{code}"
    );
}

#[test]
fn a_password_parameter_is_a_secret_of_the_request() {
    let dir = std::env::temp_dir().join(format!("arazzo-password-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
    };
    write(
        "api.openapi.yaml",
        "openapi: 3.1.0\ninfo: {title: A, version: 1.0.0}\npaths:\n  /login:\n    get:\n      operationId: login\n      parameters:\n        - {name: user, in: query, schema: {type: string}}\n        - {name: pin, in: query, schema: {type: string, format: password}}\n      responses:\n        '200': {description: In.}\n",
    );
    write(
        "flow.arazzo.yaml",
        "arazzo: 1.0.1\ninfo: {title: A, version: 1.0.0}\nsourceDescriptions:\n  - {name: api, url: api.openapi.yaml, type: openapi}\nworkflows:\n  - workflowId: login\n    steps:\n      - stepId: login\n        operationId: login\n        parameters:\n          - {name: user, in: query, value: ana}\n          - {name: pin, in: query, value: '1234'}\n",
    );
    let generated = crate::generate_file(&dir.join("flow.arazzo.yaml"), &Settings::default());
    let _ = std::fs::remove_dir_all(&dir);
    let (code, _) = generated.unwrap_or_else(|r| panic!("{}", r.render()));
    // Only the password is kept out of errors.
    assert_eq!(code.matches(".secret()").count(), 1, "{code}");
    let pin = code.find("\"pin\"").unwrap_or_default();
    let secret = code.find(".secret()").unwrap_or_default();
    let user = code.find("\"user\"").unwrap_or_default();
    assert!(pin < secret && (user < pin || user > secret), "{code}");
}

//! Every stage's cost grows with its input's size, not faster: counted, never timed. Each family
//! of hostile inputs (wide and recursive schemas, schemas whose branches share their parts, long
//! `allOf` chains, thousands of operations, long step chains, long expressions, many errors on
//! one line) is generated at sizes n, 2n and 4n, and `check` and `generate` run on each. The
//! cost is the generator's own work count (`arazzo_codegen::work`) plus the allocations made on
//! the test's thread; quadrupling the input may at most sextuple it (linear, with room for a
//! logarithm), where a quadratic stage would multiply it by 16 and an exponential one never end.
//!
//! A runaway stage does not hang the suite: past a generous guard the test fails.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use arazzo_codegen::{Settings, check_file, generate_file, work};

/// How long one measurement may go on before the test says it runs away: a guard against a
/// hung suite, not a speed target (no input here needs a second).
const RUNAWAY: Duration = Duration::from_secs(300);

/// What `f` did, counted on a thread of its own: its units of work and allocations, and the
/// bytes it allocated in all (a report that repeats a long line for each of its errors grows by
/// the bytes it writes, not by the allocations).
#[derive(Debug, Clone, Copy)]
struct Cost {
    steps: u64,
    bytes: u64,
}

fn cost<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Cost {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let mut units = 0;
        let allocations = allocation_counter::measure(|| {
            units = work::counted(f).1;
        });
        let _ = done.send(Cost {
            steps: units + allocations.count_total,
            bytes: allocations.bytes_total,
        });
    });
    finished
        .recv_timeout(RUNAWAY)
        .unwrap_or_else(|_| panic!("a measured run did not finish: a stage runs away"))
}

/// A folder of its own for one case.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("arazzo-bounded-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// Writes the description and the workflow, and says what checking and generating them cost.
fn costs(name: &str, description: &serde_json::Value, workflow: &str) -> (Cost, Cost) {
    let dir = folder(name);
    let api = dir.join("api.openapi.json");
    std::fs::write(&api, description.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let doc = dir.join("flow.arazzo.yaml");
    std::fs::write(&doc, workflow).unwrap_or_else(|e| panic!("{e}"));
    let check = {
        let doc = doc.clone();
        cost(move || check_file(&doc, &Settings::default()).render().len())
    };
    let generate = {
        let doc = doc.clone();
        cost(move || {
            // Errors are an outcome here too: their rendering is part of the cost.
            match generate_file(&doc, &Settings::default()) {
                Ok((code, _)) => code.len(),
                Err(report) => report.render().len(),
            }
        })
    };
    let _ = std::fs::remove_dir_all(&dir);
    (check, generate)
}

/// Runs a family at n, 2n and 4n, and asserts that each stage's cost grows at most linearly
/// (with room for a logarithm).
fn assert_linear(family: &str, n: usize, make: impl Fn(usize) -> (serde_json::Value, String)) {
    let sizes = [n, 2 * n, 4 * n];
    let measured: Vec<(Cost, Cost)> = sizes
        .iter()
        .map(|&size| {
            let (description, workflow) = make(size);
            costs(&format!("{family}-{size}"), &description, &workflow)
        })
        .collect();
    let shown = || {
        sizes
            .iter()
            .zip(&measured)
            .fold(String::new(), |mut s, (n, (c, g))| {
                let _ = write!(
                    s,
                    "\n  n = {n}: check {} steps {} bytes, generate {} steps {} bytes",
                    c.steps, c.bytes, g.steps, g.bytes
                );
                s
            })
    };
    let (Some(&first), Some(&last)) = (measured.first(), measured.last()) else {
        return;
    };
    for (stage, a, b) in [
        ("checking", first.0, last.0),
        ("generating", first.1, last.1),
    ] {
        assert!(
            b.steps <= a.steps * 6 && b.bytes <= a.bytes * 6,
            "{family}: {stage} grows faster than the input:{}",
            shown()
        );
    }
}

fn description(schemas: serde_json::Value, operations: usize) -> serde_json::Value {
    let mut paths = serde_json::Map::new();
    for k in 0..operations {
        paths.insert(
            format!("/things{k}/{{id}}"),
            serde_json::json!({"get": {
                "operationId": format!("getThing{k}"),
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/S0"}}}}}
            }, "post": {
                "operationId": format!("putThing{k}"),
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}},
                "responses": {"201": {"description": "made"}}
            }}),
        );
    }
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "hostile", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

const HEAD: &str = "arazzo: 1.1.0
info: {title: hostile, version: 1.0.0}
sourceDescriptions:
  - name: api
    url: api.openapi.json
    type: openapi
workflows:
";

/// One workflow `w` whose step `s0` reads thing `x` and keeps `output`.
fn reading(output: &str) -> String {
    format!(
        "{HEAD}  - workflowId: w
    steps:
      - stepId: s0
        operationId: getThing0
        parameters:
          - name: id
            in: path
            value: x
        outputs:
          thing: {output}
    outputs:
      thing: $steps.s0.outputs.thing
"
    )
}

#[test]
fn wide_recursive_schemas() {
    // n schemas of 80 properties, each a reference to another schema, a list of them or a
    // string: every schema reaches every other, and itself. The generated mock's default answer
    // is built from them (it once built every value 12 levels deep: 80^12).
    assert_linear("wide", 8, |n| {
        let mut schemas = serde_json::Map::new();
        for i in 0..n {
            let mut properties = serde_json::Map::new();
            for p in 0..80 {
                let t = (i * 7 + p) % n;
                let property = match p % 3 {
                    0 => serde_json::json!({"$ref": format!("#/components/schemas/S{t}")}),
                    1 => {
                        serde_json::json!({"type": "array", "items": {"$ref": format!("#/components/schemas/S{}", (t + 1) % n)}})
                    }
                    _ => serde_json::json!({"type": "string"}),
                };
                properties.insert(format!("p{p}"), property);
            }
            schemas.insert(
                format!("S{i}"),
                serde_json::json!({"type": "object", "properties": properties}),
            );
        }
        (
            description(schemas.into(), 1),
            reading("$response.body#/p0/p0/p2"),
        )
    });
}

#[test]
fn branches_that_share_their_parts() {
    // `S_i` is `oneOf: [S_i+1, S_i+1]` (and `allOf` the same): 2^n ways down to one string,
    // typed, walked by a pointer and checked against a literal payload.
    for keyword in ["oneOf", "allOf", "anyOf"] {
        assert_linear(&format!("shared-{keyword}"), 10, |n| {
            let mut schemas = serde_json::Map::new();
            for i in 0..n {
                let next = serde_json::json!({"$ref": format!("#/components/schemas/S{}", i + 1)});
                schemas.insert(
                    format!("S{i}"),
                    serde_json::json!({ keyword: [next.clone(), next] }),
                );
            }
            schemas.insert(format!("S{n}"), serde_json::json!({"type": "string"}));
            let workflow = reading("$response.body#/deep/er")
                + "      - stepId: put
        operationId: putThing0
        requestBody:
          payload:
            a: 1
            b: [true, 2]
";
            // `steps` continue the one workflow: put it before its outputs.
            let workflow = workflow.replace(
                "    outputs:\n      thing: $steps.s0.outputs.thing\n      - stepId: put",
                "      - stepId: put",
            );
            (description(schemas.into(), 1), workflow)
        });
    }
}

#[test]
fn wide_request_bodies_against_wide_recursive_schemas() {
    // A request body of 15n members against a schema of 80 properties that reaches itself:
    // 10n undeclared (each gets a did-you-mean over the 80) and 5n list items nested 30 deep
    // through the recursive property, each level missing a required member.
    assert_linear("wide-body", 8, |n| {
        let mut properties = serde_json::Map::new();
        for p in 0..80 {
            let property = match p % 3 {
                0 => serde_json::json!({"$ref": "#/components/schemas/S0"}),
                1 => serde_json::json!({"type": "integer"}),
                _ => {
                    serde_json::json!({"type": "array", "items": {"$ref": "#/components/schemas/S0"}})
                }
            };
            properties.insert(format!("member{p}"), property);
        }
        let schemas = serde_json::json!({"S0": {
            "type": "object", "required": ["member1"], "properties": properties}});
        let mut payload = String::new();
        for i in 0..5 * n {
            let _ = write!(
                payload,
                "\n            membr{i}x: 1\n            other{i}: {{a: 1}}"
            );
        }
        let deep = "{member0: ".repeat(30) + "{member1: x}" + &"}".repeat(30);
        let items: Vec<&str> = (0..5 * n).map(|_| deep.as_str()).collect();
        let _ = write!(payload, "\n            member2: [{}]", items.join(", "));
        let workflow = format!(
            "{HEAD}  - workflowId: w
    steps:
      - stepId: put
        operationId: putThing0
        requestBody:
          contentType: application/json
          payload:{payload}
"
        );
        (description(schemas, 1), workflow)
    });
}

#[test]
fn long_all_of_chains() {
    assert_linear("all-of-chain", 200, |n| {
        let mut schemas = serde_json::Map::new();
        for i in 0..n {
            schemas.insert(
                format!("S{i}"),
                serde_json::json!({"allOf": [
                    {"$ref": format!("#/components/schemas/S{}", i + 1)},
                    {"type": "object", "properties": {format!("a{i}"): {"type": "string"}}},
                ]}),
            );
        }
        schemas.insert(
            format!("S{n}"),
            serde_json::json!({"type": "object", "properties": {"end": {"type": "string"}}}),
        );
        (
            description(schemas.into(), 1),
            reading("$response.body#/end"),
        )
    });
}

fn small_schemas() -> serde_json::Value {
    serde_json::json!({"S0": {"type": "object", "properties": {
        "a": {"type": "integer"}, "s": {"type": "string"}}}})
}

#[test]
fn thousands_of_operations() {
    assert_linear("operations", 500, |n| {
        (
            description(small_schemas(), n),
            reading("$response.body#/a"),
        )
    });
}

/// A step `s{i}` that reads thing `value`, with `extra` lines.
fn step(i: usize, value: &str, extra: &str) -> String {
    format!(
        "      - stepId: s{i}
        operationId: getThing0
        parameters:
          - name: id
            in: path
            value: {value}
        successCriteria:
          - condition: $statusCode == 200
        outputs:
          a: $response.body#/a
{extra}"
    )
}

fn workflow_of(steps: &str) -> String {
    format!(
        "{HEAD}  - workflowId: w
    steps:
{steps}    outputs:
      a: $steps.s0.outputs.a
"
    )
}

#[test]
fn long_chains_of_steps_written_in_reverse() {
    // Step `s_i` depends on `s_i+1` and reads its output: the run order is the reverse of the
    // document's (1.1 `dependsOn`).
    assert_linear("reverse-chain", 100, |n| {
        let steps: String = (0..n)
            .map(|i| {
                if i + 1 < n {
                    step(
                        i,
                        &format!("$steps.s{}.outputs.a", i + 1),
                        &format!("        dependsOn: [s{}]\n", i + 1),
                    )
                } else {
                    step(i, "x", "")
                }
            })
            .collect();
        (description(small_schemas(), 1), workflow_of(&steps))
    });
}

#[test]
fn workflows_that_depend_on_each_other_in_a_braid() {
    // Workflow `w_i` depends on `w_i+1` and `w_i+2`: the ways through the dependencies double
    // with each workflow (a walk that follows each way is exponential; one that visits each
    // workflow once is linear), and a run of `w0` runs every other workflow once.
    assert_linear("braid", 50, |n| {
        let mut doc = HEAD.to_owned();
        for i in 0..n {
            let deps: Vec<String> = (i + 1..(i + 3).min(n)).map(|j| format!("w{j}")).collect();
            let _ = writeln!(doc, "  - workflowId: w{i}");
            if !deps.is_empty() {
                let _ = writeln!(doc, "    dependsOn: [{}]", deps.join(", "));
            }
            doc.push_str("    steps:\n      - stepId: s\n        operationId: getThing0\n        parameters:\n          - name: id\n            in: path\n            value: x\n");
        }
        (description(small_schemas(), 1), doc)
    });
}

#[test]
fn many_steps_that_jump() {
    // Each step's failure may go back to any of the five before it.
    assert_linear("jumps", 100, |n| {
        let steps: String = (0..n)
            .map(|i| {
                let mut extra = String::new();
                if i > 0 {
                    extra.push_str("        onFailure:\n");
                    for j in i.saturating_sub(5)..i {
                        let _ = write!(
                            extra,
                            "          - name: back{j}\n            type: goto\n            stepId: s{j}\n            criteria:\n              - condition: $statusCode == {}\n",
                            400 + j % 100
                        );
                    }
                }
                step(i, "x", &extra)
            })
            .collect();
        (description(small_schemas(), 1), workflow_of(&steps))
    });
}

#[test]
fn long_conditions() {
    assert_linear("conditions", 200, |n| {
        let condition: Vec<String> = (0..n).map(|i| format!("$response.body#/a > {i}")).collect();
        let steps = step(0, "x", "").replace(
            "$statusCode == 200",
            &format!("'{}'", condition.join(" && ")),
        );
        (description(small_schemas(), 1), workflow_of(&steps))
    });
}

#[test]
fn many_errors_on_one_long_line() {
    // A template of n parts, each reading an input the workflow does not declare: n errors,
    // each pointing into the same line of about 14 n bytes.
    assert_linear("errors-on-a-line", 250, |n| {
        let template: String = (0..n).map(|_| "{$inputs.x}-").collect();
        let steps = step(0, &format!("'{template}'"), "");
        (description(small_schemas(), 1), workflow_of(&steps))
    });
}

#[test]
fn a_yaml_alias_bomb_is_refused_cheaply() {
    // Nine levels of nine aliases: 387 million nodes if expanded.
    let mut text =
        String::from("arazzo: 1.0.1\ninfo: {title: bomb, version: 1.0.0}\nx-a0: &a0 [lol]\n");
    for level in 1..10 {
        let refs = vec![format!("*a{}", level - 1); 9].join(", ");
        let _ = writeln!(text, "x-a{level}: &a{level} [{refs}]");
    }
    text.push_str("sourceDescriptions: []\nworkflows: []\n");
    let dir = folder("alias-bomb");
    let doc = dir.join("bomb.arazzo.yaml");
    std::fs::write(&doc, text).unwrap_or_else(|e| panic!("{e}"));
    let (refused, spent) = {
        let doc = doc.clone();
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let mut codes = Vec::new();
            let info = allocation_counter::measure(|| {
                let report = check_file(&doc, &Settings::default());
                codes = report
                    .diagnostics()
                    .iter()
                    .map(|d| d.code.as_str())
                    .collect();
            });
            let _ = done.send((codes, info.bytes_max));
        });
        finished
            .recv_timeout(RUNAWAY)
            .unwrap_or_else(|_| panic!("the alias bomb was not refused"))
    };
    let _ = std::fs::remove_dir_all(&dir);
    assert!(refused.contains(&"input-limit"), "{refused:?}");
    // Refused before it is expanded: at most a few megabytes held at once.
    assert!(spent < 16 << 20, "{spent} bytes held at once");
}

#[test]
fn a_diagnostic_on_a_long_line_shows_a_window_of_it_at_its_true_column() {
    // A minified description: one line. The step names an operation it does not have.
    let mut schemas = serde_json::Map::new();
    for i in 0..200 {
        schemas.insert(format!("Filler{i}"), serde_json::json!({"type": "string"}));
    }
    let dir = folder("long-line");
    let api = dir.join("api.openapi.json");
    std::fs::write(&api, description(schemas.into(), 1).to_string())
        .unwrap_or_else(|e| panic!("{e}"));
    let template: String = (0..100).map(|_| "{$inputs.nope}").collect();
    let doc = dir.join("flow.arazzo.yaml");
    std::fs::write(&doc, workflow_of(&step(0, &format!("'{template}'"), "")))
        .unwrap_or_else(|e| panic!("{e}"));
    let report = check_file(&doc, &Settings::default());
    let _ = std::fs::remove_dir_all(&dir);
    let text = report.render();
    assert!(text.contains("flow.arazzo.yaml:15:"), "{text}");
    // The 100th part, at its true column, in a window of its line.
    let last = 22 + 14 * 99;
    assert!(
        text.contains(&format!("flow.arazzo.yaml:15:{last}")),
        "{text}"
    );
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest < 300, "a line of {widest} characters:\n{text}");
    // Cut on both sides, with what is cut said.
    assert!(
        text.lines()
            .any(|l| l.starts_with("15 │ …") && l.contains("{$inputs.nope}") && l.ends_with('…')),
        "{text}"
    );
}

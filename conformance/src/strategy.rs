//! Documents nobody chose: small workflows over one generated OpenAPI description, with what
//! the server answers. A case is built from a pool of random numbers (a proptest strategy, so a
//! seed gives the same cases on every machine): each choice takes the next number, and every
//! reference it makes (a step, an output, a workflow) names something that exists. Documents
//! may still break a rule the checker enforces (a `dependsOn` a jump skips); those are skipped.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value, json};

use crate::case::{Answer, Case, MAIN, SOURCE, Script};

/// How many random numbers a case draws from, at most.
const POOL: usize = 600;

/// `count` cases from `seed`, the same on every machine.
pub fn cases(seed: u64, count: usize) -> Vec<Case> {
    generated(seed, count, false)
}

/// `count` plain cases from `seed`: steps run forward, and actions only end or jump ahead,
/// without criteria; no retries, no workflow-level actions, no `goto` to a workflow, no
/// `dependsOn`. What every runner should run alike.
pub fn plain_cases(seed: u64, count: usize) -> Vec<Case> {
    generated(seed, count, true)
}

fn generated(seed: u64, count: usize, plain: bool) -> Vec<Case> {
    let mut bytes = [0u8; 32];
    for (i, b) in seed.to_le_bytes().iter().enumerate() {
        if let Some(slot) = bytes.get_mut(i) {
            *slot = *b;
        }
    }
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    );
    let strategy = proptest::collection::vec(any::<u32>(), POOL);
    (0..count)
        .filter_map(|i| {
            let pool = strategy.new_tree(&mut runner).ok()?.current();
            let prefix = if plain { "plain" } else { "case" };
            Some(build(&format!("{prefix}_{seed}_{i}"), pool, plain))
        })
        .collect()
}

/// The choices a case makes, one number at a time.
struct Draw {
    pool: Vec<u32>,
    at: usize,
    /// Plain cases only (see [`plain_cases`]).
    plain: bool,
}

impl Draw {
    fn next(&mut self) -> u32 {
        let n = self.pool.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        n
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn pick(&mut self, n: usize) -> usize {
        let draw = self.next() as usize;
        if n == 0 { 0 } else { draw % n }
    }

    /// One of `items` (the first when there is one only).
    fn one<T: Copy>(&mut self, items: &[T], fallback: T) -> T {
        let at = self.pick(items.len());
        items.get(at).copied().unwrap_or(fallback)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u32) -> bool {
        self.next() % 100 < percent
    }
}

/// The operations of the description: `(operationId, method, path, has a body)`.
const OPERATIONS: [(&str, &str, &str, bool); 3] = [
    ("getItem", "get", "/item", false),
    ("listItems", "get", "/items", false),
    ("makeItem", "post", "/items", true),
];

/// The statuses servers answer, and every operation declares.
const STATUSES: [u16; 7] = [200, 201, 400, 404, 409, 500, 503];

fn description() -> Value {
    let item = json!({"type": "object", "required": ["v", "s"], "properties": {
        "v": {"type": "integer"}, "s": {"type": "string"}}});
    let mut paths = serde_json::Map::new();
    for (id, method, path, body) in OPERATIONS {
        let mut responses = serde_json::Map::new();
        for status in STATUSES {
            responses.insert(
                status.to_string(),
                json!({"description": "An answer.", "content": {"application/json": {"schema": item.clone()}}}),
            );
        }
        let mut op = serde_json::Map::new();
        op.insert("operationId".to_owned(), json!(id));
        op.insert("responses".to_owned(), Value::Object(responses));
        if body {
            op.insert(
                "requestBody".to_owned(),
                json!({"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"x": {"type": "string"}, "n": {"type": "integer"}}}}}}),
            );
        } else {
            op.insert(
                "parameters".to_owned(),
                json!([{"name": "q", "in": "query", "schema": {"type": "string"}}]),
            );
        }
        if let Value::Object(item) = paths.entry(path.to_owned()).or_insert_with(|| json!({})) {
            item.insert(method.to_owned(), Value::Object(op));
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Generated", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
    })
}

/// What one step keeps, for later references: its id and its output names.
struct Planned {
    id: String,
    outputs: Vec<&'static str>,
}

fn build(name: &str, pool: Vec<u32>, plain: bool) -> Case {
    let mut d = Draw { pool, at: 0, plain };
    let v1_1 = d.chance(50);
    let workflows = 1 + d.pick(3);
    let mut text = format!(
        "arazzo: {}\ninfo:\n  title: Generated\n  version: 1.0.0\nsourceDescriptions:\n  - name: {SOURCE}\n    url: api.openapi.json\n    type: openapi\nworkflows:\n",
        if v1_1 { "1.1.0" } else { "1.0.1" }
    );
    for w in 0..workflows {
        text.push_str(&workflow(&mut d, w, workflows, v1_1));
    }
    let mut answers = std::collections::BTreeMap::new();
    for (id, ..) in OPERATIONS {
        let count = d.pick(7);
        let list: Vec<Answer> = (0..count).map(|_| answer(&mut d)).collect();
        answers.insert(id.to_owned(), list);
    }
    let x = d.one(&["ab", "cd"], "ab");
    let inputs = json!({"x": x, "n": d.pick(6)});
    Case {
        name: name.to_owned(),
        openapi: description(),
        arazzo: text,
        inputs,
        server: Script {
            answers,
            fallback: Answer {
                status: 200,
                body: json!({"v": 7, "s": "ok"}),
            },
        },
    }
}

fn answer(d: &mut Draw) -> Answer {
    let roll = d.pick(100);
    let status = match roll {
        0..50 => 200,
        50..60 => 201,
        60..70 => 404,
        70..75 => 409,
        75..85 => 500,
        _ => 503,
    };
    let s = d.one(&["ok", "done", "fail"], "ok");
    Answer {
        status,
        body: json!({"v": d.pick(10), "s": s}),
    }
}

fn workflow_id(w: usize) -> String {
    if w == 0 {
        MAIN.to_owned()
    } else {
        format!("w{w}")
    }
}

/// Workflow number `w` of `count`: it may run only workflows numbered after it.
fn workflow(d: &mut Draw, w: usize, count: usize, v1_1: bool) -> String {
    let id = workflow_id(w);
    let children: Vec<String> = (w + 1..count).map(workflow_id).collect();
    // Workflow `dependsOn` on later workflows (so no cycle), which may share theirs: diamonds,
    // and dependencies that a step or an action also runs.
    let mut depends: Vec<String> = Vec::new();
    if !d.plain && !children.is_empty() && d.chance(30) {
        for _ in 0..1 + d.pick(2) {
            let c = children.get(d.pick(children.len())).cloned();
            if let Some(c) = c.filter(|c| !depends.contains(c)) {
                depends.push(c);
            }
        }
    }
    let depends_text = if depends.is_empty() {
        String::new()
    } else {
        format!("    dependsOn: [{}]\n", depends.join(", "))
    };
    let mut text = format!(
        "  - workflowId: {id}\n{depends_text}    inputs:\n      type: object\n      properties:\n        x:\n          type: string\n        n:\n          type: integer\n    steps:\n"
    );
    let steps = 1 + d.pick(4);
    let mut planned: Vec<Planned> = Vec::new();
    for i in 0..steps {
        let (step_text, outputs) = step(d, i, steps, &planned, &children, v1_1);
        text.push_str(&step_text);
        planned.push(Planned {
            id: format!("s{i}"),
            outputs,
        });
    }
    let ids: Vec<String> = planned.iter().map(|p| p.id.clone()).collect();
    for (key, success) in [("successActions", true), ("failureActions", false)] {
        if !d.plain && d.chance(15) {
            // Named as a step's own action sometimes, which then overrides it.
            let name = if d.chance(50) { "a0" } else { "shared" };
            let action = action(d, name, (success, None), &ids, &children, v1_1, false);
            text.push_str(&format!("    {key}:\n{}", indent(&action, 6)));
        }
    }
    text.push_str("    outputs:\n");
    let mut wrote = false;
    for k in 0..1 + d.pick(3) {
        let p = planned.get(d.pick(planned.len()));
        if let Some(p) = p {
            let o = p
                .outputs
                .get(d.pick(p.outputs.len()))
                .copied()
                .unwrap_or("v");
            let name = if w == 0 {
                format!("o{k}")
            } else {
                "r".to_owned()
            };
            if w > 0 && wrote {
                break;
            }
            text.push_str(&format!("      {name}: $steps.{}.outputs.{o}\n", p.id));
            wrote = true;
        }
    }
    // What a dependency gave, read where the main workflow's outputs are gathered.
    if w == 0 {
        for (k, dep) in depends.iter().enumerate() {
            text.push_str(&format!("      d{k}: $workflows.{dep}.outputs.r\n"));
        }
    }
    text
}

/// Step number `i` of `steps`: its text and the outputs it declares.
fn step(
    d: &mut Draw,
    i: usize,
    steps: usize,
    before: &[Planned],
    children: &[String],
    v1_1: bool,
) -> (String, Vec<&'static str>) {
    let ids: Vec<String> = (0..steps).map(|j| format!("s{j}")).collect();
    let mut text = format!("      - stepId: s{i}\n");
    let runs_child = !children.is_empty() && d.chance(25);
    // A value read from an earlier step, when one declares `name`.
    let earlier = |d: &mut Draw, name: &str| -> Option<String> {
        let with: Vec<&Planned> = before
            .iter()
            .filter(|p| p.outputs.contains(&name))
            .collect();
        with.get(d.pick(with.len()))
            .map(|p| format!("$steps.{}.outputs.{name}", p.id))
    };
    let outputs: Vec<&'static str> = if runs_child {
        let child = children
            .get(d.pick(children.len()))
            .cloned()
            .unwrap_or_default();
        text.push_str(&format!(
            "        workflowId: {child}\n        parameters:\n"
        ));
        let x = if d.chance(50) {
            "$inputs.x".to_owned()
        } else {
            earlier(d, "s").unwrap_or_else(|| "lit".to_owned())
        };
        text.push_str(&format!("          - name: x\n            value: {x}\n"));
        if d.chance(50) {
            let n = earlier(d, "v").unwrap_or_else(|| "$inputs.n".to_owned());
            text.push_str(&format!("          - name: n\n            value: {n}\n"));
        }
        if d.chance(30) {
            text.push_str("        successCriteria:\n          - condition: $statusCode == 200\n");
        }
        text.push_str("        outputs:\n          r: $outputs.r\n");
        vec!["r"]
    } else {
        let (operation, _, _, body) = d.one(&OPERATIONS, OPERATIONS[0]);
        text.push_str(&format!("        operationId: {operation}\n"));
        if body {
            let x = if d.chance(60) {
                "$inputs.x".to_owned()
            } else {
                earlier(d, "s").unwrap_or_else(|| "lit".to_owned())
            };
            let n = if d.chance(50) {
                "$inputs.n".to_owned()
            } else {
                earlier(d, "v").unwrap_or_else(|| d.pick(5).to_string())
            };
            text.push_str(&format!(
                "        requestBody:\n          payload:\n            x: {x}\n            n: {n}\n"
            ));
        } else if d.chance(60) {
            let q = match d.pick(3) {
                0 => "$inputs.x".to_owned(),
                1 => earlier(d, "s").unwrap_or_else(|| "lit".to_owned()),
                _ => format!("lit{}", d.pick(3)),
            };
            text.push_str(&format!(
                "        parameters:\n          - name: q\n            in: query\n            value: {q}\n"
            ));
        }
        match d.pick(5) {
            0 | 1 => {}
            2 | 3 => text.push_str("        successCriteria:\n          - condition: $statusCode == 200\n"),
            _ => text.push_str(&format!(
                "        successCriteria:\n          - condition: $statusCode == 200\n          - condition: $response.body#/v > {}\n",
                d.pick(5)
            )),
        }
        let mut declared = vec!["v"];
        text.push_str("        outputs:\n          v: $response.body#/v\n");
        if d.chance(50) {
            text.push_str("          s: $response.body#/s\n");
            declared.push("s");
        }
        if d.chance(30) {
            text.push_str("          code: $statusCode\n");
            declared.push("code");
        }
        declared
    };
    if v1_1 && !d.plain && d.chance(20) {
        let dep = ids.get(d.pick(ids.len())).cloned().unwrap_or_default();
        if dep != format!("s{i}") {
            text.push_str(&format!("        dependsOn: [{dep}]\n"));
        }
    }
    for (key, success, most) in [("onSuccess", true, 2), ("onFailure", false, 3)] {
        let count = d.pick(most + 1);
        if count == 0 {
            continue;
        }
        text.push_str(&format!("        {key}:\n"));
        for a in 0..count {
            let action = action(
                d,
                &format!("a{a}"),
                (success, Some(i)),
                &ids,
                children,
                v1_1,
                runs_child,
            );
            text.push_str(&indent(&action, 10));
        }
    }
    (text, outputs)
}

/// One action, as a list item at column 0: of a step's success or failure, and of which step
/// (`None`: the workflow's).
fn action(
    d: &mut Draw,
    name: &str,
    (success, here): (bool, Option<usize>),
    steps: &[String],
    children: &[String],
    v1_1: bool,
    on_child: bool,
) -> String {
    let mut text = format!("- name: {name}\n");
    let kinds: &[&str] = match (d.plain, success) {
        (true, true) => &["end", "goto-step"],
        (true, false) => &["end"],
        (false, true) => &["end", "goto-step", "goto-step", "goto-workflow"],
        (false, false) => &["retry", "retry", "goto-step", "end", "goto-workflow"],
    };
    let mut kind = kinds.get(d.pick(kinds.len())).copied().unwrap_or("end");
    if kind == "goto-workflow" && children.is_empty() {
        kind = "end";
    }
    let child = children.get(d.pick(children.len())).cloned();
    // Plain cases jump ahead only.
    let after = if d.plain {
        here.map_or(steps.len(), |h| h + 1)
    } else {
        0
    };
    let ahead = steps.get(after..).unwrap_or_default();
    if kind == "goto-step" && ahead.is_empty() {
        kind = "end";
    }
    let step = ahead.get(d.pick(ahead.len())).cloned().unwrap_or_default();
    match kind {
        "end" => text.push_str("  type: end\n"),
        "goto-step" => text.push_str(&format!("  type: goto\n  stepId: {step}\n")),
        "goto-workflow" => {
            text.push_str(&format!(
                "  type: goto\n  workflowId: {}\n",
                child.clone().unwrap_or_default()
            ));
            if v1_1 && d.chance(40) {
                text.push_str("  parameters:\n    - name: x\n      value: given\n");
            }
        }
        _ => {
            text.push_str("  type: retry\n");
            if d.chance(70) {
                text.push_str(&format!("  retryLimit: {}\n", d.pick(4)));
            }
            if d.chance(40) {
                text.push_str("  retryAfter: 0\n");
            }
            match d.pick(10) {
                0 | 1 => text.push_str(&format!("  stepId: {step}\n")),
                2 if child.is_some() => {
                    text.push_str(&format!("  workflowId: {}\n", child.unwrap_or_default()));
                }
                _ => {}
            }
        }
    }
    // Plain actions have no criteria: some runners evaluate them without the step's response.
    if !d.plain && d.chance(if success { 60 } else { 50 }) {
        let condition = if on_child {
            format!("$statusCode == {}", d.one(&STATUSES, 200))
        } else {
            match d.pick(3) {
                0 => format!("$statusCode == {}", d.one(&STATUSES, 200)),
                1 => format!("$response.body#/v > {}", d.pick(8)),
                _ => format!(
                    "$response.body#/s == '{}'",
                    d.one(&["ok", "done", "fail"], "ok")
                ),
            }
        };
        text.push_str(&format!("  criteria:\n    - condition: {condition}\n"));
    }
    text
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

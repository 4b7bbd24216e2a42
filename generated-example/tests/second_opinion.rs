//! Second-opinion tests of issue 28's fixes, run against scripted wiremock servers.
//! Every expectation quotes the Arazzo text it relies on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use arazzo_runtime::Error;
use generated_example::second_opinion::{child, order, presence, presence2};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Per path, the answers in order; the last one repeats.
/// A scripted answer: status, JSON body, delay in milliseconds.
type Answer = (u16, Value, u64);

struct Script(Mutex<HashMap<String, VecDeque<Answer>>>);

impl Respond for Script {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut map = self.0.lock().unwrap();
        let path = request.url.path().to_owned();
        let Some(queue) = map.get_mut(&path) else {
            return ResponseTemplate::new(599).set_body_string("unscripted");
        };
        let (status, body, delay) = if queue.len() > 1 {
            queue.pop_front().unwrap()
        } else {
            queue.front().cloned().unwrap()
        };
        let mut t = ResponseTemplate::new(status)
            .insert_header("content-type", "application/json")
            .set_body_string(body.to_string());
        if delay > 0 {
            t = t.set_delay(Duration::from_millis(delay));
        }
        t
    }
}

async fn serve(script: &[(&str, Vec<(u16, Value)>)]) -> MockServer {
    serve_delayed(
        &script
            .iter()
            .map(|(p, v)| (*p, v.iter().map(|(s, b)| (*s, b.clone(), 0)).collect()))
            .collect::<Vec<_>>(),
    )
    .await
}

async fn serve_delayed(script: &[(&str, Vec<Answer>)]) -> MockServer {
    let server = MockServer::start().await;
    let map = script
        .iter()
        .map(|(p, v)| ((*p).to_owned(), v.iter().cloned().collect()))
        .collect();
    Mock::given(any())
        .respond_with(Script(Mutex::new(map)))
        .mount(&server)
        .await;
    server
}

async fn seq(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| match r.url.query() {
            Some(q) => format!("{}?{}", r.url.path(), q),
            None => r.url.path().to_owned(),
        })
        .collect()
}

fn ok(v: &str) -> (u16, Value) {
    (200, json!({ "v": v }))
}

macro_rules! client {
    ($m:ident, $server:expr) => {
        $m::Client::new()
            .with_so_url($server.uri())
            .with_sleeper(arazzo_runtime::Sleeper::recording().0)
            .with_step_budget(50)
    };
}

// ---------------------------------------------------------------- item 1: child failures
// Spec 1.1.0, Step Object `onFailure`: "An array of failure action objects that specify what to
// do upon step failure." Failure Action `retry`: "The current step will be retried."

#[tokio::test]
async fn child_failure_is_retried_by_the_step() {
    let s = serve(&[
        ("/a", vec![(503, json!({})), (503, json!({})), ok("ok")]),
        ("/b", vec![ok("b")]),
    ])
    .await;
    let out = client!(child, s).retry_child().await;
    assert_eq!(seq(&s).await, ["/a", "/a", "/a", "/b"], "{out:?}");
    assert_eq!(out.unwrap().v, "ok");
}

#[tokio::test]
async fn child_failure_goto_on_status() {
    let s = serve(&[("/a", vec![(404, json!({}))]), ("/c", vec![ok("c")])]).await;
    let out = client!(child, s).goto_on_child_fail().await;
    assert_eq!(seq(&s).await, ["/a", "/c"], "{out:?}");
    let out = out.unwrap();
    assert_eq!(out.v, None);
    assert_eq!(out.w.as_deref(), Some("c"));
}

#[tokio::test]
async fn child_failure_end_carries_status() {
    let s = serve(&[("/a", vec![(500, json!({}))])]).await;
    let err = client!(child, s).end_on_child_fail().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Ended {
                step: "s1",
                status: Some(500),
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn child_failure_without_action_is_childs_error() {
    let s = serve(&[("/a", vec![(500, json!({}))]), ("/b", vec![ok("b")])]).await;
    let err = client!(child, s).unmatched_child_fail().await.unwrap_err();
    assert_eq!(seq(&s).await, ["/a"]);
    assert!(
        matches!(
            err,
            Error::CriterionFailed {
                workflow: "child",
                step: "c1",
                status: 500,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn child_that_ends_itself_is_retried() {
    let s = serve(&[("/a", vec![(503, json!({})), ok("ok")])]).await;
    let out = client!(child, s).child_ended_retry().await;
    assert_eq!(seq(&s).await, ["/a", "/a"], "{out:?}");
    out.unwrap();
}

#[tokio::test]
async fn workflow_level_failure_action_applies_to_child_step() {
    // Workflow `failureActions`: "A list of failure actions that are applicable for all steps
    // described under this workflow."
    let s = serve(&[("/a", vec![(503, json!({})), ok("ok")])]).await;
    let out = client!(child, s).workflow_level_retry().await;
    assert_eq!(seq(&s).await, ["/a", "/a"], "{out:?}");
    out.unwrap();
}

#[tokio::test]
async fn grandchild_status_reaches_grandparent() {
    let s = serve(&[("/a", vec![(418, json!({}))]), ("/b", vec![ok("b")])]).await;
    let out = client!(child, s).nested_status().await;
    assert_eq!(seq(&s).await, ["/a", "/b"], "{out:?}");
    out.unwrap();
}

#[tokio::test]
async fn child_timeout_has_no_status() {
    let s = serve_delayed(&[
        ("/a", vec![(503, json!({}), 2000)]),
        ("/b", vec![(200, json!({"v":"b"}), 0)]),
    ])
    .await;
    let out = client!(child, s).no_response_child().await;
    assert_eq!(seq(&s).await, ["/a", "/b"], "{out:?}");
    out.unwrap();
}

#[tokio::test]
async fn child_step_criteria_on_outputs() {
    let s = serve(&[("/a", vec![ok("bad")]), ("/c", vec![ok("c")])]).await;
    let out = client!(child, s).criteria_on_child_output().await;
    assert_eq!(seq(&s).await, ["/a", "/c"], "{out:?}");
    out.unwrap();
}

#[tokio::test]
async fn child_retry_through_workflow() {
    // "If a `stepId` or `workflowId` are specified, then the reference is executed and the
    // context is returned, after which the current step is retried."
    let s = serve(&[
        ("/a", vec![(409, json!({})), ok("ok")]),
        ("/d", vec![ok("d")]),
    ])
    .await;
    let out = client!(child, s).retry_via_workflow().await;
    assert_eq!(seq(&s).await, ["/a", "/d", "/a"], "{out:?}");
    out.unwrap();
}

#[tokio::test]
async fn child_retry_counts_per_execution() {
    let s = serve(&[
        (
            "/a",
            vec![(503, json!({})), ok("1"), (503, json!({})), ok("2")],
        ),
        ("/b", vec![ok("again"), ok("done")]),
    ])
    .await;
    let out = client!(child, s).loop_retry_child().await;
    assert_eq!(
        seq(&s).await,
        ["/a", "/a", "/b", "/a", "/a", "/b"],
        "{out:?}"
    );
    out.unwrap();
}

// ---------------------------------------------------------------- item 3: output presence
// Goal of the fix: "A run that ends normally must never fail with Error::OutputType because
// an output is missing."

fn no_output_type<T: std::fmt::Debug>(r: &arazzo_runtime::Result<T>) {
    if let Err(e @ Error::OutputType { .. }) = r {
        panic!("a run that ended normally failed for a missing output: {e}");
    }
}

#[tokio::test]
async fn success_on_404_output() {
    // successCriteria: "All assertions MUST be satisfied for the step to be deemed successful."
    let s = serve(&[("/a", vec![(404, json!({"message": "none"}))])]).await;
    let r = client!(presence2, s).success_on_404().await;
    no_output_type(&r);
    r.unwrap();
}

#[tokio::test]
async fn success_on_201_output() {
    let s = serve(&[("/e", vec![(201, json!({"w": "made"}))])]).await;
    let r = client!(presence2, s).success_on_201().await;
    no_output_type(&r);
    r.unwrap();
}

#[tokio::test]
async fn any_2xx_output() {
    let s = serve(&[("/e", vec![(201, json!({"w": "made"}))])]).await;
    let r = client!(presence2, s).any_2xx().await;
    no_output_type(&r);
    r.unwrap();
}

#[tokio::test]
async fn retry_through_failing_step() {
    let s = serve(&[
        ("/a", vec![(500, json!({})), ok("a")]),
        ("/b", vec![(500, json!({}))]),
        ("/c", vec![ok("c")]),
    ])
    .await;
    let r = client!(presence2, s).retry_through_failing_step().await;
    let q = seq(&s).await;
    eprintln!("retry_through_failing_step: {q:?} {r:?}");
    no_output_type(&r);
}

#[tokio::test]
async fn retry_through_jumping_step() {
    let s = serve(&[
        ("/a", vec![(500, json!({})), ok("a")]),
        ("/b", vec![ok("b")]),
        ("/c", vec![ok("c")]),
    ])
    .await;
    let r = client!(presence2, s).retry_through_jumping_step().await;
    let q = seq(&s).await;
    eprintln!("retry_through_jumping_step: {q:?} {r:?}");
    no_output_type(&r);
    // "the reference is executed and the context is returned, after which the current step
    // is retried"
    assert_eq!(q, ["/a", "/b", "/a"]);
}

#[tokio::test]
async fn retry_through_ending_step() {
    let s = serve(&[
        ("/a", vec![(500, json!({})), ok("a")]),
        ("/b", vec![ok("b")]),
    ])
    .await;
    let r = client!(presence2, s).retry_through_ending_step().await;
    let q = seq(&s).await;
    eprintln!("retry_through_ending_step: {q:?} {r:?}");
    no_output_type(&r);
    assert_eq!(q, ["/a", "/b", "/a"]);
}

#[tokio::test]
async fn reorder_end_output() {
    let s = serve(&[
        ("/c", vec![ok("stop")]),
        ("/p", vec![ok("p")]),
        ("/b", vec![ok("b")]),
    ])
    .await;
    let r = client!(presence2, s).reorder_end().await;
    assert_eq!(seq(&s).await, ["/c"], "{r:?}");
    no_output_type(&r);
    assert_eq!(r.unwrap().y, None);
}

#[tokio::test]
async fn retry_limit_zero_does_not_retry() {
    // retryLimit: "A non-negative integer indicating how many attempts to retry the step MAY be
    // attempted before failing the overall step."
    let s = serve(&[("/a", vec![(500, json!({}))]), ("/c", vec![ok("c")])]).await;
    let r = client!(presence2, s).retry_limit_zero().await;
    assert_eq!(seq(&s).await, ["/a", "/c"], "{r:?}");
    r.unwrap();
}

#[tokio::test]
async fn workflow_level_goto_output() {
    let s = serve(&[("/a", vec![(500, json!({}))]), ("/c", vec![ok("c")])]).await;
    let r = client!(presence2, s).workflow_level_goto().await;
    assert_eq!(seq(&s).await, ["/a", "/c"], "{r:?}");
    no_output_type(&r);
    r.unwrap();
}

#[tokio::test]
async fn retry_counts_per_execution() {
    let s = serve(&[
        (
            "/a",
            vec![(503, json!({})), ok("1"), (503, json!({})), ok("2")],
        ),
        ("/b", vec![ok("again"), ok("done")]),
    ])
    .await;
    let r = client!(presence2, s).retry_per_execution().await;
    assert_eq!(seq(&s).await, ["/a", "/a", "/b", "/a", "/a", "/b"], "{r:?}");
    r.unwrap();
}

#[tokio::test]
async fn parent_of_goto_child() {
    let s = serve(&[("/a", vec![ok("go")]), ("/d", vec![ok("d")])]).await;
    let r = client!(presence2, s).parent_of_goto_child().await;
    eprintln!("parent_of_goto_child {:?} {r:?}", seq(&s).await);
    no_output_type(&r);
    assert_eq!(r.unwrap().y, None);
}

#[tokio::test]
async fn presence_shapes_end_normally() {
    // header never sent
    let s = serve(&[("/a", vec![ok("a")])]).await;
    let r = client!(presence, s).header_output().await;
    no_output_type(&r);
    assert_eq!(r.unwrap().tag, None);
    // failed child, goto
    let s = serve(&[("/a", vec![(500, json!({}))]), ("/b", vec![ok("b")])]).await;
    let r = client!(presence, s).failed_child_output().await;
    no_output_type(&r);
    assert_eq!(r.unwrap().v, None);
    // timeout, goto
    let s = serve_delayed(&[
        ("/a", vec![(200, json!({"v":"a"}), 2000)]),
        ("/b", vec![(200, json!({"v":"b"}), 0)]),
    ])
    .await;
    let r = client!(presence, s).timed_out_status().await;
    no_output_type(&r);
    assert_eq!(r.unwrap().s, None);
    // loop with failure goto
    let s = serve(&[
        ("/a", vec![(500, json!({}))]),
        ("/b", vec![ok("b")]),
        ("/c", vec![ok("c")]),
    ])
    .await;
    let r = client!(presence, s).retry_goto_loop().await;
    no_output_type(&r);
    assert_eq!(seq(&s).await, ["/a", "/c", "/b"]);
    // failed attempt then success: the last attempt's output
    let s = serve(&[(
        "/a",
        vec![
            (200, json!({"v":"no", "opt": "first"})),
            (200, json!({"v":"ok"})),
        ],
    )])
    .await;
    let r = client!(presence, s).failed_then_retried().await;
    no_output_type(&r);
    assert_eq!(r.unwrap().o, None, "the output is the successful attempt's");
    // goto a workflow
    let s = serve(&[("/a", vec![ok("go")]), ("/d", vec![ok("d")])]).await;
    let r = client!(presence, s).goto_workflow().await;
    assert_eq!(seq(&s).await, ["/a", "/d"]);
    no_output_type(&r);
    // retry through r, r sets the output
    let s = serve(&[
        ("/a", vec![(500, json!({})), ok("a")]),
        ("/b", vec![ok("b")]),
    ])
    .await;
    let r = client!(presence, s).retry_through_step().await;
    assert_eq!(seq(&s).await, ["/a", "/b", "/a"]);
    assert_eq!(r.unwrap().rx.as_deref(), Some("b"));
}

// ---------------------------------------------------------------- item 2: 1.1 step order
// 1.1.0 Tool Behavior: "Tools MUST also treat runtime expression output references (e.g.,
// `$steps.stepId.outputs.field`) as implicit dependencies and ensure the referenced step
// completes before the referencing step executes."

fn order_server_script() -> Vec<(&'static str, Vec<(u16, Value)>)> {
    vec![
        ("/a", vec![ok("cv")]),
        ("/b", vec![ok("b")]),
        ("/c", vec![ok("cv")]),
        ("/d", vec![ok("d")]),
        ("/p", vec![ok("cv")]),
    ]
}

#[tokio::test]
async fn order_param_read() {
    let s = serve(&order_server_script()).await;
    let r = client!(order, s).param_read().await;
    assert_eq!(seq(&s).await, ["/c", "/p?q=cv", "/b"], "{r:?}");
}

#[tokio::test]
async fn order_criterion_read() {
    let s = serve(&order_server_script()).await;
    let r = client!(order, s).criterion_read().await;
    assert_eq!(seq(&s).await, ["/c", "/a", "/b"], "{r:?}");
    r.unwrap();
}

#[tokio::test]
async fn order_template_read() {
    let s = serve(&order_server_script()).await;
    let r = client!(order, s).template_read().await;
    assert_eq!(seq(&s).await, ["/c", "/p", "/b"], "{r:?}");
    let reqs = s.received_requests().await.unwrap();
    assert_eq!(
        reqs[1].headers.get("x-h").unwrap().to_str().unwrap(),
        "tag cv end"
    );
}

#[tokio::test]
async fn order_action_criterion_read() {
    let s = serve(&order_server_script()).await;
    let r = client!(order, s).action_criterion_read().await;
    assert_eq!(seq(&s).await, ["/c", "/a", "/b"], "{r:?}");
}

#[tokio::test]
async fn order_selector_read() {
    let s = serve(&order_server_script()).await;
    let r = client!(order, s).selector_read().await;
    assert_eq!(seq(&s).await, ["/c", "/p?q=cv", "/b"], "{r:?}");
}

#[tokio::test]
async fn order_jsonpath_embedded_read() {
    let s = serve(&order_server_script()).await;
    let r = client!(order, s).jsonpath_embedded_read().await;
    assert_eq!(seq(&s).await, ["/c", "/a", "/b"], "{r:?}");
    r.unwrap();
}

#[tokio::test]
async fn order_failure_criterion_read() {
    let s = serve(&order_server_script()).await;
    let r = client!(order, s).failure_criterion_read().await;
    assert_eq!(seq(&s).await, ["/c", "/a", "/b"], "{r:?}");
}

#[tokio::test]
async fn order_transitive() {
    let s = serve(&order_server_script()).await;
    let r = client!(order, s).transitive().await;
    assert_eq!(seq(&s).await, ["/c", "/p?q=cv", "/p?q=cv", "/d"], "{r:?}");
}

#[tokio::test]
async fn order_explicit_later() {
    // Step `dependsOn`: "A list of steps that MUST be completed before this step can be executed."
    let s = serve(&order_server_script()).await;
    let r = client!(order, s).explicit_later().await;
    let q = seq(&s).await;
    eprintln!("explicit_later: {q:?}");
    let c = q.iter().position(|p| p == "/c").unwrap();
    let a = q.iter().position(|p| p == "/a").unwrap();
    assert!(c < a, "{q:?} {r:?}");
}

// ---------------------------------------------------------------- item 4: redaction
// The fix: "Secrets in error body excerpts are redacted before the 512-byte cut (a long token
// echoed by a server across the cut must not show even partly, also JSON-escaped or
// percent-encoded)."

use generated_example::second_opinion::{dependency_in_child, diamond, diamond_outputs, redact};

/// A 700-character token of standard base64 characters (with `/`, `+`, `=`), without `x`.
fn token() -> String {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWabcdefghijklmnopqrstuvw0123456789+/";
    let mut state: u64 = 0x2545F4914F6CDD1D;
    let mut t = String::new();
    for i in 0..700 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let c = alphabet[(state % alphabet.len() as u64) as usize] as char;
        // a `/` every 9 characters, a `+` every 13: what percent and JSON escapes change
        t.push(if i % 9 == 4 {
            '/'
        } else if i % 13 == 6 {
            '+'
        } else {
            c
        });
    }
    t.push_str("==");
    t
}

fn forms(t: &str) -> Vec<(&'static str, String)> {
    let upper: String = t
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("%{:02X}", c as u32)
            }
        })
        .collect();
    let lower: String = t
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("%{:02x}", c as u32)
            }
        })
        .collect();
    let unicode: String = t
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("\\u{:04x}", c as u32)
            }
        })
        .collect();
    vec![
        ("raw", t.to_owned()),
        ("json-slash", t.replace('/', "\\/")),
        ("percent-upper", upper),
        ("percent-lower", lower),
        ("json-unicode", unicode),
    ]
}

/// Every 12-character window of `secret` that shows in `text`.
fn shows(text: &str, secret: &str) -> Option<String> {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .windows(12)
        .map(|w| w.iter().collect::<String>())
        .find(|w| text.contains(w.as_str()))
}

struct Echo(std::sync::Arc<Mutex<String>>, String);

impl Respond for Echo {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match request.url.path() {
            "/login" => ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(json!({ "token": self.1 }).to_string()),
            _ => ResponseTemplate::new(401)
                .insert_header("content-type", "application/json")
                .set_body_string(self.0.lock().unwrap().clone()),
        }
    }
}

async fn redaction_case(which: &str) -> Vec<String> {
    let t = token();
    let body = std::sync::Arc::new(Mutex::new(String::new()));
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(Echo(body.clone(), t.clone()))
        .mount(&server)
        .await;
    let client = redact::Client::new()
        .with_so_url(server.uri())
        .with_bearer(t.clone());
    let mut leaks = Vec::new();
    for (name, form) in forms(&t) {
        for k in (0..40).chain((380..540).step_by(3)) {
            *body.lock().unwrap() = format!("{}{}{}", "x".repeat(k), form, "x".repeat(300));
            let err = match which {
                "scheme" => client.scheme_token().await.map(|_| ()),
                "scheme-place" => client.doc_token_in_scheme_place().await.map(|_| ()),
                _ => client.doc_token_no_scheme().await.map(|_| ()),
            }
            .unwrap_err();
            let text = format!("{err} {err:?}");
            if let Some(w) = shows(&text, &t).or_else(|| shows(&text, &form)) {
                leaks.push(format!("{name} at offset {k}: `{w}` shows"));
            }
        }
    }
    let mut summary: std::collections::BTreeMap<&str, (usize, usize, usize)> = Default::default();
    for l in &leaks {
        let name = l.split(' ').next().unwrap();
        let k: usize = l
            .split("offset ")
            .nth(1)
            .unwrap()
            .split(':')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let e = summary
            .entry(match name {
                "raw" => "raw",
                "json-slash" => "json-slash",
                "percent-upper" => "percent-upper",
                "percent-lower" => "percent-lower",
                _ => "json-unicode",
            })
            .or_insert((0, usize::MAX, 0));
        e.0 += 1;
        e.1 = e.1.min(k);
        e.2 = e.2.max(k);
    }
    eprintln!("{which}: leaks by form (count, lowest offset, highest offset): {summary:?}");
    leaks
}

#[tokio::test]
async fn redaction_scheme_token() {
    let leaks = redaction_case("scheme").await;
    assert!(
        leaks.is_empty(),
        "{} leaks, first: {:?}",
        leaks.len(),
        &leaks[..leaks.len().min(6)]
    );
}

#[tokio::test]
async fn redaction_document_token_in_a_schemes_place() {
    let leaks = redaction_case("scheme-place").await;
    assert!(
        leaks.is_empty(),
        "{} leaks, first: {:?}",
        leaks.len(),
        &leaks[..leaks.len().min(6)]
    );
}

#[tokio::test]
async fn redaction_document_token_without_scheme() {
    let leaks = redaction_case("no-scheme").await;
    assert!(
        leaks.is_empty(),
        "{} leaks, first: {:?}",
        leaks.len(),
        &leaks[..leaks.len().min(6)]
    );
}

#[tokio::test]
async fn multibyte_body_across_the_cut() {
    let server = MockServer::start().await;
    for k in 500..516 {
        server.reset().await;
        let body = format!("{}{}", "é".repeat(k / 2), "😀".repeat(200));
        Mock::given(any())
            .respond_with(ResponseTemplate::new(401).set_body_string(body))
            .mount(&server)
            .await;
        let client = redact::Client::new()
            .with_so_url(server.uri())
            .with_bearer("é😀é😀é");
        let err = client.scheme_token().await.unwrap_err();
        let _ = format!("{err} {err:?}");
    }
}

// ---------------------------------------------------------------- workflow dependsOn diamond
// Workflow `dependsOn`: "A list of workflows that MUST be completed before this workflow can be
// processed." d completes once; running it again repeats its side effects.
#[tokio::test]
async fn diamond_dependency_runs_once() {
    let s = serve(&[
        ("/a", vec![ok("a")]),
        ("/b", vec![ok("b")]),
        ("/c", vec![ok("c")]),
        ("/d", vec![ok("d")]),
    ])
    .await;
    let r = client!(diamond, s).a().await;
    let q = seq(&s).await;
    eprintln!("diamond: {q:?} {r:?}");
    assert_eq!(q.iter().filter(|p| *p == "/d").count(), 1, "{q:?}");
}

// Found by running the project's fixtures through the reference interpreter: once d ran for b,
// c skipped it and then read `$workflows.d.outputs.v` from nothing. "Completed" is d with what
// it gave: both dependents read it, and d is still requested once.
#[tokio::test]
async fn diamond_dependency_outputs_reach_every_dependent() {
    let s = serve(&[
        ("/a", vec![ok("a")]),
        ("/b", vec![ok("b")]),
        ("/c", vec![ok("c")]),
        ("/d", vec![ok("from d")]),
    ])
    .await;
    let out = client!(diamond_outputs, s)
        .a()
        .await
        .expect("the run completes");
    assert_eq!(
        (out.from_b.as_str(), out.from_c.as_str()),
        ("from d", "from d")
    );
    let q = seq(&s).await;
    assert_eq!(q, ["/d", "/b", "/c", "/a"], "each once, dependencies first");
}

// Found by the reference interpreter on a fixture: a child workflow a step runs, and the
// workflow a failure hands over to, ran their shared dependency again (a second side effect)
// and read that second answer. "MUST be completed before this workflow can be processed": d
// has completed in this run, so the child and the hand-over read what it gave then.
#[tokio::test]
async fn dependency_completed_once_for_children_and_hand_overs() {
    let s = serve(&[
        ("/a", vec![(500, json!({"v": "no"}))]),
        ("/b", vec![ok("b")]),
        ("/c", vec![ok("c")]),
        ("/d", vec![ok("once"), ok("again")]),
    ])
    .await;
    let out = client!(dependency_in_child, s)
        .a()
        .await
        .expect("a hands over to c");
    assert_eq!((out.from_b.as_str(), out.own.as_str()), ("once", "once"));
    let q = seq(&s).await;
    assert_eq!(
        q,
        ["/d", "/b", "/a", "/c"],
        "d once, for a, its child b and c"
    );
    let s = serve(&[
        ("/a", vec![ok("a")]),
        ("/b", vec![ok("b")]),
        ("/d", vec![ok("once"), ok("again")]),
    ])
    .await;
    let out = client!(dependency_in_child, s)
        .a()
        .await
        .expect("the run completes");
    assert_eq!((out.from_b.as_str(), out.own.as_str()), ("once", "once"));
}

use generated_example::second_opinion::{faults, faults3, odd_output_names, swagger2};

// ---------------------------------------------------------------- item 7: lenient readings run
#[tokio::test]
async fn lenient_faults_run() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "n", "title": "t"})))
        .mount(&server)
        .await;
    let r = faults::Client::new()
        .with_faulty_url(server.uri())
        .get_item()
        .await;
    let reqs = server.received_requests().await.unwrap();
    eprintln!(
        "faults: {:?} {r:?}",
        reqs.iter().map(|r| r.url.to_string()).collect::<Vec<_>>()
    );
    r.unwrap();
    let r = faults3::Client::new()
        .with_faulty_url(server.uri())
        .list()
        .await;
    r.unwrap();
    let out = odd_output_names::Client::new().with_so_url(server.uri());
    let _ = out;
}

#[tokio::test]
async fn odd_output_names_serialize_as_written() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"v": "1"})))
        .mount(&server)
        .await;
    let out = odd_output_names::Client::new()
        .with_so_url(server.uri())
        .odd()
        .await
        .unwrap();
    let v = serde_json::to_value(&out).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    eprintln!("odd keys: {keys:?}");
    for k in [
        "items[0].id",
        "items_0_id",
        "Employee object (full details)",
        "employee_object_full_details",
        "type",
        "self",
        "!!!",
        "1st value",
        "café",
    ] {
        assert!(
            v.get(k).is_some(),
            "output `{k}` serialized under another name: {keys:?}"
        );
    }
}

#[tokio::test]
async fn swagger2_body_parameter() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "n"})))
        .mount(&server)
        .await;
    let r = swagger2::Client::new()
        .with_s2_url(format!("{}/v1", server.uri()))
        .create()
        .await;
    let reqs = server.received_requests().await.unwrap();
    eprintln!(
        "swagger2: {:?} {:?} {r:?}",
        reqs.iter().map(|r| r.url.to_string()).collect::<Vec<_>>(),
        reqs.iter()
            .map(|r| String::from_utf8_lossy(&r.body).into_owned())
            .collect::<Vec<_>>()
    );
    assert_eq!(r.unwrap().name, "n");
}

// ---------------------------------------------------------------- presence 3
use generated_example::second_opinion::presence3;

#[tokio::test]
async fn stale_output_in_a_loop() {
    // Step `outputs`: "A map between a friendly name and a dynamic output value" — the value of
    // the step's execution that produced it; the second execution of `a` has no `opt`.
    let s = serve(&[
        (
            "/a",
            vec![
                (200, json!({"v": "1", "opt": "first"})),
                (200, json!({"v": "2"})),
            ],
        ),
        ("/b", vec![ok("again"), ok("done")]),
    ])
    .await;
    let r = client!(presence3, s).stale_output().await;
    assert_eq!(seq(&s).await, ["/a", "/b", "/a", "/b"], "{r:?}");
    assert_eq!(
        r.unwrap().o,
        None,
        "the output kept a value from an earlier execution of `a`"
    );
}

#[tokio::test]
async fn nested_retry_counts() {
    let s = serve(&[(
        "/a",
        vec![
            (503, json!({})),
            (503, json!({})),
            (503, json!({})),
            ok("ok"),
        ],
    )])
    .await;
    let r = client!(presence3, s).parent_retrying().await;
    assert_eq!(seq(&s).await, ["/a", "/a", "/a", "/a"], "{r:?}");
    r.unwrap();
}

#[tokio::test]
async fn status_of_a_successful_child() {
    let s = serve(&[("/e", vec![(201, json!({"w": "x"}))])]).await;
    let r = client!(presence3, s).parent_status_on_success().await;
    r.unwrap();
}

#[tokio::test]
async fn child_recovering_by_itself() {
    let s = serve(&[
        ("/a", vec![(500, json!({}))]),
        ("/b", vec![ok("b")]),
        ("/c", vec![ok("c")]),
        ("/d", vec![ok("d")]),
    ])
    .await;
    let r = client!(presence3, s).parent_of_recovering().await;
    assert_eq!(seq(&s).await, ["/a", "/b", "/c"], "{r:?}");
    r.unwrap();
}

// ---------------------------------------------------------------- item 1: $statusCode without a final answer
use generated_example::second_opinion::child2;

#[tokio::test]
async fn status_after_a_child_timeout() {
    // docs/decisions.md, "a step that runs a workflow which fails": failure actions read
    // `$statusCode` as `Error::status` of the child's error, "none when the child failed without
    // a response". c1 answered 200 and succeeded; c2 never answered, and that made the child
    // fail: `$statusCode == 200` does not hold, `stop` ends the run, after no response.
    let s = serve_delayed(&[
        ("/a", vec![(200, json!({"v": "a"}), 0)]),
        ("/b", vec![(200, json!({"v": "b"}), 2000)]),
        ("/c", vec![(200, json!({"v": "c"}), 0)]),
    ])
    .await;
    let r = client!(child2, s).parent_after_timeout().await;
    assert_eq!(seq(&s).await, ["/a", "/b"], "{r:?}");
    let err = r.unwrap_err();
    assert!(
        matches!(err, Error::Ended { action: "stop", .. }),
        "{err:?}"
    );
    assert_eq!(err.status(), None, "{err}");
}

#[tokio::test]
async fn status_after_a_child_decode_error() {
    // The child's last operation answered 200 with a body its `Content-Type` calls JSON and
    // that is not: `Error::Decode` carries that status, which `$statusCode` then reads.
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/a"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{not json", "application/json"))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/c"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"v": "c"})))
        .mount(&server)
        .await;
    let r = client!(child2, server).parent_after_decode().await;
    let q = seq(&server).await;
    eprintln!("parent_after_decode: {q:?} {r:?}");
    assert_eq!(q, ["/a", "/c"], "{r:?}");
}

#[tokio::test]
async fn ended_status_is_not_an_earlier_steps() {
    // `Error::status`: "The status of the response that made the run fail, when one did".
    // The child failed without any response; s0's 503 did not make the run fail.
    let s = serve_delayed(&[
        ("/d", vec![(503, json!({}), 0)]),
        ("/a", vec![(200, json!({"v":"a"}), 2000)]),
    ])
    .await;
    let err = client!(child2, s)
        .parent_earlier_status()
        .await
        .unwrap_err();
    eprintln!("parent_earlier_status: {err:?}");
    assert_eq!(err.status(), None, "{err:?}");
}

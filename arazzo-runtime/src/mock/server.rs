//! The mock server: a local HTTP server (wiremock) with one route per operation the workflows
//! call, each answering its programmed answers, then its default; and a record of every request,
//! routed or not, for verification.

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

use super::answer::Answer;
use super::lock;
use super::report::{Report, Shortfall};
use super::request::{PathPattern, Request};

/// An operation as the generated mock serves it: how requests reach it, the steps that call
/// it, and its default answer (from the description's example, else its schema).
#[derive(Debug)]
pub struct Route {
    /// `operationId`, or `METHOD /path` when the operation has none.
    pub operation: &'static str,
    pub method: &'static str,
    /// Where the mock serves the operation's source (`/conversations`).
    pub prefix: &'static str,
    /// The operation's path template.
    pub path: &'static str,
    /// The steps that call it.
    pub steps: &'static [&'static str],
    pub status: u16,
    /// Empty: the default answer has no body.
    pub content_type: &'static str,
    /// The default body, in pieces (generated lines stay short).
    pub body: &'static [&'static str],
}

impl Route {
    fn label(&self) -> String {
        let steps: Vec<String> = self.steps.iter().map(|s| format!("`{s}`")).collect();
        format!(
            "`{}` ({} {}, step {})",
            self.operation,
            self.method,
            self.path,
            steps.join(", ")
        )
    }
}

/// The server behind a generated `Mock`.
#[derive(Debug)]
pub struct Server {
    server: MockServer,
    routes: Mutex<Vec<Handle>>,
    unexpected: Arc<Mutex<Vec<Request>>>,
    /// What `Client::with_mock` waits with: it records each retry delay and returns at once.
    sleeper: crate::Sleeper,
    waits: Arc<Mutex<Vec<std::time::Duration>>>,
}

/// One mounted route: its answers, its requests and what verification expects of it.
#[derive(Clone, Debug)]
pub struct Handle(Arc<RouteState>);

#[derive(Debug)]
struct RouteState {
    route: &'static Route,
    pattern: Option<PathPattern>,
    answers: Mutex<Answers>,
    requests: Mutex<Vec<Request>>,
    expected: Mutex<Option<usize>>,
}

#[derive(Debug)]
struct Answers {
    queue: VecDeque<Answer>,
    /// What is answered when the queue is empty: the default, or the last answer given.
    last: Answer,
}

impl Server {
    /// A mock server on a free port of `127.0.0.1`, answering 404 (and recording the request
    /// as unexpected) until routes are mounted.
    pub async fn start() -> Self {
        let server = MockServer::builder().start().await;
        let unexpected = Arc::new(Mutex::new(Vec::new()));
        Mock::given(any())
            .respond_with(Unexpected(Arc::clone(&unexpected)))
            .with_priority(u8::MAX)
            .mount(&server)
            .await;
        let (sleeper, waits) = crate::Sleeper::recording();
        Server {
            server,
            routes: Mutex::new(Vec::new()),
            unexpected,
            sleeper,
            waits,
        }
    }

    /// Serves `route` with its default answer.
    pub async fn mount(&self, route: &'static Route) -> Handle {
        let pattern = PathPattern::new(route.prefix, route.path);
        let state = Arc::new(RouteState {
            route,
            answers: Mutex::new(Answers {
                queue: VecDeque::new(),
                last: Answer::generated(route.status, route.content_type, &route.body.concat()),
            }),
            requests: Mutex::new(Vec::new()),
            expected: Mutex::new(None),
            pattern,
        });
        let handle = Handle(Arc::clone(&state));
        // Without a pattern (a template too large for a regular expression) the route gets no
        // request, and `check` says so.
        if let Some(pattern) = &state.pattern {
            // A path without parameters wins over a template that also matches it
            // (`/pets/mine` over `/pets/{id}`).
            let priority = if route.path.contains('{') { 5 } else { 4 };
            Mock::given(method(route.method))
                .and(wiremock::matchers::path_regex(pattern.regex.as_str()))
                .respond_with(Routed(Arc::clone(&state)))
                .with_priority(priority)
                .mount(&self.server)
                .await;
        }
        lock(&self.routes).push(handle.clone());
        handle
    }

    /// The server's address (`http://127.0.0.1:<port>`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The sleeper a client pointed at this mock waits with: it records each delay instead of
    /// waiting, so a test of retries and polling runs at once.
    pub fn sleeper(&self) -> crate::Sleeper {
        self.sleeper.clone()
    }

    /// The delays clients pointed at this mock were asked to wait, in order.
    pub fn waits(&self) -> Vec<std::time::Duration> {
        lock(&self.waits).clone()
    }

    /// Requests that matched no operation the workflows call (answered 404).
    pub fn unexpected(&self) -> Vec<Request> {
        lock(&self.unexpected).clone()
    }

    /// Whether every expectation holds and no unexpected request came; else what went wrong.
    pub fn check(&self) -> Result<(), Report> {
        let routes = lock(&self.routes);
        let mut report = Report::default();
        for handle in routes.iter() {
            let state = &handle.0;
            let got = lock(&state.requests).len();
            report.received.push((state.route.label(), got));
            if state.pattern.is_none() {
                report.unserved.push(state.route.label());
            }
            if let Some(wanted) = *lock(&state.expected)
                && wanted != got
            {
                report.shortfalls.push(Shortfall {
                    operation: state.route.label(),
                    wanted,
                    got,
                });
            }
        }
        report.unexpected = lock(&self.unexpected).iter().map(Request::line).collect();
        if report.shortfalls.is_empty()
            && report.unexpected.is_empty()
            && report.unserved.is_empty()
        {
            Ok(())
        } else {
            Err(report)
        }
    }
}

impl Handle {
    /// The handle as a generated mock hands it out, with requests read as `R`.
    pub fn operation<R>(&self) -> Operation<'_, R> {
        Operation {
            state: &self.0,
            request: PhantomData,
        }
    }
}

/// One operation of a generated mock: what it answers, what it received, what verification
/// expects. `R` is the generated request type, with the operation's parameters as fields.
pub struct Operation<'m, R> {
    state: &'m RouteState,
    request: PhantomData<fn() -> R>,
}

impl<R> std::fmt::Debug for Operation<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.state.route.label())
    }
}

impl<R: From<Request>> Operation<'_, R> {
    /// Answers every request from now on with `answer`.
    pub fn answer(&self, answer: Answer) -> &Self {
        let mut answers = lock(&self.state.answers);
        answers.queue.clear();
        answers.last = answer;
        self
    }

    /// Answers the next requests with `answers`, in order; the last one keeps answering after
    /// them (polling that ends in `done`, a 503 then a 200). Nothing given: no change.
    pub fn answers(&self, answers: impl IntoIterator<Item = Answer>) -> &Self {
        let mut queue: VecDeque<Answer> = answers.into_iter().collect();
        if let Some(last) = queue.pop_back() {
            let mut state = lock(&self.state.answers);
            state.queue = queue;
            state.last = last;
        }
        self
    }

    /// Expects exactly `times` requests by the time the mock is verified.
    pub fn expect(&self, times: usize) -> &Self {
        *lock(&self.state.expected) = Some(times);
        self
    }

    /// The requests received so far, oldest first.
    pub fn requests(&self) -> Vec<R> {
        lock(&self.state.requests)
            .iter()
            .cloned()
            .map(R::from)
            .collect()
    }

    /// How many requests were received so far.
    pub fn calls(&self) -> usize {
        lock(&self.state.requests).len()
    }
}

/// Answers a route's requests and records them.
struct Routed(Arc<RouteState>);

impl Respond for Routed {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let state = &self.0;
        lock(&state.requests).push(Request::received(
            request,
            state.route.prefix,
            state.pattern.as_ref(),
        ));
        let mut answers = lock(&state.answers);
        match answers.queue.pop_front() {
            Some(answer) => answer.template(),
            None => answers.last.template(),
        }
    }
}

/// Records a request no route matched, and says so in a 404.
struct Unexpected(Arc<Mutex<Vec<Request>>>);

impl Respond for Unexpected {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let received = Request::received(request, "", None);
        let why = format!(
            "the mock has no operation for {}: the workflows call none there",
            received.line()
        );
        lock(&self.0).push(received);
        ResponseTemplate::new(404).set_body_raw(why.into_bytes(), "text/plain")
    }
}

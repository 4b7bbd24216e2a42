//! A reference semantics: an interpreter of Arazzo workflows written from the specification's
//! text, rule by rule, with the text quoted where each rule is applied. It shares nothing with
//! the compiler: it reads the document as plain JSON, and implements the part of Arazzo the
//! generated cases and the project fixtures listed for it use (HTTP steps with query and path
//! parameters, child workflows, `simple`, `regex` and `jsonpath` criteria, success and failure
//! actions, step and workflow `dependsOn`); anything else is `Unsupported`, and the case is
//! skipped.
//! Where the text leaves a point open, it follows the project's rule from `docs/decisions.md`,
//! named where it is applied.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::case::{Answer, Case, Failure, MAIN, Outcome, STEP_BUDGET, Scripted, request};

/// Why the interpreter cannot run a case: something outside the part of Arazzo it implements.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsupported(pub String);

/// Runs `case` as the specification says: the outcome, or what the interpreter cannot run.
pub fn run(case: &Case) -> Result<Outcome, Unsupported> {
    let document: Value = serde_yaml::from_str(&case.arazzo)
        .map_err(|e| Unsupported(format!("the document does not parse: {e}")))?;
    let operations = case
        .operations()
        .into_iter()
        .map(|(method, path, id)| (id, (method, path)))
        .collect();
    let mut machine = Machine {
        document,
        operations,
        server: Scripted::new(case.server.clone()),
        requests: Vec::new(),
        completed: HashMap::new(),
    };
    let result = match machine.workflow(MAIN, &case.inputs) {
        Ok(done) => Ok(Value::Object(done.outputs)),
        Err(Stop::Failed(f)) => Err(f),
        Err(Stop::Unsupported(u)) => return Err(u),
    };
    Ok(Outcome {
        requests: machine.requests,
        result,
    })
}

/// Why a run stopped early.
enum Stop {
    Failed(Failure),
    Unsupported(Unsupported),
}

fn unsupported<T>(what: impl Into<String>) -> Result<T, Stop> {
    Err(Stop::Unsupported(Unsupported(what.into())))
}

/// A workflow run that ended normally.
struct Done {
    outputs: Map<String, Value>,
    /// The status of its last operation: what a step that ran it reads as `$statusCode`.
    status: Option<u16>,
}

struct Machine {
    document: Value,
    operations: HashMap<String, (String, String)>,
    server: Scripted,
    requests: Vec<String>,
    /// The workflows completed as dependencies in this run, with their outputs.
    completed: HashMap<String, Map<String, Value>>,
}

/// What one run of a workflow holds.
#[derive(Default)]
struct Run {
    inputs: Value,
    /// Each step's outputs, from its latest success.
    outputs: HashMap<String, Map<String, Value>>,
    /// The outputs of the workflows this run has run, by id (`$workflows.<id>.outputs`).
    workflows: HashMap<String, Map<String, Value>>,
    /// Retries taken, per step and action, since the step was last entered afresh.
    retries: HashMap<(String, String), u64>,
    status: Option<u16>,
}

/// What one attempt of a step gave, as its criteria and actions read it.
#[derive(Default)]
struct Attempt {
    status: Option<u16>,
    body: Option<Value>,
    /// The outputs of the workflow a step ran (`$outputs`).
    child: Option<Map<String, Value>>,
}

impl Machine {
    fn find_workflow(&self, id: &str) -> Result<Value, Stop> {
        let found = self
            .document
            .get("workflows")
            .and_then(Value::as_array)
            .and_then(|all| {
                all.iter()
                    .find(|w| w.get("workflowId").and_then(Value::as_str) == Some(id))
            })
            .cloned();
        match found {
            Some(w) => Ok(w),
            None => unsupported(format!("no workflow `{id}`")),
        }
    }

    /// Runs workflow `id` with `inputs`.
    fn workflow(&mut self, id: &str, inputs: &Value) -> Result<Done, Stop> {
        let workflow = self.find_workflow(id)?;
        if workflow.get("parameters").is_some() {
            return unsupported("workflow parameters");
        }
        let mut run = Run {
            inputs: inputs.clone(),
            ..Run::default()
        };
        // "dependsOn: A list of workflows that MUST be completed before this workflow can be
        // processed": each runs first, in the order written, with the inputs of the same names
        // (the project's rule), and only once in a run: one that has completed already is
        // complete, and its outputs are what it gave then.
        for dependency in workflow
            .get("dependsOn")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(id) = dependency.as_str().filter(|id| !id.starts_with('$')) else {
                return unsupported("a dependency on another document's workflow");
            };
            let outputs = match self.completed.get(id) {
                Some(outputs) => outputs.clone(),
                None => {
                    let inputs = self.inputs_for(id, &Value::Null, &run)?;
                    let done = self.workflow(id, &inputs)?;
                    self.completed.insert(id.to_owned(), done.outputs.clone());
                    done.outputs
                }
            };
            run.workflows.insert(id.to_owned(), outputs);
        }
        let steps: Vec<Value> = workflow
            .get("steps")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let order = self.order(&steps)?;
        let id_of = |s: &Value| {
            s.get("stepId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        // "onSuccess … If omitted, the next sequential step shall be executed as the default
        // behavior": `next` is a position in the run order.
        let mut next = (!order.is_empty()).then_some(0);
        // A retry through another step: the step it comes back to (1.0.1: "If a stepId or
        // workflowId are specified, then the reference is executed and the context is
        // returned, after which the current step is retried").
        let mut resume: Option<usize> = None;
        // Whether the step about to run is entered by a retry of its own.
        let mut retrying = false;
        let mut budget = STEP_BUDGET;
        while let Some(position) = next {
            let Some(&index) = order.get(position) else {
                break;
            };
            let Some(step) = steps.get(index) else {
                break;
            };
            let step_id = id_of(step);
            // The project's loop bound (docs/decisions.md, "loop bound").
            if budget == 0 {
                return Err(Stop::Failed(Failure {
                    kind: "StepBudgetExceeded".to_owned(),
                    workflow: id.to_owned(),
                    step: Some(step_id),
                    status: None,
                }));
            }
            budget -= 1;
            // "retryLimit: … how many attempts to retry the step MAY be attempted before
            // failing the overall step": a step entered afresh starts its count again.
            if !retrying {
                run.retries.retain(|(s, _), _| *s != step_id);
            }
            retrying = false;
            // Set only on the way to the step a retry runs first: its failure drops it.
            let back = resume.take();
            let (attempt, child_failure) = self.attempt(step, &mut run)?;
            let succeeded = child_failure.is_none() && self.succeeded(step, &attempt, &run)?;
            let position_of = |target: &str| {
                order
                    .iter()
                    .position(|&i| steps.get(i).map(id_of).as_deref() == Some(target))
            };
            if succeeded {
                // A step's outputs are what it gave when it succeeded.
                let mut kept = Map::new();
                for (name, value) in step
                    .get("outputs")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    if let Some(v) = self.value(value, &attempt, &run)? {
                        kept.insert(name.clone(), v);
                    }
                }
                run.outputs.insert(step_id.clone(), kept);
                // "the reference is executed and the context is returned, after which the
                // current step is retried": back, whatever this step's own actions say.
                if let Some(back) = back {
                    retrying = true;
                    next = Some(back);
                    continue;
                }
                match self.chosen(&workflow, step, true, &attempt, &run)? {
                    None => next = Some(position + 1).filter(|p| *p < order.len()),
                    Some(action) => match kind(&action) {
                        // "end - The workflow ends, and context returned to the caller with
                        // applicable outputs."
                        "end" => next = None,
                        "goto" => match target(&action) {
                            Target::Step(s) => next = position_of(&s),
                            Target::Workflow(w) => {
                                self.hand_over(&w, &action, &mut run)?;
                                next = None;
                            }
                            Target::None => return unsupported("goto without target"),
                        },
                        other => return unsupported(format!("success action `{other}`")),
                    },
                }
                continue;
            }
            // The step failed: "onFailure … If omitted, the default behavior is to break and
            // return."
            let failed = |f: Option<Failure>| {
                Stop::Failed(f.unwrap_or_else(|| Failure {
                    kind: "CriterionFailed".to_owned(),
                    workflow: id.to_owned(),
                    step: Some(step_id.clone()),
                    status: attempt.status,
                }))
            };
            let Some(action) =
                self.chosen_failure(&workflow, step, &step_id, &attempt, &mut run)?
            else {
                return Err(failed(child_failure));
            };
            match kind(&action) {
                "end" => {
                    return Err(Stop::Failed(Failure {
                        kind: "Ended".to_owned(),
                        workflow: id.to_owned(),
                        step: Some(step_id),
                        status: run.status,
                    }));
                }
                "goto" => match target(&action) {
                    Target::Step(s) => next = position_of(&s),
                    Target::Workflow(w) => {
                        self.hand_over(&w, &action, &mut run)?;
                        next = None;
                    }
                    Target::None => return unsupported("goto without target"),
                },
                // "retry - The current step will be retried. … If a stepId or workflowId are
                // specified, then the reference is executed and the context is returned, after
                // which the current step is retried."
                "retry" => match target(&action) {
                    Target::None => {
                        retrying = true;
                        next = Some(position);
                    }
                    Target::Step(s) => {
                        resume = Some(position);
                        next = position_of(&s);
                    }
                    Target::Workflow(w) => {
                        let inputs = self.inputs_for(&w, &action, &run)?;
                        let done = self.workflow(&w, &inputs)?;
                        run.status = done.status.or(run.status);
                        run.workflows.insert(w, done.outputs);
                        retrying = true;
                        next = Some(position);
                    }
                },
                other => return unsupported(format!("failure action `{other}`")),
            }
        }
        let mut outputs = Map::new();
        for (name, value) in workflow
            .get("outputs")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let v = self.value(value, &Attempt::default(), &run)?;
            outputs.insert(name.clone(), v.unwrap_or(Value::Null));
        }
        Ok(Done {
            outputs,
            status: run.status,
        })
    }

    /// "goto" a workflow (the project's rule, docs/decisions.md: it runs, its results become
    /// `$workflows.<id>…`, and this workflow ends).
    fn hand_over(&mut self, workflow: &str, action: &Value, run: &mut Run) -> Result<(), Stop> {
        let inputs = self.inputs_for(workflow, action, run)?;
        let done = self.workflow(workflow, &inputs)?;
        run.status = done.status.or(run.status);
        run.workflows.insert(workflow.to_owned(), done.outputs);
        Ok(())
    }

    /// The inputs an action gives the workflow it runs: its `parameters` (1.1), else the run's
    /// inputs of the same names (the project's rule for 1.0).
    fn inputs_for(&self, workflow: &str, action: &Value, run: &Run) -> Result<Value, Stop> {
        if action.get("parameters").is_some() {
            return Ok(Value::Object(
                self.named_values(action.get("parameters"), run)?,
            ));
        }
        let declared: Vec<String> = self
            .find_workflow(workflow)?
            .pointer("/inputs/properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        let mut inputs = Map::new();
        for name in declared {
            if let Some(v) = run.inputs.get(&name) {
                inputs.insert(name, v.clone());
            }
        }
        Ok(Value::Object(inputs))
    }

    /// Runs one attempt of a step: its request and the answer, or the workflow it runs. A
    /// child workflow that fails is a failed attempt, with the child's failure kept for when no
    /// failure action applies.
    fn attempt(&mut self, step: &Value, run: &mut Run) -> Result<(Attempt, Option<Failure>), Stop> {
        if let Some(child) = step.get("workflowId").and_then(Value::as_str) {
            // "parameters … A list of parameters that MUST be passed to an operation or
            // workflow": a workflow's parameters are its inputs.
            let inputs = self.named_values(step.get("parameters"), run)?;
            return match self.workflow(child, &Value::Object(inputs)) {
                Ok(done) => {
                    run.status = done.status;
                    // "Workflow output value | `$workflows.foo.outputs.bar`": the latest run
                    // of a workflow, however it ran (the project's rule).
                    run.workflows.insert(child.to_owned(), done.outputs.clone());
                    Ok((
                        Attempt {
                            status: done.status,
                            body: None,
                            child: Some(done.outputs),
                        },
                        None,
                    ))
                }
                // "onFailure … what to do upon step failure": the child's failure is this
                // step's, and `$statusCode` is the status of the child's last operation.
                Err(Stop::Failed(f)) => {
                    run.status = f.status.or(run.status);
                    Ok((
                        Attempt {
                            status: f.status,
                            ..Attempt::default()
                        },
                        Some(f),
                    ))
                }
                Err(other) => Err(other),
            };
        }
        let Some(operation) = step.get("operationId").and_then(Value::as_str) else {
            return unsupported("a step without operationId or workflowId");
        };
        let Some((method, path)) = self.operations.get(operation).cloned() else {
            return unsupported(format!("no operation `{operation}`"));
        };
        let mut query = Vec::new();
        let mut path = path;
        for p in step
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            let value = self.value(
                p.get("value").unwrap_or(&Value::Null),
                &Attempt::default(),
                run,
            )?;
            match (p.get("in").and_then(Value::as_str), value) {
                // An absent value is not sent (the project's rule for optional parameters).
                (Some("query"), Some(v)) => query.push(format!("{name}={}", text(&v))),
                (Some("query"), None) => {}
                // OpenAPI's default for a path parameter is `simple` style: a scalar's text,
                // percent-encoded so that it stays one segment.
                (Some("path"), Some(v)) if !v.is_object() && !v.is_array() => {
                    path = path.replace(&format!("{{{name}}}"), &segment(&text(&v)));
                }
                (Some("path"), _) => {
                    return unsupported("a path parameter without a scalar value");
                }
                _ => return unsupported("a parameter in a header or a cookie"),
            }
        }
        let body = match step.pointer("/requestBody/payload") {
            Some(payload) => Some(self.payload(payload, run)?),
            None => None,
        };
        let query = query.join("&");
        self.requests
            .push(request(&method, &path, Some(&query), body.as_ref()));
        let Answer { status, body } = self.server.answer(operation);
        run.status = Some(status);
        Ok((
            Attempt {
                status: Some(status),
                body: Some(body),
                child: None,
            },
            None,
        ))
    }

    /// A list of `{name, value}` (parameters), evaluated: the values that are there, by name.
    fn named_values(&self, list: Option<&Value>, run: &Run) -> Result<Map<String, Value>, Stop> {
        let mut out = Map::new();
        for p in list.and_then(Value::as_array).into_iter().flatten() {
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            let written = p.get("value").unwrap_or(&Value::Null);
            if let Some(v) = self.value(written, &Attempt::default(), run)? {
                out.insert(name.to_owned(), v);
            }
        }
        Ok(out)
    }

    /// A payload: literal leaves as written, expression leaves evaluated; an absent value
    /// leaves its member out (the project's rule).
    fn payload(&self, payload: &Value, run: &Run) -> Result<Value, Stop> {
        match payload {
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    match v {
                        Value::Object(_) | Value::Array(_) => {
                            out.insert(k.clone(), self.payload(v, run)?);
                        }
                        _ => {
                            if let Some(v) = self.value(v, &Attempt::default(), run)? {
                                out.insert(k.clone(), v);
                            }
                        }
                    }
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => items
                .iter()
                .map(|i| self.payload(i, run))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            leaf => Ok(self
                .value(leaf, &Attempt::default(), run)?
                .unwrap_or(Value::Null)),
        }
    }

    /// "successCriteria … All assertions MUST be satisfied for the step to be deemed
    /// successful." Without them: any 2xx for an operation (the project's rule), the child's
    /// success for a workflow.
    fn succeeded(&self, step: &Value, attempt: &Attempt, run: &Run) -> Result<bool, Stop> {
        match step.get("successCriteria").and_then(Value::as_array) {
            Some(criteria) => self.all_hold(criteria, attempt, run),
            None if step.get("workflowId").is_some() => Ok(true),
            None => Ok(attempt.status.is_some_and(|s| (200..300).contains(&s))),
        }
    }

    fn all_hold(&self, criteria: &[Value], attempt: &Attempt, run: &Run) -> Result<bool, Stop> {
        for c in criteria {
            let condition = c
                .get("condition")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let holds = match c.get("type") {
                None => self.condition(condition, attempt, run)?,
                Some(Value::String(kind)) if kind == "regex" || kind == "jsonpath" => {
                    if condition.contains("{$") {
                        return unsupported("an expression inside a typed condition");
                    }
                    // "A runtime expression … MUST be provided when type is specified."
                    let written = c.get("context").cloned().unwrap_or_default();
                    match self.value(&written, attempt, run)? {
                        None => false,
                        Some(context) if kind == "regex" => matches(condition, &context)?,
                        Some(context) => selects(condition, &context)?,
                    }
                }
                Some(_) => return unsupported("a criterion of another type"),
            };
            if !holds {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The actions of a step, then those of its workflow whose names the step does not reuse
    /// (the project's rule for "can be overridden at the step level but cannot be removed").
    fn actions(workflow: &Value, step: &Value, success: bool) -> Result<Vec<Value>, Stop> {
        let (own, shared) = if success {
            ("onSuccess", "successActions")
        } else {
            ("onFailure", "failureActions")
        };
        let mut all: Vec<Value> = step
            .get(own)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for a in workflow
            .get(shared)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !all.iter().any(|b| b.get("name") == a.get("name")) {
                all.push(a.clone());
            }
        }
        if all.iter().any(|a| a.get("reference").is_some()) {
            return unsupported("a reusable action");
        }
        Ok(all)
    }

    /// "If multiple success actions have similar criteria, the first sequential action
    /// matching the criteria SHALL be the action executed."
    fn chosen(
        &self,
        workflow: &Value,
        step: &Value,
        success: bool,
        attempt: &Attempt,
        run: &Run,
    ) -> Result<Option<Value>, Stop> {
        for action in Self::actions(workflow, step, success)? {
            let criteria = action
                .get("criteria")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if self.all_hold(&criteria, attempt, run)? {
                return Ok(Some(action));
            }
        }
        Ok(None)
    }

    /// The failure action taken: as for success actions, except that a `retry` whose
    /// `retryLimit` is used up does not apply ("If not specified then a single retry SHALL be
    /// attempted"; "The retryLimit MUST be exhausted prior to executing subsequent failure
    /// actions"); taking one counts it.
    fn chosen_failure(
        &self,
        workflow: &Value,
        step: &Value,
        step_id: &str,
        attempt: &Attempt,
        run: &mut Run,
    ) -> Result<Option<Value>, Stop> {
        for action in Self::actions(workflow, step, false)? {
            let criteria = action
                .get("criteria")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if !self.all_hold(&criteria, attempt, run)? {
                continue;
            }
            if kind(&action) == "retry" {
                let limit = action
                    .get("retryLimit")
                    .and_then(Value::as_u64)
                    .unwrap_or(1);
                let name = action
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let used = run.retries.entry((step_id.to_owned(), name)).or_insert(0);
                if *used >= limit {
                    continue;
                }
                *used += 1;
            }
            return Ok(Some(action));
        }
        Ok(None)
    }

    /// The order steps run in when nothing jumps: document order; in a workflow where a step
    /// uses `dependsOn` (1.1), "Tools supporting only sequential execution MUST execute steps
    /// in an order that satisfies both explicit (`dependsOn`) and implicit (output reference)
    /// dependencies" — the earliest written step whose dependencies have run goes first.
    fn order(&self, steps: &[Value]) -> Result<Vec<usize>, Stop> {
        let ids: Vec<String> = steps
            .iter()
            .map(|s| {
                s.get("stepId")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        let uses = steps.iter().any(|s| s.get("dependsOn").is_some());
        if !uses {
            return Ok((0..steps.len()).collect());
        }
        let mut deps: Vec<Vec<usize>> = Vec::new();
        for (i, s) in steps.iter().enumerate() {
            let mut d: Vec<usize> = Vec::new();
            for dep in s
                .get("dependsOn")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                match dep.as_str().and_then(|t| ids.iter().position(|x| x == t)) {
                    Some(j) => d.push(j),
                    None => return unsupported("dependsOn outside the workflow"),
                }
            }
            let text = s.to_string();
            for (j, other) in ids.iter().enumerate() {
                if j != i && text.contains(&format!("$steps.{other}.outputs")) {
                    d.push(j);
                }
            }
            deps.push(d);
        }
        let mut placed = vec![false; steps.len()];
        let mut order = Vec::new();
        while order.len() < steps.len() {
            let is_placed = |j: usize| placed.get(j).copied().unwrap_or(true);
            let ready = (0..steps.len()).find(|&i| {
                !is_placed(i) && deps.get(i).is_some_and(|d| d.iter().all(|&j| is_placed(j)))
            });
            match ready {
                Some(i) => {
                    if let Some(p) = placed.get_mut(i) {
                        *p = true;
                    }
                    order.push(i);
                }
                None => return unsupported("a dependency cycle"),
            }
        }
        Ok(order)
    }

    /// A value as written: a runtime expression when it is one, else the literal.
    fn value(&self, written: &Value, attempt: &Attempt, run: &Run) -> Result<Option<Value>, Stop> {
        match written {
            Value::String(text) if text.starts_with('$') => self.expression(text, attempt, run),
            Value::String(text) if text.contains("{$") => unsupported("a template"),
            other => Ok(Some(other.clone())),
        }
    }

    /// The runtime expressions the cases write.
    fn expression(&self, text: &str, attempt: &Attempt, run: &Run) -> Result<Option<Value>, Stop> {
        if text == "$statusCode" {
            return Ok(attempt.status.map(Value::from));
        }
        if let Some(pointer) = text.strip_prefix("$response.body") {
            let body = attempt.body.as_ref();
            return Ok(match pointer.strip_prefix('#') {
                Some(p) => body.and_then(|b| b.pointer(p)).cloned(),
                None if pointer.is_empty() => body.cloned(),
                None => return unsupported(format!("`{text}`")),
            });
        }
        if let Some(name) = text.strip_prefix("$inputs.") {
            return Ok(run.inputs.get(name).cloned());
        }
        if let Some(name) = text.strip_prefix("$outputs.") {
            return Ok(attempt.child.as_ref().and_then(|c| c.get(name)).cloned());
        }
        if let Some(rest) = text.strip_prefix("$steps.") {
            let Some((step, name)) = rest.split_once(".outputs.") else {
                return unsupported(format!("`{text}`"));
            };
            return Ok(run.outputs.get(step).and_then(|o| o.get(name)).cloned());
        }
        if let Some(rest) = text.strip_prefix("$workflows.") {
            let Some((workflow, name)) = rest.split_once(".outputs.") else {
                return unsupported(format!("`{text}`"));
            };
            return Ok(run
                .workflows
                .get(workflow)
                .and_then(|o| o.get(name))
                .cloned());
        }
        unsupported(format!("`{text}`"))
    }

    /// A `simple` condition of the forms the cases write: comparisons joined by `&&` or `||`
    /// (not both). 1.1.0 clarifies what 1.0.1 leaves open: a missing operand makes a
    /// comparison false, strings compare without regard to case, numbers as numbers.
    fn condition(&self, text: &str, attempt: &Attempt, run: &Run) -> Result<bool, Stop> {
        if text.contains("&&") && text.contains("||") {
            return unsupported("`&&` and `||` together");
        }
        if text.contains("&&") {
            for part in text.split("&&") {
                if !self.comparison(part.trim(), attempt, run)? {
                    return Ok(false);
                }
            }
            return Ok(true);
        }
        if text.contains("||") {
            for part in text.split("||") {
                if self.comparison(part.trim(), attempt, run)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        self.comparison(text.trim(), attempt, run)
    }

    fn comparison(&self, text: &str, attempt: &Attempt, run: &Run) -> Result<bool, Stop> {
        let ops = ["==", "!=", "<=", ">=", "<", ">"];
        let Some((op, at)) = ops
            .iter()
            .filter_map(|op| text.find(op).map(|at| (*op, at)))
            .min_by_key(|(_, at)| *at)
        else {
            return unsupported(format!("condition `{text}`"));
        };
        let left = text.get(..at).unwrap_or_default().trim();
        let right = text.get(at + op.len()..).unwrap_or_default().trim();
        let operand = |t: &str| -> Result<Option<Value>, Stop> {
            if t.starts_with('$') {
                return self.expression(t, attempt, run);
            }
            if let Some(s) = t.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                return Ok(Some(Value::String(s.replace("''", "'"))));
            }
            match serde_json::from_str::<Value>(t) {
                Ok(v) => Ok(Some(v)),
                Err(_) => unsupported(format!("operand `{t}`")),
            }
        };
        let (Some(l), Some(r)) = (operand(left)?, operand(right)?) else {
            return Ok(false);
        };
        if l.is_null() || r.is_null() {
            return Ok(false);
        }
        let ordering = match (number(&l), number(&r)) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => match (l.as_str(), r.as_str()) {
                (Some(a), Some(b)) => Some(a.to_lowercase().cmp(&b.to_lowercase())),
                _ => {
                    return Ok(match op {
                        "==" => l == r,
                        "!=" => l != r,
                        _ => false,
                    });
                }
            },
        };
        let Some(ordering) = ordering else {
            return Ok(false);
        };
        Ok(match op {
            "==" => ordering.is_eq(),
            "!=" => ordering.is_ne(),
            "<" => ordering.is_lt(),
            "<=" => ordering.is_le(),
            ">" => ordering.is_gt(),
            ">=" => ordering.is_ge(),
            _ => false,
        })
    }
}

/// A number, or a string that is one ("numeric strings compare as numbers", 1.1.0).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A query value's text: a string as it is, anything else as its JSON.
/// A `regex` criterion: "the condition is a regular expression applied to the context". The
/// context is its text (a string as it is, anything else as JSON), and the expression may match
/// anywhere in it, as a regular expression does unless it is anchored.
fn matches(pattern: &str, context: &Value) -> Result<bool, Stop> {
    match regex::Regex::new(pattern) {
        Ok(re) => Ok(re.is_match(&text(context))),
        Err(_) => unsupported("a regular expression the `regex` crate does not read"),
    }
}

/// A `jsonpath` criterion (RFC 9535, the context as the query's root): it holds when the query
/// selects something. The project's rule for a filter on the root (`$[?…]`), which RFC 9535
/// applies to the root's children only: the context itself is tested too, as the member of a
/// one-element list, which is what the specification's own example (`$[?count(@.pets) > 0]`
/// on a body) needs to hold.
fn selects(query: &str, context: &Value) -> Result<bool, Stop> {
    let Ok(path) = serde_json_path::JsonPath::parse(query) else {
        return unsupported("a JSONPath query that is not RFC 9535");
    };
    if !path.query(context).is_empty() {
        return Ok(true);
    }
    let root_filter = query.replace(' ', "").starts_with("$[?");
    Ok(root_filter && !path.query(&Value::Array(vec![context.clone()])).is_empty())
}

/// RFC 3986: everything but the unreserved characters encoded, as a path segment needs.
fn segment(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn kind(action: &Value) -> &str {
    action
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

enum Target {
    Step(String),
    Workflow(String),
    None,
}

fn target(action: &Value) -> Target {
    if let Some(s) = action.get("stepId").and_then(Value::as_str) {
        return Target::Step(s.to_owned());
    }
    match action.get("workflowId").and_then(Value::as_str) {
        Some(w) => Target::Workflow(w.to_owned()),
        None => Target::None,
    }
}

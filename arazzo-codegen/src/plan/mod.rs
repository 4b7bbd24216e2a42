//! The plan stage: a checked project becomes a description of the generated module with every
//! decision taken — what each workflow runs and in which order, how each value is read, what
//! each run keeps, what every type, field, method and constant is called. The emitter turns
//! it into Rust without looking anything up. Expressions become typed value references (a
//! source and a pointer); conditions become trees of comparisons and pre-compiled patterns.

mod document;
mod happy_path;
mod lower;
mod messages;
mod mock;
mod names;
mod presence;
mod reads;
mod sources;
mod step;
mod types;
mod workflow;

pub use document::{internal_error, plan};
pub use lower::{Cond, Escape, Lowered, Operand, Query, Source, TemplatePart, ValueRef};
pub use names::{Case, sanitize};
pub use types::{Absent, FieldDef, RustType, TypeDef, serde_case};

#[cfg(test)]
pub(crate) use lower::Lowerer;

use crate::model::ParamLocation;

/// The whole generated module.
#[derive(Debug, Clone)]
pub struct DocumentPlan {
    pub title: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub version: String,
    /// The Arazzo file, as diagnostics show it.
    pub file: String,
    pub client: ClientPlan,
    /// Input types (and the types inside them) and output structs, in the order they are
    /// first needed.
    pub types: Vec<TypeDef>,
    pub workflows: Vec<WorkflowPlan>,
    /// Some criterion or selector is XPath: the runtime needs its `xpath` feature.
    pub uses_xpath: bool,
    /// The test doubles (compiled with the runtime's `mock` feature only).
    pub mock: MockPlan,
    /// The name of the Restate service the durable module serves the workflows as (the file's
    /// name in UpperCamelCase: `create-conversation.arazzo.yaml` → `CreateConversation`).
    pub durable_service: String,
}

/// The module's test doubles: a mock server route per operation the workflows call.
#[derive(Debug, Clone, Default)]
pub struct MockPlan {
    pub routes: Vec<MockRoute>,
}

/// One operation as the mock serves it.
#[derive(Debug, Clone)]
pub struct MockRoute {
    /// The `Mock` method that programs it, the generated request type and the route's constant.
    pub method: String,
    pub request_type: String,
    pub constant: String,
    /// `operationId`, or `METHOD /path`.
    pub operation: String,
    pub http_method: String,
    /// Where the mock serves the operation's source, and the operation's path template.
    pub prefix: String,
    pub path: String,
    pub summary: Option<String>,
    /// The steps that call it, in the order first planned.
    pub steps: Vec<String>,
    /// The default answer: from the description's first 2xx response.
    pub status: u16,
    /// Empty: no body.
    pub content_type: String,
    pub body: String,
    /// Path, query and header parameters as fields of the request type.
    pub params: Vec<MockParam>,
}

#[derive(Debug, Clone)]
pub struct MockParam {
    pub name: String,
    pub field: String,
    pub location: ParamLocation,
}

/// The generated `Client`: a base URL per source, a credential per security scheme, a message
/// source per AsyncAPI description.
#[derive(Debug, Clone)]
pub struct ClientPlan {
    pub sources: Vec<SourcePlan>,
    pub message_sources: Vec<MessageSourcePlan>,
    pub schemes: Vec<SchemePlan>,
    /// The default step budget chosen at generation; `None`: the runtime's.
    pub step_budget: Option<usize>,
}

/// An OpenAPI source the workflows call.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcePlan {
    pub name: String,
    /// The client field holding its base URL, and its setter.
    pub field: String,
    pub setter: String,
    /// `servers[0]`, variables at their defaults.
    pub default_url: String,
    /// The path under which a generated mock serves the source (`/<name>`).
    pub mock_prefix: String,
}

/// An AsyncAPI source the workflows send to or receive from.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageSourcePlan {
    pub name: String,
    /// The client field holding its `MessageSource`, its transport setter, its server setter.
    pub field: String,
    pub transport_setter: String,
    pub server_setter: String,
    /// The description's servers, in order.
    pub servers: Vec<ServerPlan>,
    /// The setter of user name and password, when a server asks for them (`userPassword`).
    pub user_password_setter: Option<String>,
}

/// A server of an AsyncAPI description: 3.0's `host` and `pathname`, 2.x's `url`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerPlan {
    pub name: String,
    pub protocol: String,
    pub url: String,
    /// Its MQTT binding (`bindings.mqtt`).
    pub mqtt: MqttBindingsPlan,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MqttBindingsPlan {
    pub client_id: Option<String>,
    pub clean_session: Option<bool>,
    pub keep_alive_secs: Option<u64>,
    pub maximum_packet_size: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    Basic,
    Bearer,
    ApiKey {
        location: ParamLocation,
        name: String,
    },
    /// `oauth2`: a token set as it is, or had by one of the declared flows. `endpoint_setter`
    /// replaces the flows' token endpoint.
    OAuth2 {
        flows: Vec<FlowPlan>,
        endpoint_setter: String,
    },
    /// `openIdConnect`: a token set as it is, or had from the endpoint that discovery at `url`
    /// names, by client credentials, password or a token provider.
    OpenIdConnect {
        url: String,
        flows: Vec<FlowPlan>,
        endpoint_setter: String,
    },
    /// `mutualTLS`: the scheme's setter takes a client identity; `client_setter` a whole
    /// `reqwest::Client`.
    MutualTls {
        client_setter: String,
    },
}

/// The OAuth 2 flows, by their name in OpenAPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthFlow {
    ClientCredentials,
    Password,
    AuthorizationCode,
    Implicit,
    DeviceAuthorization,
}

impl OAuthFlow {
    pub const ALL: [(OAuthFlow, &'static str); 5] = [
        (OAuthFlow::ClientCredentials, "clientCredentials"),
        (OAuthFlow::Password, "password"),
        (OAuthFlow::AuthorizationCode, "authorizationCode"),
        (OAuthFlow::Implicit, "implicit"),
        (OAuthFlow::DeviceAuthorization, "deviceAuthorization"),
    ];

    /// The name in OpenAPI, and in the runtime's `oauth::Flow`.
    pub fn name(self) -> &'static str {
        match self {
            OAuthFlow::ClientCredentials => "clientCredentials",
            OAuthFlow::Password => "password",
            OAuthFlow::AuthorizationCode => "authorizationCode",
            OAuthFlow::Implicit => "implicit",
            OAuthFlow::DeviceAuthorization => "deviceAuthorization",
        }
    }
}

/// One OAuth flow a scheme declares, and the client method that runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowPlan {
    pub flow: OAuthFlow,
    /// `authorizationUrl` (the device flow's `deviceAuthorizationUrl`).
    pub authorization_url: Option<String>,
    pub token_url: Option<String>,
    pub refresh_url: Option<String>,
    pub setter: String,
}

/// A security scheme some generated operation requires.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemePlan {
    pub name: String,
    pub kind: SchemeKind,
    pub description: Option<String>,
    /// The client field holding its credential, and its setter.
    pub field: String,
    pub setter: String,
}

/// One workflow: a public method on `Client` (for the user's document) and a private module
/// holding its state machine.
#[derive(Debug, Clone)]
pub struct WorkflowPlan {
    pub id: String,
    /// The Arazzo document it is written in, as diagnostics show it.
    pub file: String,
    /// Workflows of the user's document are public methods; those of Arazzo sources they use
    /// are generated for them to call.
    pub public: bool,
    pub method: String,
    pub module: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The input parameter's type; `None` when the workflow takes nothing.
    pub input: Option<RustType>,
    pub output: String,
    pub run: RunPlan,
    /// Workflows that run first, in order (those a run has completed already are skipped).
    pub depends_on: Vec<Callee>,
    /// Other workflows whose records it reads (`$workflows.<id>…`), by key: those the run
    /// has completed as dependencies of its dependencies are recalled from its set.
    pub recalls: Vec<String>,
    /// Every other workflow this one runs by `dependsOn` or an action (each gets one method
    /// of the run).
    pub runs: Vec<Callee>,
    pub steps: Vec<StepPlan>,
    pub outputs: Vec<OutputPlan>,
}

/// What one run of a workflow keeps besides its client: the fields of its `Run` struct.
#[derive(Debug, Clone, PartialEq)]
pub struct RunPlan {
    pub inputs: RunInputs,
    /// The step outputs some expression reads, each in a field of its own.
    pub step_outputs: Vec<StepOutputField>,
    /// Inputs and outputs of the workflows it ran, for `$workflows.<id>…`.
    pub workflows: bool,
    /// Counts of retries used, by step and action.
    pub retries: bool,
    /// The step to resume once a retry's other step has run.
    pub resume: bool,
    /// A failure action ends the run: the run can report the outputs it has.
    pub ends_on_failure: bool,
    /// Some step no path reaches (its variant is never made).
    pub unreachable_steps: bool,
    /// The steps' variant names are ones clippy's `enum_variant_names` objects to.
    pub similar_step_names: bool,
    /// The subscriptions of the steps that receive messages.
    pub subscriptions: Vec<SubscriptionPlan>,
    /// The run keeps the set of workflows completed as dependencies, given by whoever started
    /// it: the workflow has `dependsOn`, or runs a workflow that keeps the set.
    pub completing: bool,
    /// Another workflow runs this one, which keeps the set: it also runs within the other's
    /// run, sharing the set (`run_within`).
    pub within: bool,
}

/// How a run holds the workflow's inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunInputs {
    /// Nothing reads them.
    None,
    /// The typed input, read field by field.
    Typed,
    /// A JSON copy: something reads `$inputs` whole or passes inputs on by name.
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepOutputField {
    pub step: String,
    pub output: String,
    pub field: String,
}

/// Another workflow of the module, as a caller runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Callee {
    /// Unique in the module: the workflowId, prefixed by the source name for workflows of other
    /// Arazzo documents. `$workflows.<id>` records are kept under it.
    pub key: String,
    pub module: String,
    pub input: Option<RustType>,
    /// Declared input names: what the caller passes on by name.
    pub input_names: Vec<String>,
    /// It keeps the set of workflows completed as dependencies: run with the caller's
    /// (`run_within`), so that it skips what the run has completed and adds to it.
    pub within: bool,
    /// The caller's run method that runs it.
    pub method: String,
}

#[derive(Debug, Clone)]
pub struct OutputPlan {
    pub name: String,
    pub field: String,
    pub ty: RustType,
    /// The type as error messages name it (`string?`).
    pub expected: String,
    /// The expression, when the output is one.
    pub from: Option<String>,
    pub value: OutputValue,
}

/// Where a workflow output comes from at the end of a run.
#[derive(Debug, Clone)]
pub enum OutputValue {
    /// A step output read whole by this output alone: moved out of the run.
    Take(String),
    /// A step output read whole, also read elsewhere: converted where it is.
    Borrow(String),
    /// Anything else, computed.
    Compute(Lowered),
}

#[derive(Debug, Clone)]
pub struct StepPlan {
    pub id: String,
    pub method: String,
    pub variant: String,
    pub description: Option<String>,
    pub call: StepCall,
    /// How long one attempt may take (1.1).
    pub timeout: Option<TimeoutPlan>,
    /// `(static name, query)` of the JSONPath queries of its selectors and replacement targets.
    pub queries: Vec<(String, Query)>,
    /// Empty: any 2xx status is success.
    pub criteria: Vec<CriterionPlan>,
    /// `(run field, value)` of the outputs some expression reads.
    pub outputs: Vec<(String, Lowered)>,
    /// The step's own actions, then the workflow's not overridden by name.
    pub on_success: Vec<ActionPlan>,
    pub on_failure: Vec<ActionPlan>,
    /// The variant of the step that runs next when nothing jumps (document order, unless step
    /// `dependsOn` moves a step later).
    pub next: Option<String>,
    /// A retry of another step runs this one first: when it succeeds after such a retry, the
    /// run goes back to the retried step, whatever its own success actions say.
    pub resumes: bool,
}

/// What a step runs.
#[derive(Debug, Clone)]
pub enum StepCall {
    Operation(Box<OperationCall>),
    /// A message sent to or received from an AsyncAPI channel (1.1).
    Message(Box<MessageCall>),
    /// Another workflow, with the step's parameters as its inputs.
    Workflow {
        callee: Callee,
        inputs: Vec<(String, Lowered)>,
        /// Whether an expression reads the child's outputs (`$outputs…`).
        reads_outputs: bool,
        /// Whether the run keeps what the child was given and gave for `$workflows.<id>…`
        /// (something in the workflow reads this workflow's record).
        record: bool,
    },
}

#[derive(Debug, Clone)]
pub struct OperationCall {
    pub operation_id: Option<String>,
    /// The client field with the source's base URL.
    pub base: String,
    pub method: HttpMethod,
    pub path: String,
    pub params: Vec<ParamPlan>,
    pub body: Option<BodyPlan>,
    pub auth: AuthPlan,
    /// Whether the step's expressions read `$request.path…`: its path values are then kept.
    pub reads_request_path: bool,
}

impl StepCall {
    /// Every value the call sends or passes on (not its criteria, actions or outputs).
    pub fn values(&self) -> Vec<&Lowered> {
        let mut values: Vec<&Lowered> = Vec::new();
        match self {
            StepCall::Operation(op) => {
                values.extend(op.params.iter().map(|p| &p.value));
                if let Some(b) = &op.body {
                    values.push(&b.value);
                    values.extend(b.replacements.iter().map(|(_, v)| v));
                }
            }
            StepCall::Message(m) => {
                values.extend(m.channel_params.iter().map(|(_, _, v)| v));
                match &m.kind {
                    MessageKind::Send { headers, payload } => {
                        values.extend(headers.iter().map(|(_, v)| v));
                        if let Some(b) = payload {
                            values.push(&b.value);
                            values.extend(b.replacements.iter().map(|(_, v)| v));
                        }
                    }
                    MessageKind::Receive { correlation, .. } => {
                        values.extend(correlation.iter().map(|c| &c.value));
                    }
                }
            }
            StepCall::Workflow { inputs, .. } => values.extend(inputs.iter().map(|(_, v)| v)),
        }
        values
    }

    /// [`StepCall::values`], to change.
    pub fn values_mut(&mut self) -> Vec<&mut Lowered> {
        let mut values: Vec<&mut Lowered> = Vec::new();
        match self {
            StepCall::Operation(op) => {
                values.extend(op.params.iter_mut().map(|p| &mut p.value));
                if let Some(b) = &mut op.body {
                    values.push(&mut b.value);
                    values.extend(b.replacements.iter_mut().map(|(_, v)| v));
                }
            }
            StepCall::Message(m) => {
                values.extend(m.channel_params.iter_mut().map(|(_, _, v)| v));
                match &mut m.kind {
                    MessageKind::Send { headers, payload } => {
                        values.extend(headers.iter_mut().map(|(_, v)| v));
                        if let Some(b) = payload {
                            values.push(&mut b.value);
                            values.extend(b.replacements.iter_mut().map(|(_, v)| v));
                        }
                    }
                    MessageKind::Receive { correlation, .. } => {
                        values.extend(correlation.iter_mut().map(|c| &mut c.value));
                    }
                }
            }
            StepCall::Workflow { inputs, .. } => {
                values.extend(inputs.iter_mut().map(|(_, v)| v));
            }
        }
        values
    }
}

#[derive(Debug, Clone)]
pub struct MessageCall {
    pub operation_id: Option<String>,
    /// The client field with the source's `MessageSource`.
    pub source: String,
    /// The channel's address, `{name}` placeholders and all.
    pub address: String,
    /// `(name, value as written, value)` of the `in: channel` parameters.
    pub channel_params: Vec<(String, String, Lowered)>,
    pub kind: MessageKind,
}

#[derive(Debug, Clone)]
pub enum MessageKind {
    Send {
        /// `(name, value)` of the `in: header` parameters.
        headers: Vec<(String, Lowered)>,
        /// `None`: an empty payload.
        payload: Option<BodyPlan>,
    },
    Receive {
        /// The run field holding the subscription, opened when the run starts.
        subscription: String,
        correlation: Option<CorrelationPlan>,
        /// The messages are JSON (else their payload is read as text).
        json: bool,
        content_type: String,
    },
}

/// Where the messages carry their correlation id, and the value the step waits for.
#[derive(Debug, Clone)]
pub struct CorrelationPlan {
    pub in_header: bool,
    pub pointer: Vec<String>,
    pub value: Lowered,
}

/// A subscription a run opens before its first step, for a step that receives.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionPlan {
    pub field: String,
    pub step: String,
    pub source: String,
    pub address: String,
    pub channel_params: Vec<(String, String, Lowered)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    Query,
}

impl HttpMethod {
    pub fn parse(method: &str) -> Option<Self> {
        Some(match method.to_ascii_lowercase().as_str() {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            "query" => HttpMethod::Query,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
            HttpMethod::Query => "QUERY",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Simple,
    Form,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone)]
pub struct ParamPlan {
    pub name: String,
    pub location: ParamLocation,
    pub style: ParamStyle,
    pub explode: bool,
    pub required: bool,
    pub value: Lowered,
    /// The value as written, for "required … has no value (from `…`)" errors.
    pub written: String,
    /// A credential: in a security scheme's place, or `format: password` in the description.
    pub secret: bool,
}

/// Where a payload replacement writes: one place, or (a JSONPath `targetSelectorType`, 1.1)
/// every node a query selects.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplaceTarget {
    Pointer(Vec<String>),
    /// Every node a JSONPath or XPath query selects; `name`: the `static` holding it.
    Query {
        query: Query,
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    Json,
    /// A string payload for a JSON body: JSON text, sent as it is.
    JsonText,
    /// `(property, style, explode)` from the media type's `encoding`.
    Form(Vec<(String, ParamStyle, bool)>),
    /// A form body whose fields are read where they are, with no JSON object built: when the
    /// payload is an object without replacements and nothing reads `$request.body`.
    FormFields(Vec<(String, ParamStyle, bool)>),
    Multipart,
    Text,
}

#[derive(Debug, Clone)]
pub struct BodyPlan {
    pub content_type: String,
    pub kind: BodyKind,
    pub value: Lowered,
    /// `(pointer tokens, value)`, applied in order after the payload is built.
    pub replacements: Vec<(ReplaceTarget, Lowered)>,
}

/// The credentials of an operation: alternatives (any one suffices) of client credential
/// fields (all needed), in the description's order, keeping only those the client can hold.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthPlan {
    pub alternatives: Vec<Vec<AuthField>>,
    /// No credentials at all is also acceptable.
    pub anonymous: bool,
    /// The scheme named when no alternative is filled: the client field of the first scheme
    /// asked for.
    pub first: Option<String>,
}

/// One credential of a security requirement: the client field, and for OAuth 2 and OpenID
/// Connect the scopes the requirement lists (its token is had for them).
#[derive(Debug, Clone, PartialEq)]
pub struct AuthField {
    pub field: String,
    pub scopes: Option<Vec<String>>,
}

impl AuthPlan {
    /// Some credential is a token still to be had.
    pub fn needs_tokens(&self) -> bool {
        self.alternatives
            .iter()
            .flatten()
            .any(|f| f.scopes.is_some())
    }
}

#[derive(Debug, Clone)]
pub struct CriterionPlan {
    pub cond: Cond,
    /// The condition as written.
    pub text: String,
    pub line: usize,
    pub column: usize,
    /// The constant describing it in the step's method.
    pub name: String,
}

/// A step's `timeout`: an attempt that takes longer fails (its first success criterion
/// includes [`Cond::Completed`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TimeoutPlan {
    pub millis: u64,
    pub line: usize,
    pub column: usize,
    /// The constant describing it in the step's method.
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct ActionPlan {
    pub name: String,
    pub kind: ActionPlanKind,
    /// All must hold for the action to be taken; none: always taken.
    pub criteria: Vec<CriterionPlan>,
    /// The inputs its `parameters` give the workflow it runs (1.1); `None`: the run's inputs
    /// of the same names.
    pub inputs: Option<Vec<(String, Lowered)>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ActionPlanKind {
    End,
    GotoStep(StepTarget),
    /// Runs the workflow (with the caller's inputs where names match), then this one ends.
    GotoWorkflow(Callee),
    /// Re-runs the step, after running `via` first when given.
    Retry {
        after: Option<f64>,
        limit: u64,
        via: Option<Via>,
    },
}

/// A step of the same workflow, as an action names it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepTarget {
    pub id: String,
    pub variant: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Via {
    Step(StepTarget),
    Workflow(Callee),
}

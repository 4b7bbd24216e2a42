use super::Severity;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $sev:ident; )*) => {
        /// A stable identifier for each kind of problem. The string form is what `--message-format
        /// json` prints and what tests and users may match on; it never changes meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in the order they are declared.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable kebab-case form (`unknown-operation`).
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// Whether this kind of problem is an error or a warning.
            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }
        }
    };
}

codes! {
    /// A file could not be read.
    Io = "io", Error;
    /// A file is not valid UTF-8.
    NotUtf8 = "not-utf8", Error;
    /// A file holds nothing but white space or comments.
    EmptyDocument = "empty-document", Error;
    /// YAML or JSON that does not parse.
    Syntax = "syntax", Error;
    /// A file beyond the loader's bounds: size, nesting depth, alias expansion, scalar length.
    InputLimit = "input-limit", Error;
    /// More than one YAML document in one file.
    MultipleDocuments = "multiple-documents", Error;
    /// The same key twice in one mapping.
    DuplicateKey = "duplicate-key", Error;
    /// A value of the wrong kind (a list where a mapping belongs, …).
    WrongType = "wrong-type", Error;
    /// A required field is absent.
    MissingField = "missing-field", Error;
    /// A field the specification does not define (and not an `x-` extension).
    UnknownField = "unknown-field", Error;
    /// A value outside the allowed set (`in: body`, `type: loop`, …).
    InvalidValue = "invalid-value", Error;
    /// An `arazzo` version this compiler does not support.
    UnsupportedVersion = "unsupported-version", Error;
    /// A field or expression that came with a later Arazzo version than the document declares.
    NewerThanDocument = "newer-than-document", Error;
    /// An id that does not match the characters the specification recommends.
    InvalidId = "invalid-id", Warning;
    /// A source, output or component name outside the characters the Arazzo schema allows.
    InvalidName = "invalid-name", Error;
    /// Two workflows, steps, sources or components share an id.
    DuplicateId = "duplicate-id", Error;
    /// A source description whose file does not exist.
    SourceNotFound = "source-not-found", Error;
    /// A source description at an http(s) URL without a local mapping.
    RemoteSource = "remote-source", Error;
    /// Arazzo sources that include each other.
    SourceCycle = "source-cycle", Error;
    /// A source that is not a document of the kind it claims, or of no known kind.
    SourceKind = "source-kind", Error;
    /// A Swagger or OpenAPI version this compiler does not read (it reads Swagger 2.0 and
    /// OpenAPI 3.0 to 3.2).
    UnsupportedOpenApi = "unsupported-openapi", Error;
    /// An OpenAPI object that does not match the OpenAPI schema.
    InvalidOpenApi = "invalid-openapi", Error;
    /// A `$ref` in an OpenAPI description that points nowhere.
    UnresolvedRef = "unresolved-ref", Error;
    /// A step names a source description that does not exist.
    UnknownSource = "unknown-source", Error;
    /// A step's `operationId` matches no operation.
    UnknownOperation = "unknown-operation", Error;
    /// A plain `operationId` found in several sources.
    AmbiguousOperation = "ambiguous-operation", Error;
    /// An `operationPath` that is malformed or does not point at an operation.
    InvalidOperationPath = "invalid-operation-path", Error;
    /// A workflow id that matches no workflow.
    UnknownWorkflow = "unknown-workflow", Error;
    /// A step id that matches no step of the workflow.
    UnknownStep = "unknown-step", Error;
    /// A step with zero or several of `operationId`, `operationPath`, `workflowId`.
    StepTarget = "step-target", Error;
    /// A `goto` with neither or both of `stepId` and `workflowId`.
    ActionTarget = "action-target", Error;
    /// `dependsOn` forms a cycle.
    DependencyCycle = "dependency-cycle", Error;
    /// A workflow that runs itself again (through a step, an action or `dependsOn`).
    WorkflowRecursion = "workflow-recursion", Error;
    /// Workflow runs nested deeper than rustc compiles without a raised `recursion_limit`.
    DeepNesting = "deep-nesting", Warning;
    /// A step that can be reached before a step it depends on (`dependsOn`) has completed.
    UnsatisfiedDependency = "unsatisfied-dependency", Error;
    /// A step that reads the outputs of a step that can only run after it (a warning in 1.0
    /// documents).
    ForwardReference = "forward-reference", Error;
    /// A parameter of an operation step without `in`.
    ParameterWithoutIn = "parameter-without-in", Error;
    /// A parameter the operation does not declare.
    UnknownParameter = "unknown-parameter", Error;
    /// A required operation parameter that the step does not supply.
    MissingParameter = "missing-parameter", Error;
    /// `$inputs.x` where the workflow declares no input `x`.
    UnknownInput = "unknown-input", Error;
    /// `$steps.s.outputs.o` where step `s` declares no output `o`.
    UnknownStepOutput = "unknown-step-output", Error;
    /// `$self` read in a document that declares no `$self`.
    UndefinedSelf = "undefined-self", Error;
    /// A Reusable reference to a component that does not exist.
    UnknownComponent = "unknown-component", Error;
    /// `retryAfter` or `retryLimit` on an action that is not a `retry`.
    RetryFieldsWithoutRetry = "retry-fields-without-retry", Error;
    /// A runtime expression that cannot be parsed.
    MalformedExpression = "malformed-expression", Error;
    /// A `simple` condition that cannot be parsed.
    MalformedCondition = "malformed-condition", Error;
    /// An expression used where what it reads does not exist yet (`$response` in a parameter).
    ExpressionScope = "expression-scope", Error;
    /// A `regex` criterion whose pattern does not compile.
    InvalidRegex = "invalid-regex", Error;
    /// A `jsonpath` criterion that is not an RFC 9535 query.
    InvalidJsonPath = "invalid-jsonpath", Error;
    /// A JSON pointer (RFC 6901) that is not well formed.
    InvalidJsonPointer = "invalid-json-pointer", Error;
    /// A step parameter its operation does not declare, and that is no slip of a declared
    /// name: sent as written.
    UndeclaredParameter = "undeclared-parameter", Warning;
    /// An XPath expression the XPath engine does not compile.
    InvalidXPath = "invalid-xpath", Error;
    /// XPath expressions generated by a build without the XPath engine (feature `xpath`).
    UncheckedXPath = "unchecked-xpath", Warning;
    /// A construct the code generator does not handle yet.
    UnsupportedFeature = "unsupported-feature", Error;
    /// A broken invariant of the generator itself: a bug to report, never wrong code.
    InternalError = "internal-error", Error;
    /// A `$statusCode` criterion on a status the operation never returns.
    UndeclaredStatus = "undeclared-status", Warning;
    /// A request `contentType` the operation does not accept.
    UnsupportedContentType = "unsupported-content-type", Warning;
    /// A request body on a GET or HEAD operation.
    BodyWithoutPayloadMethod = "body-on-get-or-head", Warning;
    /// A `"double-quoted"` string in a simple condition (Arazzo uses single quotes).
    DoubleQuotedString = "double-quoted-string", Warning;
    /// A value passed as a workflow input whose type the input's schema does not allow.
    InputType = "input-type", Error;
    /// A comparison between values that can never be equal or ordered.
    IncomparableTypes = "incomparable-types", Warning;
    /// A JSON pointer that cannot exist in the schema it reads.
    PointerOutsideSchema = "pointer-outside-schema", Warning;
    /// A field that has no effect where it is written (`in` on a workflow step's parameter).
    IgnoredField = "ignored-field", Warning;
    /// A step that no path through its workflow reaches.
    UnreachableStep = "unreachable-step", Warning;
    /// A workflow input that nothing reads.
    UnusedInput = "unused-input", Warning;
    /// Another runner's shorthand, read as the specification's form (lenient compatibility).
    RunnerShorthand = "runner-shorthand", Warning;
    /// Plain text that holds what reads as a runtime expression (`Bearer $inputs.token`): sent
    /// as written, which is rarely what was meant.
    LiteralExpression = "literal-expression", Warning;
    /// A `$ref` inside a schema an operation's request or response uses that points at
    /// nothing: what it describes is typed as a JSON value.
    UnresolvedSchemaRef = "unresolved-schema-ref", Warning;
    /// An AsyncAPI version this compiler does not read (it reads 2.x and 3.0).
    UnsupportedAsyncApi = "unsupported-asyncapi", Error;
    /// An AsyncAPI object a message step needs that does not match the AsyncAPI schema.
    InvalidAsyncApi = "invalid-asyncapi", Error;
    /// A `channelPath` that is malformed or names no channel.
    UnknownChannel = "unknown-channel", Error;
    /// A message step without `action`, or whose `action` is not what its AsyncAPI operation
    /// lets a workflow do; `correlationId` on a step that sends.
    MessageAction = "message-action", Error;
    /// A receive step's `correlationId` where the messages it may receive declare none.
    MissingCorrelation = "missing-correlation", Error;
    /// A payload (a request body, a message, a payload replacement) that does not fit the
    /// schema of what it becomes: a type, an `enum`, a required member, a member ruled out.
    PayloadSchema = "payload-schema", Error;
    /// A payload member the schema allows but does not declare: sent as written, most likely
    /// a misspelt or misplaced member.
    UndeclaredMember = "undeclared-member", Warning;
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

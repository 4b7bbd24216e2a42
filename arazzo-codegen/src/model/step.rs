use super::ExpressionType;
use super::{ActionList, Extensions, Output, Spanned};
use crate::node::Node;
use crate::source_map::Span;

#[derive(Debug, Clone)]
pub struct Step {
    pub step_id: Spanned<String>,
    /// 1.1: milliseconds an attempt may take.
    pub timeout: Option<Spanned<u64>>,
    /// 1.1: steps that must have completed first.
    pub depends_on: Vec<Spanned<String>>,
    /// 1.1, AsyncAPI steps: `send` or `receive`.
    pub action: Option<Spanned<String>>,
    /// 1.1, AsyncAPI receive steps.
    pub correlation_id: Option<Node>,
    pub description: Option<Spanned<String>>,
    /// `None` when the step names no target or several (already reported).
    pub target: Option<StepTarget>,
    pub parameters: Vec<ParameterOrRef>,
    pub request_body: Option<RequestBody>,
    pub success_criteria: Vec<Criterion>,
    pub on_success: ActionList,
    pub on_failure: ActionList,
    pub outputs: Vec<Output>,
    pub span: Span,
    pub extensions: Extensions,
}

#[derive(Debug, Clone)]
pub enum StepTarget {
    OperationId(Spanned<String>),
    OperationPath(Spanned<String>),
    WorkflowId(Spanned<String>),
    /// 1.1: an AsyncAPI channel.
    ChannelPath(Spanned<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
    /// 1.1 (from OpenAPI 3.2): the whole query string.
    QueryString,
    /// 1.1: an AsyncAPI channel parameter.
    Channel,
}

impl ParamLocation {
    pub const ALL: [(&'static str, ParamLocation); 6] = [
        ("path", ParamLocation::Path),
        ("query", ParamLocation::Query),
        ("querystring", ParamLocation::QueryString),
        ("header", ParamLocation::Header),
        ("cookie", ParamLocation::Cookie),
        ("channel", ParamLocation::Channel),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::QueryString => "querystring",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
            ParamLocation::Channel => "channel",
        }
    }

    /// Whether `a` and `b` name the same parameter here: header names ignore case.
    pub fn same_name(self, a: &str, b: &str) -> bool {
        if self == ParamLocation::Header {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: Spanned<String>,
    pub location: Option<Spanned<ParamLocation>>,
    /// A literal, a runtime expression, or a string with `{$…}` parts.
    pub value: Node,
    pub span: Span,
    pub extensions: Extensions,
}

impl Parameter {
    /// Whether this is the parameter `name` in `location`.
    pub fn is(&self, location: ParamLocation, name: &str) -> bool {
        self.location.as_ref().is_some_and(|l| l.value == location)
            && location.same_name(&self.name.value, name)
    }
}

/// `reference: $components.…` with an optional overriding `value`.
#[derive(Debug, Clone)]
pub struct Reusable {
    pub reference: Spanned<String>,
    pub value: Option<Node>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ParameterOrRef {
    Parameter(Parameter),
    Reusable(Reusable),
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub content_type: Option<Spanned<String>>,
    pub payload: Option<Node>,
    pub replacements: Vec<PayloadReplacement>,
    pub span: Span,
    pub extensions: Extensions,
}

#[derive(Debug, Clone)]
pub struct PayloadReplacement {
    pub target: Spanned<String>,
    /// 1.1: how `target` is read (a JSON pointer when absent).
    pub target_type: Option<Spanned<ExpressionType>>,
    pub value: Node,
    pub extensions: Extensions,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CriterionType {
    Simple,
    Regex,
    JsonPath {
        version: Option<Spanned<String>>,
    },
    XPath {
        version: Option<Spanned<String>>,
    },
    /// 1.1, through an Expression Type Object: the condition is a JSON pointer.
    JsonPointer,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub context: Option<Spanned<String>>,
    /// The context's node, so later stages can point inside the string.
    pub context_node: Option<Node>,
    /// The condition, with its node so later stages can point inside the string.
    pub condition: Spanned<String>,
    pub condition_node: Node,
    pub kind: Spanned<CriterionType>,
    pub span: Span,
    pub extensions: Extensions,
}

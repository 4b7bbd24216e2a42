//! The Arazzo 1.0.x and 1.1.x document model. Every value a later stage may report on carries
//! its span. Free-form parts (JSON Schemas, payloads, parameter values) stay as located [`Node`]
//! trees; a 1.1 Selector Object among them is recognised by its shape ([`Selector::of`]).

mod action;
mod selector;
mod step;

pub use action::{
    Action, ActionKind, ActionList, ActionOrRef, merged, resolved as resolved_actions,
};
pub use selector::{ExpressionType, Selector};
pub use step::{
    Criterion, CriterionType, ParamLocation, Parameter, ParameterOrRef, PayloadReplacement,
    RequestBody, Reusable, Step, StepTarget,
};

use std::collections::BTreeMap;

use crate::node::Node;
use crate::source_map::{FileId, Span};

/// A value with the span it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl Spanned<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// `x-` fields, kept in document order.
pub type Extensions = BTreeMap<String, Node>;

/// The feature set of a document: its `arazzo` version without the patch number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ArazzoVersion {
    V1_0,
    V1_1,
}

impl ArazzoVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            ArazzoVersion::V1_0 => "1.0",
            ArazzoVersion::V1_1 => "1.1",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    pub file: FileId,
    pub arazzo: Spanned<String>,
    pub version: ArazzoVersion,
    /// `$self` (1.1): the document's own URI, its base URI for relative references.
    pub self_uri: Option<Spanned<String>>,
    pub info: Info,
    pub source_descriptions: Vec<SourceDescription>,
    pub workflows: Vec<Workflow>,
    pub components: Components,
    pub extensions: Extensions,
}

#[derive(Debug, Clone)]
pub struct Info {
    pub title: Spanned<String>,
    pub summary: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub version: Spanned<String>,
    pub extensions: Extensions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceType {
    OpenApi,
    Arazzo,
    /// 1.1.
    AsyncApi,
}

impl SourceType {
    /// As written in a source description's `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceType::OpenApi => "openapi",
            SourceType::Arazzo => "arazzo",
            SourceType::AsyncApi => "asyncapi",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SourceDescription {
    pub name: Spanned<String>,
    pub url: Spanned<String>,
    pub kind: Option<Spanned<SourceType>>,
    pub span: Span,
    pub extensions: Extensions,
}

#[derive(Debug, Clone)]
pub struct Workflow {
    pub workflow_id: Spanned<String>,
    pub summary: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    /// A JSON Schema, possibly `$ref: '#/components/inputs/x'`.
    pub inputs: Option<Node>,
    pub depends_on: Vec<Spanned<String>>,
    pub steps: Vec<Step>,
    pub success_actions: ActionList,
    pub failure_actions: ActionList,
    pub outputs: Vec<Output>,
    pub parameters: Vec<ParameterOrRef>,
    pub span: Span,
    pub extensions: Extensions,
}

/// One `outputs` entry: a name and the runtime expression that computes it.
#[derive(Debug, Clone)]
pub struct Output {
    pub name: Spanned<String>,
    pub value: Node,
}

#[derive(Debug, Clone, Default)]
pub struct Components {
    pub inputs: BTreeMap<String, Component<Node>>,
    pub parameters: BTreeMap<String, Component<Parameter>>,
    pub success_actions: BTreeMap<String, Component<Action>>,
    pub failure_actions: BTreeMap<String, Component<Action>>,
    pub extensions: Extensions,
}

/// A named entry of `components`.
#[derive(Debug, Clone)]
pub struct Component<T> {
    pub name_span: Span,
    pub value: T,
}

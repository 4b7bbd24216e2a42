//! The parsed form of runtime expressions, templates and simple conditions. Every part keeps the
//! byte range it was read from (relative to the string it came from), so diagnostics can point
//! inside the YAML or JSON string.

use std::ops::Range;

/// A name as written, with its range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub range: Range<usize>,
}

/// One runtime expression: a root, then optional navigation into the value it names.
#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    pub root: Root,
    /// `#/a/b`: RFC 6901 tokens, unescaped.
    pub pointer: Option<Pointer>,
    /// `.member` and `[index]` navigation after the root (as real documents write it).
    pub path: Vec<Segment>,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer {
    pub tokens: Vec<String>,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Member(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Header,
    Query,
    Path,
    Body,
    /// A message's payload (`$message.payload`, 1.1).
    Payload,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowField {
    Inputs,
    Outputs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentKind {
    Parameters,
    SuccessActions,
    FailureActions,
    Inputs,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    Url,
    Method,
    StatusCode,
    /// `$request.header.X`, `$request.query.x`, `$request.path.x`, `$request.body`.
    Request {
        part: Part,
        name: Option<Name>,
    },
    /// `$response.header.X`, `$response.body`.
    Response {
        part: Part,
        name: Option<Name>,
    },
    /// `$inputs` alone.
    AllInputs,
    /// `$inputs.<name>`; dotted, since input names may contain dots.
    Inputs(Name),
    /// `$outputs.<name>`.
    Outputs(Name),
    /// `$steps.<step>.outputs.<name>`.
    StepOutput {
        step: Name,
        output: Name,
    },
    /// `$workflows.<id>.inputs.<name>` / `$workflows.<id>.outputs.<name>`.
    Workflow {
        workflow: Name,
        field: WorkflowField,
        name: Name,
    },
    /// `$sourceDescriptions.<name>.<url|operationId|workflowId>`.
    SourceDescription {
        source: Name,
        reference: Name,
    },
    /// `$components.<kind>.<name>`.
    Component {
        kind: ComponentKind,
        name: Name,
    },
    /// `$self` (1.1): the document's own URI.
    SelfUri,
    /// `$message.header.X`, `$message.payload` (1.1): the message of an AsyncAPI step.
    Message {
        part: Part,
        name: Option<Name>,
    },
}

/// A string value with `{$…}` parts.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    Literal(String),
    Expression(Expression),
}

/// What a parameter value, payload leaf or output string is.
#[derive(Debug, Clone, PartialEq)]
pub enum StringValue {
    /// No expression at all.
    Literal,
    /// Exactly one expression: keeps the JSON type of what it names.
    Expression(Expression),
    /// Text with `{$…}` parts: always a string.
    Template(Vec<TemplatePart>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Expression(Expression),
    Literal { value: Literal, range: Range<usize> },
}

impl Operand {
    pub fn range(&self) -> Range<usize> {
        match self {
            Operand::Expression(e) => e.range.clone(),
            Operand::Literal { range, .. } => range.clone(),
        }
    }
}

/// A `simple` criterion's condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Or(Box<Condition>, Box<Condition>),
    And(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
    Compare {
        lhs: Operand,
        op: CmpOp,
        rhs: Operand,
    },
    /// An operand standing alone: true when it is the boolean `true`.
    Operand(Operand),
}

impl Condition {
    /// Every operand, left to right.
    pub fn operands(&self) -> Vec<&Operand> {
        match self {
            Condition::Or(a, b) | Condition::And(a, b) => {
                let mut v = a.operands();
                v.extend(b.operands());
                v
            }
            Condition::Not(c) => c.operands(),
            Condition::Compare { lhs, rhs, .. } => vec![lhs, rhs],
            Condition::Operand(o) => vec![o],
        }
    }
}

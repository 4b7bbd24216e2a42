//! The plan stage: checked documents lowered into a form the emitter turns into Rust with no
//! further decisions. Expressions become typed value references (a source and a pointer),
//! conditions become trees of comparisons and pre-compiled patterns.

mod document;
mod lower;

pub use document::{
    ActionPlan, ActionPlanKind, BodyKind, CriterionPlan, DocumentPlan, OperationCall, ParamStyle,
    PathPart, SchemeKind, StepCall, StepPlan, Via, WorkflowPlan, plan,
};
pub use lower::{Cond, Lowered, Lowerer, Operand, Source, TemplatePart, ValueRef};

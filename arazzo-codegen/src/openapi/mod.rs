//! OpenAPI descriptions as loaded: `$ref` resolution, 3.1/3.2 → 3.0 normalisation and
//! the per-operation view the checks and the generator read. Only operations a workflow uses are
//! ever deserialised, so a 1.5 MB description costs little more than its parse.

pub mod faults;
mod normalize;
mod operation;
pub mod refs;
mod swagger2;

pub use normalize::normalize;
pub use operation::{Operation, operation};
pub use swagger2::{convert as swagger_2_to_openapi_3, is_swagger_2};

//! The runtime that generated workflow code depends on: HTTP, authentication, retries, errors
//! and criteria helpers. Generated code reaches every dependency through this crate, so a user's
//! `Cargo.toml` names `arazzo-runtime` and nothing else.

pub mod criteria;
mod error;

pub use error::Error;

// Generated code names these through the runtime, never directly.
pub use regex;
pub use serde_json;
pub use serde_json_path;

//! The runtime that generated workflow code depends on: HTTP calls, parameter and body
//! encoding, authentication, criteria helpers and the error type. Generated code reaches every
//! dependency through this crate, so a user's `Cargo.toml` names `arazzo-runtime` and nothing
//! else.

pub mod auth;
pub mod criteria;
pub mod encode;
mod error;
pub mod flow;
pub mod http;
pub mod value;

pub use error::{BODY_EXCERPT_BYTES, Error, Location, excerpt};

// Generated code names these through the runtime, never directly.
pub use regex;
pub use reqwest;
pub use serde;
pub use serde_json;
pub use serde_json_path;
pub use tracing;

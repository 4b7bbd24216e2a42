//! The runtime that generated workflow code depends on: HTTP, authentication, retries, errors
//! and criteria helpers. Generated code reaches every dependency through this crate, so a user's
//! `Cargo.toml` names `arazzo-runtime` and nothing else.
//!
//! This crate is filled by the code generation issues; today it holds the error type's shape.

/// Why a generated workflow did not produce its outputs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A step's success criteria did not hold and no failure action applied.
    #[error("workflow `{workflow}`, step `{step}`: {message}")]
    StepFailed {
        workflow: &'static str,
        step: &'static str,
        message: String,
    },
}

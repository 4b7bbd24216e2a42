//! A second opinion on generated workflows. The project's own tests are written from the same
//! reading as the code; this crate holds what disagrees with it on purpose:
//!
//! - [`reference`]: an interpreter of Arazzo workflows written from the specification's text,
//!   sharing nothing with the compiler's plan and emit stages.
//! - [`strategy`]: documents nobody chose (proptest strategies): small valid workflows over a
//!   generated OpenAPI description, with scripted server answers.
//! - the `run_cases` binary: the code the compiler generates for those documents (built by this
//!   crate's build script when `ARAZZO_CONFORMANCE_CASES` names them), run against a scripted
//!   stand-in server.
//!
//! `cargo xtask conformance` compares the two on the same scripts: the requests, the outputs
//! and the error kinds must agree.

pub mod case;
pub mod reference;
pub mod strategy;

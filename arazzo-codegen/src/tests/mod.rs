//! Tests of the pipeline's internals (the grammar, typing and lowering, the model), which the
//! crate does not make public. Tests of what users see live in `tests/`.

/// Ends a test that reads the workspace's `fixtures/` when it runs from the published package,
/// which does not ship them (cargo writes `Cargo.toml.orig` into every package it makes); says so.
macro_rules! skip_when_packaged {
    () => {
        if std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("Cargo.toml.orig")
            .is_file()
        {
            eprintln!(
                "{}: not run: it reads the workspace's fixtures/, which the package does not ship",
                module_path!()
            );
            return;
        }
    };
}

mod expression_table;
mod internal_errors;
mod limits;
mod mock_defaults;
mod openapi_rules;
mod parser_never_panics;
mod twilio_fixtures;
mod typing_and_lowering;
mod valid_fixtures;

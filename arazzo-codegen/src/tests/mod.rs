//! Tests of the pipeline's internals (the grammar, typing and lowering, the model), which the
//! crate does not make public. Tests of what users see live in `tests/`.

mod expression_table;
mod internal_errors;
mod limits;
mod mock_defaults;
mod openapi_rules;
mod parser_never_panics;
mod twilio_fixtures;
mod typing_and_lowering;
mod valid_fixtures;

//! Arbitrary expression-shaped text never panics the expression and condition parsers, and
//! every error they report points inside the text, on character boundaries.

use proptest::prelude::*;

/// Every error range lies inside the text, on character boundaries, so diagnostics can always
/// point at it.
fn assert_range_ok(text: &str, range: &std::ops::Range<usize>) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{text:?}: {range:?}"
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{text:?}: {range:?}"
    );
}

fn expressionish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "$",
        "$statusCode",
        "$response",
        "$request",
        ".body",
        ".header",
        ".query",
        "#",
        "/",
        "~",
        "~1",
        "$inputs",
        "$steps",
        ".outputs",
        ".",
        "a",
        "_",
        "-",
        "[",
        "]",
        "0",
        "{",
        "}",
        "{$",
        " ",
        "==",
        "!=",
        "<",
        ">=",
        "&&",
        "||",
        "!",
        "(",
        ")",
        "'",
        "''",
        "\"",
        "null",
        "true",
        "1.5",
        "é",
        "日本",
        "\u{1F600}",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn expression_and_condition_errors_point_inside_the_text(text in expressionish()) {
        use crate::expr::{self, condition};
        if let Err(e) = expr::string_value(&text) {
            assert_range_ok(&text, &e.range);
        }
        if let Err(e) = expr::expression(&text) {
            assert_range_ok(&text, &e.range);
        }
        match condition::condition(&text) {
            Err(e) => assert_range_ok(&text, &e.range),
            Ok(parsed) => parsed.warnings.iter().for_each(|w| assert_range_ok(&text, &w.range)),
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics_the_parsers(text in "\\PC{0,64}") {
        use crate::expr::{self, condition};
        let _ = expr::string_value(&text);
        let _ = condition::condition(&text);
    }
}

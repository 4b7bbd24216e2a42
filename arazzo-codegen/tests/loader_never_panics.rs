//! Arbitrary bytes and arbitrary YAML- and JSON-shaped text never make the loader panic.

use arazzo_codegen::{Settings, check_file};
use proptest::prelude::*;

fn check_text(bytes: &[u8]) {
    check_file_named(bytes, "input.arazzo.yaml");
}

/// `.json` files take the JSON reader, everything else the YAML parser.
fn check_file_named(bytes: &[u8], name: &str) {
    let dir = std::env::temp_dir().join(format!("arazzo-prop-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(name);
    if std::fs::write(&path, bytes).is_ok() {
        let report = check_file(&path, &Settings::default());
        let _ = report.render();
    }
}

/// Fragments of real Arazzo documents, shuffled into mostly-wrong ones.
fn yamlish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "arazzo: 1.0.1\n",
        "info:\n",
        "  title: t\n",
        "  version: 1\n",
        "sourceDescriptions:\n",
        "  - name: s\n",
        "    url: support/petstore.openapi.yaml\n",
        "workflows:\n",
        "  - workflowId: w\n",
        "    steps:\n",
        "      - stepId: a\n",
        "        operationId: listPets\n",
        "        parameters:\n",
        "          - name: petId\n",
        "            in: path\n",
        "            value: $inputs.x\n",
        "        successCriteria:\n",
        "          - condition: $statusCode == 200\n",
        "        onSuccess:\n",
        "          - {name: g, type: goto, stepId: a}\n",
        "&a [*a]\n",
        "{",
        "}",
        "[",
        "]",
        ": ",
        "- ",
        "'",
        "\"",
        "\t",
        "\u{feff}",
        "---\n",
        "? x\n",
        "!!binary AAAA\n",
        "x-y: *z\n",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

/// Fragments of JSON documents: escapes, surrogates, numbers, nesting, slips.
fn jsonish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        " ",
        "\n",
        "\"arazzo\"",
        "\"1.0.1\"",
        "\"info\"",
        "\"workflows\"",
        "\"workflowId\"",
        "\"steps\"",
        "\"a\"",
        "\"\\ud83e\\udd33\"",
        "\"\\ud83e\"",
        "\"\\u00\"",
        "\"\\",
        "\"",
        "'x'",
        "0",
        "-0",
        "01",
        "1e400",
        "-1.5e-3",
        "9007199254740993",
        "true",
        "fals",
        "null",
        "NaN",
        "//",
        "/*",
        "\u{feff}",
        "é",
        "\t",
        "\"\t\"",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_text(&bytes);
    }

    #[test]
    fn arbitrary_yaml_shapes(text in yamlish()) {
        check_text(text.as_bytes());
    }

    #[test]
    fn arbitrary_json_shapes(text in jsonish()) {
        check_file_named(text.as_bytes(), "input.arazzo.json");
    }

    #[test]
    fn arbitrary_bytes_as_json(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_file_named(&bytes, "input.arazzo.json");
    }
}

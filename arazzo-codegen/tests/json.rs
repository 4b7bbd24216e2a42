//! JSON documents and descriptions are read by JSON's rules, not YAML's.

use arazzo_codegen::{Settings, generate_file};

#[test]
fn surrogate_pair_escapes_in_json_files_are_text() {
    let (code, report) = generate_file(
        "../fixtures/json/selfie.arazzo.json".as_ref(),
        &Settings::new(),
    )
    .unwrap_or_else(|r| panic!("{}", r.render()));
    assert!(report.diagnostics().is_empty(), "{}", report.render());
    assert!(code.contains("Reads a selfie's caption 🤳"), "{code}");
    assert!(
        code.contains("pub caption: ::std::string::String"),
        "{code}"
    );
}

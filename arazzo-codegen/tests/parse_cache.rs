//! Files are parsed once per process, and read again when they change.

use arazzo_codegen::{Settings, check_file};

#[test]
fn a_cached_file_gives_the_same_report_and_an_edited_one_is_read_again() {
    let dir = std::env::temp_dir().join(format!("arazzo-cache-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let openapi = std::fs::read_to_string("../fixtures/invalid/support/petstore.openapi.yaml")
        .unwrap_or_default();
    std::fs::write(dir.join("petstore.openapi.yaml"), &openapi).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("common.yaml"),
        std::fs::read_to_string("../fixtures/invalid/support/common.yaml").unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let flow = dir.join("flow.arazzo.yaml");
    let document = |operation: &str| {
        format!(
            "arazzo: 1.0.1\ninfo: {{title: t, version: '1'}}\nsourceDescriptions:\n  - name: petstore\n    url: petstore.openapi.yaml\nworkflows:\n  - workflowId: w\n    steps:\n      - stepId: s\n        operationId: {operation}\n"
        )
    };
    std::fs::write(&flow, document("listPets")).unwrap_or_else(|e| panic!("{e}"));
    let first = check_file(&flow, &Settings::default()).render();
    let again = check_file(&flow, &Settings::default()).render();
    assert_eq!(first, again);
    assert_eq!(first, "ok: no problems found\n");

    // Same length, new content: the modification time tells.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(&flow, document("listPetz")).unwrap_or_else(|e| panic!("{e}"));
    let edited = check_file(&flow, &Settings::default()).render();
    assert!(
        edited.contains("error[unknown-operation]: no operation with operationId `listPetz`"),
        "{edited}"
    );
    assert!(edited.contains("flow.arazzo.yaml:10:22"), "{edited}");
    let _ = std::fs::remove_dir_all(dir);
}

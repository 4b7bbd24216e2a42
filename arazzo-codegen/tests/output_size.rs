//! Only what a workflow uses is generated: each Twilio workflow's module is the same, byte for
//! byte, whether its source is the project's small fixture or Twilio's real description
//! (up to 680 KB, hundreds of operations), but for the default answers of its test doubles.

use arazzo_codegen::{Settings, generate_file};

const CASES: &[(&str, &str, &str)] = &[
    (
        "create-conversation-with-webhook.arazzo.yaml",
        "conversations",
        "twilio_conversations_v1.yaml",
    ),
    (
        "conversations-configuration-webhook.arazzo.yaml",
        "conversations",
        "twilio_conversations_v1.yaml",
    ),
    (
        "autopilot-assistant-webhook.arazzo.yaml",
        "autopilot",
        "twilio_autopilot_v1.yaml",
    ),
    (
        "ip-messaging-channel-webhook.arazzo.yaml",
        "chat",
        "twilio_ip_messaging_v2.yaml",
    ),
];

#[test]
fn generated_modules_do_not_grow_with_the_description() {
    let Some(dir) = std::env::var_os("ARAZZO_UPSTREAM_FIXTURES") else {
        eprintln!("ARAZZO_UPSTREAM_FIXTURES is not set: the output-size comparison was NOT run");
        return;
    };
    for (workflow, source, real) in CASES {
        let real = std::path::Path::new(&dir).join("twilio").join(real);
        assert!(
            real.is_file(),
            "ARAZZO_UPSTREAM_FIXTURES is set but {} is missing",
            real.display()
        );
        let path = std::path::Path::new("../fixtures/twilio").join(workflow);
        let (small, _) =
            generate_file(&path, &Settings::default()).unwrap_or_else(|r| panic!("{}", r.render()));
        let settings = Settings::default().with_source_file(*source, &real);
        let (full, report) =
            generate_file(&path, &settings).unwrap_or_else(|r| panic!("{}", r.render()));
        assert!(
            report.diagnostics().is_empty(),
            "{workflow}: {}",
            report.render()
        );
        // The workflows' code is the same byte for byte; the test doubles take their default
        // answers and parameter lists from the description, so they differ in those only:
        // the same operations, and no more than a few times the size.
        let (small_code, small_mock) = split_mock(&small);
        let (full_code, full_mock) = split_mock(&full);
        assert_eq!(small_code, full_code, "{workflow}");
        assert_eq!(methods(small_mock), methods(full_mock), "{workflow}");
        assert!(
            full_mock.len() < 3 * small_mock.len(),
            "{workflow}: test doubles of {} bytes for the real description, {} for the fixture",
            full_mock.len(),
            small_mock.len()
        );
    }
}

/// The workflows' code, and the test doubles after it.
fn split_mock(code: &str) -> (&str, &str) {
    code.split_once("::arazzo_runtime::__with_mock! {")
        .unwrap_or_else(|| panic!("no test doubles in:\n{code}"))
}

/// The public methods a module declares, in order.
fn methods(code: &str) -> Vec<&str> {
    code.lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with("pub fn ") || l.starts_with("pub async fn "))
        .collect()
}

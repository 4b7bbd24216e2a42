//! Generates the workflows into `OUT_DIR` at build time (the build.rs way in).
//!
//! With `ARAZZO_UPSTREAM_FIXTURES` set, real third-party documents are generated too (module
//! `upstream`, behind `cfg(upstream_fixtures)`; those written in other runners' shorthands with
//! lenient compatibility), so CI compiles and runs code generated from documents this project
//! did not write.

use std::path::PathBuf;

use arazzo_codegen::{Builder, Compatibility};

/// `(module file, fixture)`, relative to the workspace's `fixtures/`.
const WORKFLOWS: &[(&str, &str)] = &[
    (
        "conversations.rs",
        "twilio/create-conversation-with-webhook.arazzo.yaml",
    ),
    (
        "configuration.rs",
        "twilio/conversations-configuration-webhook.arazzo.yaml",
    ),
    (
        "autopilot.rs",
        "twilio/autopilot-assistant-webhook.arazzo.yaml",
    ),
    (
        "ip_messaging.rs",
        "twilio/ip-messaging-channel-webhook.arazzo.yaml",
    ),
    ("requests.rs", "codegen/requests.arazzo.yaml"),
    ("control_flow.rs", "codegen/control-flow.arazzo.yaml"),
    ("cross_document.rs", "codegen/cross-document.arazzo.yaml"),
    ("library.rs", "codegen/library.arazzo.yaml"),
    ("every_feature.rs", "valid/every-feature.arazzo.yaml"),
    ("arazzo_1_1.rs", "codegen/arazzo-1-1.arazzo.yaml"),
    ("by_identity.rs", "codegen/by-identity.arazzo.yaml"),
    ("every_1_1_field.rs", "codegen/every-1-1-field.arazzo.yaml"),
    ("odd_names.rs", "codegen/odd-names.arazzo.yaml"),
    ("bookshop.rs", "swagger/bookshop.arazzo.yaml"),
    ("kennel.rs", "oauth/kennel.arazzo.yaml"),
    ("token_workflows.rs", "oauth/token-workflows.arazzo.yaml"),
    ("pet_purchase.rs", "asyncapi/pet-purchase.arazzo.yaml"),
    ("kitchen.rs", "asyncapi/kitchen.arazzo.yaml"),
    ("so_child.rs", "second_opinion/child.arazzo.yaml"),
    ("so_presence.rs", "second_opinion/presence.arazzo.yaml"),
    ("so_presence2.rs", "second_opinion/presence2.arazzo.yaml"),
    ("so_order.rs", "second_opinion/order.arazzo.yaml"),
    ("so_redact.rs", "second_opinion/redact.arazzo.yaml"),
    ("so_diamond.rs", "second_opinion/diamond.arazzo.yaml"),
    (
        "so_diamond_outputs.rs",
        "second_opinion/diamond-outputs.arazzo.yaml",
    ),
    (
        "so_dependency_in_child.rs",
        "second_opinion/dependency-in-child.arazzo.yaml",
    ),
    ("so_swagger2.rs", "second_opinion/swagger2.arazzo.yaml"),
    ("so_presence3.rs", "second_opinion/presence3.arazzo.yaml"),
    ("so_child2.rs", "second_opinion/child2.arazzo.yaml"),
];

/// Workflows that evaluate XPath: generated with feature `xpath`, which gives both the
/// generator and the runtime their XPath engine.
const XPATH_WORKFLOWS: &[(&str, &str)] = &[
    ("shipping.rs", "codegen/shipping.arazzo.yaml"),
    ("xpath_1_0.rs", "codegen/xpath-1-0.arazzo.yaml"),
];

/// `(module file, document)`, relative to `$ARAZZO_UPSTREAM_FIXTURES/arazzo`.
const UPSTREAM: &[(&str, &str)] = &[
    (
        "upstream_wso2_goto_and_end.rs",
        "wso2__arazzo-tools/examples/go-runner-test/petstore/02-goto-and-end-actions.arazzo.yaml",
    ),
    (
        "upstream_museum_tickets.rs",
        "Redocly__museum-openapi-example/arazzo/museum-tickets.arazzo.yaml",
    ),
    (
        "upstream_twilio_conversation_with_webhook.rs",
        "api-evangelist__twilio/arazzo/twilio-create-conversation-with-webhook-workflow.yml",
    ),
    (
        "upstream_twilio_participant_and_message.rs",
        "api-evangelist__twilio/arazzo/twilio-create-conversation-add-participant-send-message-workflow.yml",
    ),
    (
        "upstream_jentic_conversations.rs",
        "jentic__jentic-public-apis/workflows/twilio.com~twilio_conversations_v1/workflows.arazzo.json",
    ),
    (
        "upstream_jentic_ip_messaging.rs",
        "jentic__jentic-public-apis/workflows/twilio.com~twilio_ip_messaging_v2/workflows.arazzo.json",
    ),
];

/// Documents written for other runners, generated with lenient compatibility (their
/// shorthands read as the specification's forms, each with a warning).
const UPSTREAM_LENIENT: &[(&str, &str)] = &[
    (
        "upstream_wso2_retry.rs",
        "wso2__arazzo-tools/examples/go-runner-test/petstore/03-retry-action.arazzo.yaml",
    ),
    (
        "upstream_wso2_nested.rs",
        "wso2__arazzo-tools/examples/go-runner-test/petstore/05-nested-workflow.arazzo.yaml",
    ),
    (
        "upstream_museum_api.rs",
        "Redocly__museum-openapi-example/arazzo/museum-api.arazzo.yaml",
    ),
];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo::rustc-check-cfg=cfg(upstream_fixtures)");
    println!("cargo:rerun-if-env-changed=ARAZZO_UPSTREAM_FIXTURES");
    let mut builder = Builder::new();
    // The warnings of these documents (one per shorthand, and the upstream documents' own) are
    // pinned by arazzo-codegen's compatibility and upstream tests; repeating them on every
    // build would bury a new one.
    let mut upstream = Builder::new().with_cargo_warnings(false);
    let mut lenient = Builder::new()
        .with_compatibility(Compatibility::Lenient)
        .with_cargo_warnings(false)
        .input_as(
            manifest.join("../fixtures/compat/runner-shorthands.arazzo.yaml"),
            "compat.rs",
        )
        .input_as(
            manifest.join("../fixtures/compat/x-operation.arazzo.yaml"),
            "x_operation.rs",
        )
        .input_as(
            manifest.join("../fixtures/compat/openapi-faults.arazzo.yaml"),
            "openapi_faults.rs",
        )
        .input_as(
            manifest.join("../fixtures/second_opinion/odd-output-names.arazzo.yaml"),
            "so_odd_output_names.rs",
        )
        .input_as(
            manifest.join("../fixtures/second_opinion/faults.arazzo.yaml"),
            "so_faults.rs",
        )
        .input_as(
            manifest.join("../fixtures/second_opinion/faults3.arazzo.yaml"),
            "so_faults3.rs",
        );
    let xpath = std::env::var_os("CARGO_FEATURE_XPATH").is_some();
    let xpath_workflows = if xpath { XPATH_WORKFLOWS } else { &[] };
    for (module, file) in WORKFLOWS.iter().chain(xpath_workflows) {
        builder = builder.input_as(manifest.join("../fixtures").join(file), *module);
    }
    if let Some(dir) = std::env::var_os("ARAZZO_UPSTREAM_FIXTURES") {
        let dir = PathBuf::from(dir).join("arazzo");
        if !dir.is_dir() {
            eprintln!(
                "ARAZZO_UPSTREAM_FIXTURES is set but `{}` is not a folder",
                dir.display()
            );
            std::process::exit(1);
        }
        for (module, file) in UPSTREAM {
            upstream = upstream.input_as(dir.join(file), *module);
        }
        generate(&upstream);
        for (module, file) in UPSTREAM_LENIENT {
            lenient = lenient.input_as(dir.join(file), *module);
        }
        println!("cargo:rustc-cfg=upstream_fixtures");
    }
    generate(&builder);
    generate(&lenient);
    // Two workflows of a document whose other workflow is broken: selection lets it build.
    generate(&Builder::new().workflows(["pet-report"]).input_as(
        manifest.join("../fixtures/selection/pick.arazzo.yaml"),
        "pick.rs",
    ));
}

fn generate(builder: &Builder) {
    if let Err(e) = builder.generate() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

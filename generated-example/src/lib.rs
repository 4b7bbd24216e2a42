//! The Twilio user story, generated from `fixtures/twilio/` at build time.
//!
//! Every generated module must compile without a warning: this crate denies them.
#![deny(warnings)]

/// The seed workflow written by hand: the benchmarks' yardstick.
pub mod hand_written;

pub mod mock;

/// The seed workflow once more, from a file generated ahead of time and checked in for review
/// (the CLI way: `cargo arazzo generate`; kept current by `cargo xtask regen`).
#[rustfmt::skip]
#[path = "generated/create_conversation_with_webhook.rs"]
pub mod conversations_checked_in;

/// The seed workflow again, through the `arazzo!` macro instead of build.rs: the same API.
pub mod conversations_by_macro {
    arazzo_macros::arazzo!("../fixtures/twilio/create-conversation-with-webhook.arazzo.yaml");
}

/// Create a Conversation and attach a conversation-scoped webhook.
pub mod conversations {
    include!(concat!(env!("OUT_DIR"), "/conversations.rs"));
}

/// Point the account-wide Conversations webhooks at a service.
pub mod configuration {
    include!(concat!(env!("OUT_DIR"), "/configuration.rs"));
}

/// Register a webhook on an Autopilot assistant.
pub mod autopilot {
    include!(concat!(env!("OUT_DIR"), "/autopilot.rs"));
}

/// Attach a filtered webhook to an IP Messaging channel.
pub mod ip_messaging {
    include!(concat!(env!("OUT_DIR"), "/ip_messaging.rs"));
}

/// Every way a step puts data into a request (the generator's own test fixture).
pub mod requests {
    include!(concat!(env!("OUT_DIR"), "/requests.rs"));
}

/// Polling, branching, retries, nested workflows and dependencies (the generator's own fixture).
pub mod control_flow {
    include!(concat!(env!("OUT_DIR"), "/control_flow.rs"));
}

/// Other runners' shorthands, generated with lenient compatibility.
pub mod compat {
    include!(concat!(env!("OUT_DIR"), "/compat.rs"));
}

/// A workflow that runs a workflow of another Arazzo document (the generator's own fixture).
pub mod cross_document {
    include!(concat!(env!("OUT_DIR"), "/cross_document.rs"));
}

/// A description with the faults other tools read anyway, read so (lenient compatibility).
pub mod openapi_faults {
    include!(concat!(env!("OUT_DIR"), "/openapi_faults.rs"));
}

/// Redocly's `x-operation` steps, read as plain requests (lenient compatibility).
pub mod x_operation {
    include!(concat!(env!("OUT_DIR"), "/x_operation.rs"));
}

/// Workflows over an API that asks for OAuth 2 (client credentials, password, authorization
/// code), OpenID Connect and mutual TLS: the client gets, keeps and renews the tokens.
pub mod kennel {
    include!(concat!(env!("OUT_DIR"), "/kennel.rs"));
}

/// Tokens got as workflow steps, in the style of the Arazzo specification's OAuth example.
pub mod token_workflows {
    include!(concat!(env!("OUT_DIR"), "/token_workflows.rs"));
}

/// A pet found over HTTP, ordered by message, confirmed by a reply that carries the order's
/// correlation id (`fixtures/asyncapi/pet-purchase.arazzo.yaml`, AsyncAPI 3.0).
pub mod pet_purchase {
    include!(concat!(env!("OUT_DIR"), "/pet_purchase.rs"));
}

/// A kitchen ticket sent to a station's channel, then the dish it became, matched by a
/// correlation id in the payload (`fixtures/asyncapi/kitchen.arazzo.yaml`, AsyncAPI 2.6).
pub mod kitchen {
    include!(concat!(env!("OUT_DIR"), "/kitchen.rs"));
}

/// A workflow over a Swagger 2.0 description.
pub mod bookshop {
    include!(concat!(env!("OUT_DIR"), "/bookshop.rs"));
}

/// Inputs whose names are not Rust identifiers (`$top`, `filter[action]`, `Aux Price`).
pub mod odd_names {
    include!(concat!(env!("OUT_DIR"), "/odd_names.rs"));
}

/// `pet-report` and the workflows it reaches, picked from a document whose other workflow is
/// broken (`Builder::workflows`).
pub mod pick {
    include!(concat!(env!("OUT_DIR"), "/pick.rs"));
}

/// The workflow library the cross-document fixture uses, generated on its own.
pub mod library {
    include!(concat!(env!("OUT_DIR"), "/library.rs"));
}

/// A document using every construct the checks read (the generator's own fixture).
pub mod every_feature {
    include!(concat!(env!("OUT_DIR"), "/every_feature.rs"));
}

/// Arazzo 1.1 features of HTTP workflows (the generator's own fixture).
pub mod arazzo_1_1 {
    include!(concat!(env!("OUT_DIR"), "/arazzo_1_1.rs"));
}

/// One document that uses every Arazzo 1.1 field of HTTP workflows (the generator's fixture).
pub mod every_1_1_field {
    include!(concat!(env!("OUT_DIR"), "/every_1_1_field.rs"));
}

/// Documents that name each other by `$self` (the generator's own fixture).
pub mod by_identity {
    include!(concat!(env!("OUT_DIR"), "/by_identity.rs"));
}

/// XPath criteria and selectors on an XML API (the generator's own fixture; feature `xpath`).
#[cfg(feature = "xpath")]
pub mod shipping {
    include!(concat!(env!("OUT_DIR"), "/shipping.rs"));
}

/// XPath criteria in an Arazzo 1.0 document (the generator's own fixture; feature `xpath`).
#[cfg(feature = "xpath")]
pub mod xpath_1_0 {
    include!(concat!(env!("OUT_DIR"), "/xpath_1_0.rs"));
}

/// Code generated from real third-party Arazzo documents (built when `ARAZZO_UPSTREAM_FIXTURES`
/// is set).
#[cfg(upstream_fixtures)]
pub mod upstream {
    /// wso2/arazzo-tools: goto and end actions.
    pub mod wso2_goto_and_end {
        include!(concat!(env!("OUT_DIR"), "/upstream_wso2_goto_and_end.rs"));
    }
    /// Redocly's museum example (an OpenAPI 3.1 source).
    pub mod museum_tickets {
        include!(concat!(env!("OUT_DIR"), "/upstream_museum_tickets.rs"));
    }
    /// api-evangelist/twilio: the seed document.
    pub mod twilio_conversation_with_webhook {
        include!(concat!(
            env!("OUT_DIR"),
            "/upstream_twilio_conversation_with_webhook.rs"
        ));
    }
    /// api-evangelist/twilio: conversation, participant, message.
    pub mod twilio_participant_and_message {
        include!(concat!(
            env!("OUT_DIR"),
            "/upstream_twilio_participant_and_message.rs"
        ));
    }
    /// jentic-public-apis: Twilio Conversations (six workflows, reusable failure actions).
    pub mod jentic_conversations {
        include!(concat!(
            env!("OUT_DIR"),
            "/upstream_jentic_conversations.rs"
        ));
    }
    /// wso2/arazzo-tools: retry actions (lenient compatibility).
    pub mod wso2_retry {
        include!(concat!(env!("OUT_DIR"), "/upstream_wso2_retry.rs"));
    }
    /// wso2/arazzo-tools: nested workflows and `dependsOn` (lenient compatibility).
    pub mod wso2_nested {
        include!(concat!(env!("OUT_DIR"), "/upstream_wso2_nested.rs"));
    }
    /// Redocly's museum example: shorthands, a cross-document workflow and JSONPath criteria
    /// (lenient compatibility).
    pub mod museum_api {
        include!(concat!(env!("OUT_DIR"), "/upstream_museum_api.rs"));
    }
    /// jentic-public-apis: Twilio IP Messaging.
    pub mod jentic_ip_messaging {
        include!(concat!(env!("OUT_DIR"), "/upstream_jentic_ip_messaging.rs"));
    }
}

/// Second-opinion fixtures (issue 28).
pub mod second_opinion {
    /// `fixtures/second_opinion/child.arazzo.yaml`.
    pub mod child {
        include!(concat!(env!("OUT_DIR"), "/so_child.rs"));
    }
    /// `fixtures/second_opinion/presence.arazzo.yaml`.
    pub mod presence {
        include!(concat!(env!("OUT_DIR"), "/so_presence.rs"));
    }
    /// `fixtures/second_opinion/presence2.arazzo.yaml`.
    pub mod presence2 {
        include!(concat!(env!("OUT_DIR"), "/so_presence2.rs"));
    }
    /// `fixtures/second_opinion/order.arazzo.yaml`.
    pub mod order {
        include!(concat!(env!("OUT_DIR"), "/so_order.rs"));
    }
    /// `fixtures/second_opinion/redact.arazzo.yaml`.
    pub mod redact {
        include!(concat!(env!("OUT_DIR"), "/so_redact.rs"));
    }
    /// `fixtures/second_opinion/diamond.arazzo.yaml`.
    pub mod diamond {
        include!(concat!(env!("OUT_DIR"), "/so_diamond.rs"));
    }
    /// `fixtures/second_opinion/diamond-outputs.arazzo.yaml`.
    pub mod diamond_outputs {
        include!(concat!(env!("OUT_DIR"), "/so_diamond_outputs.rs"));
    }
    /// `fixtures/second_opinion/dependency-in-child.arazzo.yaml`.
    pub mod dependency_in_child {
        include!(concat!(env!("OUT_DIR"), "/so_dependency_in_child.rs"));
    }
    /// `fixtures/second_opinion/swagger2`.
    pub mod swagger2 {
        include!(concat!(env!("OUT_DIR"), "/so_swagger2.rs"));
    }
    /// `fixtures/second_opinion/odd_output_names`.
    pub mod odd_output_names {
        include!(concat!(env!("OUT_DIR"), "/so_odd_output_names.rs"));
    }
    /// `fixtures/second_opinion/faults`.
    pub mod faults {
        include!(concat!(env!("OUT_DIR"), "/so_faults.rs"));
    }
    /// `fixtures/second_opinion/faults3`.
    pub mod faults3 {
        include!(concat!(env!("OUT_DIR"), "/so_faults3.rs"));
    }
    /// `fixtures/second_opinion/presence3`.
    pub mod presence3 {
        include!(concat!(env!("OUT_DIR"), "/so_presence3.rs"));
    }
    /// `fixtures/second_opinion/child2`.
    pub mod child2 {
        include!(concat!(env!("OUT_DIR"), "/so_child2.rs"));
    }
}

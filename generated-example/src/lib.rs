//! The Twilio user story, generated from `fixtures/twilio/` at build time.
//!
//! Every generated module must compile without a warning: this crate denies them.
#![deny(warnings)]

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

//! Message steps (1.1) as Rust: the client's AsyncAPI sources, the subscriptions a run opens
//! before its first step, and the steps that send and receive.

use proc_macro2::TokenStream;
use quote::quote;

use super::format::docs;
use super::ident;
use super::values::{lowered, lowered_value};
use crate::plan::{
    Lowered, MessageCall, MessageKind, MessageSourcePlan, StepPlan, SubscriptionPlan,
};

/// The client field of an AsyncAPI source: its servers, and the setter named in errors.
pub fn source_init(m: &MessageSourcePlan) -> TokenStream {
    let (field, name, setter) = (ident(&m.field), &m.name, &m.transport_setter);
    let servers = m.servers.iter().map(|s| {
        let (name, protocol, url) = (&s.name, &s.protocol, &s.url);
        let some_str = |v: &Option<String>| match v {
            Some(v) => quote! { Some(#v) },
            None => quote! { None },
        };
        let client_id = some_str(&s.mqtt.client_id);
        let clean = match s.mqtt.clean_session {
            Some(b) => quote! { Some(#b) },
            None => quote! { None },
        };
        let keep_alive = match s.mqtt.keep_alive_secs {
            Some(n) => quote! { Some(#n) },
            None => quote! { None },
        };
        let packet = match s.mqtt.maximum_packet_size {
            Some(n) => quote! { Some(#n) },
            None => quote! { None },
        };
        let mqtt = if s.mqtt == crate::plan::MqttBindingsPlan::default() {
            quote! { ::arazzo_runtime::__private::MqttBindings::NONE }
        } else {
            quote! {
                ::arazzo_runtime::__private::MqttBindings {
                    client_id: #client_id,
                    clean_session: #clean,
                    keep_alive_secs: #keep_alive,
                    maximum_packet_size: #packet,
                }
            }
        };
        quote! {
            ::arazzo_runtime::__private::Server {
                name: #name,
                protocol: #protocol,
                url: #url,
                mqtt: #mqtt,
            }
        }
    });
    quote! {
        #field: ::arazzo_runtime::__private::MessageSource::new(#name, #setter, &[#( #servers ),*])
    }
}

/// `with_<source>_transport` and `with_<source>_server`.
pub fn source_setters(m: &MessageSourcePlan) -> TokenStream {
    let field = ident(&m.field);
    let (transport, server) = (ident(&m.transport_setter), ident(&m.server_setter));
    let described = match m.servers.first() {
        Some(s) => format!(
            "the description's server `{}` (`{}` at `{}`)",
            s.name, s.protocol, s.url
        ),
        None => "a server (the description names none)".to_owned(),
    };
    let transport_doc = docs(
        &format!(
            "Sends and receives the messages of source `{}` through `transport`. Without one, \
             the client connects on first use to {described}, when a feature of \
             `arazzo-runtime` speaks its protocol (`mqtt`, `nats`).",
            m.name
        ),
        4,
    );
    let server_doc = docs(
        &format!(
            "Connects to `url` for the messages of source `{}` instead of {described}.",
            m.name
        ),
        4,
    );
    let user_password = m.user_password_setter.as_ref().map(|setter| {
        let setter = ident(setter);
        let doc = docs(
            &format!(
                "The user name and password the servers of source `{}` ask for (its \
                 `userPassword` security scheme), used when the client connects.",
                m.name
            ),
            4,
        );
        quote! {
            #doc
            pub fn #setter(
                mut self,
                user: impl ::std::convert::AsRef<str>,
                password: impl ::std::convert::Into<::arazzo_runtime::Secret>,
            ) -> Self {
                self.#field.set_user_password(user.as_ref(), password.into());
                self
            }
        }
    });
    quote! {
        #user_password

        #transport_doc
        pub fn #transport(mut self, transport: impl ::arazzo_runtime::message::Transport) -> Self {
            self.#field.set_transport(transport);
            self
        }

        #server_doc
        pub fn #server(mut self, url: impl ::std::convert::AsRef<str>) -> Self {
            self.#field.set_url(url.as_ref());
            self
        }
    }
}

/// `rt::address(…)`: the channel's address with its parameters filled.
fn address(step: &str, template: &str, params: &[(String, String, Lowered)]) -> TokenStream {
    let params = params.iter().map(|(name, written, v)| {
        let v = lowered(v);
        quote! { (#name, #written, #v) }
    });
    quote! { rt::address(WORKFLOW, #step, #template, &[#( #params ),*])? }
}

/// The run's subscription fields, for its struct.
pub fn subscription_fields(list: &[SubscriptionPlan]) -> Vec<TokenStream> {
    list.iter()
        .map(|s| {
            let field = ident(&s.field);
            let doc = docs(
                &format!(
                    "What arrives at the channel step `{}` receives from, since the run started.",
                    s.step
                ),
                8,
            );
            quote! {
                #doc
                #field: Option<::arazzo_runtime::message::Subscription>
            }
        })
        .collect()
}

/// Opens the run's subscriptions, before its first step.
pub fn subscribe(list: &[SubscriptionPlan]) -> Vec<TokenStream> {
    list.iter()
        .map(|s| {
            let (field, source, step) = (ident(&s.field), ident(&s.source), &s.step);
            let address = address(step, &s.address, &s.channel_params);
            quote! {
                let address = #address;
                self.#field = Some(rt::subscribe(&self.client.#source, WORKFLOW, #step, &address).await?);
            }
        })
        .collect()
}

/// Sends or receives, binding `exchange` (a `Delivery`).
pub fn call(s: &StepPlan, m: &MessageCall) -> TokenStream {
    let step = &s.id;
    let source = ident(&m.source);
    let wait = match &s.timeout {
        Some(t) => {
            let t = ident(&t.name);
            quote! { self.client.settings.message_wait(Some(#t)) }
        }
        None => quote! { self.client.settings.message_wait(None) },
    };
    match &m.kind {
        MessageKind::Send { headers, payload } => {
            let address = address(step, &m.address, &m.channel_params);
            let headers = headers.iter().map(|(name, v)| {
                let v = lowered(v);
                quote! { (#name, #v) }
            });
            let (content_type, json, body) = match payload {
                Some(b) => {
                    let value = lowered_value(&b.value);
                    let replacements = super::step::replacements(b);
                    let mutable = (!b.replacements.is_empty()).then(|| quote! { mut });
                    (
                        b.content_type.clone(),
                        b.kind == crate::plan::BodyKind::Json,
                        quote! {
                            let #mutable body = #value;
                            #( #replacements )*
                            let body = Some(body);
                        },
                    )
                }
                None => (
                    "application/json".to_owned(),
                    true,
                    quote! { let body = None; },
                ),
            };
            quote! {
                let address = #address;
                #body
                let message = rt::outgoing(WORKFLOW, #step, &[#( #headers ),*], #content_type, #json, body)?;
                let exchange = rt::send(&self.client.#source, WORKFLOW, #step, &address, message, #wait).await?;
            }
        }
        MessageKind::Receive {
            subscription,
            correlation,
            json,
            content_type,
        } => {
            let subscription = ident(subscription);
            let (correlation, given) = match correlation {
                Some(c) => {
                    let (in_header, pointer) = (c.in_header, &c.pointer);
                    let value = lowered_value(&c.value);
                    (
                        quote! {
                            let correlation = rt::Correlation {
                                in_header: #in_header,
                                pointer: &[#( #pointer ),*],
                                value: #value,
                            };
                        },
                        quote! { Some(&correlation) },
                    )
                }
                None => (TokenStream::new(), quote! { None }),
            };
            quote! {
                #correlation
                let Some(subscription) = self.#subscription.as_mut() else {
                    return Err(rt::Error::SubscriptionClosed { workflow: WORKFLOW, step: #step });
                };
                let expect = self.client.settings.message_expect(#json, #content_type);
                let exchange = rt::receive(subscription, WORKFLOW, #step, #given, expect, #wait).await?;
            }
        }
    }
}

/// What a message step does, for its method's documentation.
pub fn summary(m: &MessageCall) -> String {
    let id = m
        .operation_id
        .as_deref()
        .map(|o| format!("`{o}` "))
        .unwrap_or_default();
    match &m.kind {
        MessageKind::Send { .. } => format!("sends {id}to `{}`", m.address),
        MessageKind::Receive { .. } => format!("receives {id}from `{}`", m.address),
    }
}

//! The `durable` module: a document's workflows as the handlers of one Restate service (see
//! `arazzo_runtime::durable`), wrapped by the emitter in the runtime's `__with_restate!`.

use proc_macro2::TokenStream;
use quote::quote;

use super::format::docs;
use super::ident;
use super::types::{Scope, rust_type};
use crate::plan::DocumentPlan;

/// The `durable` module, as tokens to be wrapped in the runtime's `__with_restate!`.
pub fn module(plan: &DocumentPlan) -> TokenStream {
    let service = &plan.durable_service;
    let public = plan.workflows.iter().filter(|w| w.public);
    let handlers = public.clone().map(|w| {
        let name = ident(&w.method);
        let handler = &w.method;
        quote! { .handler(#handler, #name) }
    });
    // One function per workflow, what its handler runs: the client's method, named alike.
    let runs = public.clone().map(|w| {
        let name = ident(&w.method);
        let output = ident(&w.output);
        let doc = docs(&format!("Handler `{}`: workflow `{}`.", w.method, w.id), 8);
        match &w.input {
            Some(ty) => {
                let input = rust_type(ty, Scope::Module);
                quote! {
                    #doc
                    async fn #name(client: super::Client, input: #input) -> ::arazzo_runtime::Result<super::#output> {
                        client.#name(input).await
                    }
                }
            }
            None => quote! {
                #doc
                async fn #name(
                    client: super::Client,
                    _: ::arazzo_runtime::serde::de::IgnoredAny,
                ) -> ::arazzo_runtime::Result<super::#output> {
                    client.#name().await
                }
            },
        }
    });
    let list: String = public
        .map(|w| format!("\n- `{}` runs workflow `{}`", w.method, w.id))
        .collect();
    let service_doc = docs(
        &format!(
            "The document's workflows as the handlers of Restate service [`SERVICE`], run on \
             `client` (its base URLs, credentials and limits); each handler takes the \
             workflow's input as JSON and returns its output:\n{list}"
        ),
        8,
    );
    quote! {
        /// Durable runs of this module's workflows on Restate, compiled with feature `restate`
        /// of `arazzo-runtime` only: see `arazzo_runtime::durable`.
        pub mod durable {
            #[allow(unused_imports)]
            use ::arazzo_runtime::__private as rt;
            use ::arazzo_runtime::durable as d;
            use ::arazzo_runtime::restate_sdk::endpoint;

            /// The Restate service the workflows are served as: `POST /<SERVICE>/<handler>`
            /// at Restate's ingress.
            pub const SERVICE: &str = #service;

            impl d::Durable for super::Client {
                fn journaled(&self, journal: d::Journal) -> Self {
                    let mut client = ::std::clone::Clone::clone(self);
                    client.settings.set_journal(journal);
                    client
                }
            }

            #service_doc
            pub fn service(client: super::Client) -> d::Service<super::Client> {
                d::Service::new(SERVICE, client) #( #handlers )*
            }

            #( #runs )*

            /// Binds [`service`] to a Restate endpoint.
            pub fn register(builder: endpoint::Builder, client: super::Client) -> endpoint::Builder {
                builder.bind(service(client))
            }
        }
    }
}

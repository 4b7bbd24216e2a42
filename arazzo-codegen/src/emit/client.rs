//! The generated `Client`: settings shared by every client (HTTP client, request hook, step
//! budget, how retries wait), a base URL per source, a credential per security scheme, and one
//! method per workflow of the user's document.

use proc_macro2::TokenStream;
use quote::quote;

use super::credentials;
use super::format::docs;
use super::ident;
use super::types::{Scope, rust_type};
use crate::plan::{DocumentPlan, WorkflowPlan};

pub fn client(plan: &DocumentPlan) -> TokenStream {
    let mut doc = format!(
        "Runs the workflows of *{}* (version {}).",
        plan.title, plan.version
    );
    for text in [&plan.summary, &plan.description].into_iter().flatten() {
        doc.push_str("\n\n");
        doc.push_str(text.trim());
    }
    doc.push_str(&format!(
        "\n\nGenerated from `{}`.",
        plan.file.replace('\\', "/")
    ));
    let doc = docs(&doc, 0);

    let client = &plan.client;
    let source_fields = client.sources.iter().map(|s| {
        let f = ident(&s.field);
        quote! { #f: ::std::sync::Arc<str> }
    });
    let scheme_fields = client.schemes.iter().map(|s| {
        let f = ident(&s.field);
        quote! { #f: ::arazzo_runtime::__private::Credential }
    });
    let source_inits = client.sources.iter().map(|s| {
        let (f, url) = (ident(&s.field), &s.default_url);
        quote! { #f: #url.into() }
    });
    let scheme_inits = client.schemes.iter().map(credentials::init);
    let message_fields = client.message_sources.iter().map(|m| {
        let f = ident(&m.field);
        quote! { #f: ::arazzo_runtime::__private::MessageSource }
    });
    let message_inits = client
        .message_sources
        .iter()
        .map(super::messages::source_init);
    let message_setters = client
        .message_sources
        .iter()
        .map(super::messages::source_setters);
    let settings = match client.step_budget {
        Some(budget) => quote! { ::arazzo_runtime::__private::ClientSettings::new(#budget) },
        None => quote! { ::std::default::Default::default() },
    };
    let new_doc = {
        let listed: Vec<String> = client
            .sources
            .iter()
            .map(|s| format!("`{}` at `{}`", s.name, s.default_url))
            .chain(client.message_sources.iter().filter_map(|m| {
                let s = m.servers.first()?;
                Some(format!("`{}` at `{}` (`{}`)", m.name, s.url, s.protocol))
            }))
            .collect();
        let text = if listed.is_empty() {
            "A client with the default settings.".to_owned()
        } else {
            format!(
                "A client that sends each source's requests to its first server: {}.",
                listed.join(", ")
            )
        };
        docs(&text, 4)
    };
    let source_setters = client.sources.iter().map(|s| {
        let (f, setter) = (ident(&s.field), ident(&s.setter));
        let doc = docs(
            &format!(
                "Sends the requests of source `{}` to `url` instead of `{}`.",
                s.name, s.default_url
            ),
            4,
        );
        quote! {
            #doc
            pub fn #setter(mut self, url: impl ::std::convert::AsRef<str>) -> Self {
                self.#f = ::std::sync::Arc::from(url.as_ref());
                self
            }
        }
    });
    let scheme_setters = client.schemes.iter().map(credentials::setters);
    let budget_doc = docs(
        &format!(
            "How many steps one workflow run may take, loops included, before it stops with \
             `Error::StepBudgetExceeded` (default: {}).",
            client.step_budget.map_or_else(
                || "`arazzo_runtime::DEFAULT_STEP_BUDGET`".to_owned(),
                |b| b.to_string()
            )
        ),
        4,
    );
    let methods = plan.workflows.iter().filter(|w| w.public).map(method);
    quote! {
        #doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct Client {
            settings: ::arazzo_runtime::__private::ClientSettings,
            #( #source_fields, )*
            #( #message_fields, )*
            #( #scheme_fields, )*
        }

        impl ::std::default::Default for Client {
            fn default() -> Self {
                Self::new()
            }
        }

        impl Client {
            #new_doc
            pub fn new() -> Self {
                Client {
                    settings: #settings,
                    #( #source_inits, )*
                    #( #message_inits, )*
                    #( #scheme_inits, )*
                }
            }

            /// Uses `http` for every request: its proxies, TLS settings and timeouts apply, and
            /// so do the client's limits except the connect timeout (see `with_limits`).
            pub fn with_http_client(mut self, http: ::arazzo_runtime::reqwest::Client) -> Self {
                self.settings.set_http_client(http);
                self
            }

            /// Calls `hook` with every request just before it is sent (to add a header, sign it,
            /// log it).
            pub fn with_request_hook(mut self, hook: impl ::arazzo_runtime::RequestHook) -> Self {
                self.settings.set_request_hook(hook);
                self
            }

            #budget_doc
            pub fn with_step_budget(mut self, budget: usize) -> Self {
                self.settings.step_budget = budget;
                self
            }

            /// How `retry` actions wait (default: Tokio's timer). Tests can record the delays
            /// instead of sleeping.
            pub fn with_sleeper(mut self, sleeper: ::arazzo_runtime::Sleeper) -> Self {
                self.settings.sleeper = sleeper;
                self
            }

            /// The bounds of every request (`arazzo_runtime::Limits`). By default: 10 s to
            /// connect, 30 s for a request and its response (a step's `timeout` replaces it),
            /// 15 s of silence while a response is read, retries that wait at most 5 min, and
            /// response bodies of at most 16 MiB. `Limits::unbounded()` opts out.
            pub fn with_limits(mut self, limits: ::arazzo_runtime::Limits) -> Self {
                self.settings.set_limits(limits);
                self
            }

            #( #source_setters )*
            #( #message_setters )*
            #( #scheme_setters )*
            #( #methods )*
        }
    }
}

/// The public method of a workflow of the user's document.
fn method(w: &WorkflowPlan) -> TokenStream {
    let name = ident(&w.method);
    let module = ident(&w.module);
    let output = ident(&w.output);
    let doc = docs(&method_doc(w), 4);
    let (param, arg) = match &w.input {
        Some(ty) => {
            let ty = rust_type(ty, Scope::TopLevel);
            (quote! { , input: #ty }, quote! { , input })
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    quote! {
        #doc
        pub async fn #name(&self #param) -> ::arazzo_runtime::Result<#output> {
            ::std::result::Result::Ok(#module::run(self #arg).await?.0)
        }
    }
}

fn method_doc(w: &WorkflowPlan) -> String {
    let mut doc = Vec::new();
    for text in [&w.summary, &w.description].into_iter().flatten() {
        doc.push(text.trim().to_owned());
    }
    if !w.depends_on.is_empty() {
        let deps: Vec<String> = w
            .depends_on
            .iter()
            .map(|d| format!("`{}`", d.key))
            .collect();
        doc.push(format!("Runs {} first.", deps.join(", ")));
    }
    let mut steps = format!("Workflow `{}`, steps:", w.id);
    for (i, s) in w.steps.iter().enumerate() {
        steps.push_str(&format!(
            "\n{}. `{}`: {}",
            i + 1,
            s.id,
            super::step::summary(s)
        ));
    }
    doc.push(steps);
    // Indented as a method's doc comment is (`    /// `).
    if let Some(graph) = crate::graph::mermaid_fitting(w, 8, super::format::MAX_WIDTH) {
        doc.push(format!(
            "The workflow's graph (failure paths dotted):\n\n```mermaid\n{graph}```"
        ));
    }
    doc.join("\n\n")
}

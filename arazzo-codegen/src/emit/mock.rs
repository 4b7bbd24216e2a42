//! The module's test doubles and the trait they share with the client: `Workflows` (always
//! there: code takes `&impl Workflows`), and a `mock` module compiled only with the runtime's
//! `mock` feature — `Mock` (a local HTTP server standing in for the operations the workflows
//! call), the request types it records, `Client::with_mock`, and `Fake` (the workflows
//! replaced by programmed outputs).

use proc_macro2::TokenStream;
use quote::quote;

use super::format::docs;
use super::ident;
use super::types::{Scope, rust_type};
use crate::model::ParamLocation;
use crate::plan::{DocumentPlan, MockRoute, WorkflowPlan};

/// The `Workflows` trait and its implementation for `Client`.
pub fn workflows_trait(plan: &DocumentPlan) -> TokenStream {
    let public: Vec<&WorkflowPlan> = plan.workflows.iter().filter(|w| w.public).collect();
    let declarations = public.iter().map(|w| {
        let doc = docs(
            &format!("Runs workflow `{}` (see [`Client::{}`]).", w.id, w.method),
            4,
        );
        let signature = signature(w, Scope::TopLevel);
        quote! { #doc #signature; }
    });
    let implementations = public.iter().map(|w| {
        let signature = signature(w, Scope::TopLevel);
        let name = ident(&w.method);
        let arg = w.input.as_ref().map(|_| quote! { , input });
        quote! {
            #signature {
                Client::#name(self #arg)
            }
        }
    });
    quote! {
        /// The document's workflows as a trait, implemented by [`Client`]: code that takes
        /// `&impl Workflows` runs them for real, and its tests pass `mock::Fake` instead
        /// (feature `mock` of `arazzo-runtime`).
        pub trait Workflows {
            #( #declarations )*
        }

        impl Workflows for Client {
            #( #implementations )*
        }
    }
}

/// `fn name(&self, input: Input) -> impl Future<Output = Result<Output>> + Send`.
fn signature(w: &WorkflowPlan, scope: Scope) -> TokenStream {
    let name = ident(&w.method);
    let output = output_type(w, scope);
    let param = w.input.as_ref().map(|ty| {
        let ty = rust_type(ty, scope);
        quote! { , input: #ty }
    });
    quote! {
        fn #name(&self #param) -> impl ::std::future::Future<
            Output = ::arazzo_runtime::Result<#output>,
        > + ::std::marker::Send
    }
}

fn output_type(w: &WorkflowPlan, scope: Scope) -> TokenStream {
    let output = ident(&w.output);
    match scope {
        Scope::TopLevel => quote! { #output },
        Scope::Module => quote! { super::#output },
    }
}

/// The `mock` module, as tokens to be wrapped in the runtime's `__with_mock!`.
pub fn module(plan: &DocumentPlan) -> TokenStream {
    let routes = &plan.mock.routes;
    let constants = routes.iter().map(route_constant);
    let fields = routes.iter().map(|r| {
        let f = ident(&r.method);
        quote! { #f: mp::Handle }
    });
    let mounts = routes.iter().map(|r| {
        let (f, c) = (ident(&r.method), ident(&r.constant));
        quote! { #f: server.mount(&#c).await }
    });
    let methods = routes.iter().map(|r| {
        let (f, ty) = (ident(&r.method), ident(&r.request_type));
        let doc = docs(&route_doc(r), 12);
        quote! {
            #doc
            pub fn #f(&self) -> m::Operation<'_, #ty> {
                self.#f.operation()
            }
        }
    });
    let request_types = routes.iter().map(request_type);
    let with_mock = with_mock(plan);
    let fake = fake(plan);
    let listed = if routes.is_empty() {
        "no operation (the workflows call none)".to_owned()
    } else {
        let names: Vec<String> = routes
            .iter()
            .map(|r| format!("`{}`", r.operation))
            .collect();
        format!("{} (one method each)", names.join(", "))
    };
    let mock_doc = docs(
        &format!(
            "A local HTTP server standing in for the operations the workflows call: {listed}.\n\n\
             Each answers its default until told otherwise: the first 2xx response of its \
             description, with the description's example as body, else a value built from \
             the schema. Requests that match no operation are answered 404 and make `verify` \
             fail."
        ),
        8,
    );
    quote! {
        /// Test doubles of this module's workflows, compiled with feature `mock` of
        /// `arazzo-runtime` only (a dev-dependency): [`Mock`](mock::Mock), a local server
        /// standing in for the APIs, and [`Fake`](mock::Fake), standing in for the workflows
        /// themselves.
        pub mod mock {
            #[allow(unused_imports)]
            use ::arazzo_runtime::__private as rt;
            use ::arazzo_runtime::mock as m;
            use ::arazzo_runtime::mock::__private as mp;

            #( #constants )*

            #mock_doc
            #[derive(Debug)]
            pub struct Mock {
                server: mp::Server,
                #( #fields, )*
            }

            impl Mock {
                /// Starts the server on a free port of `127.0.0.1`, every operation answering
                /// its default.
                pub async fn start() -> Self {
                    let server = mp::Server::start().await;
                    Mock {
                        #( #mounts, )*
                        server,
                    }
                }

                /// The server's address (`http://127.0.0.1:<port>`); each source is served
                /// under its own path (`/<source name>`).
                pub fn uri(&self) -> String {
                    self.server.uri()
                }

                #( #methods )*

                /// The retry delays the workflows of clients made by `Client::with_mock` asked
                /// for, in order: such a client records them instead of waiting.
                pub fn waits(&self) -> ::std::vec::Vec<::std::time::Duration> {
                    self.server.waits()
                }

                /// The requests that matched no operation of the workflows (answered 404).
                pub fn unexpected(&self) -> Vec<m::Request> {
                    self.server.unexpected()
                }

                /// `Ok` when every operation got the number of requests its `expect` asked for
                /// and no request was unexpected; else a report listing what went wrong.
                pub fn check(&self) -> Result<(), m::Report> {
                    self.server.check()
                }

                /// [`Mock::check`], failing the test with the report.
                ///
                /// # Panics
                /// When the check fails: the message lists missing, extra and unexpected
                /// requests.
                #[track_caller]
                pub fn verify(&self) {
                    if let Err(report) = self.check() {
                        panic!("{report}");
                    }
                }
            }

            #( #request_types )*

            #with_mock

            #fake
        }
    }
}

fn route_constant(r: &MockRoute) -> TokenStream {
    let c = ident(&r.constant);
    let (operation, method, prefix, path) = (&r.operation, &r.http_method, &r.prefix, &r.path);
    let steps = &r.steps;
    let status = proc_macro2::Literal::u16_unsuffixed(r.status);
    let content_type = &r.content_type;
    let body = chunks(&r.body).into_iter().map(|c| raw_string(&c));
    quote! {
        const #c: mp::Route = mp::Route {
            operation: #operation,
            method: #method,
            prefix: #prefix,
            path: #path,
            steps: &[#( #steps ),*],
            status: #status,
            content_type: #content_type,
            body: &[#( #body ),*],
        };
    }
}

/// `text` in pieces of at most 64 characters, cut after a `,` where one is near: lines of
/// generated code stay within 100 columns.
fn chunks(text: &str) -> Vec<String> {
    const MOST: usize = 64;
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        current.push(c);
        let len = current.chars().count();
        if len >= MOST || (c == ',' && len >= MOST * 3 / 4) {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `text` as a raw string literal (JSON reads better without escapes), with as many `#` as
/// it needs.
fn raw_string(text: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| quote! { #text })
}

fn route_doc(r: &MockRoute) -> String {
    let steps: Vec<String> = r.steps.iter().map(|s| format!("`{s}`")).collect();
    let mut doc = format!("`{}` (`{} {}`)", r.operation, r.http_method, r.path);
    match &r.summary {
        Some(summary) => doc.push_str(&format!(": {}", summary.trim())),
        None => doc.push('.'),
    }
    doc.push_str(&format!(
        "\n\nCalled by step {}. Answers {}{} by default.",
        steps.join(", "),
        r.status,
        if r.content_type.is_empty() {
            " with no body".to_owned()
        } else {
            format!(" with `{}`", r.content_type)
        }
    ));
    doc
}

/// The request type of a route: its parameters as fields, its body as a value.
fn request_type(r: &MockRoute) -> TokenStream {
    let ty = ident(&r.request_type);
    let doc = docs(
        &format!(
            "A request the mock received for `{}` (`{} {}`).",
            r.operation, r.http_method, r.path
        ),
        8,
    );
    let fields = r.params.iter().map(|p| {
        let f = ident(&p.field);
        let (what, ty) = match p.location {
            ParamLocation::Path => ("Path parameter", quote! { String }),
            ParamLocation::Query => ("Query parameter", quote! { Option<String> }),
            _ => ("Header", quote! { Option<String> }),
        };
        let doc = docs(&format!("{what} `{}`, as sent.", p.name), 12);
        quote! { #doc pub #f: #ty }
    });
    let reads = r.params.iter().map(|p| {
        let (f, name) = (ident(&p.field), &p.name);
        match p.location {
            ParamLocation::Path => {
                quote! { #f: request.path_param(#name).unwrap_or_default().to_owned() }
            }
            ParamLocation::Query => quote! { #f: request.query_param(#name).map(str::to_owned) },
            _ => quote! { #f: request.header(#name).map(str::to_owned) },
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #ty {
            #( #fields, )*
            /// The body: JSON as sent, a form as an object of its fields, `null` when empty.
            pub body: rt::Value,
            /// The whole request: method, path, headers, raw body.
            pub request: m::Request,
        }

        impl From<m::Request> for #ty {
            fn from(request: m::Request) -> Self {
                #ty {
                    #( #reads, )*
                    body: request.body_value(),
                    request,
                }
            }
        }
    }
}

/// `Client::with_mock`: every source at the mock, placeholder credentials.
fn with_mock(plan: &DocumentPlan) -> TokenStream {
    let client = &plan.client;
    let sources = client.sources.iter().map(|s| {
        let (f, prefix) = (ident(&s.field), &s.mock_prefix);
        let url = format!("{{uri}}{prefix}");
        quote! { self.#f = ::std::sync::Arc::from(format!(#url)); }
    });
    let schemes = client.schemes.iter().map(|s| {
        let f = ident(&s.field);
        quote! { self.#f.fill_for_mock(); }
    });
    let uri = (!client.sources.is_empty()).then(|| quote! { let uri = mock.uri(); });
    quote! {
        impl super::Client {
            /// Sends every source's requests to `mock`, gives every security scheme without
            /// credentials a placeholder (basic `mock`/`mock-password`, else the token
            /// `mock-token`; OAuth grants are replaced by that token too, the mock has no token
            /// endpoint), and records retry waits instead of waiting (`Mock::waits`).
            pub fn with_mock(mut self, mock: &Mock) -> Self {
                #uri
                self.settings.sleeper = mock.server.sleeper();
                #( #sources )*
                #( #schemes )*
                self
            }
        }
    }
}

/// `Fake`: the workflows replaced by programmed outputs, implementing `Workflows`.
fn fake(plan: &DocumentPlan) -> TokenStream {
    let public: Vec<&WorkflowPlan> = plan.workflows.iter().filter(|w| w.public).collect();
    let types = |w: &WorkflowPlan| {
        let input = w
            .input
            .as_ref()
            .map_or_else(|| quote! { () }, |ty| rust_type(ty, Scope::Module));
        let output = output_type(w, Scope::Module);
        (input, output)
    };
    let fields = public.iter().map(|w| {
        let f = ident(&w.method);
        let (input, output) = types(w);
        quote! { #f: m::Programmed<#input, #output> }
    });
    let inits = public.iter().map(|w| {
        let f = ident(&w.method);
        let (id, setter) = (&w.id, format!("on_{}", w.method));
        quote! { #f: m::Programmed::new(#id, #setter) }
    });
    let setters = public.iter().map(|w| {
        let f = ident(&w.method);
        let setter = ident(&format!("on_{}", w.method));
        let (input, output) = types(w);
        let doc = docs(
            &format!(
                "What workflow `{}` returns: `.returns(output)`, `.fails(|| error)`, \
                 `.with(|input| …)`, `.once(…)`; and `.calls()`, the inputs it got.",
                w.id
            ),
            12,
        );
        quote! {
            #doc
            pub fn #setter(&self) -> &m::Programmed<#input, #output> {
                &self.#f
            }
        }
    });
    let implementations = public.iter().map(|w| {
        let f = ident(&w.method);
        let signature = signature(w, Scope::Module);
        let arg = match w.input {
            Some(_) => quote! { input },
            None => quote! { () },
        };
        quote! {
            #signature {
                ::std::future::ready(self.#f.call(#arg))
            }
        }
    });
    quote! {
        /// The workflows replaced by what a test programs, for code that takes
        /// `&impl Workflows`: nothing is sent. A workflow called with nothing programmed
        /// panics, naming the setter that programs it.
        #[derive(Debug)]
        pub struct Fake {
            #( #fields, )*
        }

        impl Fake {
            /// A fake with nothing programmed.
            pub fn new() -> Self {
                Fake {
                    #( #inits, )*
                }
            }

            #( #setters )*
        }

        impl Default for Fake {
            fn default() -> Self {
                Self::new()
            }
        }

        impl super::Workflows for Fake {
            #( #implementations )*
        }
    }
}

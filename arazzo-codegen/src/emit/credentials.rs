//! The client's credential per security scheme: its field's initial value, and the setters
//! that fill it (a password, a key, a token; an OAuth flow's client; a TLS identity).

use proc_macro2::TokenStream;
use quote::quote;

use super::format::docs;
use super::ident;
use crate::model::ParamLocation;
use crate::plan::{FlowPlan, OAuthFlow, SchemeKind, SchemePlan};

/// The field's value in `Client::new`: an empty credential that knows its scheme and setter.
pub fn init(s: &SchemePlan) -> TokenStream {
    let (f, name) = (ident(&s.field), &s.name);
    let credential = quote! { ::arazzo_runtime::__private::Credential };
    let setter = match &s.kind {
        // The error for a missing token names the flow most clients use.
        SchemeKind::OAuth2 { flows, .. } | SchemeKind::OpenIdConnect { flows, .. } => flows
            .first()
            .map_or(s.setter.as_str(), |f| f.setter.as_str()),
        _ => s.setter.as_str(),
    };
    match &s.kind {
        SchemeKind::Basic => quote! { #f: #credential::basic(#name, #setter) },
        SchemeKind::ApiKey {
            location,
            name: key,
        } => {
            let location = match location {
                ParamLocation::Query => quote! { Query },
                ParamLocation::Cookie => quote! { Cookie },
                _ => quote! { Header },
            };
            quote! {
                #f: #credential::api_key(
                    #name,
                    #setter,
                    ::arazzo_runtime::__private::KeyLocation::#location,
                    #key,
                )
            }
        }
        SchemeKind::Bearer
        | SchemeKind::OAuth2 { .. }
        | SchemeKind::OpenIdConnect { .. }
        | SchemeKind::MutualTls { .. } => quote! { #f: #credential::bearer(#name, #setter) },
    }
}

/// The setters of one scheme's credential.
pub fn setters(s: &SchemePlan) -> TokenStream {
    let (f, setter, name) = (ident(&s.field), ident(&s.setter), &s.name);
    let extra = s
        .description
        .as_deref()
        .map(|d| format!("\n\n{}", d.trim()))
        .unwrap_or_default();
    let secret = quote! { ::arazzo_runtime::Secret };
    let token_setter = |what: &str| {
        let doc = docs(&format!("{what}{extra}"), 4);
        quote! {
            #doc
            pub fn #setter(mut self, token: impl ::std::convert::Into<#secret>) -> Self {
                self.#f.set_secret(token);
                self
            }
        }
    };
    match &s.kind {
        SchemeKind::Basic => {
            let doc = docs(
                &format!("HTTP basic credentials for security scheme `{name}`.{extra}"),
                4,
            );
            quote! {
                #doc
                pub fn #setter(
                    mut self,
                    username: impl ::std::convert::Into<::std::string::String>,
                    password: impl ::std::convert::Into<#secret>,
                ) -> Self {
                    self.#f.set_basic(username, password);
                    self
                }
            }
        }
        SchemeKind::ApiKey {
            location,
            name: key,
        } => {
            let place = match location {
                ParamLocation::Query => "query parameter",
                ParamLocation::Cookie => "cookie",
                _ => "header",
            };
            let doc = docs(
                &format!(
                    "The API key for security scheme `{name}` (sent as {place} `{key}`).{extra}"
                ),
                4,
            );
            quote! {
                #doc
                pub fn #setter(mut self, key: impl ::std::convert::Into<#secret>) -> Self {
                    self.#f.set_secret(key);
                    self
                }
            }
        }
        SchemeKind::Bearer => {
            token_setter(&format!("The bearer token for security scheme `{name}`."))
        }
        SchemeKind::OAuth2 {
            flows,
            endpoint_setter,
        } => {
            let token = token_setter(&format!(
                "An access token for OAuth 2 security scheme `{name}`, sent as it is: the \
                 client neither renews it nor replaces it (the flow setters do)."
            ));
            let flows = flows.iter().map(|flow| flow_setter(s, flow, None));
            let endpoint = endpoint_setter_fn(
                &s.field,
                endpoint_setter,
                &format!(
                    "Gets the tokens of security scheme `{name}` from `url` (a token endpoint) \
                     instead of the flows' `tokenUrl` and `refreshUrl`."
                ),
            );
            quote! { #token #( #flows )* #endpoint }
        }
        SchemeKind::OpenIdConnect {
            url,
            flows,
            endpoint_setter,
        } => {
            let token = token_setter(&format!(
                "An access token for OpenID Connect security scheme `{name}`, sent as it is: \
                 the client neither renews it nor replaces it (the flow setters do)."
            ));
            let flows = flows.iter().map(|flow| flow_setter(s, flow, Some(url)));
            let endpoint = endpoint_setter_fn(
                &s.field,
                endpoint_setter,
                &format!(
                    "Discovers the token endpoint of security scheme `{name}` at `url` instead \
                     of `{url}`."
                ),
            );
            quote! { #token #( #flows )* #endpoint }
        }
        SchemeKind::MutualTls { client_setter } => {
            let doc = docs(
                &format!(
                    "The client certificate and key for mutual TLS security scheme `{name}` \
                     (`reqwest::Identity::from_pem`): the requests of the operations that \
                     require it go through a client that presents it, with the client's \
                     limits and the system's root certificates.{extra}"
                ),
                4,
            );
            let client_doc = docs(
                &format!(
                    "The HTTP client for the requests that require mutual TLS security scheme \
                     `{name}`, built with its identity (and any root certificates it needs): \
                     it is used as it is."
                ),
                4,
            );
            let client_setter = ident(client_setter);
            quote! {
                #doc
                pub fn #setter(mut self, identity: ::arazzo_runtime::reqwest::Identity) -> Self {
                    self.#f.set_identity(identity);
                    self
                }

                #client_doc
                pub fn #client_setter(mut self, http: ::arazzo_runtime::reqwest::Client) -> Self {
                    self.#f.set_tls_client(http);
                    self
                }
            }
        }
    }
}

fn endpoint_setter_fn(field: &str, setter: &str, doc: &str) -> TokenStream {
    let (f, setter, doc) = (ident(field), ident(setter), docs(doc, 4));
    quote! {
        #doc
        pub fn #setter(mut self, url: impl ::std::convert::AsRef<str>) -> Self {
            self.#f.set_endpoint(url);
            self
        }
    }
}

/// The setter that runs one flow: `discovery` for an OpenID Connect scheme.
fn flow_setter(s: &SchemePlan, flow: &FlowPlan, discovery: Option<&String>) -> TokenStream {
    let (f, setter, name) = (ident(&s.field), ident(&flow.setter), &s.name);
    let secret = quote! { ::arazzo_runtime::Secret };
    let string = quote! { ::std::string::String };
    let into = quote! { ::std::convert::Into };
    let private = quote! { ::arazzo_runtime::__private };
    let opt = |u: &Option<String>| match u {
        Some(u) => quote! { ::std::option::Option::Some(#u) },
        None => quote! { ::std::option::Option::None },
    };
    let endpoints = match discovery {
        Some(url) => quote! { #private::Endpoints::Discovery(#url) },
        None => {
            let (a, t, r) = (
                opt(&flow.authorization_url),
                opt(&flow.token_url),
                opt(&flow.refresh_url),
            );
            quote! {
                #private::Endpoints::Flow {
                    authorization_url: #a,
                    token_url: #t,
                    refresh_url: #r,
                }
            }
        }
    };
    let at = match (discovery, &flow.token_url) {
        (Some(url), _) => format!("the token endpoint that `{url}` names"),
        (None, Some(url)) => format!("`{url}`"),
        (None, None) => "the token endpoint set with the scheme's token URL setter".to_owned(),
    };
    let kept = "Tokens are had for the scopes each operation requires, kept per scope set and \
                shared by clones of the client, renewed before they expire (by refresh token \
                when the server gave one), and replaced once when a server answers 401.";
    let flow_path = |v: &str| {
        let v = ident(v);
        quote! { ::arazzo_runtime::oauth::Flow::#v }
    };
    let provider_doc = |what: &str| {
        let again = if flow.flow == OAuthFlow::Implicit {
            "when a token has expired (the implicit flow has no refresh token)".to_owned()
        } else {
            format!("only when a token has expired and cannot be refreshed at {at}")
        };
        format!(
            "Tokens for security scheme `{name}` by the {what} flow, from `provider`: a \
             library cannot open a browser, so the provider (a closure taking an \
             `arazzo_runtime::oauth::TokenRequest`) gets them, and the client asks it again \
             {again}. {kept}"
        )
    };
    let (doc, body) = match flow.flow {
        OAuthFlow::ClientCredentials => (
            format!(
                "Gets tokens for security scheme `{name}` by the client credentials flow at \
                 {at}, as client `client_id`. {kept}"
            ),
            quote! {
                pub fn #setter(
                    mut self,
                    client_id: impl #into<#string>,
                    client_secret: impl #into<#secret>,
                ) -> Self {
                    self.#f.set_grant(
                        #private::grants::client_credentials(client_id, client_secret),
                        #endpoints,
                    );
                    self
                }
            },
        ),
        OAuthFlow::Password => (
            format!(
                "Gets tokens for security scheme `{name}` by the password flow at {at}, for \
                 user `username`, as client `client_id` (an empty secret for a public \
                 client). {kept}"
            ),
            quote! {
                pub fn #setter(
                    mut self,
                    client_id: impl #into<#string>,
                    client_secret: impl #into<#secret>,
                    username: impl #into<#string>,
                    password: impl #into<#secret>,
                ) -> Self {
                    self.#f.set_grant(
                        #private::grants::password(client_id, client_secret, username, password),
                        #endpoints,
                    );
                    self
                }
            },
        ),
        OAuthFlow::Implicit => {
            let variant = flow_path("Implicit");
            (
                provider_doc("implicit"),
                quote! {
                    pub fn #setter(
                        mut self,
                        provider: impl ::arazzo_runtime::oauth::TokenProvider,
                    ) -> Self {
                        self.#f.set_grant(
                            #private::grants::provided(#variant, ::std::option::Option::None, provider),
                            #endpoints,
                        );
                        self
                    }
                },
            )
        }
        OAuthFlow::AuthorizationCode | OAuthFlow::DeviceAuthorization => {
            let (what, variant) = if flow.flow == OAuthFlow::AuthorizationCode {
                ("authorization code", flow_path("AuthorizationCode"))
            } else {
                ("device authorization", flow_path("DeviceAuthorization"))
            };
            (
                format!("{} Refreshed as client `client_id`.", provider_doc(what)),
                quote! {
                    pub fn #setter(
                        mut self,
                        client_id: impl #into<#string>,
                        client_secret: impl #into<#secret>,
                        provider: impl ::arazzo_runtime::oauth::TokenProvider,
                    ) -> Self {
                        self.#f.set_grant(
                            #private::grants::provided(
                                #variant,
                                ::std::option::Option::Some((client_id.into(), client_secret.into())),
                                provider,
                            ),
                            #endpoints,
                        );
                        self
                    }
                },
            )
        }
    };
    let doc = docs(&doc, 4);
    quote! { #doc #body }
}

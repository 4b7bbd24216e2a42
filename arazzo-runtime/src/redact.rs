//! What errors and traces must not show: the credentials a request carried. Built once per
//! request from its security schemes (and its final headers when a request hook may have added
//! some), then applied to the URL of every transport error and to every body excerpt, where a
//! server that echoes the request would otherwise put them. A durable run's replay builds them
//! again from the schemes alone: nothing here comes from the response.

use crate::auth::{Auth, Basic, KeyLocation, Secret};
use crate::descriptor::In;

/// Values this short are not searched for: hiding every `a` of an excerpt protects nothing.
const SHORTEST: usize = 3;

/// The credentials of one request, to be replaced by `***`. Kept as they are (shared secrets,
/// header values) and turned into text only when an error needs redacting: most requests
/// never do.
#[derive(Clone, Default)]
pub struct Redactions {
    secrets: Vec<Secret>,
    /// Basic pairs, with the `Authorization` encoding each made once.
    basics: Vec<Basic>,
    /// Parameters that are credentials, as sent.
    values: Vec<String>,
    /// `Authorization` and `Proxy-Authorization` as sent.
    headers: Vec<reqwest::header::HeaderValue>,
    /// Names of query parameters that carry a credential.
    query_names: Vec<&'static str>,
}

impl std::fmt::Debug for Redactions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Redactions")
    }
}

impl Redactions {
    /// The credentials the security schemes put on a request.
    pub fn of(auth: &[Auth<'_>]) -> Self {
        let mut r = Redactions::default();
        for a in auth {
            match a {
                Auth::Basic(basic) => r.basics.push((*basic).clone()),
                // Resolved into a `Bearer` before a request is built.
                Auth::OAuth { .. } | Auth::Tls(_) => {}
                Auth::Bearer(token) => r.secrets.push((*token).clone()),
                Auth::ApiKey {
                    location,
                    name,
                    key,
                } => {
                    r.secrets.push((*key).clone());
                    if matches!(location, KeyLocation::Query) {
                        r.query_names.push(name);
                    }
                }
            }
        }
        r
    }

    /// Adds the parameters that are credentials (a document's own key or token in a scheme's
    /// place, a `format: password` parameter).
    pub fn with_parameters(mut self, parameters: &[(In, &'static str, String)]) -> Self {
        for (location, name, value) in parameters {
            self.values.push(value.clone());
            if matches!(location, In::Query) {
                self.query_names.push(name);
            }
        }
        self
    }

    /// Adds the credential headers of the request as it is sent (`Authorization` and
    /// `Proxy-Authorization`, with the part after the scheme): for requests a hook changed, which
    /// may carry credentials the schemes do not know.
    pub fn with_headers(mut self, request: &reqwest::Request) -> Self {
        for name in [
            reqwest::header::AUTHORIZATION,
            reqwest::header::PROXY_AUTHORIZATION,
        ] {
            self.headers
                .extend(request.headers().get_all(name).iter().cloned());
        }
        self
    }

    /// Every credential as text, longest first so that none is half-replaced by a shorter one.
    fn all(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .secrets
            .iter()
            .map(|s| s.expose().to_owned())
            .chain(self.values.iter().cloned())
            .collect();
        for basic in &self.basics {
            all.push(basic.password.expose().to_owned());
            all.push(format!("Basic {}", basic.encoded()));
            all.push(basic.encoded().to_owned());
        }
        for value in &self.headers {
            if let Ok(text) = value.to_str() {
                all.push(text.to_owned());
                if let Some((_, credentials)) = text.split_once(' ') {
                    all.push(credentials.trim().to_owned());
                }
            }
        }
        all.retain(|v| v.chars().count() >= SHORTEST);
        all.sort_by_key(|v| std::cmp::Reverse(v.len()));
        all.dedup();
        all
    }

    /// `text` with every credential replaced by `***`.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for v in &self.all() {
            if out.contains(v.as_str()) {
                out = out.replace(v.as_str(), "***");
            }
        }
        out
    }

    /// The URL with the value of every credential query parameter replaced by `***`.
    pub fn url(&self, url: &mut url::Url) {
        if url.query().is_none() {
            return;
        }
        let all = self.all();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let secret =
                    self.query_names.iter().any(|n| *n == k) || all.iter().any(|s| *s == v);
                let v = if secret {
                    "***".to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }

    /// A transport error whose URL shows no credential.
    pub fn error(&self, mut e: reqwest::Error) -> reqwest::Error {
        if let Some(url) = e.url_mut() {
            self.url(url);
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Basic;

    #[tokio::test]
    async fn a_transport_error_shows_no_query_key() {
        // A port nothing listens on: the connection is refused.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let key = Secret::new("k-123456");
        let settings = crate::client::ClientSettings::default();
        let auth = [Auth::ApiKey {
            location: KeyLocation::Query,
            name: "api_key",
            key: &key,
        }];
        let call = crate::http::calls::get("w", "s", "/pets");
        let error = call
            .send(&settings, &format!("http://127.0.0.1:{port}"), &auth)
            .await
            .err()
            .unwrap_or_else(|| panic!("nothing listens there"));
        let (text, debug) = (error.to_string(), format!("{error:?}"));
        assert!(text.contains("api_key=***"), "{text}");
        assert!(
            !text.contains("k-123456") && !debug.contains("k-123456"),
            "{debug}"
        );
    }

    #[test]
    fn credentials_leave_urls_and_text() {
        let key = Secret::new("k-123456");
        let basic = Basic::new("ACtest", "s3cret");
        let r = Redactions::of(&[
            Auth::ApiKey {
                location: KeyLocation::Query,
                name: "api_key",
                key: &key,
            },
            Auth::Basic(&basic),
        ]);
        let mut url = url::Url::parse("https://a.example/x?page=2&api_key=k-123456")
            .unwrap_or_else(|e| panic!("{e}"));
        r.url(&mut url);
        assert_eq!(url.as_str(), "https://a.example/x?page=2&api_key=***");
        assert_eq!(
            r.text("you sent k-123456 and s3cret"),
            "you sent *** and ***"
        );
    }
}

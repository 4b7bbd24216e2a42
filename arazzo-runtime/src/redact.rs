//! What errors and traces must not show: the credentials a request carried. Built once per
//! request from its security schemes (and its final headers when a request hook may have added
//! some), then applied to the URL of every transport error and to every body excerpt, where a
//! server that echoes the request would otherwise put them. A durable run's replay builds them
//! again from the schemes alone: nothing here comes from the response.

use crate::auth::{Auth, Basic, KeyLocation, Secret};
use crate::descriptor::In;
use crate::error::BODY_EXCERPT_BYTES;

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
        let mut all: Vec<String> = self.secrets.iter().map(|s| s.expose().to_owned()).collect();
        for value in &self.values {
            all.push(value.clone());
            // A document's `Bearer {token}`: a server may echo the token alone.
            if let Some((scheme, credentials)) = value.split_once(' ')
                && !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                all.push(credentials.trim().to_owned());
            }
        }
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
        // As a server may echo them: escaped in a JSON string (some escape `/` too), or
        // percent-encoded as in a form or a URL.
        let mut written = Vec::new();
        for v in &all {
            let json = serde_json::to_string(v).unwrap_or_default();
            let json = json
                .get(1..json.len().saturating_sub(1))
                .unwrap_or_default()
                .to_owned();
            written.push(json.replace('/', "\\/"));
            written.push(json);
            written.push(url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>());
            let percent =
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                    .to_string();
            // Hex digits in either case (`%2F`, `%2f`; `\u002F`, `\u002f`).
            written.push(lower_hex_escapes(&percent, "%", 2));
            written.push(percent);
            let unicode = unicode_escaped(v);
            written.push(lower_hex_escapes(&unicode, "\\u", 4));
            written.push(unicode);
        }
        all.extend(written);
        all.retain(|v| v.chars().count() >= SHORTEST);
        all.sort_by_key(|v| std::cmp::Reverse(v.len()));
        all.dedup();
        all
    }

    /// The start of `body` as text for an error, at most [`BODY_EXCERPT_BYTES`] of it, with
    /// every credential replaced by `***`: also one that the cut would go through, which is
    /// found in the text that follows (so no part of it shows).
    pub fn excerpt(&self, body: &[u8]) -> String {
        let all = self.all();
        let longest = all.first().map_or(0, String::len);
        // A credential that starts before the cut ends inside this window.
        let window = body
            .get(..BODY_EXCERPT_BYTES.saturating_add(longest))
            .unwrap_or(body);
        let text = String::from_utf8_lossy(window);
        let mut cut = BODY_EXCERPT_BYTES.min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        // Where each credential stands, longest first; a shorter one inside a longer one is
        // hidden with it.
        let mut found: Vec<(usize, usize)> = Vec::new();
        for secret in &all {
            for (at, _) in text.match_indices(secret.as_str()) {
                let end = at + secret.len();
                if at < cut && !found.iter().any(|&(a, e)| at < e && a < end) {
                    found.push((at, end));
                }
            }
        }
        found.sort_unstable();
        let mut out = String::with_capacity(cut + 16);
        let mut from = 0;
        for (at, end) in found {
            out.push_str(text.get(from..at).unwrap_or_default());
            out.push_str("***");
            from = end;
        }
        if from < cut {
            out.push_str(text.get(from..cut).unwrap_or_default());
        }
        if body.len() > BODY_EXCERPT_BYTES {
            out.push_str(&format!("… ({} bytes in all)", body.len()));
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

/// `v` as a JSON string may write it with every character but letters and digits as
/// `\uXXXX` (upper-case hex; a character outside the BMP as its surrogate pair).
fn unicode_escaped(v: &str) -> String {
    let mut out = String::with_capacity(v.len() * 2);
    for c in v.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04X}"));
            }
        }
    }
    out
}

/// `text` with the `digits` hex digits after each `marker` in lower case.
fn lower_hex_escapes(text: &str, marker: &str, digits: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(marker) {
        let (before, after) = rest.split_at(at + marker.len());
        out.push_str(before);
        let hex = after.get(..digits).unwrap_or(after);
        out.push_str(&hex.to_ascii_lowercase());
        rest = after.get(hex.len()..).unwrap_or_default();
    }
    out.push_str(rest);
    out
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
            r.excerpt(b"you sent k-123456 and s3cret"),
            "you sent *** and ***"
        );
    }

    /// A JWT-like token of `len` characters of base64url (no character of the padding around
    /// it), different for each `seed`.
    fn token(seed: u64, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwz0123456789-_";
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (0..len)
            .map(|i| {
                if i > 0 && i % 300 == 0 {
                    return '.';
                }
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let at = usize::try_from(state >> 33).unwrap_or(0) % ALPHABET.len();
                char::from(ALPHABET.get(at).copied().unwrap_or(b'A'))
            })
            .collect()
    }

    /// Whether any 6 consecutive characters of `secret` show in `text`.
    fn shows_part(text: &str, secret: &str) -> bool {
        let chars: Vec<char> = secret.chars().collect();
        chars
            .windows(6)
            .any(|w| text.contains(&w.iter().collect::<String>()))
    }

    #[test]
    fn no_part_of_a_long_credential_shows_wherever_the_excerpt_is_cut() {
        // A 1 KB bearer token and a 40-character API key, echoed by a server at every offset
        // around the 512-byte cut, as a body, as JSON (which may escape `/`) and as a form.
        let jwt = Secret::new(token(1, 1024));
        let key = Secret::new(format!("sk_live_{}", token(2, 32)));
        let basic = Basic::new("AC0123456789abcdef", token(3, 40));
        let r = Redactions::of(&[
            Auth::Bearer(&jwt),
            Auth::ApiKey {
                location: KeyLocation::Header,
                name: "X-Api-Key",
                key: &key,
            },
            Auth::Basic(&basic),
        ]);
        let secrets = [
            jwt.expose().to_owned(),
            key.expose().to_owned(),
            basic.password.expose().to_owned(),
            basic.encoded().to_owned(),
        ];
        for secret in &secrets {
            for offset in (0..=BODY_EXCERPT_BYTES + 8).step_by(3) {
                for (before, after) in [("", ""), ("{\"token\":\"", "\"}"), ("token=", "&x=1")] {
                    let body = format!(
                        "{}{before}{secret}{after}{}",
                        "~".repeat(offset),
                        "~".repeat(600)
                    );
                    let excerpt = r.excerpt(body.as_bytes());
                    assert!(
                        !shows_part(&excerpt, secret),
                        "offset {offset}, {before:?}: {excerpt}"
                    );
                    assert!(
                        excerpt.len() <= BODY_EXCERPT_BYTES + 40,
                        "{}",
                        excerpt.len()
                    );
                }
            }
        }
    }

    #[test]
    fn credentials_escaped_or_encoded_by_the_server_are_hidden_too() {
        let token = Secret::new("abc/def+ghi=jkl\"quoted\"");
        let r = Redactions::of(&[Auth::Bearer(&token)]);
        for written in [
            "abc/def+ghi=jkl\"quoted\"",
            "abc\\/def+ghi=jkl\\\"quoted\\\"",
            "abc/def+ghi=jkl\\\"quoted\\\"",
            "abc%2Fdef%2Bghi%3Djkl%22quoted%22",
        ] {
            let excerpt = r.excerpt(format!("you sent {written}!").as_bytes());
            assert_eq!(excerpt, "you sent ***!", "{written}");
        }
    }

    #[test]
    fn a_short_body_is_kept_whole_and_a_long_one_says_its_size() {
        let r = Redactions::default();
        assert_eq!(r.excerpt("héllo".as_bytes()), "héllo");
        let long = "é".repeat(400);
        let excerpt = r.excerpt(long.as_bytes());
        assert!(excerpt.ends_with("… (800 bytes in all)"), "{excerpt}");
        assert_eq!(excerpt.chars().filter(|c| *c == 'é').count(), 256);
    }
}

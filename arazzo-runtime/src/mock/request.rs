//! A request the mock received, readable by parameter name.

use reqwest::header::HeaderMap;
use serde_json::{Map, Value};

/// A request the mock received: method, path (without the source's prefix), parameters,
/// headers and body. Generated mocks wrap it in a struct per operation whose fields are the
/// operation's parameters.
#[derive(Clone)]
pub struct Request {
    method: String,
    path: String,
    path_params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// Headers whose values `Debug` does not show: they carry credentials.
const HIDDEN: [&str; 4] = [
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
];

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if HIDDEN.contains(&name.as_str()) {
                    "***"
                } else {
                    value.to_str().unwrap_or("(not text)")
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("path_params", &self.path_params)
            .field("query", &self.query)
            .field("headers", &headers)
            .field("body", &self.body_value())
            .finish()
    }
}

impl Request {
    /// `request` as received on a route of a source mocked under `prefix`.
    pub(crate) fn received(
        request: &wiremock::Request,
        prefix: &str,
        pattern: Option<&PathPattern>,
    ) -> Self {
        let full = request.url.path();
        let path = full.strip_prefix(prefix).unwrap_or(full).to_owned();
        Request {
            method: request.method.as_str().to_owned(),
            path_params: pattern.map(|p| p.params(full)).unwrap_or_default(),
            path,
            query: request
                .url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            headers: request.headers.clone(),
            body: request.body.clone(),
        }
    }

    /// The HTTP method, upper case.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path the workflow asked for, without the prefix the mock gives each source.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The value of path parameter `name`, percent-decoded.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        find(&self.path_params, name)
    }

    /// The first value of query parameter `name`, decoded.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        find(&self.query, name)
    }

    /// Every query parameter, in the order sent.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// Header `name` (any case), when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The headers as received.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as a value: JSON as sent; a form (`a=1&b=2`) as an object of its fields (a
    /// repeated field as a list); other text as a string; no body as `null`.
    pub fn body_value(&self) -> Value {
        if self.body.is_empty() {
            return Value::Null;
        }
        if let Ok(json) = serde_json::from_slice(&self.body) {
            return json;
        }
        let form = self
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
        if form {
            let mut fields = Map::new();
            for (k, v) in url::form_urlencoded::parse(&self.body) {
                let v = Value::String(v.into_owned());
                match fields.get_mut(k.as_ref()) {
                    Some(Value::Array(list)) => list.push(v),
                    Some(first) => *first = Value::Array(vec![first.take(), v]),
                    None => {
                        fields.insert(k.into_owned(), v);
                    }
                }
            }
            return Value::Object(fields);
        }
        Value::String(String::from_utf8_lossy(&self.body).into_owned())
    }

    /// `METHOD /path`, as reports show a request.
    pub(crate) fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

fn find<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A route's path template as a regular expression: `{name}` matches one segment or part of
/// one (never a `/`); the rest literally.
#[derive(Debug)]
pub(crate) struct PathPattern {
    pub(crate) regex: regex::Regex,
    names: Vec<String>,
}

impl PathPattern {
    /// The pattern of `prefix` followed by `template` (a `{` never closed is text); `None` only
    /// when the regular expression is too large to build, which the server then reports.
    pub(crate) fn new(prefix: &str, template: &str) -> Option<Self> {
        let mut regex = format!("^{}", regex::escape(prefix));
        let mut names = Vec::new();
        let mut rest = template;
        while let Some((literal, tail)) = rest.split_once('{')
            && let Some((name, after)) = tail.split_once('}')
        {
            regex.push_str(&regex::escape(literal));
            regex.push_str("([^/]+)");
            names.push(name.to_owned());
            rest = after;
        }
        regex.push_str(&regex::escape(rest));
        regex.push('$');
        Some(PathPattern {
            regex: regex::Regex::new(&regex).ok()?,
            names,
        })
    }

    /// The values of the template's parameters in `path` (prefix included), decoded.
    fn params(&self, path: &str) -> Vec<(String, String)> {
        let Some(captures) = self.regex.captures(path) else {
            return Vec::new();
        };
        self.names
            .iter()
            .zip(captures.iter().skip(1))
            .filter_map(|(name, m)| {
                let value = percent_encoding::percent_decode_str(m?.as_str()).decode_utf8_lossy();
                Some((name.clone(), value.into_owned()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_are_read_by_name_and_decoded() {
        let pattern = PathPattern::new(
            "/conversations",
            "/v1/Conversations/{Sid}/Files/{name}.json",
        )
        .unwrap();
        let path = "/conversations/v1/Conversations/CH%201/Files/a.b.json";
        assert!(pattern.regex.is_match(path));
        assert_eq!(
            pattern.params(path),
            vec![
                ("Sid".to_owned(), "CH 1".to_owned()),
                ("name".to_owned(), "a.b".to_owned())
            ]
        );
        assert!(
            !pattern
                .regex
                .is_match("/conversations/v1/Conversations/a/b/Files/c.json")
        );
        // A brace never closed is text, not a parameter.
        let odd = PathPattern::new("", "/files/{name").unwrap();
        assert!(odd.regex.is_match("/files/{name"));
        assert!(odd.params("/files/{name").is_empty());
    }
}

#[cfg(test)]
mod body_tests {
    use super::*;

    fn request(content_type: &str, body: &str) -> Request {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", content_type.parse().unwrap());
        headers.insert("authorization", "Bearer secret-token".parse().unwrap());
        Request {
            method: "POST".to_owned(),
            path: "/x".to_owned(),
            path_params: Vec::new(),
            query: Vec::new(),
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_form_reads_as_an_object_with_repeated_fields_as_lists() {
        let r = request(
            "application/x-www-form-urlencoded",
            "Filters=a&Target=webhook&Filters=b&Url=https%3A%2F%2Fx.test",
        );
        assert_eq!(
            r.body_value(),
            serde_json::json!({"Filters": ["a", "b"], "Target": "webhook", "Url": "https://x.test"})
        );
        assert_eq!(request("text/plain", "hi").body_value(), "hi");
        assert_eq!(request("application/json", "").body_value(), Value::Null);
    }

    #[test]
    fn debug_hides_credentials() {
        let shown = format!("{:?}", request("application/json", "{}"));
        assert!(!shown.contains("secret-token"), "{shown}");
        assert!(shown.contains("authorization"), "{shown}");
    }
}

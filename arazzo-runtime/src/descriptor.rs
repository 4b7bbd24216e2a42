//! What generated code knows at build time about what it runs: where a criterion is written,
//! how a parameter is encoded, which HTTP method an operation uses. Constants in generated
//! code, so that calls read as what they mean rather than as runs of strings and booleans.

use std::fmt;

use crate::encode::Style;

/// Where something is written in the Arazzo document, fixed at build time. Shown as
/// `file:line:col`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// The Arazzo document, as the generator was given it.
    pub file: &'static str,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Location {
    /// `file:line:column`.
    pub const fn new(file: &'static str, line: u32, column: u32) -> Self {
        Location { file, line, column }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The 2xx rule of steps without criteria is written nowhere.
        if self.file.is_empty() {
            return Ok(());
        }
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A criterion as written in the document: its text and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Criterion {
    /// The condition as written.
    pub text: &'static str,
    pub at: Location,
}

impl Criterion {
    pub const fn new(text: &'static str, at: Location) -> Self {
        Criterion { text, at }
    }
}

/// A request body's media type, as its `Content-Type` header. Made in a `const`, so the check
/// that it can be sent as a header runs when the generated code is compiled, not per request;
/// one that cannot is an error of the step that sends it, never a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentType {
    pub text: &'static str,
    pub(crate) sendable: bool,
}

impl ContentType {
    pub const fn new(text: &'static str) -> Self {
        let mut rest = text.as_bytes();
        let mut sendable = true;
        while let [b, tail @ ..] = rest {
            sendable &= *b == b'\t' || (*b >= 32 && *b < 127);
            rest = tail;
        }
        ContentType { text, sendable }
    }
}

/// Records a criterion's outcome in the trace and returns it.
pub(crate) fn trace_criterion(
    (workflow, step): (&'static str, &'static str),
    criterion: &Criterion,
    holds: bool,
) -> bool {
    tracing::debug!(
        workflow,
        step,
        criterion = criterion.text,
        holds,
        "criterion evaluated"
    );
    holds
}

/// Records an action taken (`target`: the step or workflow it goes to, if any).
pub(crate) fn trace_action(
    (workflow, step): (&'static str, &'static str),
    name: &'static str,
    kind: ActionKind,
    target: &'static str,
) {
    tracing::info!(
        workflow,
        step,
        action = name,
        kind = kind.as_str(),
        target,
        "action taken"
    );
}

/// A step's `timeout` (Arazzo 1.1): how long one attempt may take, and where it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeout {
    pub millis: u64,
    pub at: Location,
}

impl Timeout {
    pub const fn new(millis: u64, at: Location) -> Self {
        Timeout { millis, at }
    }

    pub fn duration(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.millis)
    }
}

/// The rule for a step without `successCriteria`: any 2xx status.
pub const ANY_2XX: Criterion =
    Criterion::new("a 2xx status (no successCriteria)", Location::new("", 0, 0));

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum In {
    Path,
    Query,
    /// OpenAPI 3.2: the whole query string, one value.
    QueryString,
    Header,
    Cookie,
}

/// How one operation parameter is sent: built with the location's OpenAPI defaults
/// (`Param::query` is `form`, exploded, optional), changed only where the description says
/// otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub location: In,
    pub style: Style,
    pub explode: bool,
    pub required: bool,
    /// The value as written in the document, for "has no value" errors.
    pub from: &'static str,
    /// A credential (in a security scheme's place, or `format: password`): kept out of errors.
    pub secret: bool,
}

impl Param {
    const fn at(location: In, name: &'static str, from: &'static str) -> Self {
        let (style, explode, required) = match location {
            In::Path => (Style::Simple, false, true),
            In::Header => (Style::Simple, false, false),
            In::Query | In::Cookie => (Style::Form, true, false),
            In::QueryString => (Style::Form, false, false),
        };
        Param {
            name,
            location,
            style,
            explode,
            required,
            from,
            secret: false,
        }
    }

    /// A path parameter (`simple`, not exploded, required).
    pub const fn path(name: &'static str, from: &'static str) -> Self {
        Self::at(In::Path, name, from)
    }

    /// A query parameter (`form`, exploded, optional).
    pub const fn query(name: &'static str, from: &'static str) -> Self {
        Self::at(In::Query, name, from)
    }

    /// The whole query string (OpenAPI 3.2 `in: querystring`) as a form
    /// (`application/x-www-form-urlencoded`): a string is sent as written, an object as its
    /// fields.
    pub const fn querystring(name: &'static str, from: &'static str) -> Self {
        Self::at(In::QueryString, name, from)
    }

    /// The whole query string in another media type (JSON, JSONPath, …): the value's text,
    /// percent-encoded whole.
    pub const fn querystring_encoded(name: &'static str, from: &'static str) -> Self {
        Self::at(In::QueryString, name, from).style(Style::Simple)
    }

    /// A header (`simple`, not exploded, optional).
    pub const fn header(name: &'static str, from: &'static str) -> Self {
        Self::at(In::Header, name, from)
    }

    /// A cookie (`form`, optional).
    pub const fn cookie(name: &'static str, from: &'static str) -> Self {
        Self::at(In::Cookie, name, from)
    }

    /// The value is a credential: it never appears in an error.
    pub const fn secret(mut self) -> Self {
        self.secret = true;
        self
    }

    /// A value must be sent: an absent one is an error, not an omission.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Another serialisation style than the location's default.
    pub const fn style(mut self, style: Style) -> Self {
        self.style = style;
        self
    }

    /// Explodes (or not) lists and objects, against the style's default.
    pub const fn explode(mut self, explode: bool) -> Self {
        self.explode = explode;
        self
    }
}

/// The HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// OpenAPI 3.2's `query`.
    Query,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
            HttpMethod::Query => "QUERY",
        }
    }

    /// The method as reqwest sends it; `None` only if the HTTP crate refused an extension
    /// method's name (it accepts every token, so never for these).
    pub(crate) fn to_reqwest(self) -> Option<reqwest::Method> {
        Some(match self {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Delete => reqwest::Method::DELETE,
            HttpMethod::Options => reqwest::Method::OPTIONS,
            HttpMethod::Head => reqwest::Method::HEAD,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Trace => reqwest::Method::TRACE,
            HttpMethod::Query => return reqwest::Method::from_bytes(b"QUERY").ok(),
        })
    }
}

/// What an action does, for the trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    End,
    Goto,
    Retry,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::End => "end",
            ActionKind::Goto => "goto",
            ActionKind::Retry => "retry",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_as_file_line_column() {
        let at = Location::new("flows/pets.arazzo.yaml", 12, 9);
        assert_eq!(at.to_string(), "flows/pets.arazzo.yaml:12:9");
        assert_eq!(ANY_2XX.at.to_string(), "");
    }

    #[test]
    fn parameters_start_from_their_location_s_openapi_defaults() {
        let q = Param::query("tags", "$inputs.tags");
        assert_eq!((q.style, q.explode, q.required), (Style::Form, true, false));
        let p = Param::path("id", "$inputs.id");
        assert_eq!(
            (p.style, p.explode, p.required),
            (Style::Simple, false, true)
        );
        let h = Param::header("X-Trace", "x").required().explode(true);
        assert_eq!(
            (h.style, h.explode, h.required),
            (Style::Simple, true, true)
        );
    }

    #[test]
    fn every_method_maps_to_its_token() {
        assert_eq!(
            HttpMethod::Query.to_reqwest().map(|m| m.to_string()),
            Some("QUERY".to_owned())
        );
        assert_eq!(HttpMethod::Patch.to_reqwest(), Some(reqwest::Method::PATCH));
    }
}

//! One operation call being built: its URL (path, query), headers, cookies, body and
//! credentials; `send.rs` sends it.

use reqwest::header::HeaderValue;
use serde_json::Value;

use super::exchange::RequestRecord;
use super::field::FieldValue;
use crate::auth::{Auth, Credential};
use crate::descriptor::{ContentType, HttpMethod, In, Param};
use crate::encode::{self, FieldEncoding, Style};
use crate::error::Error;
use crate::value::scalar_text;

pub(super) enum Body {
    Bytes {
        content_type: ContentType,
        bytes: Vec<u8>,
    },
    Multipart(reqwest::multipart::Form),
}

/// One operation call being built.
pub struct Call {
    pub(super) workflow: &'static str,
    pub(super) step: &'static str,
    pub(super) method: HttpMethod,
    /// The operation's path, `{name}` for each path parameter: what logs show.
    pub(super) template: &'static str,
    /// Path parameters, encoded: substituted into the template when the call is sent.
    pub(super) path: Vec<(&'static str, String)>,
    pub(super) cookies: Vec<(String, String)>,
    /// The encoded query string an `in: querystring` parameter gave.
    pub(super) query_text: Option<String>,
    pub(super) body: Option<Body>,
    pub(super) record: RequestRecord,
    /// Parameters that are credentials: `(location, name, value's text)`.
    pub(super) secrets: Vec<(In, &'static str, String)>,
}

/// A function per HTTP method that starts a call: `post(WORKFLOW, "createConversation",
/// "/v1/Conversations")`.
macro_rules! method_constructors {
    ($( $name:ident => $method:ident ),* $(,)?) => {
        /// Calls of operations by HTTP method.
        pub mod calls {
            use super::{Call, HttpMethod};
            $(
                #[doc = concat!("A `", stringify!($method), "` call of the operation at `template`.")]
                pub fn $name(workflow: &'static str, step: &'static str, template: &'static str) -> Call {
                    Call::new(workflow, step, HttpMethod::$method, template)
                }
            )*
        }
    };
}

method_constructors!(
    get => Get,
    put => Put,
    post => Post,
    delete => Delete,
    options => Options,
    head => Head,
    patch => Patch,
    trace => Trace,
    query => Query,
);

impl Call {
    /// A call of the operation at `template` (its OpenAPI path, `{name}` for parameters).
    pub fn new(
        workflow: &'static str,
        step: &'static str,
        method: HttpMethod,
        template: &'static str,
    ) -> Self {
        Call {
            workflow,
            step,
            method,
            template,
            path: Vec::new(),
            cookies: Vec::new(),
            query_text: None,
            body: None,
            record: RequestRecord::default(),
            secrets: Vec::new(),
        }
    }

    fn missing(&self, what: &'static str, param: &Param) -> Error {
        Error::MissingValue {
            workflow: self.workflow,
            step: self.step,
            what,
            name: param.name,
            expression: param.from,
        }
    }

    /// One parameter, encoded as its location and style say; an absent optional value is
    /// left out, an absent required one is an error. A path parameter's text (before
    /// percent-encoding: a string, as `$request.path.<name>` is typed) is kept for expressions.
    pub fn param(&mut self, param: Param, value: Option<Value>) -> Result<(), Error> {
        self.param_ref(param, value.as_ref())?;
        if param.location == In::Path {
            let text = match value {
                Some(Value::String(s)) => Some(s),
                other => other.and_then(|v| encode::simple(&v, param.explode)),
            };
            if let Some(text) = text {
                self.record.path.push((param.name, Value::String(text)));
            }
        }
        Ok(())
    }

    /// [`Call::param`] read where the value is, for steps whose expressions never read
    /// `$request.path`: nothing is copied.
    pub fn param_ref(&mut self, param: Param, value: Option<&Value>) -> Result<(), Error> {
        if param.secret
            && let Some(text) = value.and_then(scalar_text)
        {
            self.secrets.push((param.location, param.name, text));
        }
        match param.location {
            In::Path => self.path_param(&param, value),
            In::Query => self.query_param(&param, value),
            In::QueryString => self.querystring_param(&param, value),
            In::Header => self.header_param(&param, value),
            In::Cookie => self.cookie_param(&param, value),
        }
    }

    /// A path parameter: percent-encoded, so it can never add segments, a query or a fragment.
    fn path_param(&mut self, param: &Param, value: Option<&Value>) -> Result<(), Error> {
        let text = match value {
            Some(Value::String(s)) => std::borrow::Cow::Borrowed(s.as_str()),
            other => other
                .and_then(|v| encode::simple(v, param.explode))
                .map(std::borrow::Cow::Owned)
                .ok_or_else(|| self.missing("path parameter", param))?,
        };
        if text == "." || text == ".." {
            return Err(Error::PathValue {
                workflow: self.workflow,
                step: self.step,
                parameter: param.name,
                value: text.into_owned(),
            });
        }
        let encoded = match (value, param.style) {
            (Some(v), Style::Label | Style::Matrix) => {
                encode::path_styled(param.name, v, param.style, param.explode)
            }
            _ => encode::component_parts(&text).collect(),
        };
        self.path.push((param.name, encoded));
        Ok(())
    }

    fn query_param(&mut self, param: &Param, value: Option<&Value>) -> Result<(), Error> {
        match value.filter(|v| !v.is_null()) {
            Some(v) => {
                self.record.query.extend(encode::query_pairs(
                    param.name,
                    v,
                    param.style,
                    param.explode,
                ));
                Ok(())
            }
            None if param.required => Err(self.missing("query parameter", param)),
            None => Ok(()),
        }
    }

    /// The whole query string. A form is query-ready as written (only characters a URL cannot
    /// hold are encoded; values embedded in it were encoded as they were placed); any other
    /// media type is percent-encoded whole, so it is one opaque query.
    fn querystring_param(&mut self, param: &Param, value: Option<&Value>) -> Result<(), Error> {
        let Some(value) = value.filter(|v| !v.is_null()) else {
            return if param.required {
                Err(self.missing("query string", param))
            } else {
                Ok(())
            };
        };
        let text = match (value, param.style) {
            (Value::Object(_), Style::Form) => encode::form_body(value, &[]),
            (Value::String(s), Style::Form) => encode::query_ready(s),
            (Value::String(s), _) => encode::component(s),
            (other, Style::Form) => encode::query_ready(&other.to_string()),
            (other, _) => encode::component(&other.to_string()),
        };
        if param.style == Style::Form {
            self.record.query.extend(
                url::form_urlencoded::parse(text.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned())),
            );
        }
        self.query_text = Some(text);
        Ok(())
    }

    /// A header; a value with CR or LF is refused, never sent.
    fn header_param(&mut self, param: &Param, value: Option<&Value>) -> Result<(), Error> {
        let Some(text) = value.and_then(|v| encode::simple(v, param.explode)) else {
            return if param.required {
                Err(self.missing("header", param))
            } else {
                Ok(())
            };
        };
        self.raw_header(param.name, text)
    }

    pub(super) fn raw_header(&mut self, name: &str, text: String) -> Result<(), Error> {
        if text.contains(['\r', '\n']) {
            return Err(Error::InvalidHeader {
                workflow: self.workflow,
                step: self.step,
                header: name.to_owned(),
            });
        }
        self.record.headers.push((name.to_owned(), text));
        Ok(())
    }

    /// A cookie; a value that cannot be sent in a `Cookie` header is refused.
    fn cookie_param(&mut self, param: &Param, value: Option<&Value>) -> Result<(), Error> {
        let Some(text) = value.and_then(|v| encode::simple(v, false)) else {
            return if param.required {
                Err(self.missing("cookie", param))
            } else {
                Ok(())
            };
        };
        self.push_cookie(param.name, text)
    }

    pub(super) fn push_cookie(&mut self, name: &str, text: String) -> Result<(), Error> {
        let sendable = HeaderValue::from_str(&text).is_ok();
        if !sendable || text.contains(['\r', '\n', ';']) {
            return Err(Error::InvalidHeader {
                workflow: self.workflow,
                step: self.step,
                header: format!("Cookie {name}"),
            });
        }
        self.cookies.push((name.to_owned(), text));
        Ok(())
    }

    /// The credential a security scheme needs, or the error that names the scheme and the
    /// client method that sets it.
    pub fn credential<'c>(&self, credential: &'c Credential) -> Result<Auth<'c>, Error> {
        credential
            .auth()
            .ok_or_else(|| self.missing_credentials(&[credential]))
    }

    /// [`Call::credential`] of an OAuth 2 or OpenID Connect scheme, whose token is had for
    /// `scopes`.
    pub fn credential_scoped<'c>(
        &self,
        credential: &'c Credential,
        scopes: &'static [&'static str],
    ) -> Result<Auth<'c>, Error> {
        credential
            .auth_scoped(scopes)
            .ok_or_else(|| self.missing_credentials(&[credential]))
    }

    /// The error for a security requirement none of whose alternatives the client can fill:
    /// it names every scheme asked for, and the client method that sets each.
    pub fn missing_credentials(&self, credentials: &[&Credential]) -> Error {
        let first = credentials.first();
        Error::MissingCredentials {
            workflow: self.workflow,
            step: self.step,
            scheme: first.map_or("", |c| c.scheme()),
            setter: first.map_or("", |c| c.setter()),
            alternatives: credentials
                .iter()
                .skip(1)
                .map(|c| (c.scheme(), c.setter()))
                .collect(),
        }
    }

    /// A JSON body.
    pub fn json(&mut self, content_type: ContentType, body: Value) {
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        self.body = Some(Body::Bytes {
            content_type,
            bytes,
        });
        self.record.body = Some(body);
    }

    /// An `application/x-www-form-urlencoded` body.
    pub fn form(
        &mut self,
        content_type: ContentType,
        body: Value,
        encodings: &[(&str, FieldEncoding)],
    ) {
        let text = encode::form_body(&body, encodings);
        self.body = Some(Body::Bytes {
            content_type,
            bytes: text.into_bytes(),
        });
        self.record.body = Some(body);
    }

    /// An `application/x-www-form-urlencoded` body given as its fields, read where they are
    /// (each in OpenAPI's default encoding): for steps whose expressions never read
    /// `$request.body`, which is then not kept.
    pub fn form_fields(&mut self, content_type: ContentType, fields: &[(&str, &dyn FieldValue)]) {
        self.form_fields_encoded(content_type, fields, &[]);
    }

    /// [`Self::form_fields`], with the `encoding` the operation gives some fields.
    pub fn form_fields_encoded(
        &mut self,
        content_type: ContentType,
        fields: &[(&str, &dyn FieldValue)],
        encodings: &[(&str, FieldEncoding)],
    ) {
        self.body = Some(Body::Bytes {
            content_type,
            bytes: super::field::form_fields(fields, encodings).into_bytes(),
        });
    }

    /// A text body: a string as it is, other values as JSON text.
    pub fn text(&mut self, content_type: ContentType, body: Value) {
        let text = match &body {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        self.body = Some(Body::Bytes {
            content_type,
            bytes: text.into_bytes(),
        });
        self.record.body = Some(body);
    }

    /// A `multipart/form-data` body: one text part per field (lists repeat the field; objects
    /// are sent as JSON parts).
    pub fn multipart(&mut self, body: Value) {
        let mut form = reqwest::multipart::Form::new();
        if let Value::Object(map) = &body {
            for (key, value) in map {
                let items: Vec<&Value> = match value {
                    Value::Array(items) => items.iter().collect(),
                    other => vec![other],
                };
                for item in items {
                    form = match item {
                        Value::Null => form,
                        Value::Object(_) | Value::Array(_) => {
                            let part = reqwest::multipart::Part::text(item.to_string());
                            let part = part.mime_str("application/json").unwrap_or_else(|_| {
                                reqwest::multipart::Part::text(item.to_string())
                            });
                            form.part(key.clone(), part)
                        }
                        scalar => form.text(key.clone(), scalar_text(scalar).unwrap_or_default()),
                    };
                }
            }
        }
        self.body = Some(Body::Multipart(form));
        self.record.body = Some(body);
    }
}

impl Call {
    /// Appends the template with each `{name}` replaced by its encoded value. Every path
    /// parameter is required, so a name without a value is an error (checked at build time:
    /// never expected).
    pub(super) fn expand_path(&self, path: &mut String) -> Result<(), Error> {
        let mut rest: &'static str = self.template;
        while let Some((before, after)) = rest.split_once('{') {
            let Some((name, tail)) = after.split_once('}') else {
                break;
            };
            path.push_str(before);
            let Some((_, value)) = self.path.iter().find(|(n, _)| *n == name) else {
                return Err(Error::MissingValue {
                    workflow: self.workflow,
                    step: self.step,
                    what: "path parameter",
                    name,
                    expression: "",
                });
            };
            path.push_str(value);
            rest = tail;
        }
        path.push_str(rest);
        Ok(())
    }
}

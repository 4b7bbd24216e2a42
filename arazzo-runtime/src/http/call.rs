//! One operation call being built: parameters, body, credentials; then sent.

use std::pin::Pin;
use std::sync::OnceLock;

use reqwest::header::{HeaderName, HeaderValue};
use serde_json::Value;
use tracing::Instrument;

use super::SharedHook;
use super::exchange::{Exchange, RequestRecord};
use super::field::FieldValue;
use crate::auth::{Auth, Credential, KeyLocation, Secret};
use crate::client::ClientSettings;
use crate::descriptor::{ContentType, HttpMethod, In, Param, Timeout};
use crate::encode::{self, FieldEncoding, Style};
use crate::error::Error;
use crate::limits::{Limits, millis};
use crate::redact::Redactions;
use crate::value::scalar_text;

enum Body {
    Bytes {
        content_type: ContentType,
        bytes: Vec<u8>,
    },
    Multipart(reqwest::multipart::Form),
}

/// One operation call being built.
pub struct Call {
    workflow: &'static str,
    step: &'static str,
    method: HttpMethod,
    /// The operation's path, `{name}` for each path parameter: what logs show.
    template: &'static str,
    /// Path parameters, encoded: substituted into the template when the call is sent.
    path: Vec<(&'static str, String)>,
    cookies: Vec<(String, String)>,
    /// The encoded query string an `in: querystring` parameter gave.
    query_text: Option<String>,
    body: Option<Body>,
    record: RequestRecord,
    /// Parameters that are credentials: `(location, name, value's text)`.
    secrets: Vec<(In, &'static str, String)>,
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

    fn raw_header(&mut self, name: &str, text: String) -> Result<(), Error> {
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

    fn push_cookie(&mut self, name: &str, text: String) -> Result<(), Error> {
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

    /// Sends the call to `base` (a source's base URL) with the credentials of one security
    /// requirement, and reads the whole response, within the client's limits.
    ///
    /// The request is built before the future is, and the future is boxed: what waits on the
    /// network (timers, redirects, the streamed body: kilobytes) is allocated once instead of
    /// being moved through every async layer of the step and the workflow (BENCHMARKS.md).
    pub fn send<'h>(
        self,
        settings: &'h ClientSettings,
        base: &str,
        auth: &[Auth<'_>],
    ) -> BoxedExchange<'h> {
        #[cfg(feature = "restate")]
        if let Some(journal) = &settings.journal {
            let (workflow, step) = (self.workflow, self.step);
            let parts = self.journal_parts(auth);
            let plain = self.send_plain(settings, base, auth);
            return crate::durable::journaled(
                journal.clone(),
                (workflow, step),
                parts,
                None,
                plain,
            );
        }
        self.send_plain(settings, base, auth)
    }

    /// What a durable run's journal does not keep of a call and makes again on replay: the
    /// record of its request, and the credentials to keep out of errors.
    #[cfg(feature = "restate")]
    fn journal_parts(&self, auth: &[Auth<'_>]) -> (RequestRecord, Redactions) {
        (
            self.record.clone(),
            Redactions::of(auth).with_parameters(&self.secrets),
        )
    }

    /// [`Call::send`] outside a durable run, within the client's time limit for a request.
    fn send_plain<'h>(
        self,
        settings: &'h ClientSettings,
        base: &str,
        auth: &[Auth<'_>],
    ) -> BoxedExchange<'h> {
        let deadline = settings
            .limits
            .request_timeout
            .map(|limit| Deadline::after(limit, "the request"));
        Box::pin(self.exchange(settings, base, auth, deadline))
    }

    /// [`Call::send`] within a step's `timeout`, which replaces the client's request time
    /// limit: an attempt that takes longer (response and body) gives the stand-in exchange
    /// [`Exchange::timed_out`], which failure actions see.
    pub fn send_within<'h>(
        self,
        limit: Timeout,
        settings: &'h ClientSettings,
        base: &str,
        auth: &[Auth<'_>],
    ) -> Pin<Box<dyn Future<Output = Result<Exchange, Error>> + Send + 'h>> {
        let (workflow, step) = (self.workflow, self.step);
        #[cfg(feature = "restate")]
        let journaled = settings
            .journal
            .as_ref()
            .map(|journal| (journal.clone(), self.journal_parts(auth)));
        let exchange = self.exchange(settings, base, auth, None);
        let plain = Box::pin(async move {
            match tokio::time::timeout(limit.duration(), exchange).await {
                Ok(result) => result,
                Err(_) => Ok(Exchange::timed_out(workflow, step, limit)),
            }
        });
        #[cfg(feature = "restate")]
        if let Some((journal, parts)) = journaled {
            return crate::durable::journaled(journal, (workflow, step), parts, Some(limit), plain);
        }
        plain
    }

    /// [`Call::send`], or [`Call::send_within`] with a step's `timeout`, for operations whose
    /// security includes OAuth 2 or OpenID Connect: their tokens are had first (kept, fetched
    /// or refreshed by the scheme's source), and a 401 to a request that carried one is taken
    /// as the token refused: a new one is had and the request sent once more (unless its
    /// body is a multipart stream, which cannot be sent twice).
    pub fn send_authorized<'a>(
        self,
        within: Option<Timeout>,
        settings: &'a ClientSettings,
        base: &'a str,
        auth: &'a [Auth<'a>],
    ) -> Pin<Box<dyn Future<Output = Result<Exchange, Error>> + Send + 'a>> {
        Box::pin(async move {
            let again = self.try_clone();
            let (workflow, step) = (self.workflow, self.step);
            let tokens = oauth_tokens(workflow, step, settings, auth, &[]).await?;
            let sent = with_tokens(auth, &tokens);
            let exchange = self
                .send_maybe_within(within, settings, base, &sent)
                .await?;
            match again {
                Some(again) if exchange.status == 401 && tokens.iter().any(Option::is_some) => {
                    let tokens = oauth_tokens(workflow, step, settings, auth, &tokens).await?;
                    let sent = with_tokens(auth, &tokens);
                    again.send_maybe_within(within, settings, base, &sent).await
                }
                _ => Ok(exchange),
            }
        })
    }

    /// [`Call::send_within`] when a step has a `timeout`, else [`Call::send`].
    fn send_maybe_within<'h>(
        self,
        within: Option<Timeout>,
        settings: &'h ClientSettings,
        base: &str,
        auth: &[Auth<'_>],
    ) -> Pin<Box<dyn Future<Output = Result<Exchange, Error>> + Send + 'h>> {
        match within {
            Some(limit) => self.send_within(limit, settings, base, auth),
            None => self.send(settings, base, auth),
        }
    }

    /// A copy to send again; `None` for a multipart body, a stream read once.
    fn try_clone(&self) -> Option<Call> {
        let body = match &self.body {
            None => None,
            Some(Body::Bytes {
                content_type,
                bytes,
            }) => Some(Body::Bytes {
                content_type: *content_type,
                bytes: bytes.clone(),
            }),
            Some(Body::Multipart(_)) => return None,
        };
        Some(Call {
            workflow: self.workflow,
            step: self.step,
            method: self.method,
            template: self.template,
            path: self.path.clone(),
            cookies: self.cookies.clone(),
            query_text: self.query_text.clone(),
            body,
            record: self.record.clone(),
            secrets: self.secrets.clone(),
        })
    }

    /// The request sent and its response read, by `deadline` if there is one. The deadline is
    /// checked at each wait (the response, each part of the body) rather than by a timer
    /// around the whole, which would be one more layer for this future (2.4 KB) to be moved
    /// through (BENCHMARKS.md).
    fn exchange<'h>(
        self,
        settings: &'h ClientSettings,
        base: &str,
        auth: &[Auth<'_>],
        deadline: Option<Deadline>,
    ) -> impl Future<Output = Result<Exchange, Error>> + Send + use<'h> {
        let limits = settings.limits;
        let tls = auth.iter().find_map(|a| match a {
            Auth::Tls(client) => Some(*client),
            _ => None,
        });
        let (http, follows) = match tls {
            // Cloned (a pointer): the future outlives the credential it was borrowed from.
            Some(tls) => (
                std::borrow::Cow::Owned(tls.get(limits.connect_timeout).clone()),
                tls.is_built(),
            ),
            // The default client follows no redirect itself: each is followed here, where the
            // credentials are known (see `follow`).
            None => (
                std::borrow::Cow::Borrowed(settings.http.get()),
                settings.http.is_default(),
            ),
        };
        let mut credential_names = credential_names(auth);
        credential_names.extend(self.secrets.iter().filter_map(|(at, name, _)| match at {
            In::Header => Some((KeyLocation::Header, *name)),
            In::Query => Some((KeyLocation::Query, *name)),
            In::Path | In::QueryString | In::Cookie => None,
        }));
        // One span around the whole exchange: entered at each poll, the response's and the
        // body's waits alike.
        let span = tracing::info_span!(
            "arazzo.request",
            workflow = self.workflow,
            step = self.step,
            method = self.method.as_str(),
            path = %self.template,
            status = tracing::field::Empty,
        );
        let prepared = self.prepare(&http, base, auth, settings.request_hook.as_ref(), &span);
        let exchange = async move {
            let (request, sent) = prepared?;
            let transport = |source: reqwest::Error| match limits.connect_timeout {
                Some(limit) if source.is_connect() && source.is_timeout() => Error::TimeLimit {
                    workflow: sent.workflow,
                    step: sent.step,
                    what: "connecting",
                    limit_ms: millis(limit),
                },
                _ => Error::Transport {
                    workflow: sent.workflow,
                    step: sent.step,
                    source: sent.redactions.error(source),
                },
            };
            let origin = follows.then(|| request.url().origin());
            let mut request = request;
            let mut hops = 0;
            let mut response = loop {
                let again = origin
                    .as_ref()
                    .and_then(|o| Some((request.try_clone()?, o)));
                let response = by(deadline, &sent, http.execute(request))
                    .await?
                    .map_err(transport)?;
                match again.and_then(|(next, o)| follow(&response, next, o, &credential_names)) {
                    Some(next) if hops < MAX_REDIRECTS => {
                        hops += 1;
                        request = next;
                    }
                    _ => break response,
                }
            };
            let status = response.status().as_u16();
            sent.span.record("status", status);
            let headers = std::mem::take(response.headers_mut());
            let body = read_body(&mut response, &limits, deadline, &sent).await?;
            Ok(Exchange {
                workflow: sent.workflow,
                step: sent.step,
                status,
                url: sent.url,
                method: Some(sent.method),
                headers,
                body,
                json: OnceLock::new(),
                request: sent.record,
                timed_out: None,
                redactions: sent.redactions,
            })
        };
        exchange.instrument(span)
    }

    /// The request to send, and what the exchange keeps of the call.
    fn prepare(
        mut self,
        http: &reqwest::Client,
        base: &str,
        auth: &[Auth<'_>],
        hook: Option<&SharedHook>,
        span: &tracing::Span,
    ) -> Result<(reqwest::Request, Sent), Error> {
        let mut query = self.record.query.clone();
        for a in auth {
            match a {
                Auth::Basic(_) | Auth::Bearer(_) | Auth::OAuth { .. } | Auth::Tls(_) => {}
                Auth::ApiKey {
                    location: KeyLocation::Header,
                    name,
                    key,
                } => self.raw_header(name, key.expose().to_owned())?,
                Auth::ApiKey {
                    location: KeyLocation::Query,
                    name,
                    key,
                } => query.push(((*name).to_owned(), key.expose().to_owned())),
                Auth::ApiKey {
                    location: KeyLocation::Cookie,
                    name,
                    key,
                } => self.push_cookie(name, key.expose().to_owned())?,
            }
        }
        let base = base.trim_end_matches('/');
        let mut url = String::with_capacity(base.len() + self.template.len() + 32);
        url.push_str(base);
        self.expand_path(&mut url)?;
        match &self.query_text {
            // OpenAPI forbids `query` parameters beside a `querystring` one: what `query`
            // holds here is what the query string already says, plus API keys.
            Some(text) => {
                url.push('?');
                url.push_str(text);
                let keys = query.get(self.record.query.len()..).unwrap_or_default();
                if !keys.is_empty() {
                    url.push('&');
                    url.push_str(&encode::query_string(keys));
                }
            }
            None if !query.is_empty() => {
                url.push('?');
                url.push_str(&encode::query_string(&query));
            }
            None => {}
        }
        let redactions = Redactions::of(auth).with_parameters(&self.secrets);
        let transport = |source| Error::Transport {
            workflow: self.workflow,
            step: self.step,
            source: redactions.error(source),
        };
        let method = self.method.to_reqwest().ok_or_else(|| Error::Body {
            workflow: self.workflow,
            step: self.step,
            reason: format!(
                "the HTTP client cannot send method {}",
                self.method.as_str()
            ),
        })?;
        let invalid = |header: &str| Error::InvalidHeader {
            workflow: self.workflow,
            step: self.step,
            header: header.to_owned(),
        };
        // The builder only parses the URL (and streams a multipart body); the rest is put on
        // the request itself, where no builder is moved from call to call.
        let mut builder = http.request(method.clone(), &url);
        let body = match self.body.take() {
            Some(Body::Multipart(form)) => {
                builder = builder.multipart(form);
                None
            }
            Some(Body::Bytes {
                content_type,
                bytes,
            }) => {
                // Checked when the `ContentType` was made: a bad one is an error, not a panic.
                if !content_type.sendable {
                    return Err(invalid("Content-Type"));
                }
                Some((HeaderValue::from_static(content_type.text), bytes))
            }
            None => None,
        };
        let mut request = builder.build().map_err(transport)?;
        let headers = request.headers_mut();
        for (name, text) in &self.record.headers {
            let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(text),
            ) else {
                return Err(invalid(name));
            };
            headers.append(name, value);
        }
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            let value = HeaderValue::from_str(&cookie).map_err(|_| invalid("Cookie"))?;
            headers.append(reqwest::header::COOKIE, value);
        }
        for a in auth {
            match a {
                // Encoded once, when the credential was given.
                Auth::Basic(basic) => {
                    headers.append(reqwest::header::AUTHORIZATION, basic.header().clone());
                }
                Auth::Bearer(token) => {
                    let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose()))
                        .map_err(|_| invalid("Authorization"))?;
                    value.set_sensitive(true);
                    headers.append(reqwest::header::AUTHORIZATION, value);
                }
                Auth::ApiKey { .. } | Auth::OAuth { .. } | Auth::Tls(_) => {}
            }
        }
        if let Some((content_type, bytes)) = body {
            headers.append(reqwest::header::CONTENT_TYPE, content_type);
            *request.body_mut() = Some(bytes.into());
        }
        let redactions = match hook {
            Some(SharedHook(hook)) => {
                hook(&mut request);
                // `$url` is what was sent, hook included.
                url = request.url().to_string();
                // A hook may add credentials of its own; the schemes' are known already.
                redactions.with_headers(&request)
            }
            None => redactions,
        };
        Ok((
            request,
            Sent {
                workflow: self.workflow,
                step: self.step,
                method,
                url,
                record: self.record,
                span: span.clone(),
                redactions,
            },
        ))
    }
}

impl Call {
    /// Appends the template with each `{name}` replaced by its encoded value. Every path
    /// parameter is required, so a name without a value is an error (checked at build time:
    /// never expected).
    fn expand_path(&self, path: &mut String) -> Result<(), Error> {
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

/// What an exchange keeps of a call once its request is built.
struct Sent {
    workflow: &'static str,
    step: &'static str,
    method: reqwest::Method,
    url: String,
    record: RequestRecord,
    span: tracing::Span,
    /// The credentials the request carried, kept out of errors.
    redactions: Redactions,
}

/// The response body, read as it arrives: never more than the limit, and never waiting longer
/// than the read-stall bound for the next bytes.
async fn read_body(
    response: &mut reqwest::Response,
    limits: &Limits,
    deadline: Option<Deadline>,
    sent: &Sent,
) -> Result<Vec<u8>, Error> {
    let (workflow, step) = (sent.workflow, sent.step);
    let declared = response.content_length();
    let too_large = |limit_bytes| Error::BodyTooLarge {
        workflow,
        step,
        limit_bytes,
        content_length: declared,
    };
    if let (Some(limit), Some(length)) = (limits.max_body_bytes, declared)
        && length > limit
    {
        return Err(too_large(limit));
    }
    let capacity = declared.map_or(0, |n| usize::try_from(n).unwrap_or(0).min(1 << 20));
    let mut body = Vec::with_capacity(capacity);
    loop {
        let mut next = std::pin::pin!(response.chunk());
        // Bytes that have already arrived need no timer: one is set only to wait for more.
        let ready = std::future::poll_fn(|cx| std::task::Poll::Ready(next.as_mut().poll(cx))).await;
        let chunk = match ready {
            std::task::Poll::Ready(chunk) => chunk,
            std::task::Poll::Pending => {
                let stall = limits
                    .read_stall
                    .map(|limit| Deadline::after(limit, "a silence in the response"));
                let first = match (stall, deadline) {
                    (Some(s), Some(d)) => Some(if s.at <= d.at { s } else { d }),
                    (s, d) => s.or(d),
                };
                by(first, sent, next).await?
            }
        };
        let chunk = chunk.map_err(|source| Error::Transport {
            workflow,
            step,
            source: sent.redactions.error(source),
        })?;
        let Some(chunk) = chunk else {
            return Ok(body);
        };
        if let Some(limit) = limits.max_body_bytes
            && (body.len() as u64).saturating_add(chunk.len() as u64) > limit
        {
            return Err(too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
}

/// The token of each OAuth credential of `auth` (`None` for the others); `refused`: the
/// tokens a server just refused, which are replaced.
async fn oauth_tokens(
    workflow: &'static str,
    step: &'static str,
    settings: &ClientSettings,
    auth: &[Auth<'_>],
    refused: &[Option<Secret>],
) -> Result<Vec<Option<Secret>>, Error> {
    let mut tokens = Vec::with_capacity(auth.len());
    for (i, a) in auth.iter().enumerate() {
        let Auth::OAuth { source, scopes } = a else {
            tokens.push(None);
            continue;
        };
        let stale = refused.get(i).and_then(Option::as_ref);
        let token = source
            .token(settings.http.get(), &settings.limits, scopes, stale)
            .await
            .map_err(|f| Error::Token {
                workflow,
                step,
                scheme: source.scheme,
                endpoint: f.endpoint,
                code: f.code,
                reason: f.reason,
            })?;
        tokens.push(Some(token));
    }
    Ok(tokens)
}

/// `auth` with each OAuth credential replaced by its token.
fn with_tokens<'a>(auth: &[Auth<'a>], tokens: &'a [Option<Secret>]) -> Vec<Auth<'a>> {
    auth.iter()
        .zip(tokens)
        .map(|(a, t)| t.as_ref().map_or(*a, Auth::Bearer))
        .collect()
}

/// Redirects followed for one request, as reqwest's own policy does by default.
const MAX_REDIRECTS: usize = 10;

/// The names under which a request's API keys travel: headers and query parameters.
fn credential_names(auth: &[Auth<'_>]) -> Vec<(KeyLocation, &'static str)> {
    auth.iter()
        .filter_map(|a| match a {
            Auth::ApiKey { location, name, .. } => Some((*location, *name)),
            Auth::Basic(_) | Auth::Bearer(_) | Auth::OAuth { .. } | Auth::Tls(_) => None,
        })
        .collect()
}

/// The request a redirect asks for, if `response` is one: to its `Location`, with the method
/// and body that status keeps (`303`, and `301`/`302` after a POST, become a GET without a
/// body). A request to another origin than the first carries no credential: no
/// `Authorization`, `Proxy-Authorization` or `Cookie`, no API key header or query parameter.
fn follow(
    response: &reqwest::Response,
    mut next: reqwest::Request,
    origin: &url::Origin,
    credentials: &[(KeyLocation, &'static str)],
) -> Option<reqwest::Request> {
    let status = response.status().as_u16();
    if !matches!(status, 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)?
        .to_str()
        .ok()?;
    let target = response.url().join(location).ok()?;
    if !matches!(target.scheme(), "http" | "https") {
        return None;
    }
    let to_get =
        status == 303 || (matches!(status, 301 | 302) && next.method() == reqwest::Method::POST);
    if to_get {
        *next.method_mut() = reqwest::Method::GET;
        *next.body_mut() = None;
        next.headers_mut().remove(reqwest::header::CONTENT_TYPE);
        next.headers_mut().remove(reqwest::header::CONTENT_LENGTH);
    }
    *next.url_mut() = target;
    if next.url().origin() != *origin {
        let headers = next.headers_mut();
        for name in [
            reqwest::header::AUTHORIZATION,
            reqwest::header::PROXY_AUTHORIZATION,
            reqwest::header::COOKIE,
        ] {
            headers.remove(name);
        }
        for (location, name) in credentials {
            if matches!(location, KeyLocation::Header) {
                headers.remove(*name);
            }
        }
        let keys: Vec<&str> = credentials
            .iter()
            .filter(|(l, _)| matches!(l, KeyLocation::Query))
            .map(|(_, n)| *n)
            .collect();
        if !keys.is_empty() && next.url().query().is_some() {
            let kept: Vec<(String, String)> = next
                .url()
                .query_pairs()
                .filter(|(k, _)| !keys.contains(&k.as_ref()))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let url = next.url_mut();
            url.set_query(None);
            if !kept.is_empty() {
                url.query_pairs_mut().extend_pairs(kept);
            }
        }
    }
    Some(next)
}

pub(crate) type BoxedExchange<'h> =
    Pin<Box<dyn Future<Output = Result<Exchange, Error>> + Send + 'h>>;

/// When a wait must be over, and what the limit bounds (for its error).
#[derive(Clone, Copy)]
struct Deadline {
    at: tokio::time::Instant,
    limit: std::time::Duration,
    what: &'static str,
}

impl Deadline {
    fn after(limit: std::time::Duration, what: &'static str) -> Self {
        Deadline {
            at: tokio::time::Instant::now() + limit,
            limit,
            what,
        }
    }
}

/// `future`'s output, or the error of a deadline it missed. A future that is ready at once
/// sets no timer.
async fn by<F: Future>(
    deadline: Option<Deadline>,
    sent: &Sent,
    future: F,
) -> Result<F::Output, Error> {
    match deadline {
        Some(d) => tokio::time::timeout_at(d.at, future)
            .await
            .map_err(|_| Error::TimeLimit {
                workflow: sent.workflow,
                step: sent.step,
                what: d.what,
                limit_ms: millis(d.limit),
            }),
        None => Ok(future.await),
    }
}

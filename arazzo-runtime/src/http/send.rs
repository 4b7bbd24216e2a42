//! Sending a call: its request built once, credentials (OAuth tokens fetched, a refused one
//! replaced once), the exchange boxed and bounded by the client's deadlines, redirects followed
//! (`redirect.rs`), and the response read whole into an [`Exchange`].

use std::pin::Pin;
use std::sync::OnceLock;

use reqwest::header::{HeaderName, HeaderValue};
use tracing::Instrument;

use super::SharedHook;
use super::call::{Body, Call};
use super::exchange::{Exchange, RequestRecord};
use super::redirect::{MAX_REDIRECTS, follow};
use crate::auth::{Auth, KeyLocation, Secret};
use crate::client::ClientSettings;
use crate::descriptor::{In, Timeout};
use crate::encode;
use crate::error::Error;
use crate::limits::{Limits, millis};
use crate::redact::Redactions;

impl Call {
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

/// The names under which a request's API keys travel: headers and query parameters.
fn credential_names(auth: &[Auth<'_>]) -> Vec<(KeyLocation, &'static str)> {
    auth.iter()
        .filter_map(|a| match a {
            Auth::ApiKey { location, name, .. } => Some((*location, *name)),
            Auth::Basic(_) | Auth::Bearer(_) | Auth::OAuth { .. } | Auth::Tls(_) => None,
        })
        .collect()
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

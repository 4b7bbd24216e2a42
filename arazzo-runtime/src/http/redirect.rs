//! Redirects, followed by hand so that a request to another origin carries no credential.

use crate::auth::KeyLocation;

/// Redirects followed for one request, as reqwest's own policy does by default.
pub(super) const MAX_REDIRECTS: usize = 10;

/// The request a redirect asks for, if `response` is one: to its `Location`, with the method
/// and body that status keeps (`303`, and `301`/`302` after a POST, become a GET without a
/// body). A request to another origin than the first carries no credential: no
/// `Authorization`, `Proxy-Authorization` or `Cookie`, no API key header or query parameter.
pub(super) fn follow(
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

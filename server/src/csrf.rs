//! Cross-site request forgery guard for everything that cookies authenticate (pages and
//! server functions; the bearer-key API needs none). A state-changing request is refused when
//! the browser says it comes from another site: Sec-Fetch-Site, else Origin, else Referer.

use crate::api::error::ApiError;
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

/// True when the request may change state on behalf of the cookie's owner.
pub fn same_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let get = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get(header::HeaderName::from_static("sec-fetch-site")) {
        return site == "same-origin" || site == "none";
    }
    let Some(host) = get(header::HOST) else { return false };
    match get(header::ORIGIN).or_else(|| get(header::REFERER)) {
        Some(origin) => host_of(origin) == Some(host),
        // Neither header: not a browser (browsers send Origin on cross-site POSTs).
        None => true,
    }
}

pub async fn guard(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    // The bearer-key surfaces need no CSRF guard (/mcp checks Origin itself, more strictly);
    // Stripe's webhook is vouched for by its signature.
    if path.starts_with("/api/")
        || path.starts_with("/stripe/webhook")
        || path == "/mcp"
        || path.starts_with("/mcp/")
        || same_site(request.method(), request.headers())
    {
        return next.run(request).await;
    }
    ApiError::new(StatusCode::FORBIDDEN, "cross-site request refused", None).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn cross_site_posts_are_refused() {
        let post = Method::POST;
        assert!(same_site(&post, &headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_site(&post, &headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_site(&post, &headers(&[("sec-fetch-site", "same-site")])));
        assert!(same_site(&post, &headers(&[("host", "a.test:3000"), ("origin", "http://a.test:3000")])));
        assert!(!same_site(&post, &headers(&[("host", "a.test:3000"), ("origin", "https://evil.test")])));
        assert!(!same_site(&post, &headers(&[("host", "a.test"), ("referer", "https://evil.test/a.test")])));
        assert!(same_site(&Method::GET, &headers(&[("sec-fetch-site", "cross-site")])));
    }
}

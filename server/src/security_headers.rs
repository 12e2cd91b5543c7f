//! Headers every response carries. Pages get their Content-Security-Policy from the app shell
//! (it knows the nonce Leptos puts on its scripts); any other HTML gets a strict one here.
//! The share link's URL is the recipient's credential: /i/ pages send no Referer at all (their
//! forms find their way back without one, see app/src/api/shared.rs); other pages send it only
//! to this site.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Whether PUBLIC_URL is https (then browsers are told to stay on https).
#[derive(Debug, Clone, Copy, Default)]
pub struct HeaderPolicy {
    pub https: bool,
}

const STATIC_CSP: &str =
    "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

fn set(headers: &mut HeaderMap, name: header::HeaderName, value: &'static str) {
    headers.insert(name, HeaderValue::from_static(value));
}

pub async fn layer(State(policy): State<HeaderPolicy>, request: Request, next: Next) -> Response {
    let shared_link = request.uri().path().starts_with("/i/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, if shared_link { "no-referrer" } else { "same-origin" });
    let html =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if html {
        set(headers, header::X_FRAME_OPTIONS, "DENY");
        if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
            set(headers, header::CONTENT_SECURITY_POLICY, STATIC_CSP);
        }
    }
    if policy.https {
        set(headers, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    response
}

//! Sender pages need a session: a visitor without one is sent to sign in, and comes back.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

const SENDER_PAGES: &[&str] = &["/invoices", "/customers", "/profile", "/keys", "/webhooks"];

fn is_sender_page(path: &str) -> bool {
    SENDER_PAGES.iter().any(|p| path == *p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/')))
}

fn session_cookie<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers()
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_sender_page(request.uri().path()) {
        return next.run(request).await;
    }
    let name = if state.web.secure_cookies { "__Host-ji_session" } else { "ji_session" };
    let signed_in = match session_cookie(&request, name) {
        Some(secret) => matches!(data::sessions::resolve(&state.store, secret).await, Ok(Some(_))),
        None => false,
    };
    if signed_in {
        return next.run(request).await;
    }
    let here = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/invoices");
    let next_param: String = here
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    Redirect::to(&format!("/signin?next={next_param}")).into_response()
}

#[cfg(test)]
mod tests {
    use super::is_sender_page;

    #[test]
    fn sender_pages_are_recognised() {
        for p in ["/invoices", "/invoices/ACME-0001/edit", "/customers", "/profile", "/keys"] {
            assert!(is_sender_page(p), "{p}");
        }
        for p in ["/", "/signin", "/i/abc", "/invoicesx", "/new"] {
            assert!(!is_sender_page(p), "{p}");
        }
    }
}

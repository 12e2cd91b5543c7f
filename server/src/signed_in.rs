//! Sender pages need a session: a visitor without one is sent to sign in, and comes back.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

const SENDER_PAGES: &[&str] =
    &["/invoices", "/customers", "/profile", "/keys", "/webhooks", "/recurring", "/reminders"];

fn is_sender_page(path: &str) -> bool {
    SENDER_PAGES.iter().any(|p| path == *p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/')))
}

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_sender_page(request.uri().path()) {
        return next.run(request).await;
    }
    let name = app::server::session::cookie_name(state.web.secure_cookies);
    let signed_in = match app::server::cookies::read(request.headers(), name) {
        Some(secret) => matches!(data::sessions::resolve(&state.store, &secret).await, Ok(Some(_))),
        None => false,
    };
    if signed_in {
        return next.run(request).await;
    }
    let here = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/invoices");
    let query = url::form_urlencoded::Serializer::new(String::new()).append_pair("next", here).finish();
    Redirect::to(&format!("/signin?{query}")).into_response()
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

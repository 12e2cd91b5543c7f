//! The `ji_anon_session` cookie: the browser's anonymous session (invoices made at /new or
//! through the API without a key), claimed at sign-in. HttpOnly, SameSite=Lax, Secure on https.

use super::cookies;
use http::HeaderValue;

pub const NAME: &str = "ji_anon_session";

/// The Set-Cookie value that keeps `secret` for the session's lifetime.
pub fn header(secret: &str, secure: bool) -> Option<HeaderValue> {
    cookies::set(NAME, secret, data::anonymous::LIFETIME.num_seconds(), secure)
}

/// The Set-Cookie value that removes it.
pub fn clear(secure: bool) -> Option<HeaderValue> {
    cookies::set(NAME, "", 0, secure)
}

/// The browser's anonymous session secret, if it sent one.
pub fn read() -> Option<String> {
    cookies::read(&super::request_parts()?.headers, NAME)
}

/// Keeps (a secret) or removes (None) the cookie with this server function's response.
pub fn send(secret: Option<&str>) {
    let secure = super::settings().secure_cookies;
    let value = match secret {
        Some(secret) => header(secret, secure),
        None => clear(secure),
    };
    if let (Some(response), Some(value)) = (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), value) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

//! The signed-in sender of a request, from the session cookie.

use super::{cookies, request_parts, settings, store};
use crate::error::AppError;
use data::senders::Sender;
use data::sessions::{self, Session};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// The session cookie's name: `__Host-` on https, where the browser then insists on Secure,
/// Path=/ and no Domain.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-ji_session" } else { "ji_session" }
}

/// The session id the browser sent, if any.
pub fn cookie_secret() -> Option<String> {
    cookies::read(&request_parts()?.headers, cookie_name(settings().secure_cookies))
}

pub async fn current() -> Result<Option<(Session, Sender)>, AppError> {
    let Some(secret) = cookie_secret() else { return Ok(None) };
    Ok(sessions::resolve(&store()?, &secret).await?)
}

/// The signed-in sender, or Unauthorized.
pub async fn require() -> Result<(Session, Sender), AppError> {
    current().await?.ok_or_else(AppError::unauthorized)
}

fn set_cookie(value: &str, max_age_secs: i64) {
    let secure = settings().secure_cookies;
    let header = cookies::set(cookie_name(secure), value, max_age_secs, secure);
    if let (Some(response), Some(header)) = (use_context::<ResponseOptions>(), header) {
        response.append_header(http::header::SET_COOKIE, header);
    }
}

pub fn set_session_cookie(secret: &str) {
    set_cookie(secret, sessions::ABSOLUTE_TIMEOUT.num_seconds());
}

pub fn clear_session_cookie() {
    set_cookie("", 0);
}

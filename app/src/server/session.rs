//! The signed-in sender of a request, from the session cookie.

use super::{request_parts, settings, store};
use crate::error::AppError;
use data::senders::Sender;
use data::sessions::{self, Session};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

pub fn cookie_name() -> &'static str {
    if settings().secure_cookies { "__Host-ji_session" } else { "ji_session" }
}

/// The session id the browser sent, if any.
pub fn cookie_secret() -> Option<String> {
    let parts = request_parts()?;
    let name = cookie_name();
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
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
    let secure = if settings().secure_cookies { "; Secure" } else { "" };
    let cookie = format!("{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}", cookie_name());
    if let (Some(response), Ok(header)) = (use_context::<ResponseOptions>(), http::HeaderValue::from_str(&cookie)) {
        response.append_header(http::header::SET_COOKIE, header);
    }
}

pub fn set_session_cookie(secret: &str) {
    set_cookie(secret, sessions::ABSOLUTE_TIMEOUT.num_seconds());
}

pub fn clear_session_cookie() {
    set_cookie("", 0);
}

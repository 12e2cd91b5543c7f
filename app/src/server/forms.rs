//! A refused no-JavaScript form post redirects back to its page; what the user typed is kept
//! in the session's flash for that page to show again, beside the error.

use super::{is_plain_form_post, store};
use crate::error::AppError;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn key(form: &str) -> String {
    format!("form:{form}")
}

/// Keeps `input` for the next load of the form's page in this session.
pub async fn keep<T: Serialize>(session_id: i64, form: &str, input: &T) -> Result<(), AppError> {
    if let Ok(json) = serde_json::to_string(input) {
        data::flash::put(&store()?, session_id, &key(form), &json).await?;
    }
    Ok(())
}

/// Passes `result` through; on an error of a plain form post, keeps `input` for the page.
pub async fn keep_on_error<T: Serialize, R>(
    session_id: i64,
    form: &str,
    input: &T,
    result: Result<R, AppError>,
) -> Result<R, AppError> {
    if result.is_err() && is_plain_form_post() {
        keep(session_id, form, input).await?;
    }
    result
}

/// The input kept by a refused plain form post, once.
pub async fn take_kept<T: DeserializeOwned>(session_id: i64, form: &str) -> Result<Option<T>, AppError> {
    let kept = data::flash::take(&store()?, session_id, &key(form)).await?;
    Ok(kept.and_then(|json| serde_json::from_str(&json).ok()))
}

/// How long a form kept in a cookie waits for its page.
const KEPT_FOR_SECS: i64 = 600;
/// Browsers keep cookies of about 4 KB; a larger form is not kept (the error still shows).
const MAX_COOKIE_VALUE: usize = 3_800;

/// Keeps `input` for the next load of its page in a sealed cookie: for pages without a session
/// (/new), where no flash row can hold it.
pub fn keep_in_cookie<T: Serialize>(store: &data::Store, name: &str, input: &T) {
    let Ok(json) = serde_json::to_string(input) else { return };
    let sealed = data::flash::seal(store, &json);
    if sealed.len() <= MAX_COOKIE_VALUE {
        send_cookie(name, &sealed, KEPT_FOR_SECS);
    }
}

/// The input a refused post kept in the cookie `name`, once (the cookie is removed).
pub fn take_from_cookie<T: DeserializeOwned>(store: &data::Store, name: &str) -> Option<T> {
    let sealed = super::cookies::read(&super::request_parts()?.headers, name)?;
    send_cookie(name, "", 0);
    let json = data::flash::open(store, &sealed)?;
    serde_json::from_str(&json).ok()
}

fn send_cookie(name: &str, value: &str, max_age_secs: i64) {
    let secure = super::settings().secure_cookies;
    if let (Some(response), Some(header)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        super::cookies::set(name, value, max_age_secs, secure),
    ) {
        response.append_header(http::header::SET_COOKIE, header);
    }
}

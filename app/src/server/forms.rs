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

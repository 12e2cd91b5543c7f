//! `Idempotency-Key` on the API's POST and PATCH requests (issue 28): the first request with
//! a key runs and its answer is stored (`data::idempotency`); the same request again gets that
//! answer with `Idempotent-Replayed: true`; the key with another request is 422; a retry while
//! the first runs is 409. Keys belong to the API key's sender. A request the server failed
//! (5xx) frees its key, so a retry runs it again.

use super::auth;
use super::error::ApiError;
use crate::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use data::idempotency::{self, Answer, Begin};
use sha2::{Digest, Sha256};

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED: &str = "idempotent-replayed";

/// The most of an answer kept for replay (the API's answers are far smaller).
const MAX_ANSWER: usize = 4 * 1024 * 1024;

/// The operations that take the header, as the API document lists them: "POST /api/v1/invoices/{}"
/// (path parameters unnamed, as the router and the document name them differently).
fn documented() -> &'static std::collections::HashSet<String> {
    static OPERATIONS: std::sync::OnceLock<std::collections::HashSet<String>> = std::sync::OnceLock::new();
    OPERATIONS.get_or_init(|| {
        let doc = super::openapi::document("");
        let mut all = std::collections::HashSet::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, op) in item.as_object().into_iter().flatten() {
                let params = op["parameters"].as_array().into_iter().flatten();
                if params.clone().any(|p| p["name"] == "Idempotency-Key") {
                    all.insert(format!("{} /api/v1{}", method.to_uppercase(), unnamed(path)));
                }
            }
        }
        all
    })
}

/// "/invoices/{invoice_number}" → "/invoices/{}".
fn unnamed(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::POST | Method::PATCH) {
        return next.run(request).await;
    }
    // Only where the document offers it: a method the route does not take is answered 405.
    let matched = request.extensions().get::<MatchedPath>().map(|m| unnamed(m.as_str()));
    if !matched.is_some_and(|path| documented().contains(&format!("{} {path}", request.method()))) {
        return next.run(request).await;
    }
    let Some(value) = request.headers().get(HEADER) else { return next.run(request).await };
    let key = match value.to_str().ok().map(str::trim).filter(|k| idempotency::is_valid_key(k)) {
        Some(key) => key.to_string(),
        None => {
            let why = "Idempotency-Key is 1 to 255 printable ASCII characters, unique per request (a UUID)";
            return ApiError::bad_request(why, Some("Idempotency-Key")).into_response();
        }
    };
    let (parts, body) = request.into_parts();
    // Without a key that may write, the handler answers (401, 403) and nothing is kept.
    let caller = match auth::caller(&parts, &state).await {
        Ok(caller) if caller.may_write().is_ok() => caller,
        _ => return next.run(Request::from_parts(parts, body)).await,
    };
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return ApiError::bad_request("the body could not be read", None).into_response();
    };
    let mut hash = Sha256::new();
    hash.update(parts.method.as_str());
    hash.update(b"\n");
    hash.update(parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or_default());
    hash.update(b"\n");
    hash.update(&bytes);
    let fingerprint = format!("{:x}", hash.finalize());
    match idempotency::begin(&state.store, caller.sender.id, &key, &fingerprint).await {
        Ok(Begin::First(id)) => run(&state, id, next.run(Request::from_parts(parts, Body::from(bytes))).await).await,
        Ok(Begin::Replay(answer)) => replay(answer),
        Ok(Begin::Mismatch) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "this Idempotency-Key was used with another request: use a new key for a new request",
            Some("Idempotency-Key"),
        )
        .into_response(),
        Ok(Begin::InFlight) => {
            let busy = "the first request with this Idempotency-Key is still running: retry in a moment";
            let mut response = ApiError::new(StatusCode::CONFLICT, busy, Some("Idempotency-Key")).into_response();
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// Stores the first request's answer (or frees the key after a failure of ours) and returns it.
async fn run(state: &AppState, id: i64, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_ANSWER).await.unwrap_or_default();
    let kept = match (parts.status.is_server_error(), std::str::from_utf8(&bytes)) {
        (false, Ok(text)) => {
            let content_type =
                parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
            let answer = Answer { status: parts.status.as_u16(), content_type, body: text.to_string() };
            idempotency::complete(&state.store, id, &answer).await
        }
        _ => idempotency::release(&state.store, id).await,
    };
    if let Err(e) = kept {
        tracing::error!(error = %e, "the answer to an idempotent request was not kept");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(answer: Answer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let mut response = (status, answer.body).into_response();
    let headers = response.headers_mut();
    if let Some(value) = answer.content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_post_and_patch_of_the_api_takes_the_header() {
        let all = super::documented();
        assert!(all.contains("POST /api/v1/invoices"));
        assert!(all.contains("PATCH /api/v1/invoices/{}"));
        assert!(all.contains("POST /api/v1/recurring-invoices/{}/skip"));
        assert!(!all.contains("POST /api/v1/invoices/anonymous"), "no API key, no key of its own");
        assert!(!all.iter().any(|o| o.starts_with("GET") || o.starts_with("PUT") || o.starts_with("DELETE")));
    }
}

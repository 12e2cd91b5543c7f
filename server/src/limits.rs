//! What any one request may cost: a body of at most 1 MiB that arrives within 20 s (413 or
//! 408 otherwise, before a handler or server function reads it), an answer within 30 s of
//! the request's start, reading included (503 otherwise), and a panic anywhere in a handler
//! becomes a 500 with an id in the log instead of a dropped connection.

use crate::api::error::ApiError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Duration;

pub const MAX_BODY_BYTES: usize = 1024 * 1024;
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// A body must arrive within this (a client trickling it byte by byte is cut off).
pub const BODY_TIMEOUT: Duration = Duration::from_secs(20);

fn too_large() -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "the request body is larger than 1 MiB", None)
}

/// Reads the body up to the limit first (bodies here are small forms and JSON), so every
/// route, server functions included, sees either a whole body or a 413 (408 when it does not
/// arrive within BODY_TIMEOUT).
pub async fn body_limit(request: Request, next: Next) -> Response {
    body_within(BODY_TIMEOUT, request, next).await
}

async fn body_within(timeout: Duration, request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large().for_client(&headers);
    }
    let (parts, body) = request.into_parts();
    let bytes = match tokio::time::timeout(timeout, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => return too_large().for_client(&headers),
        Err(_) => {
            let slow = "the request body did not arrive in time";
            return ApiError::new(StatusCode::REQUEST_TIMEOUT, slow, None).for_client(&headers);
        }
    };
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Answers 503 when the handler takes longer than REQUEST_TIMEOUT, and 500 when it panics.
pub async fn timeout_and_panics(request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    match tokio::time::timeout(REQUEST_TIMEOUT, crate::panics::isolate(next.run(request))).await {
        Ok(Ok(response)) => response,
        Ok(Err(panic)) => {
            ApiError::internal("request panicked", &format!("{method} {path}: {panic}")).for_client(&headers)
        }
        Err(_) => {
            tracing::warn!(%method, %path, "request timed out");
            let mut slow = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the request took too long; try again", None);
            slow.retry_after = Some(5);
            slow.for_client(&headers)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("a bug")
    }

    fn app() -> Router {
        Router::new()
            .route("/boom", get(boom))
            .route("/ok", get(|| async { "fine" }))
            .layer(axum::middleware::from_fn(timeout_and_panics))
    }

    async fn call(path: &str, accept: &str) -> (StatusCode, String) {
        let req = Request::builder().uri(path).header(header::ACCEPT, accept).body(Body::empty()).unwrap();
        let res = app().oneshot(req).await.unwrap();
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), 10_000).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// A body that sends one byte and then nothing, as a slow or hostile client would.
    fn trickle() -> Body {
        let first = futures::stream::iter([Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"{"))]);
        Body::from_stream(futures::StreamExt::chain(first, futures::stream::pending()))
    }

    #[tokio::test]
    async fn a_trickled_body_is_cut_off_at_the_timeout() {
        // The body never completes, so only the timeout can end the request (a short one here).
        let short = |request: Request, next: Next| body_within(Duration::from_millis(50), request, next);
        let app = Router::new()
            .route("/in", axum::routing::post(|body: String| async move { body }))
            .layer(axum::middleware::from_fn(short))
            .layer(axum::middleware::from_fn(timeout_and_panics));
        let req = Request::builder().method("POST").uri("/in").header(header::ACCEPT, "application/json");
        let res = app.oneshot(req.body(trickle()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::REQUEST_TIMEOUT);
        let body = axum::body::to_bytes(res.into_body(), 10_000).await.unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["error"], "the request body did not arrive in time");
    }

    #[tokio::test]
    async fn a_panic_becomes_a_500_with_the_error_shape() {
        let (status, body) = call("/boom", "application/json").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(json["error"].as_str().unwrap().starts_with("internal error (request id "), "{json}");
        assert!(json["field"].is_null());
        assert!(!body.contains("a bug"), "internals stay in the log");

        let (status, page) = call("/boom", "text/html").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(page.starts_with("<!DOCTYPE html>") && page.contains("request id"), "{page}");
        assert_eq!(call("/ok", "*/*").await, (StatusCode::OK, "fine".into()));
    }
}

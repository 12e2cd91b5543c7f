//! The one mapping from service errors to HTTP: `{"error": "...", "field": ...}`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::dto::ErrorBody;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub field: Option<String>,
    /// Seconds for the Retry-After header of a 429.
    pub retry_after: Option<u64>,
    /// The RateLimit fields of a limited request.
    pub rate_limit: Option<Box<data::limits::Standing>>,
    /// What an e-invoice breaks (a 422 of send or a download); boxed: errors stay small.
    pub violations: Option<Box<data::error::Violations>>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>, field: Option<&str>) -> Self {
        ApiError {
            status,
            message: message.into(),
            field: field.map(str::to_string),
            retry_after: None,
            rate_limit: None,
            violations: None,
        }
    }

    pub fn bad_request(message: impl Into<String>, field: Option<&str>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message, field)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message, None)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message, None)
    }
}

impl From<data::Error> for ApiError {
    fn from(e: data::Error) -> Self {
        ApiError::from(e.told())
    }
}

impl From<data::Told> for ApiError {
    fn from(told: data::Told) -> Self {
        ApiError {
            status: StatusCode::from_u16(told.kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            message: told.message,
            field: told.field,
            retry_after: told.retry_after_secs,
            rate_limit: told.standing,
            violations: told.violations,
        }
    }
}

impl ApiError {
    /// Shown to whoever asked: a browser navigating (Accept: text/html) gets a small page, any
    /// other client the JSON body. Used by the guards that sit in front of pages and API alike.
    pub fn for_client(self, headers: &axum::http::HeaderMap) -> Response {
        let wants_html =
            headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
        if !wants_html {
            return self.into_response();
        }
        let message = self.message.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        let title = self.status.canonical_reason().unwrap_or("Error");
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
             <body><h1>{title}</h1><p>{message}</p><p><a href=\"/\">JupiterInvoice</a></p></body></html>"
        );
        let (retry_after, rate_limit) = (self.retry_after, self.rate_limit);
        let mut response = (self.status, axum::response::Html(page)).into_response();
        limited(&mut response, retry_after, rate_limit.as_deref());
        response
    }

    /// A 500 whose details stay in the log under an id the client can quote.
    pub fn internal(what: &str, detail: &str) -> Self {
        data::Told::internal(&format!("{what}: {detail}")).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let mut response = (
            self.status,
            Json(ErrorBody {
                error: self.message,
                field: self.field,
                violations: self.violations.map(|v| v.0).unwrap_or_default(),
            }),
        )
            .into_response();
        if unauthorized {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        limited(&mut response, self.retry_after, self.rate_limit.as_deref());
        response
    }
}

/// Retry-After and the RateLimit fields of a refused request.
fn limited(response: &mut Response, retry_after: Option<u64>, standing: Option<&data::limits::Standing>) {
    let headers = response.headers_mut();
    if let Some(secs) = retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    if let Some(standing) = standing {
        rate_limit_headers(headers, standing);
    }
}

/// `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers), on refusals and
/// on the answers to limited requests that passed.
pub fn rate_limit_headers(headers: &mut axum::http::HeaderMap, standing: &data::limits::Standing) {
    for (name, value) in [("ratelimit-policy", &standing.policy), ("ratelimit", &standing.current)] {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limited_request_is_told_when_to_come_back() {
        let standing =
            data::limits::Standing { policy: r#""min";q=5;w=60"#.into(), current: r#""min";r=0;t=41"#.into() };
        let limited =
            data::Error::RateLimited { message: "slow down".into(), retry_after_secs: 41, standing: Some(standing) };
        let response = ApiError::from(limited).into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        let header = |name: &str| response.headers()[name].to_str().unwrap().to_string();
        assert_eq!(header("retry-after"), "41");
        assert_eq!(header("ratelimit-policy"), r#""min";q=5;w=60"#);
        assert_eq!(header("ratelimit"), r#""min";r=0;t=41"#);
    }
}

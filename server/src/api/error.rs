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
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>, field: Option<&str>) -> Self {
        ApiError { status, message: message.into(), field: field.map(str::to_string), retry_after: None }
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
        let field = e.field().map(str::to_string);
        let status = match &e {
            data::Error::Invalid { .. } => StatusCode::BAD_REQUEST,
            data::Error::NotFound { .. } => StatusCode::NOT_FOUND,
            data::Error::Conflict { .. } => StatusCode::CONFLICT,
            data::Error::ProfileIncomplete { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            data::Error::RateLimited { retry_after_secs, .. } => {
                let mut limited = ApiError::new(StatusCode::TOO_MANY_REQUESTS, e.to_string(), None);
                limited.retry_after = Some(*retry_after_secs);
                return limited;
            }
            // Internals stay in the log; the client gets an id to quote.
            data::Error::Db(err) => return ApiError::internal("internal error", &err.to_string()),
        };
        ApiError { status, message: e.to_string(), field, retry_after: None }
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
        let retry_after = self.retry_after;
        let mut response = (self.status, axum::response::Html(page)).into_response();
        if let Some(secs) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }

    /// A 500 whose details stay in the log under an id the client can quote.
    pub fn internal(what: &str, detail: &str) -> Self {
        let id = data::secrets::random_token(6);
        tracing::error!(request_id = %id, error = %detail, "{what}");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("internal error (request id {id})"), None)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let mut response = (self.status, Json(ErrorBody { error: self.message, field: self.field })).into_response();
        if unauthorized {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

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
            data::Error::Db(err) => {
                // Internals stay in the log; the client gets an id to quote.
                let id = data::secrets::random_token(6);
                tracing::error!(request_id = %id, error = %err, "internal error");
                return ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("internal error (request id {id})"),
                    None,
                );
            }
        };
        ApiError { status, message: e.to_string(), field, retry_after: None }
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

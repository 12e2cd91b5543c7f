//! JSON request bodies and query strings whose every refusal is a JSON error naming the
//! field (axum's own rejections are plain text).

use super::contract::RequestSchema;
use super::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

pub struct JsonBody<T>(pub T);

/// A JSON body checked against its request schema (`contract`) first, then read into the
/// schema's input type: the document says exactly what the server takes.
pub struct Checked<S: RequestSchema>(pub S::Input);

fn is_json(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// "unknown field `qty`, expected …" → "qty" (serde names the field in the message only).
fn named_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `").or_else(|| message.strip_prefix("missing field `"))?;
    rest.split('`').next()
}

/// The message with serde's position suffix removed.
fn plain(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::bad_request(format!("malformed JSON: {inner}"), None);
        }
        let message = inner.to_string();
        let parent = (path != ".").then_some(path);
        let field = match (named_field(&message), parent.as_deref()) {
            (Some(name), Some(p)) if !p.ends_with(name) => Some(format!("{p}.{name}")),
            (Some(name), None) => Some(name.to_string()),
            (_, p) => p.map(str::to_string),
        };
        ApiError::bad_request(plain(&message).to_string(), field.as_deref())
    })
}

/// The body's bytes, once its content type says JSON.
async fn json_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    let content_type = req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !is_json(content_type) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the body as JSON with Content-Type: application/json",
            None,
        ));
    }
    Bytes::from_request(req, state)
        .await
        .map_err(|e| ApiError::new(e.status(), format!("could not read the body: {e}"), None))
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        parse_json(&json_bytes(req, state).await?).map(JsonBody)
    }
}

impl<R: RequestSchema, S: Send + Sync> FromRequest<S> for Checked<R> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = json_bytes(req, state).await?;
        let value: serde_json::Value = parse_json(&bytes)?;
        super::contract::check(R::NAME, &value)
            .map_err(|(message, field)| ApiError::bad_request(message, field.as_deref()))?;
        parse_json(&bytes).map(Checked)
    }
}

/// A query string parsed into `T`, with JSON errors.
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(query)
            .map(QueryParams)
            .map_err(|e| ApiError::bad_request(format!("bad query string: {e}"), None))
    }
}

/// A numeric query value, or a 400 naming it (an empty `limit=` is not a number either).
pub fn int_param(value: Option<&str>, name: &str) -> Result<Option<i64>, ApiError> {
    value
        .map(|v| v.parse::<i64>().map_err(|_| ApiError::bad_request(format!("{name} must be an integer"), Some(name))))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::dto::InvoiceInput;

    fn field_of(json: &str) -> Option<String> {
        parse_json::<InvoiceInput>(json.as_bytes()).err().and_then(|e| e.field)
    }

    #[test]
    fn refusals_point_at_the_field() {
        assert_eq!(field_of(r#"{"qty": 1}"#).as_deref(), Some("qty"));
        assert_eq!(field_of(r#"{"line_items":[{"description":"a","qty":2}]}"#).as_deref(), Some("line_items[0].qty"));
        assert_eq!(
            field_of(r#"{"line_items":[{"unit_price_cents":"x"}]}"#).as_deref(),
            Some("line_items[0].unit_price_cents")
        );
        assert_eq!(field_of(r#"{"due_date":"June 1st"}"#).as_deref(), Some("due_date"));
        assert_eq!(field_of(r#"{"due_date": "#), None);
        assert!(is_json("application/json; charset=utf-8"));
        assert!(!is_json("text/plain"));
    }
}

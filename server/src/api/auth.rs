//! Bearer API keys: `Authorization: Bearer jk_live_…`.

use super::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use data::senders::Sender;

/// The sender whose API key signed the request.
pub struct ApiSender(pub Sender);

impl FromRequestParts<AppState> for ApiSender {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("missing API key: send Authorization: Bearer jk_live_…"))?;
        let value = header.to_str().unwrap_or_default().trim();
        let key = value
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, key)| key.trim())
            .ok_or_else(|| ApiError::unauthorized("the Authorization header must be: Bearer jk_live_…"))?;
        match data::api_keys::authenticate(&state.store, key).await? {
            Some(sender) => Ok(ApiSender(sender)),
            None => Err(ApiError::unauthorized("invalid or revoked API key")),
        }
    }
}

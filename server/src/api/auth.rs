//! Bearer API keys: `Authorization: Bearer jk_live_…`. Reads take any live key (`ApiSender`);
//! writes take a full-access key (`ApiWriter`): a read-only key gets 403.

use super::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use data::api_keys::Caller;
use data::senders::Sender;

/// The sender whose API key (of any scope) signed the request.
pub struct ApiSender(pub Sender);

/// The sender whose full-access API key signed the request.
pub struct ApiWriter(pub Sender);

/// The key's caller, or 401.
pub async fn caller(parts: &Parts, state: &AppState) -> Result<Caller, ApiError> {
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
    data::api_keys::authenticate(&state.store, key)
        .await?
        .ok_or_else(|| ApiError::unauthorized("invalid or revoked API key"))
}

impl FromRequestParts<AppState> for ApiSender {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(ApiSender(caller(parts, state).await?.sender))
    }
}

impl FromRequestParts<AppState> for ApiWriter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = caller(parts, state).await?;
        caller.may_write()?;
        Ok(ApiWriter(caller.sender))
    }
}

//! /api/v1/webhooks: subscriptions and their signing secret (the log is in webhook_deliveries).

use super::auth::{ApiSender, ApiWriter};
use super::body::Checked;
use super::contract;
use super::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use data::webhooks::subscriptions;
use domain::dto::{ErrorBody, Page, Webhook};

pub(super) fn id_of(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError::not_found("webhook not found"))
}

/// Create a webhook subscription
///
/// The response carries the signing `secret` (`whsec_…`) exactly once: store it to verify
/// deliveries with any Standard Webhooks library.
#[utoipa::path(
    post, path = "/webhooks", operation_id = "createWebhook", tag = "webhooks",
    responses(
        (status = 201, description = "Created (response body includes one-time `secret`)", body = Webhook),
        (status = 400, description = "Invalid url or payload", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Checked(input): Checked<contract::WebhookCreate>,
) -> Result<(StatusCode, Json<Webhook>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(subscriptions::create(&state.store, sender.id, input, &state.web.webhook_targets).await?),
    ))
}

/// List webhook subscriptions
#[utoipa::path(
    get, path = "/webhooks", operation_id = "listWebhooks", tag = "webhooks",
    responses(
        (status = 200, description = "List", body = Page<Webhook>),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
) -> Result<Json<Page<Webhook>>, ApiError> {
    Ok(Json(Page { data: subscriptions::list(&state.store, sender.id).await?, next_cursor: None }))
}

/// Get a webhook subscription
#[utoipa::path(
    get, path = "/webhooks/{id}", operation_id = "getWebhook", tag = "webhooks",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "OK", body = Webhook),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(id): Path<String>,
) -> Result<Json<Webhook>, ApiError> {
    Ok(Json(subscriptions::get(&state.store, sender.id, id_of(&id)?).await?))
}

/// Change a webhook subscription (url, event_types, description, active)
#[utoipa::path(
    patch, path = "/webhooks/{id}", operation_id = "updateWebhook", tag = "webhooks",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Updated", body = Webhook),
        (status = 400, description = "Invalid url or payload", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(id): Path<String>,
    Checked(input): Checked<contract::WebhookUpdate>,
) -> Result<Json<Webhook>, ApiError> {
    Ok(Json(subscriptions::update(&state.store, sender.id, id_of(&id)?, input, &state.web.webhook_targets).await?))
}

/// Delete (unsubscribe)
#[utoipa::path(
    delete, path = "/webhooks/{id}", operation_id = "deleteWebhook", tag = "webhooks",
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    subscriptions::delete(&state.store, sender.id, id_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Rotate the signing secret
///
/// Returns the new `secret` once. For 24 hours every delivery carries two signatures, one
/// with the new secret and one with the old, so receivers can switch without losing any.
#[utoipa::path(
    post, path = "/webhooks/{id}/rotate-secret", operation_id = "rotateWebhookSecret", tag = "webhooks",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The webhook with its new one-time `secret`", body = Webhook),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn rotate_secret(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(id): Path<String>,
) -> Result<Json<Webhook>, ApiError> {
    Ok(Json(subscriptions::rotate_secret(&state.store, sender.id, id_of(&id)?).await?))
}

//! /api/v1/webhooks/{id}/deliveries and /test: the delivery log, one delivery with its
//! attempts, redelivery, and a test message.

use super::auth::{ApiSender, ApiWriter};
use super::body::{QueryParams, int_param};
use super::error::ApiError;
use super::webhooks::id_of;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use data::cursor::PageRequest;
use data::webhooks::log;
use domain::dto::{ErrorBody, Page, WebhookDelivery};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct LogQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

fn delivery_id_of(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError::not_found("delivery not found"))
}

/// List delivery attempts for a subscription
///
/// Newest first, one row per event and subscription with its latest attempt; GET one delivery
/// for every attempt, its status code, latency, error and the start of the response.
#[utoipa::path(
    get, path = "/webhooks/{id}/deliveries", operation_id = "listWebhookDeliveries", tag = "webhooks",
    params(
        ("id" = i64, Path),
        ("limit" = Option<i64>, Query, description = "1–100, default 25", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Opaque cursor from previous response"),
    ),
    responses(
        (status = 200, description = "OK", body = Page<WebhookDelivery>),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(id): Path<String>,
    QueryParams(q): QueryParams<LogQuery>,
) -> Result<Json<Page<WebhookDelivery>>, ApiError> {
    let page = PageRequest::parse(int_param(q.limit.as_deref(), "limit")?, q.cursor.as_deref())?;
    let (data, next_cursor) = log::list(&state.store, sender.id, id_of(&id)?, page).await?;
    Ok(Json(Page { data, next_cursor }))
}

/// Get one delivery with its payload and every attempt
#[utoipa::path(
    get, path = "/webhooks/{id}/deliveries/{delivery_id}", operation_id = "getWebhookDelivery", tag = "webhooks",
    params(("id" = i64, Path), ("delivery_id" = i64, Path)),
    responses(
        (status = 200, description = "OK", body = WebhookDelivery),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path((id, delivery_id)): Path<(String, String)>,
) -> Result<Json<WebhookDelivery>, ApiError> {
    Ok(Json(log::get(&state.store, sender.id, id_of(&id)?, delivery_id_of(&delivery_id)?).await?))
}

/// Deliver again
///
/// Queues one more attempt now, with the same `webhook-id` as before (a receiver that already
/// handled the event can tell).
#[utoipa::path(
    post, path = "/webhooks/{id}/deliveries/{delivery_id}/redeliver", operation_id = "redeliverWebhook", tag = "webhooks",
    params(("id" = i64, Path), ("delivery_id" = i64, Path)),
    responses(
        (status = 202, description = "Queued", body = WebhookDelivery),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "The webhook is paused or disabled", body = ErrorBody),
    )
)]
pub async fn redeliver(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path((id, delivery_id)): Path<(String, String)>,
) -> Result<(StatusCode, Json<WebhookDelivery>), ApiError> {
    let queued = log::redeliver(&state.store, sender.id, id_of(&id)?, delivery_id_of(&delivery_id)?).await?;
    Ok((StatusCode::ACCEPTED, Json(queued)))
}

/// Send a test event
///
/// Queues a `ping` event (`{"type": "ping", "data": {"webhook_id": …}}`), signed like every
/// delivery and tried once; its result appears in the delivery log.
#[utoipa::path(
    post, path = "/webhooks/{id}/test", operation_id = "testWebhook", tag = "webhooks",
    params(("id" = i64, Path)),
    responses(
        (status = 202, description = "Queued", body = WebhookDelivery),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "The webhook is paused or disabled", body = ErrorBody),
    )
)]
pub async fn test(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<WebhookDelivery>), ApiError> {
    Ok((StatusCode::ACCEPTED, Json(log::send_test(&state.store, sender.id, id_of(&id)?).await?)))
}

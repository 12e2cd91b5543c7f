//! GET /api/v1/events: the sender's timeline, for a poller that takes no webhooks (issue 28).

use super::auth::ApiSender;
use super::body::{QueryParams, int_param};
use super::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use data::cursor::PageRequest;
use domain::dto::{Page, TimelineEvent};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct FeedQuery {
    limit: Option<String>,
    cursor: Option<String>,
    #[serde(rename = "type")]
    event_type: Option<String>,
}

/// List events
///
/// Everything that happened to your invoices, newest first, cursor-paginated: the events
/// webhooks carry (`type` filters by one), with the invoice's number. Poll with the first
/// page's newest `id` to see what is new.
#[utoipa::path(
    get, path = "/events", operation_id = "listEvents", tag = "events",
    params(
        ("limit" = Option<i64>, Query, description = "1–100, default 25", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Opaque cursor from previous response"),
        ("type" = Option<String>, Query, description = "Only this event type, e.g. invoice.paid"),
    ),
    responses((status = 200, description = "Events", body = Page<TimelineEvent>))
)]
pub async fn list(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    QueryParams(q): QueryParams<FeedQuery>,
) -> Result<Json<Page<TimelineEvent>>, ApiError> {
    let page = PageRequest::parse(int_param(q.limit.as_deref(), "limit")?, q.cursor.as_deref())?;
    if let Some(t) = q.event_type.as_deref().filter(|t| !domain::events::ALL_TYPES.contains(t)) {
        return Err(ApiError::bad_request(format!("unknown event type {t:?}"), Some("type")));
    }
    Ok(Json(data::events::feed(&state.store, sender.id, q.event_type.as_deref(), page).await?))
}

//! `POST /stripe/webhook` (the deployment's account) and `/stripe/webhook/{sender}` (a
//! sender's own): the raw body verified against `Stripe-Signature` with async-stripe's
//! verifier (5-minute tolerance, on the store's clock), then a completed, paid Checkout
//! Session recorded once; an expired one marked so. 400 for a bad signature; 200 for anything verified, handled or not
//! (Stripe retries only what failed).

use super::gateway::completed;
use crate::api::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use data::payments::checkout::{self, Account, Outcome};
use serde_json::{Value, json};
use stripe_webhook::{EventObject, Webhook};

pub async fn deployment(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let secret = state.stripe_webhook_secret.clone().ok_or_else(|| ApiError::not_found("no Stripe account here"))?;
    receive(&state, &Account::Deployment, &secret, &headers, &body).await
}

pub async fn of_sender(
    State(state): State<AppState>,
    Path(sender): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let unknown = || ApiError::not_found("no Stripe account here");
    let sender_id: i64 = sender.parse().map_err(|_| unknown())?;
    let secret = checkout::webhook_secret_of(&state.store, sender_id).await?.ok_or_else(unknown)?;
    // The key is not needed to record; the account says whose sessions this endpoint vouches for.
    let account = Account::Sender { sender_id, secret_key: String::new() };
    receive(&state, &account, &secret, &headers, &body).await
}

async fn receive(
    state: &AppState,
    account: &Account,
    secret: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Json<Value>, ApiError> {
    let bad = |why: &str| ApiError::bad_request(format!("webhook refused: {why}"), Some("Stripe-Signature"));
    let payload = std::str::from_utf8(body).map_err(|_| bad("the body is not UTF-8"))?;
    let signature = headers.get("stripe-signature").and_then(|v| v.to_str().ok()).ok_or_else(|| bad("no signature"))?;
    let now = state.store.now().timestamp();
    let event =
        Webhook::construct_event_with_timestamp(payload, signature, secret, now).map_err(|e| bad(&e.to_string()))?;
    let event_type = event.type_.as_str().to_string();
    let session = match &event.data.object {
        EventObject::CheckoutSessionCompleted(s)
        | EventObject::CheckoutSessionAsyncPaymentSucceeded(s)
        | EventObject::CheckoutSessionExpired(s) => s,
        _ => return Ok(Json(json!({"received": true, "handled": false}))),
    };
    let done = completed(session, Some(event.id.as_str().to_string()), &event_type);
    let outcome = checkout::complete(&state.store, account, done).await?;
    let outcome = match outcome {
        Outcome::Recorded => "recorded",
        Outcome::AlreadyRecorded => "already_recorded",
        Outcome::NotPaidYet => "not_paid_yet",
        Outcome::Problem => "problem",
        Outcome::Expired => "expired",
        Outcome::Unknown => "unknown_session",
    };
    Ok(Json(json!({"received": true, "handled": true, "outcome": outcome})))
}

//! /api/v1/invoices/{number}/payments

use super::auth::{ApiSender, ApiWriter};
use super::body::Checked;
use super::contract;
use super::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use data::events::Actor;
use data::payments;
use domain::dto::{ErrorBody, Page};
use domain::payment::Payment;

/// Record a payment
///
/// Money the sender received outside JupiterInvoice (bank transfer, cash, other), in the
/// invoice's currency. When it brings the balance to zero the invoice becomes `paid` (and
/// locked); a partial payment leaves the invoice in its state with the balance due. A
/// negative amount records a refund (at most what was paid; on a paid invoice at most its
/// `refund_due_cents`, what credit notes left to give back). Card payments are recorded by
/// Stripe Checkout; a negative amount with method `card` refunds a card payment through
/// Stripe (the account that took it) and records it with Stripe's refund id as reference.
#[utoipa::path(
    post, path = "/invoices/{invoice_number}/payments", operation_id = "createPayment", tag = "payments",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001")),
    responses(
        (status = 201, description = "The payment, recorded", body = Payment),
        (status = 400, description = "Validation error (amount 0, method card, a date in the future)", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "More than the balance due, a refund beyond what was paid (or beyond what credit notes left to refund on a paid invoice; for card: beyond what a card payment has left), or an invoice that takes no payments (draft, paid, cancelled)", body = ErrorBody),
        (status = 503, description = "A card refund while Stripe is not configured or does not answer", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(number): Path<String>,
    Checked(input): Checked<contract::PaymentCreate>,
) -> Result<(StatusCode, Json<Payment>), ApiError> {
    if input.method == domain::PaymentMethod::Card && input.amount_cents < 0 {
        let Some(gateway) = state.web.payments.as_deref() else {
            let why = "online payments are not configured here: record the refund by hand";
            return Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, why, Some("method")));
        };
        let refund = payments::refund_card(&state.store, gateway, &sender, &number, -input.amount_cents, Actor::Api);
        return Ok((StatusCode::CREATED, Json(refund.await?)));
    }
    let payment = payments::record(&state.store, &sender, &number, input, Actor::Api).await?;
    Ok((StatusCode::CREATED, Json(payment)))
}

/// List an invoice's payments
///
/// Payments and refunds (negative amounts), oldest first; an invoice has few, so one page
/// holds them all.
#[utoipa::path(
    get, path = "/invoices/{invoice_number}/payments", operation_id = "listPayments", tag = "payments",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001")),
    responses(
        (status = 200, description = "The invoice's payments", body = Page<Payment>),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(number): Path<String>,
) -> Result<Json<Page<Payment>>, ApiError> {
    Ok(Json(payments::list(&state.store, sender.id, &number).await?))
}

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
/// negative amount records a refund (at most what was paid): an invoice with money on it is
/// cancelled only after it is refunded. Card payments are recorded by Stripe Checkout.
#[utoipa::path(
    post, path = "/invoices/{invoice_number}/payments", operation_id = "createPayment", tag = "payments",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001")),
    responses(
        (status = 201, description = "The payment, recorded", body = Payment),
        (status = 400, description = "Validation error (amount 0, method card, a date in the future)", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "More than the balance due, a refund beyond what was paid, or an invoice that takes no payments (draft, paid, cancelled)", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(number): Path<String>,
    Checked(input): Checked<contract::PaymentCreate>,
) -> Result<(StatusCode, Json<Payment>), ApiError> {
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

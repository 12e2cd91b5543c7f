//! /api/v1: the REST surface. Handlers parse, call one `data` service, and shape the reply.

pub mod anonymous;
pub mod auth;
pub mod body;
pub mod contract;
pub mod credit_notes;
pub mod customers;
pub mod e_invoices;
pub mod error;
pub mod events;
pub mod examples;
pub mod idempotency;
pub mod invoice_list;
pub mod invoices;
pub mod openapi;
pub mod payments;
pub mod recurring;
pub mod webhook_deliveries;
pub mod webhooks;

use crate::state::AppState;
use axum::Router;
use axum::routing::{any, get, post, put};
use error::ApiError;

pub fn router(state: &AppState) -> Router<AppState> {
    let v1 = Router::new()
        .route("/invoices", get(invoices::list).post(invoices::create))
        .route("/invoices/anonymous", post(anonymous::create))
        .route("/invoices/{number}", get(invoices::get).patch(invoices::update).delete(invoices::delete))
        .route("/invoices/{number}/send", post(invoices::send))
        .route("/invoices/{number}/cancel", post(invoices::cancel))
        .route("/events", get(events::list))
        .route("/invoices/{number}/pdf", get(crate::pdf::http::by_number))
        .route("/invoices/{number}/e-invoice", get(e_invoices::by_number))
        .route("/invoices/{number}/payments", get(payments::list).post(payments::create))
        .route("/invoices/{number}/credit-notes", get(credit_notes::of_invoice).post(credit_notes::create))
        .route("/invoices/{number}/documents", get(credit_notes::documents))
        .route("/archive/{seq}", get(credit_notes::archived))
        .route("/credit-notes", get(credit_notes::list))
        .route("/credit-notes/{number}", get(credit_notes::get))
        .route("/credit-notes/{number}/pdf", get(credit_notes::pdf))
        .route("/credit-notes/{number}/e-invoice", get(credit_notes::e_invoice))
        .route("/invoices/{number}/remind", post(recurring::remind))
        .route("/invoices/{number}/reminders", put(recurring::set_reminders))
        .route("/recurring-invoices", get(recurring::list).post(recurring::create))
        .route("/recurring-invoices/{id}", get(recurring::get).patch(recurring::update).delete(recurring::delete))
        .route("/recurring-invoices/{id}/pause", post(recurring::pause))
        .route("/recurring-invoices/{id}/resume", post(recurring::resume))
        .route("/recurring-invoices/{id}/skip", post(recurring::skip))
        .route("/reminder-settings", get(recurring::settings).put(recurring::save_settings))
        .route("/customers", get(customers::list).post(customers::create))
        .route("/customers/{id}", get(customers::get).patch(customers::update).delete(customers::delete))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/webhooks/{id}", get(webhooks::get).patch(webhooks::update).delete(webhooks::delete))
        .route("/webhooks/{id}/rotate-secret", post(webhooks::rotate_secret))
        .route("/webhooks/{id}/test", post(webhook_deliveries::test))
        .route("/webhooks/{id}/deliveries", get(webhook_deliveries::list))
        .route("/webhooks/{id}/deliveries/{delivery_id}", get(webhook_deliveries::get))
        .route("/webhooks/{id}/deliveries/{delivery_id}/redeliver", post(webhook_deliveries::redeliver))
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), idempotency::guard));
    Router::new()
        .nest("/api/v1", v1)
        .route("/api/openapi.json", get(openapi::serve))
        .route("/.well-known/openapi.json", get(openapi::serve))
        .route("/api", any(unknown_route))
        .route("/api/{*rest}", any(unknown_route))
}

async fn unknown_route() -> ApiError {
    ApiError::not_found("no such API route; see /api/openapi.json")
}

async fn wrong_method() -> ApiError {
    ApiError::new(axum::http::StatusCode::METHOD_NOT_ALLOWED, "method not allowed on this route", None)
}

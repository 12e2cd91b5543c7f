//! /api/v1/invoices

use super::auth::{ApiSender, ApiWriter};
use super::body::{Checked, QueryParams};
use super::contract;
use super::error::ApiError;
use super::invoice_list::{self, ListParams};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use data::events::Actor;
use data::invoices;
use domain::Status;
use domain::dto::{ErrorBody, Invoice, Page};
use serde::Deserialize;

/// `?dry_run=true`: validate and compute, store nothing.
#[derive(Debug, Default, Deserialize)]
pub struct DryRunQuery {
    dry_run: Option<String>,
}

impl DryRunQuery {
    pub(crate) fn asked(&self) -> Result<bool, ApiError> {
        match self.dry_run.as_deref() {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(_) => Err(ApiError::bad_request("dry_run is true or false", Some("dry_run"))),
        }
    }
}

pub(crate) const DRY_RUN: &str =
    "true: validate and compute (totals, the number it would get), store nothing, record no event";

/// `?expand=customer` on a single invoice.
#[derive(Debug, Default, Deserialize)]
pub struct GetQuery {
    expand: Option<String>,
}

/// Create an invoice
#[utoipa::path(
    post, path = "/invoices", operation_id = "createInvoice", tag = "invoices",
    params(("dry_run" = Option<bool>, Query, description = DRY_RUN)),
    responses(
        (status = 201, description = "Invoice created", body = Invoice),
        (status = 200, description = "dry_run=true: the invoice it would create (share link empty); nothing stored", body = Invoice),
        (status = 400, description = "Validation error", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "customer_id is not one of your customers", body = ErrorBody),
        (status = 422, description = "Sender profile incomplete", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    QueryParams(query): QueryParams<DryRunQuery>,
    Checked(input): Checked<contract::InvoiceCreate>,
) -> Result<(StatusCode, Json<Invoice>), ApiError> {
    if query.asked()? {
        return Ok((StatusCode::OK, Json(invoices::preview_create(&state.store, &sender, input, Actor::Api).await?)));
    }
    let invoice = invoices::create(&state.store, &sender, input, Actor::Api).await?;
    Ok((StatusCode::CREATED, Json(invoice)))
}

/// List invoices
///
/// Newest first unless `sort` says otherwise, cursor-paginated: pass `cursor` from the
/// previous response's `next_cursor` (with the same filters and sort). Every filter and order
/// reads one index range per status (or the customer's range), so a page costs the same at a
/// thousand invoices as at a million. Currency and the dates the list is not ordered by are
/// tested on the invoices read, at most 250 per range and page: a page may then hold fewer
/// than `limit` (even none) and still have a `next_cursor`; the list ends when it is null.
#[utoipa::path(
    get, path = "/invoices", operation_id = "listInvoices", tag = "invoices",
    params(
        ("limit" = Option<i64>, Query, description = "1–100, default 25", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Opaque cursor from previous response"),
        ("status" = Option<Vec<Status>>, Query, description = invoice_list::STATUS),
        ("customer_id" = Option<i64>, Query, description = "Only this customer's invoices"),
        ("currency" = Option<String>, Query, description = invoice_list::CURRENCY),
        ("issued_from" = Option<chrono::NaiveDate>, Query, description = invoice_list::ISSUED_FROM),
        ("issued_to" = Option<chrono::NaiveDate>, Query, description = invoice_list::ISSUED_TO),
        ("due_from" = Option<chrono::NaiveDate>, Query, description = invoice_list::DUE_FROM),
        ("due_to" = Option<chrono::NaiveDate>, Query, description = invoice_list::DUE_TO),
        ("q" = Option<String>, Query, description = "The beginning of an invoice number (ACME-00), a customer code's beginning (ACM), or part of the customer's company name; any case"),
        ("overdue" = Option<bool>, Query, description = "true: only invoices past their due date with a balance due (sent, viewed, change_requested, updated or approved)"),
        ("sort" = Option<String>, Query, description = "-created (default, newest first), created, due_date, -due_date, amount, -amount (total_cents), number, -number. Not with q. With overdue=true: due_date (the default there: most overdue first) or -due_date."),
        ("expand" = Option<String>, Query, description = invoice_list::EXPAND),
    ),
    responses(
        (status = 200, description = "List of invoices", body = Page<Invoice>),
        (status = 400, description = "Bad limit, cursor or filter", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    RawQuery(query): RawQuery,
) -> Result<Json<Page<Invoice>>, ApiError> {
    let params = ListParams::from_query(query.as_deref())?;
    let mut page = invoices::list(&state.store, sender.id, &params.filter, params.page).await?;
    if params.expand_customer {
        data::customers::expand_on(&state.store, sender.id, &mut page.data).await?;
    }
    Ok(Json(page))
}

/// Get an invoice by number
#[utoipa::path(
    get, path = "/invoices/{invoice_number}", operation_id = "getInvoice", tag = "invoices",
    params(
        ("invoice_number" = String, Path, description = "e.g. ACME-0001"),
        ("expand" = Option<String>, Query, description = invoice_list::EXPAND),
    ),
    responses(
        (status = 200, description = "Invoice", body = Invoice),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(number): Path<String>,
    QueryParams(query): QueryParams<GetQuery>,
) -> Result<Json<Invoice>, ApiError> {
    let expand = ListParams::from_pairs(query.expand.as_deref().map(|e| ("expand", e)))?.expand_customer;
    let mut invoice = invoices::get_judged(&state.store, &sender, &number).await?;
    if expand {
        data::customers::expand_on(&state.store, sender.id, std::slice::from_mut(&mut invoice)).await?;
    }
    Ok(Json(invoice))
}

/// Partially update an invoice
///
/// Any writable field; null clears an optional one. `status` may be set to `sent`, `paid` or
/// `cancelled` where the life cycle allows. Approved, paid and cancelled invoices are locked,
/// and so is the content of an invoice with credit notes. Cancelling a draft just cancels it;
/// cancelling an issued invoice issues its cancellation (a credit note of everything not yet
/// credited, mailed to the recipient): what was paid on it is then `refund_due_cents`.
#[utoipa::path(
    patch, path = "/invoices/{invoice_number}", operation_id = "updateInvoice", tag = "invoices",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001"), ("dry_run" = Option<bool>, Query, description = DRY_RUN)),
    responses(
        (status = 200, description = "Updated invoice (with dry_run=true: as it would be; nothing stored)", body = Invoice),
        (status = 400, description = "Validation error", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "Invoice is locked (paid/cancelled/approved) or the status change is not allowed", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(number): Path<String>,
    QueryParams(query): QueryParams<DryRunQuery>,
    Checked(patch): Checked<contract::InvoiceUpdate>,
) -> Result<Json<Invoice>, ApiError> {
    if query.asked()? {
        return Ok(Json(invoices::preview_update(&state.store, sender.id, &number, patch, Actor::Api).await?));
    }
    Ok(Json(invoices::update(&state.store, sender.id, &number, patch, Actor::Api).await?))
}

/// Send an invoice by e-mail
///
/// E-mails the invoice's share link to its recipient (and cc addresses) and marks it sent.
/// To deliver the share_url yourself, PATCH `status` to `sent` instead.
#[utoipa::path(
    post, path = "/invoices/{invoice_number}/send", operation_id = "sendInvoice", tag = "invoices",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001"), ("dry_run" = Option<bool>, Query, description = "true: check everything sending checks (the e-invoice too), send nothing, store nothing")),
    responses(
        (status = 200, description = "The invoice, now sent; the e-mail is queued (with dry_run=true: as it would be)", body = Invoice),
        (status = 400, description = "The recipient has no e-mail address", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "Only drafts can be sent", body = ErrorBody),
        (status = 422, description = "The recipient needs an e-invoice and this one breaks its rules: `violations` lists every one, `field` the first", body = ErrorBody),
    )
)]
pub async fn send(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(number): Path<String>,
    QueryParams(query): QueryParams<DryRunQuery>,
) -> Result<Json<Invoice>, ApiError> {
    if query.asked()? {
        return Ok(Json(invoices::preview_send(&state.store, &sender, &number, Actor::Api).await?));
    }
    Ok(Json(invoices::send(&state.store, &sender, &number, Actor::Api).await?))
}

/// Delete a draft
///
/// A draft was never issued: it can go. Its number is recorded as void (the customer's
/// series stays explainable) and is never given again. An issued invoice is corrected with a
/// credit note, or cancelled (PATCH `status: cancelled`, which issues its cancellation).
#[utoipa::path(
    delete, path = "/invoices/{invoice_number}", operation_id = "deleteInvoice", tag = "invoices",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001")),
    responses(
        (status = 204, description = "Deleted; its number is void"),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "Not a draft: issued invoices are cancelled or credited, never deleted", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(number): Path<String>,
) -> Result<StatusCode, ApiError> {
    invoices::delete_draft(&state.store, sender.id, &number).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cancel an invoice
///
/// A draft is cancelled (or delete it). A sent invoice is cancelled by its cancellation — a
/// credit note of everything not yet credited — issued and mailed to the recipient; money
/// paid on it becomes `refund_due_cents`. The same as PATCH `status: cancelled`; cancelling a
/// cancelled invoice changes nothing (a retry is safe).
#[utoipa::path(
    post, path = "/invoices/{invoice_number}/cancel", operation_id = "cancelInvoice", tag = "invoices",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001"), ("dry_run" = Option<bool>, Query, description = "true: the invoice as cancelling would leave it; nothing stored, no credit note, no mail")),
    responses(
        (status = 200, description = "The invoice, cancelled", body = Invoice),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "Paid in full: credit it instead", body = ErrorBody),
        (status = 422, description = "The customer needs an e-invoice and the cancellation's breaks its rules", body = ErrorBody),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(number): Path<String>,
    QueryParams(query): QueryParams<DryRunQuery>,
) -> Result<Json<Invoice>, ApiError> {
    let patch = domain::dto::InvoiceInput::to_status(Status::Cancelled);
    if query.asked()? {
        return Ok(Json(invoices::preview_update(&state.store, sender.id, &number, patch, Actor::Api).await?));
    }
    Ok(Json(invoices::update(&state.store, sender.id, &number, patch, Actor::Api).await?))
}

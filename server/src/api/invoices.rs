//! /api/v1/invoices

use super::auth::{ApiSender, ApiWriter};
use super::body::{Checked, QueryParams, int_param};
use super::contract;
use super::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use data::cursor::PageRequest;
use data::events::Actor;
use data::invoices::{self, ListFilter};
use domain::Status;
use domain::dto::{ErrorBody, Invoice, Page};
use domain::sort::Sort;
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

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    limit: Option<String>,
    cursor: Option<String>,
    status: Option<String>,
    customer_id: Option<String>,
    q: Option<String>,
    overdue: Option<String>,
    sort: Option<String>,
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
/// previous response's `next_cursor` (with the same filters and sort).
#[utoipa::path(
    get, path = "/invoices", operation_id = "listInvoices", tag = "invoices",
    params(
        ("limit" = Option<i64>, Query, description = "1–100, default 25", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Opaque cursor from previous response"),
        ("status" = Option<Status>, Query, description = "Only invoices in this status"),
        ("customer_id" = Option<i64>, Query, description = "Only this customer's invoices"),
        ("q" = Option<String>, Query, description = "The beginning of an invoice number (ACME-00), a customer code's beginning (ACM), or part of the customer's company name; any case"),
        ("overdue" = Option<bool>, Query, description = "true: only invoices past their due date with a balance due (sent, viewed, change_requested, updated or approved)"),
        ("sort" = Option<String>, Query, description = "-created (default, newest first), due_date, -due_date, amount, -amount (total_cents). Not with q. With overdue=true: due_date (the default there: most overdue first) or -due_date."),
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
    QueryParams(q): QueryParams<ListQuery>,
) -> Result<Json<Page<Invoice>>, ApiError> {
    let page = PageRequest::parse(int_param(q.limit.as_deref(), "limit")?, q.cursor.as_deref())?;
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(Status::parse(s).ok_or_else(|| ApiError::bad_request("unknown status", Some("status")))?),
    };
    let overdue = match q.overdue.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::bad_request("overdue is true or false", Some("overdue"))),
    };
    let sort = match q.sort.as_deref() {
        None => Sort::Newest,
        Some(s) => Sort::parse(s).ok_or_else(|| {
            ApiError::bad_request("sort is one of -created, due_date, -due_date, amount, -amount", Some("sort"))
        })?,
    };
    let filter = ListFilter {
        status,
        customer_id: int_param(q.customer_id.as_deref(), "customer_id")?,
        search: q.q.clone(),
        overdue,
        sort,
    };
    Ok(Json(invoices::list(&state.store, sender.id, &filter, page).await?))
}

/// Get an invoice by number
#[utoipa::path(
    get, path = "/invoices/{invoice_number}", operation_id = "getInvoice", tag = "invoices",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001")),
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
) -> Result<Json<Invoice>, ApiError> {
    Ok(Json(invoices::get_judged(&state.store, &sender, &number).await?))
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
    let mut patch = domain::dto::InvoiceInput::default();
    patch.status = Some(Status::Cancelled);
    if query.asked()? {
        return Ok(Json(invoices::preview_update(&state.store, sender.id, &number, patch, Actor::Api).await?));
    }
    Ok(Json(invoices::update(&state.store, sender.id, &number, patch, Actor::Api).await?))
}

//! /api/v1/recurring-invoices, /api/v1/reminder-settings and an invoice's reminders (issue 27).

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
use data::{recurring, reminders};
use domain::dto::{ErrorBody, Invoice, Page};
use domain::recurring::RecurringInvoice;
use domain::reminders::ReminderSettings;
use serde::Deserialize;

fn id_of(text: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError::not_found("recurring invoice not found"))
}

/// Create a recurring invoice
///
/// A template (an invoice body without dates, or `from_invoice`: an invoice's customer,
/// lines, tax, discounts, language and notes) and its schedule. Each occurrence is a normal
/// invoice in the customer's sequence, made on its date at the sender's hour (`send_hour`)
/// in their time zone (both in /reminder-settings): left a draft, or sent at once with
/// `auto_send` (a send that is refused — no address, an e-invoice the customer's format
/// rejects — leaves it a draft). `{period}` ("March 2027", "März 2027" in the document's
/// language), `{period_start}` and `{period_end}` in line descriptions, terms, the footer
/// note and the subscription context are filled in per occurrence; its due date is
/// `due_days` after its issue date. Each occurrence announces itself as `invoice.created`
/// (webhooks too) with the invoice's `recurring_invoice_id`. After downtime, dates that
/// passed are made once each, in order.
#[utoipa::path(
    post, path = "/recurring-invoices", operation_id = "createRecurringInvoice", tag = "recurring invoices",
    responses(
        (status = 201, description = "Created, with its next occurrences", body = RecurringInvoice),
        (status = 400, description = "Invalid schedule or template, or not exactly one of from_invoice and template", body = ErrorBody),
        (status = 403, description = "An anonymous sender, or a read-only key", body = ErrorBody),
        (status = 404, description = "from_invoice or the template's customer_id is not yours", body = ErrorBody),
        (status = 422, description = "Sender profile incomplete", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Checked(input): Checked<contract::RecurringCreate>,
) -> Result<(StatusCode, Json<RecurringInvoice>), ApiError> {
    Ok((StatusCode::CREATED, Json(recurring::create(&state.store, &sender, input).await?)))
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// List recurring invoices
///
/// Newest first, cursor-paginated.
#[utoipa::path(
    get, path = "/recurring-invoices", operation_id = "listRecurringInvoices", tag = "recurring invoices",
    params(
        ("limit" = Option<i64>, Query, description = "1–100, default 25", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Opaque cursor from previous response"),
    ),
    responses((status = 200, description = "Recurring invoices", body = Page<RecurringInvoice>))
)]
pub async fn list(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    QueryParams(q): QueryParams<ListQuery>,
) -> Result<Json<Page<RecurringInvoice>>, ApiError> {
    let page = PageRequest::parse(int_param(q.limit.as_deref(), "limit")?, q.cursor.as_deref())?;
    Ok(Json(recurring::list(&state.store, &sender, page).await?))
}

/// Get a recurring invoice
///
/// With what it made (history, newest first) and its next occurrences (`upcoming`).
#[utoipa::path(
    get, path = "/recurring-invoices/{id}", operation_id = "getRecurringInvoice", tag = "recurring invoices",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The recurring invoice", body = RecurringInvoice),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(id): Path<String>,
) -> Result<Json<RecurringInvoice>, ApiError> {
    Ok(Json(recurring::get(&state.store, &sender, id_of(&id)?).await?))
}

/// Change a recurring invoice
///
/// Its template, schedule, `auto_send` or `due_days`: future occurrences only (invoices
/// made stay as they are). A new schedule continues after the last date made.
#[utoipa::path(
    patch, path = "/recurring-invoices/{id}", operation_id = "updateRecurringInvoice", tag = "recurring invoices",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Changed", body = RecurringInvoice),
        (status = 400, description = "Invalid schedule or template", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(id): Path<String>,
    Checked(input): Checked<contract::RecurringUpdate>,
) -> Result<Json<RecurringInvoice>, ApiError> {
    Ok(Json(recurring::update(&state.store, &sender, id_of(&id)?, input).await?))
}

/// Stop a recurring invoice
///
/// No further occurrence is made; the invoices it made stay (with its id).
#[utoipa::path(
    delete, path = "/recurring-invoices/{id}", operation_id = "deleteRecurringInvoice", tag = "recurring invoices",
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Stopped and deleted"),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    recurring::delete(&state.store, &sender, id_of(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pause a recurring invoice
///
/// No occurrence is made until it is resumed.
#[utoipa::path(
    post, path = "/recurring-invoices/{id}/pause", operation_id = "pauseRecurringInvoice", tag = "recurring invoices",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Paused", body = RecurringInvoice),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "It has ended", body = ErrorBody),
    )
)]
pub async fn pause(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(id): Path<String>,
) -> Result<Json<RecurringInvoice>, ApiError> {
    Ok(Json(recurring::set_paused(&state.store, &sender, id_of(&id)?, true).await?))
}

/// Resume a recurring invoice
///
/// Dates that passed while it was paused are made at once, once each, in order (skip the
/// ones you do not want first).
#[utoipa::path(
    post, path = "/recurring-invoices/{id}/resume", operation_id = "resumeRecurringInvoice", tag = "recurring invoices",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "Active", body = RecurringInvoice),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "It has ended", body = ErrorBody),
    )
)]
pub async fn resume(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(id): Path<String>,
) -> Result<Json<RecurringInvoice>, ApiError> {
    Ok(Json(recurring::set_paused(&state.store, &sender, id_of(&id)?, false).await?))
}

/// Skip an occurrence (or take the skip back)
///
/// `date` is one of the coming dates (`upcoming`); no invoice is made for a skipped one, and
/// it counts toward the schedule's `count`.
#[utoipa::path(
    post, path = "/recurring-invoices/{id}/skip", operation_id = "skipRecurringOccurrence", tag = "recurring invoices",
    params(("id" = i64, Path)),
    responses(
        (status = 200, description = "The recurring invoice, the date marked skipped (or not)", body = RecurringInvoice),
        (status = 400, description = "Not a coming date of its schedule", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn skip(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(id): Path<String>,
    Checked(input): Checked<contract::RecurringSkip>,
) -> Result<Json<RecurringInvoice>, ApiError> {
    let skipped = input.skipped.unwrap_or(true);
    Ok(Json(recurring::skip(&state.store, &sender, id_of(&id)?, input.date, skipped).await?))
}

/// Skip or un-skip one date.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkipInput {
    pub date: chrono::NaiveDate,
    pub skipped: Option<bool>,
}

/// Get the reminder settings
///
/// The payment reminder policy (steps in days from the due date, each on or off, with its
/// words per document language; the default words where none were set) and the time zone
/// and local hour reminders and recurring invoices go out at.
#[utoipa::path(
    get, path = "/reminder-settings", operation_id = "getReminderSettings", tag = "reminders",
    responses((status = 200, description = "The settings", body = ReminderSettings))
)]
pub async fn settings(ApiSender(sender): ApiSender) -> Result<Json<ReminderSettings>, ApiError> {
    Ok(Json(reminders::settings_of(&sender)))
}

/// Change the reminder settings
///
/// Reminders go to the recipient of every sent invoice (sent, viewed, updated, approved)
/// with a balance due whose recipient is not waiting for changes: never for drafts, paid,
/// cancelled or fully credited invoices. Each step goes once per invoice; a step whose day
/// comes less than three days after the invoice was sent is passed over, and when several
/// are due at once only the latest goes. A changed due date moves the steps not yet sent.
/// `{number}`, `{amount}` (the balance), `{due_date}`, `{days}` and `{sender}` are filled
/// in. Pending reminders and recurring invoices follow the new settings at once.
#[utoipa::path(
    put, path = "/reminder-settings", operation_id = "updateReminderSettings", tag = "reminders",
    responses(
        (status = 200, description = "Saved", body = ReminderSettings),
        (status = 400, description = "An unknown time zone, two steps on one day, a blank text", body = ErrorBody),
    )
)]
pub async fn save_settings(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Checked(input): Checked<contract::ReminderSettingsUpdate>,
) -> Result<Json<ReminderSettings>, ApiError> {
    Ok(Json(reminders::save_settings(&state.store, sender.id, input).await?))
}

/// Send a payment reminder now
///
/// To the recipient of a sent invoice with a balance due, whatever the policy says; at most
/// one a day per invoice. The mail has the amount due, the share link with the Pay button,
/// and the EPC QR code for a euro invoice when your profile has an IBAN.
#[utoipa::path(
    post, path = "/invoices/{invoice_number}/remind", operation_id = "sendInvoiceReminder", tag = "reminders",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001")),
    responses(
        (status = 200, description = "The invoice; the reminder is queued", body = Invoice),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "The invoice gets no reminder (a draft, paid, cancelled, nothing due, changes requested)", body = ErrorBody),
        (status = 429, description = "A reminder for it already went out today", body = ErrorBody),
    )
)]
pub async fn remind(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(number): Path<String>,
) -> Result<Json<Invoice>, ApiError> {
    Ok(Json(reminders::send_now(&state.store, &sender, &number, Actor::Api).await?))
}

/// Turn an invoice's automatic reminders on or off
#[utoipa::path(
    put, path = "/invoices/{invoice_number}/reminders", operation_id = "setInvoiceReminders", tag = "reminders",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001")),
    responses(
        (status = 200, description = "The invoice, with reminders_enabled", body = Invoice),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn set_reminders(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(number): Path<String>,
    Checked(input): Checked<contract::InvoiceReminders>,
) -> Result<Json<Invoice>, ApiError> {
    Ok(Json(reminders::set_enabled(&state.store, &sender, &number, input.enabled).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemindersInput {
    pub enabled: bool,
}

//! /api/v1/invoices/{number}/credit-notes and /api/v1/credit-notes (issue 26).

use super::auth::{ApiSender, ApiWriter};
use super::body::{Checked, QueryParams, int_param};
use super::contract;
use super::error::ApiError;
use super::invoices::DryRunQuery;
use crate::pdf::http::kept_response;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use data::credit_notes;
use data::cursor::PageRequest;
use data::events::Actor;
use domain::credit_note::{ArchivedDocument, CreditNote};
use domain::dto::{ErrorBody, Page};
use domain::einvoice::EInvoiceFormat;
use serde::Deserialize;

/// Issue a credit note
///
/// Corrects an issued invoice (sent, viewed, change_requested, updated, approved or paid) after
/// the fact: credits some of its lines, part of a line's quantity, or (without `lines`)
/// everything not yet credited. The credit note is its own document in your series
/// (CN-0001, CN-0002 …), refers to the invoice (BG-3), has its customer, currency and VAT
/// categories, and goes to the recipient by mail with its PDF (and their XML e-invoice, type
/// 381). The invoice's `credited_cents` grows by its total: `balance_due_cents` falls, and
/// what was paid beyond what is now owed shows as `refund_due_cents`. Credited in full, the
/// invoice is `cancelled`; a credit that leaves nothing owed makes it `paid`.
#[utoipa::path(
    post, path = "/invoices/{invoice_number}/credit-notes", operation_id = "createCreditNote", tag = "credit notes",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001"), ("dry_run" = Option<bool>, Query, description = super::invoices::DRY_RUN)),
    responses(
        (status = 201, description = "The credit note, issued", body = CreditNote),
        (status = 200, description = "dry_run=true: the credit note as it would be (its number, amounts and e-invoice verdict); nothing stored", body = CreditNote),
        (status = 400, description = "No reason, an unknown line, a line twice, a quantity of 0 or with more than 6 decimals", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "More than is left to credit on a line (`field` names it), everything credited already, or the invoice is a draft or cancelled", body = ErrorBody),
        (status = 422, description = "The customer needs an e-invoice and the credit note's breaks its rules: `violations` lists them", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ApiWriter(sender): ApiWriter,
    Path(number): Path<String>,
    QueryParams(query): QueryParams<DryRunQuery>,
    Checked(input): Checked<contract::CreditNoteCreate>,
) -> Result<(StatusCode, Json<CreditNote>), ApiError> {
    if query.asked()? {
        let note = credit_notes::preview_create(&state.store, &sender, &number, input, Actor::Api).await?;
        return Ok((StatusCode::OK, Json(note)));
    }
    let note = credit_notes::create(&state.store, &sender, &number, input, Actor::Api).await?;
    Ok((StatusCode::CREATED, Json(note)))
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

impl ListQuery {
    fn page(&self) -> Result<PageRequest, ApiError> {
        Ok(PageRequest::parse(int_param(self.limit.as_deref(), "limit")?, self.cursor.as_deref())?)
    }
}

/// List credit notes
///
/// Newest first, cursor-paginated.
#[utoipa::path(
    get, path = "/credit-notes", operation_id = "listCreditNotes", tag = "credit notes",
    params(
        ("limit" = Option<i64>, Query, description = "1–100, default 25", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Opaque cursor from previous response"),
    ),
    responses((status = 200, description = "Credit notes", body = Page<CreditNote>))
)]
pub async fn list(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    QueryParams(q): QueryParams<ListQuery>,
) -> Result<Json<Page<CreditNote>>, ApiError> {
    Ok(Json(credit_notes::list(&state.store, sender.id, None, q.page()?).await?))
}

/// List an invoice's credit notes
///
/// Newest first, cursor-paginated.
#[utoipa::path(
    get, path = "/invoices/{invoice_number}/credit-notes", operation_id = "listInvoiceCreditNotes", tag = "credit notes",
    params(
        ("invoice_number" = String, Path, description = "e.g. ACME-0001"),
        ("limit" = Option<i64>, Query, description = "1–100, default 25", minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "Opaque cursor from previous response"),
    ),
    responses(
        (status = 200, description = "The invoice's credit notes", body = Page<CreditNote>),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn of_invoice(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(number): Path<String>,
    QueryParams(q): QueryParams<ListQuery>,
) -> Result<Json<Page<CreditNote>>, ApiError> {
    Ok(Json(credit_notes::list(&state.store, sender.id, Some(&number), q.page()?).await?))
}

/// Get a credit note
#[utoipa::path(
    get, path = "/credit-notes/{credit_note_number}", operation_id = "getCreditNote", tag = "credit notes",
    params(("credit_note_number" = String, Path, description = "e.g. CN-0001")),
    responses(
        (status = 200, description = "The credit note, with its e-invoice verdict", body = CreditNote),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(number): Path<String>,
) -> Result<Json<CreditNote>, ApiError> {
    Ok(Json(credit_notes::get(&state.store, &sender, &number).await?))
}

/// Get a credit note as PDF
///
/// The PDF/A-3 as it went out (a Factur-X credit note, type 381, when its data passes EN
/// 16931), byte for byte from the archive.
#[utoipa::path(
    get, path = "/credit-notes/{credit_note_number}/pdf", operation_id = "getCreditNotePdf", tag = "credit notes",
    params(("credit_note_number" = String, Path, description = "e.g. CN-0001")),
    responses(
        (status = 200, description = "The credit note as PDF", content_type = "application/pdf"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn pdf(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let note = credit_notes::get(&state.store, &sender, &number).await?;
    let kept = data::archive::credit_note_file(&state.store, &sender, &note, EInvoiceFormat::FacturX).await?;
    let kept = kept.ok_or_else(|| ApiError::not_found("the credit note's PDF is not in the archive"))?;
    kept_response(&kept, &headers)
}

/// Get a credit note as e-invoice
///
/// The XML e-invoice its customer receives (XRechnung, Peppol), as it went out; for a
/// customer without an XML format, the Factur-X PDF.
#[utoipa::path(
    get, path = "/credit-notes/{credit_note_number}/e-invoice", operation_id = "getCreditNoteEInvoice", tag = "credit notes",
    params(("credit_note_number" = String, Path, description = "e.g. CN-0001")),
    responses(
        (status = 200, description = "The e-invoice: application/xml, or the Factur-X PDF", content_type = "application/xml"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn e_invoice(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let note = credit_notes::get(&state.store, &sender, &number).await?;
    let format = data::einvoices::required_format(&note.as_document()).unwrap_or(EInvoiceFormat::FacturX);
    let kept = data::archive::credit_note_file(&state.store, &sender, &note, format).await?;
    let kept = kept.ok_or_else(|| ApiError::not_found("the credit note's e-invoice is not in the archive"))?;
    kept_response(&kept, &headers)
}

/// List an invoice's archived documents
///
/// Every document of the invoice and its credit notes as it went out: the PDF and the XML
/// e-invoice of each version the client was shown, and of each credit note, in the order they
/// went out, with their SHA-256. Each is produced byte for byte by `GET /archive/{seq}`, years
/// later, whatever the templates became.
#[utoipa::path(
    get, path = "/invoices/{invoice_number}/documents", operation_id = "listInvoiceDocuments", tag = "credit notes",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001")),
    responses(
        (status = 200, description = "The archived documents, oldest first", body = Page<ArchivedDocument>),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn documents(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(number): Path<String>,
) -> Result<Json<Page<ArchivedDocument>>, ApiError> {
    let data = data::archive::documents_of_invoice(&state.store, sender.id, &number).await?;
    Ok(Json(Page { data, next_cursor: None }))
}

/// Get an archived document
///
/// The bytes of one archived document (`seq` from the documents list), exactly as they went out.
#[utoipa::path(
    get, path = "/archive/{seq}", operation_id = "getArchivedDocument", tag = "credit notes",
    params(("seq" = i64, Path, description = "Its place in your archive, from a documents list", minimum = 1)),
    responses(
        (status = 200, description = "The document: application/pdf or application/xml", content_type = "application/pdf"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn archived(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(seq): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let seq: i64 = seq.parse().map_err(|_| ApiError::not_found("no such archived document"))?;
    let kept = data::archive::by_seq(&state.store, sender.id, seq).await?;
    kept_response(&kept, &headers)
}

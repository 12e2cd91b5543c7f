//! E-invoice downloads (issue 25): `GET /api/v1/invoices/{number}/e-invoice?format=…` for the
//! sender and `/i/{token}/e-invoice?format=…` for the recipient. Factur-X is the PDF itself;
//! the XML formats are their own document. An invoice that breaks the format's rules gets a
//! 422 with the violations, never a document a receiver would reject.

use super::body::QueryParams;
use crate::api::auth::ApiSender;
use crate::api::error::ApiError;
use crate::client_ip::ClientIpOf;
use crate::pdf::http::{download, etag, kept_response, not_modified, pdf_response};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use data::senders::Sender;
use domain::dto::Invoice;
use domain::einvoice::EInvoiceFormat;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct FormatQuery {
    format: Option<String>,
}

impl FormatQuery {
    /// The format asked for; the invoice's own (the recipient's, else Factur-X) when none is.
    fn format(&self, invoice: &Invoice) -> Result<EInvoiceFormat, ApiError> {
        match self.format.as_deref() {
            None => Ok(data::einvoices::format_of(invoice)),
            Some(name) => EInvoiceFormat::parse(name).filter(|f| *f != EInvoiceFormat::None).ok_or_else(|| {
                ApiError::bad_request("format is one of facturx, xrechnung-cii, xrechnung-ubl, peppol", Some("format"))
            }),
        }
    }
}

async fn document(
    state: &AppState,
    invoice: Invoice,
    sender: Sender,
    query: &FormatQuery,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let format = query.format(&invoice)?;
    if format.is_pdf() {
        // Refuse rather than serve a PDF without the XML the caller asked for.
        let verdict = data::einvoices::with_source(&sender, &invoice, |s| data::einvoices::check_in(s, format));
        if !verdict.valid {
            return Err(data::Error::EInvoiceInvalid(verdict).into());
        }
        return pdf_response(state, invoice, sender, headers).await;
    }
    if let Some(kept) = data::archive::invoice_file(&state.store, &sender, &invoice, format).await? {
        return kept_response(&kept, headers);
    }
    let tag = etag(&invoice, &sender, format.as_str());
    if let Some(answer) = not_modified(headers, &tag)? {
        return Ok(answer);
    }
    let doc = data::einvoices::xml_document(&sender, &invoice, format)?;
    download(doc.bytes, doc.content_type, &doc.file_name, &tag)
}

/// Get an invoice as e-invoice
#[utoipa::path(
    get, path = "/invoices/{invoice_number}/e-invoice", operation_id = "getInvoiceEInvoice", tag = "invoices",
    params(
        ("invoice_number" = String, Path, description = "e.g. ACME-0001"),
        ("format" = Option<String>, Query, description = "facturx (the PDF with its XML), xrechnung-cii, xrechnung-ubl or peppol; default: the recipient's format, else facturx"),
    ),
    responses(
        (status = 200, description = "The e-invoice: application/xml, or for facturx the Factur-X PDF", content_type = "application/xml"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 400, description = "Unknown format", body = domain::dto::ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = domain::dto::ErrorBody),
        (status = 404, description = "Not found", body = domain::dto::ErrorBody),
        (status = 422, description = "The invoice breaks the format's rules: `violations` lists them", body = domain::dto::ErrorBody),
    )
)]
pub async fn by_number(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(number): Path<String>,
    QueryParams(query): QueryParams<FormatQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let invoice = data::invoices::get_judged(&state.store, &sender, &number).await?;
    document(&state, invoice, sender, &query, &headers).await
}

/// The recipient's download from the share page.
pub async fn by_token(
    State(state): State<AppState>,
    ClientIpOf(client): ClientIpOf,
    Path(token): Path<String>,
    QueryParams(query): QueryParams<FormatQuery>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let shared = data::shared::for_pdf(&state.store, &token, client).await?;
        document(&state, shared.invoice, shared.sender, &query, &headers).await
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

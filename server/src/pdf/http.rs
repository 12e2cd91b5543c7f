//! PDF downloads: by share token (/i/{token}/pdf) and by API key
//! (/api/v1/invoices/{number}/pdf). The ETag changes with the invoice and the sender's profile,
//! so `If-None-Match` answers 304 until either changes.

use super::PdfError;
use crate::api::auth::ApiSender;
use crate::api::error::ApiError;
use crate::client_ip::ClientIpOf;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use data::senders::Sender;
use domain::dto::Invoice;

const RETRY_AFTER_SECS: u64 = 5;

/// Changes with the invoice, the sender's profile (both the printed card and what the
/// e-invoice reads from it) and the document asked for.
pub(crate) fn etag(invoice: &Invoice, sender: &Sender, document: &str) -> String {
    let card = serde_json::to_string(&data::senders::card(sender)).unwrap_or_default();
    let basis = format!(
        "{}|{}|{}|{card}|{document}",
        invoice.id,
        invoice.updated_at.to_rfc3339(),
        sender.updated_at.to_rfc3339()
    );
    format!("\"{}\"", &data::secrets::sha256_hex(&basis)[..32])
}

/// Whether the client's If-None-Match names `tag`.
pub(crate) fn unchanged(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}

pub(crate) async fn pdf_response(
    state: &AppState,
    invoice: Invoice,
    sender: Sender,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(kept) =
        data::archive::invoice_file(&state.store, &sender, &invoice, domain::einvoice::EInvoiceFormat::FacturX).await?
    {
        // Issued: the document as it went out, byte for byte.
        return kept_response(&kept, headers);
    }
    let tag = etag(&invoice, &sender, "pdf");
    if let Some(answer) = not_modified(headers, &tag)? {
        return Ok(answer);
    }
    let number = invoice.id.clone();
    let pdf = state.pdf.render_download(invoice, sender).await.map_err(|e| match e {
        PdfError::Busy => {
            let mut busy =
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "too many PDFs are being made; try again shortly", None);
            busy.retry_after = Some(RETRY_AFTER_SECS);
            busy
        }
        PdfError::Failed(e) => {
            tracing::error!(error = %e, "PDF rendering failed");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "the PDF could not be rendered", None)
        }
    })?;
    download(pdf, "application/pdf", &format!("{number}.pdf"), &tag)
}

/// 304 with the tag when the client's If-None-Match names `tag`.
pub(crate) fn not_modified(headers: &HeaderMap, tag: &str) -> Result<Option<Response>, ApiError> {
    if !unchanged(headers, tag) {
        return Ok(None);
    }
    let etag = HeaderValue::from_str(tag).map_err(|e| ApiError::internal("etag", &e.to_string()))?;
    Ok(Some((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response()))
}

/// A document download: its bytes, type and name (PDFs open in the browser, XML is saved), and
/// the ETag that answers 304 next time.
pub(crate) fn download(bytes: Vec<u8>, content_type: &str, file_name: &str, tag: &str) -> Result<Response, ApiError> {
    let etag = HeaderValue::from_str(tag).map_err(|e| ApiError::internal("etag", &e.to_string()))?;
    let disposition = if content_type == "application/pdf" { "inline" } else { "attachment" };
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_DISPOSITION, format!("{disposition}; filename=\"{file_name}\""))
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, "private, no-cache")
        .body(Body::from(bytes))
        .unwrap_or_default())
}

/// A document as the archive kept it: its own bytes, its SHA-256 as ETag (it never changes).
pub(crate) fn kept_response(kept: &data::archive::Kept, headers: &HeaderMap) -> Result<Response, ApiError> {
    let tag = format!("\"{}\"", &kept.sha256[..32.min(kept.sha256.len())]);
    if let Some(answer) = not_modified(headers, &tag)? {
        return Ok(answer);
    }
    download(kept.bytes.clone(), &kept.content_type, &kept.file_name, &tag)
}

pub async fn by_token(
    State(state): State<AppState>,
    ClientIpOf(client): ClientIpOf,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let shared = data::shared::for_pdf(&state.store, &token, client).await?;
        pdf_response(&state, shared.invoice, shared.sender, &headers).await
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// Get an invoice as PDF
#[utoipa::path(
    get, path = "/invoices/{invoice_number}/pdf", operation_id = "getInvoicePdf", tag = "invoices",
    params(("invoice_number" = String, Path, description = "e.g. ACME-0001")),
    responses(
        (status = 200, description = "The invoice as PDF (A4 or US Letter by the sender's country)", content_type = "application/pdf"),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
        (status = 401, description = "Missing or invalid API key", body = domain::dto::ErrorBody),
        (status = 404, description = "Not found", body = domain::dto::ErrorBody),
        (status = 503, description = "Every renderer is busy; try again after Retry-After seconds", body = domain::dto::ErrorBody),
    )
)]
pub async fn by_number(
    State(state): State<AppState>,
    ApiSender(sender): ApiSender,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let invoice = data::invoices::get(&state.store, sender.id, &number).await?;
    pdf_response(&state, invoice, sender, &headers).await
}

//! The OpenAPI 3.1 document, generated from the handlers and DTOs above.

use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{OpenApi as Document, Server};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "JupiterInvoice API",
        version = "1.0.0",
        description = "Programmatic access to JupiterInvoice. Create and manage invoices and customers from your code, an LLM agent, or an MCP tool.\n\nMoney is always integer cents (or the smallest unit of the currency). Quantities are JSON numbers (1.5 = one and a half). Dates are ISO (YYYY-MM-DD). Timestamps are ISO 8601 in UTC. Errors are {\"error\": \"...\", \"field\": \"...\"}.\n\nWebhooks are signed with the Standard Webhooks scheme (headers webhook-id, webhook-timestamp, webhook-signature), so the official `standardwebhooks` libraries verify them unmodified. The body is {\"type\": \"invoice.sent\", \"timestamp\": \"...\", \"data\": {\"invoice\": {...}}}; failed deliveries are retried for about three days (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h)."
    ),
    paths(
        super::invoices::create,
        super::anonymous::create,
        super::invoices::list,
        super::invoices::get,
        super::invoices::update,
        super::invoices::send,
        super::invoices::delete,
        super::invoices::cancel,
        super::events::list,
        crate::pdf::http::by_number,
        crate::api::e_invoices::by_number,
        super::payments::create,
        super::payments::list,
        super::credit_notes::create,
        super::credit_notes::of_invoice,
        super::credit_notes::list,
        super::credit_notes::get,
        super::credit_notes::pdf,
        super::credit_notes::e_invoice,
        super::credit_notes::documents,
        super::credit_notes::archived,
        super::recurring::create,
        super::recurring::list,
        super::recurring::get,
        super::recurring::update,
        super::recurring::delete,
        super::recurring::pause,
        super::recurring::resume,
        super::recurring::skip,
        super::recurring::settings,
        super::recurring::save_settings,
        super::recurring::remind,
        super::recurring::set_reminders,
        super::customers::create,
        super::customers::list,
        super::customers::get,
        super::customers::update,
        super::customers::delete,
        super::webhooks::create,
        super::webhooks::list,
        super::webhooks::get,
        super::webhooks::update,
        super::webhooks::delete,
        super::webhooks::rotate_secret,
        super::webhook_deliveries::list,
        super::webhook_deliveries::get,
        super::webhook_deliveries::redeliver,
        super::webhook_deliveries::test,
    ),
    components(schemas(
        domain::dto::Address,
        domain::dto::Recipient,
        domain::dto::LineItem,
        domain::dto::ErrorBody,
        domain::einvoice::EInvoiceFormat,
        domain::einvoice::EInvoiceVerdict,
        domain::einvoice::EInvoiceViolation
    )),
    modifiers(&BearerAuth),
    security(("BearerAuth" = [])),
    tags((name = "invoices"), (name = "payments"), (name = "credit notes"), (name = "recurring invoices"), (name = "reminders"), (name = "customers"), (name = "events"), (name = "webhooks"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut Document) {
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("API key (jk_live_*)".into());
        http.description = Some("Mint a key with `jupiter api-key create` or from the keys page. Shown once.".into());
        doc.components
            .get_or_insert_with(Default::default)
            .add_security_scheme("BearerAuth", SecurityScheme::Http(http));
    }
}

/// The document, with the server URL of this deployment, request schemas and the answers
/// every operation can give (`contract`).
pub fn document(public_url: &str) -> serde_json::Value {
    let mut doc = ApiDoc::openapi();
    doc.servers = Some(vec![Server::new(format!("{public_url}/api/v1"))]);
    let mut value = serde_json::to_value(doc).unwrap_or_default();
    super::contract::complete(&mut value);
    value
}

/// The document is the same for the life of the process: built once, then served as bytes.
pub async fn serve(State(state): State<AppState>) -> impl IntoResponse {
    let body = state.openapi.get_or_init(|| Bytes::from(document(state.store.public_url()).to_string()));
    ([(header::CONTENT_TYPE, "application/json")], body.clone())
}

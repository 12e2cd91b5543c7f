//! The share link's server functions: no account, the token is the credential.

use crate::error::AppError;
use domain::diff::InvoiceDiff;
use domain::dto::{Invoice, SenderCard};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedView {
    pub invoice: Invoice,
    pub sender: SenderCard,
    pub changes: Option<InvoiceDiff>,
    pub po_required: bool,
    pub approved: Option<String>,
}

#[cfg(feature = "ssr")]
fn visitor(sender_id: Option<i64>) -> data::shared::Visitor {
    let parts = use_context::<http::request::Parts>();
    let ip = crate::server::client_ip().map(|ip| ip.to_string());
    let user_agent = parts
        .as_ref()
        .and_then(|p| p.headers.get(http::header::USER_AGENT))
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    data::shared::Visitor { ip, user_agent, sender_id }
}

#[cfg(feature = "ssr")]
fn to_view(s: data::shared::SharedInvoice) -> SharedView {
    SharedView {
        sender: data::senders::card(&s.sender),
        approved: s.approved_by.map(|name| match s.approved_at {
            Some(at) => format!("Approved by {name} on {}", at.format("%B %-d, %Y")),
            None => format!("Approved by {name}"),
        }),
        invoice: s.invoice,
        changes: s.changes,
        po_required: s.po_required,
    }
}

/// Opens the link; the recipient's first view marks the invoice viewed.
#[server(prefix = "/fn", endpoint = "open_shared")]
pub async fn open_shared(token: String) -> Result<SharedView, AppError> {
    use crate::server::{session, store};
    let sender_id = session::current().await.ok().flatten().map(|(_, s)| s.id);
    Ok(to_view(data::shared::view(&store()?, &token, &visitor(sender_id)).await?))
}

#[cfg(feature = "ssr")]
fn after_action(token: &str, done: &str) {
    if crate::server::is_plain_form_post() {
        leptos_axum::redirect(&format!("/i/{token}?done={done}"));
    }
}

#[server(prefix = "/fn", endpoint = "request_changes")]
pub async fn request_changes(token: String, message: String) -> Result<(), AppError> {
    data::shared::request_changes(&crate::server::store()?, &token, &message, &visitor(None)).await?;
    after_action(&token, "changes");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "approve_invoice")]
pub async fn approve_invoice(token: String, name: String, po_number: Option<String>) -> Result<(), AppError> {
    data::shared::approve(&crate::server::store()?, &token, &name, po_number.as_deref(), &visitor(None)).await?;
    after_action(&token, "approved");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "forward_invoice")]
pub async fn forward_invoice(token: String, email: String, note: String) -> Result<(), AppError> {
    data::shared::forward(&crate::server::store()?, &token, &email, &note, &visitor(None)).await?;
    after_action(&token, "forwarded");
    Ok(())
}

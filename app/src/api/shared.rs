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
    /// False for an invoice made without an account: we send no mail for it.
    pub forward_by_mail: bool,
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
        forward_by_mail: !s.sender.anonymous,
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

/// Where a plain form post (no JavaScript) from the share page goes next: the page again, saying
/// what was done, or the error encoded as Leptos encodes it for the page's form. Leptos would
/// send it back by the Referer, but the share page sends none (its URL is the credential).
#[cfg(feature = "ssr")]
fn back_to_page(token: &str, fn_path: &str, done: &str, result: Result<(), AppError>) -> Result<(), AppError> {
    use leptos::server_fn::error::ServerFnUrlError;
    if !crate::server::is_plain_form_post() {
        return result;
    }
    let page = format!("/i/{token}");
    let next = match &result {
        Ok(()) => format!("{page}?done={done}"),
        Err(e) => ServerFnUrlError::new(fn_path, e.clone())
            .to_url(&format!("http://share.page{page}"))
            .map(|url| format!("{}?{}", url.path(), url.query().unwrap_or_default()))
            .unwrap_or(page),
    };
    leptos_axum::redirect(&next);
    result
}

#[server(prefix = "/fn", endpoint = "request_changes")]
pub async fn request_changes(token: String, message: String) -> Result<(), AppError> {
    use leptos::server_fn::ServerFn;
    let done = async {
        Ok(data::shared::request_changes(&crate::server::store()?, &token, &message, &visitor(None))
            .await
            .map(|_| ())?)
    }
    .await;
    back_to_page(&token, RequestChanges::PATH, "changes", done)
}

#[server(prefix = "/fn", endpoint = "approve_invoice")]
pub async fn approve_invoice(token: String, name: String, po_number: Option<String>) -> Result<(), AppError> {
    use leptos::server_fn::ServerFn;
    let done = async {
        let store = crate::server::store()?;
        Ok(data::shared::approve(&store, &token, &name, po_number.as_deref(), &visitor(None)).await.map(|_| ())?)
    }
    .await;
    back_to_page(&token, ApproveInvoice::PATH, "approved", done)
}

#[server(prefix = "/fn", endpoint = "forward_invoice")]
pub async fn forward_invoice(token: String, email: String, note: String) -> Result<(), AppError> {
    use leptos::server_fn::ServerFn;
    let done = async {
        Ok(data::shared::forward(&crate::server::store()?, &token, &email, &note, &visitor(None)).await.map(|_| ())?)
    }
    .await;
    back_to_page(&token, ForwardInvoice::PATH, "forwarded", done)
}

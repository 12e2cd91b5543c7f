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
    /// The document in the invoice's language.
    pub printed: domain::printed::PrintedInvoice,
    pub changes: Option<InvoiceDiff>,
    pub po_required: bool,
    pub approved: Option<String>,
    /// False for an invoice made without an account: we send no mail for it.
    pub forward_by_mail: bool,
    /// "Pay $1,250.00" when the balance can be paid online now.
    pub pay: Option<String>,
    /// Why the balance cannot be paid online (Stripe cannot charge it exactly), when it is due
    /// and the sender takes card payments.
    pub pay_unavailable: Option<String>,
    /// What the return from Checkout (or a refused Pay) says: (all well, message).
    pub payment_notice: Option<(bool, String)>,
}

/// What the share page says about a payment, from its `payment` query value.
#[cfg(feature = "ssr")]
async fn payment_notice(
    store: &data::Store,
    token: &str,
    payment: Option<&str>,
    session_id: Option<&str>,
) -> Option<(bool, String)> {
    use data::payments::checkout::{self, Standing};
    let say = |ok: bool, text: &str| Some((ok, text.to_string()));
    match payment? {
        "success" => {
            let gateway = crate::server::settings().payments?;
            match checkout::returned(store, gateway.as_ref(), token, session_id?).await {
                Ok(Standing::Received) => {
                    say(true, "Payment received — thank you. A receipt is on its way to your inbox.")
                }
                Ok(Standing::Processing) => {
                    say(true, "Your payment is processing. This page will show it as paid once Stripe confirms it.")
                }
                Ok(Standing::NeedsAttention) => say(
                    false,
                    "Stripe took a payment that does not match this invoice. The sender has been told and will \
                     sort it out with you: please do not pay again.",
                ),
                Ok(Standing::Expired) => {
                    say(false, "That payment page expired and nothing was charged: pay again below.")
                }
                Err(_) => say(false, "We could not confirm your payment yet: reload this page in a minute."),
            }
        }
        "cancelled" => say(false, "Payment cancelled: nothing was charged."),
        "not-online" => say(false, "This amount cannot be paid by card: pay with the details on the invoice."),
        "nothing-due" => say(true, "Nothing is due on this invoice now."),
        "unavailable" => say(
            false,
            "Paying online is not available right now. Try again in a minute, or pay with the details on the invoice.",
        ),
        _ => None,
    }
}

/// The Pay button's label when the link's balance can be paid online now, or why it cannot be.
#[cfg(feature = "ssr")]
async fn pay_offer(store: &data::Store, token: &str) -> (Option<String>, Option<String>) {
    use data::payments::checkout::{NoPay, payable};
    let Some(gateway) = crate::server::settings().payments else { return (None, None) };
    match payable(store, token, gateway.deployment_configured()).await {
        Ok(Ok(p)) => (Some(format!("Pay {}", domain::currency::format_amount(p.amount_cents, &p.currency))), None),
        Ok(Err(NoPay::NotChargeable(why))) => (None, Some(why)),
        _ => (None, None),
    }
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
    let card = data::senders::card(&s.sender);
    SharedView {
        forward_by_mail: !s.sender.anonymous,
        printed: i18n::document::print(&s.invoice, &card, s.invoice.language),
        sender: card,
        approved: s.approved_by.map(|name| match s.approved_at {
            Some(at) => format!("Approved by {name} on {}", at.format("%B %-d, %Y")),
            None => format!("Approved by {name}"),
        }),
        invoice: s.invoice,
        changes: s.changes,
        po_required: s.po_required,
        pay: None,
        pay_unavailable: None,
        payment_notice: None,
    }
}

/// Opens the link; the recipient's first view marks the invoice viewed.
#[server(prefix = "/fn", endpoint = "open_shared")]
pub async fn open_shared(
    token: String,
    payment: Option<String>,
    session_id: Option<String>,
) -> Result<SharedView, AppError> {
    use crate::server::{session, store};
    let store = store()?;
    let sender_id = session::current().await.ok().flatten().map(|(_, s)| s.id);
    // The return from Checkout first: it may record the payment the page then shows.
    let payment_notice = payment_notice(&store, &token, payment.as_deref(), session_id.as_deref()).await;
    let mut view = to_view(data::shared::view(&store, &token, &visitor(sender_id)).await?);
    (view.pay, view.pay_unavailable) = pay_offer(&store, &token).await;
    view.payment_notice = payment_notice;
    Ok(view)
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

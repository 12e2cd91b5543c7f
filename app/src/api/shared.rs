//! The share link's server functions: no account, the token is the credential.

use crate::error::AppError;
use domain::dto::{Invoice, SenderCard};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedView {
    pub invoice: Invoice,
    pub sender: SenderCard,
    /// The document in the invoice's language.
    pub printed: domain::printed::PrintedInvoice,
    /// The page's fixed words in the invoice's language, by key (`PAGE_WORDS` and the status's).
    pub words: std::collections::BTreeMap<String, String>,
    /// The page's title and heading ("Invoice ACME-0001 from Studio", "Invoice ACME-0001").
    pub title: String,
    pub heading: String,
    /// "From Studio · €1,250.00 due December 31, 2026".
    pub summary: String,
    /// What changed since the recipient last looked: (kind, sentence) and the total's change.
    pub changes: Option<(Vec<(String, String)>, String)>,
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
    /// The invoice's credit notes: (number, what it credits and why, its PDF's path).
    #[serde(default)]
    pub credit_notes: Vec<(String, String, String)>,
}

/// What the share page says about a payment, from its `payment` query value: whether all is
/// well, and the key of its words.
#[cfg(feature = "ssr")]
async fn payment_notice(
    store: &data::Store,
    token: &str,
    payment: Option<&str>,
    session_id: Option<&str>,
) -> Option<(bool, &'static str)> {
    use data::payments::checkout::{self, Standing};
    let say = |ok: bool, key: &'static str| Some((ok, key));
    match payment? {
        "success" => {
            let gateway = crate::server::settings().payments?;
            match checkout::returned(store, gateway.as_ref(), token, session_id?).await {
                Ok(Standing::Received) => say(true, "share-paid-received"),
                Ok(Standing::Processing) => say(true, "share-paid-processing"),
                Ok(Standing::NeedsAttention) => say(false, "share-paid-mismatch"),
                Ok(Standing::Expired) => say(false, "share-paid-expired"),
                Err(_) => say(false, "share-paid-unconfirmed"),
            }
        }
        "cancelled" => say(false, "share-paid-cancelled"),
        "not-online" => say(false, "share-paid-not-online"),
        "nothing-due" => say(true, "share-paid-nothing-due"),
        "unavailable" => say(false, "share-paid-unavailable"),
        _ => None,
    }
}

/// The Pay button's label when the link's balance can be paid online now, or why it cannot be.
#[cfg(feature = "ssr")]
async fn pay_offer(store: &data::Store, token: &str, language: domain::Language) -> (Option<String>, Option<String>) {
    use data::payments::checkout::{NoPay, payable};
    let Some(gateway) = crate::server::settings().payments else { return (None, None) };
    match payable(store, token, gateway.deployment_configured()).await {
        Ok(Ok(p)) => {
            let amount = i18n::money(language, p.amount_cents, &p.currency);
            (Some(i18n::text_with(language, "share-pay", &[("amount", &amount)])), None)
        }
        // Stripe's exact reason (in English) is for the sender's page; the payer reads what to do.
        Ok(Err(NoPay::NotChargeable(_))) => (None, Some(i18n::text(language, "share-paid-not-online"))),
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

/// What changed, in the recipient's words: (kind, sentence) per line and field, and the total.
#[cfg(feature = "ssr")]
fn changes_text(d: &domain::diff::InvoiceDiff, l: domain::Language, currency: &str) -> (Vec<(String, String)>, String) {
    let m = |c: i64| i18n::money(l, c, currency);
    let line = |key: &str, name: &str, amount: i64| i18n::text_with(l, key, &[("line", name), ("amount", &m(amount))]);
    let mut items: Vec<(String, String)> = Vec::new();
    items.extend(
        d.removed.iter().map(|x| ("removed".into(), line("share-removed", &x.description, x.line_total_cents))),
    );
    items.extend(d.added.iter().map(|x| ("added".into(), line("share-added", &x.description, x.line_total_cents))));
    items.extend(d.changed.iter().map(|c| {
        let (before, after) = (m(c.before.line_total_cents), m(c.after.line_total_cents));
        let text = i18n::text_with(
            l,
            "share-changed",
            &[("line", &c.after.description), ("before", &before), ("after", &after)],
        );
        ("changed".to_string(), text)
    }));
    if !d.fields.is_empty() {
        items.push((String::new(), i18n::text_with(l, "share-also-changed", &[("fields", &d.fields.join(", "))])));
    }
    let total =
        i18n::text_with(l, "share-total-change", &[("before", &m(d.total_before)), ("after", &m(d.total_after))]);
    (items, total)
}

#[cfg(feature = "ssr")]
fn to_view(s: data::shared::SharedInvoice) -> SharedView {
    let card = data::senders::card(&s.sender);
    let l = s.invoice.language;
    let summary = i18n::text_with(
        l,
        "share-summary",
        &[
            ("sender", &card.company),
            ("total", &i18n::money(l, s.invoice.total_cents, &s.invoice.currency)),
            ("date", &i18n::date(l, s.invoice.due_date)),
        ],
    );
    SharedView {
        forward_by_mail: !s.sender.anonymous,
        printed: i18n::document::print(&s.invoice, &card, l),
        // Only what the page can say: every word travels twice (in the HTML and its data).
        words: i18n::words(
            l,
            crate::pages::shared::PAGE_WORDS
                .iter()
                .copied()
                .chain([format!("status-{}", s.invoice.status.as_str()).as_str()]),
        ),
        title: i18n::text_with(l, "share-title", &[("number", &s.invoice.id), ("sender", &card.company)]),
        heading: i18n::text_with(l, "share-heading", &[("number", &s.invoice.id)]),
        summary,
        sender: card,
        approved: s.approved_by.map(|name| match s.approved_at {
            Some(at) => i18n::text_with(
                l,
                "share-approved-by-on",
                &[("name", &name), ("date", &i18n::date(l, at.date_naive()))],
            ),
            None => i18n::text_with(l, "share-approved-by", &[("name", &name)]),
        }),
        changes: s.changes.as_ref().map(|d| changes_text(d, l, &s.invoice.currency)),
        credit_notes: s
            .credit_notes
            .iter()
            .map(|n| {
                let line = i18n::text_with(
                    l,
                    "share-credit-note-line",
                    &[
                        ("credit", &n.id),
                        ("date", &i18n::date(l, n.issue_date)),
                        ("amount", &i18n::money(l, n.total_cents, &n.currency)),
                        ("reason", &n.reason),
                    ],
                );
                (n.id.clone(), line, format!("/credit-notes/{}/pdf", n.id))
            })
            .collect(),
        invoice: s.invoice,
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
    let shared = data::shared::view(&store, &token, &visitor(sender_id)).await?;
    let language = shared.invoice.language;
    let mut view = to_view(shared);
    (view.pay, view.pay_unavailable) = pay_offer(&store, &token, language).await;
    view.payment_notice = payment_notice.map(|(ok, key)| (ok, i18n::text(language, key)));
    Ok(view)
}

/// A refusal as the recipient reads it: in the invoice's language, by what it is about (the
/// data layer's messages are English, for the sender and the API).
#[cfg(feature = "ssr")]
async fn in_recipient_words(token: &str, e: AppError) -> AppError {
    use crate::error::ErrorKind;
    let key = match (e.kind, e.field.as_deref()) {
        (ErrorKind::NotFound, _) => return e,
        (ErrorKind::Invalid, Some("message")) => "share-error-message",
        (ErrorKind::Invalid, Some("name")) => "share-error-name",
        (ErrorKind::Invalid, Some("po_number")) => "share-error-po-number",
        (ErrorKind::Invalid, Some("email")) => "share-error-email",
        (ErrorKind::Invalid, Some("note")) => "share-error-note",
        (ErrorKind::Conflict, Some("email")) => "share-error-no-mail",
        (ErrorKind::RateLimited, _) => "share-error-too-many",
        (ErrorKind::Conflict | ErrorKind::Invalid, _) => "share-error-state",
        _ => "share-error-other",
    };
    let Ok(store) = crate::server::store() else { return e };
    let language = data::shared::language(&store, token).await;
    AppError { message: i18n::text(language, key), ..e }
}

/// Where a plain form post (no JavaScript) from the share page goes next: the page again, saying
/// what was done, or the error encoded as Leptos encodes it for the page's form. Leptos would
/// send it back by the Referer, but the share page sends none (its URL is the credential).
#[cfg(feature = "ssr")]
async fn back_to_page(token: &str, fn_path: &str, done: &str, result: Result<(), AppError>) -> Result<(), AppError> {
    use leptos::server_fn::error::ServerFnUrlError;
    let result = match result {
        Err(e) => Err(in_recipient_words(token, e).await),
        ok => ok,
    };
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
    back_to_page(&token, RequestChanges::PATH, "changes", done).await
}

#[server(prefix = "/fn", endpoint = "approve_invoice")]
pub async fn approve_invoice(token: String, name: String, po_number: Option<String>) -> Result<(), AppError> {
    use leptos::server_fn::ServerFn;
    let done = async {
        let store = crate::server::store()?;
        Ok(data::shared::approve(&store, &token, &name, po_number.as_deref(), &visitor(None)).await.map(|_| ())?)
    }
    .await;
    back_to_page(&token, ApproveInvoice::PATH, "approved", done).await
}

#[server(prefix = "/fn", endpoint = "forward_invoice")]
pub async fn forward_invoice(token: String, email: String, note: String) -> Result<(), AppError> {
    use leptos::server_fn::ServerFn;
    let done = async {
        Ok(data::shared::forward(&crate::server::store()?, &token, &email, &note, &visitor(None)).await.map(|_| ())?)
    }
    .await;
    back_to_page(&token, ForwardInvoice::PATH, "forwarded", done).await
}

//! /i/{token}: the invoice as its recipient opens it from the e-mail, with no account.
//! They can ask for changes, approve it, or forward it; every form works without JavaScript.

use crate::api::shared::{ApproveInvoice, ForwardInvoice, RequestChanges, SharedView, open_shared};
use crate::components::form::{FieldError, FormError, action_error};
use crate::components::invoice_doc::InvoiceDocument;
use crate::components::status::StatusBadge;
use crate::error::ErrorKind;
use domain::{Action, Status};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SharedInvoicePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let changes = ServerAction::<RequestChanges>::new();
    let approve = ServerAction::<ApproveInvoice>::new();
    let forward = ServerAction::<ForwardInvoice>::new();
    let versions = move || (changes.version().get(), approve.version().get(), forward.version().get());
    let query = use_query_map();
    let returned = move || {
        let q = query.read();
        (q.get("payment"), q.get("session_id"))
    };
    let shared = Resource::new(
        move || (token(), returned(), versions()),
        |(t, (payment, session), _)| open_shared(t, payment, session),
    );
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || shared.get().map(|r| match r {
                Err(e) if e.kind == ErrorKind::NotFound => view! { <crate::pages::not_found::NotFound/> }.into_any(),
                Err(e) => view! { <Title text="Invoice"/><div class="alert alert-error">{e.message}</div> }.into_any(),
                Ok(v) => view! { <Shared v token=token() changes approve forward/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The words the page looks up (`w`), besides its status's: the server sends these only.
pub const PAGE_WORDS: &[&str] = &[
    "share-download-pdf",
    "share-download-e-invoice",
    "share-credit-notes",
    "share-done-changes",
    "share-done-approved",
    "share-done-forwarded",
    "share-banner-paid",
    "share-banner-cancelled",
    "share-banner-change-requested",
    "share-changes-label",
    "share-changes-heading",
    "share-pay-note",
    "share-paying",
    "share-pay-by-transfer",
    "share-approve",
    "share-your-name",
    "share-po-number",
    "share-approve-button",
    "share-request-changes",
    "share-what-should-change",
    "share-send-request",
    "share-forward",
    "share-forward-link-intro",
    "share-link-label",
    "share-forward-intro",
    "share-email",
    "share-note",
    "share-forward-button",
];

/// The key of what the page says once a form went through.
fn done_message(done: &str) -> Option<&'static str> {
    Some(match done {
        "changes" => "share-done-changes",
        "approved" => "share-done-approved",
        "forwarded" => "share-done-forwarded",
        _ => return None,
    })
}

#[component]
fn Shared(
    v: SharedView,
    token: String,
    changes: ServerAction<RequestChanges>,
    approve: ServerAction<ApproveInvoice>,
    forward: ServerAction<ForwardInvoice>,
) -> impl IntoView {
    let status = v.invoice.status;
    let open = status.apply(Action::Approve).is_ok();
    // Every word comes in the invoice's language with the page's data.
    // A stored value keeps the lookup Copy, so every block of the view can use it.
    let words = StoredValue::new(v.words.clone());
    let w = move |key: &str| words.with_value(|all| all.get(key).cloned()).unwrap_or_else(|| key.to_string());
    let query = use_query_map();
    let done = move || {
        let by_js = [
            changes.value().get().is_some_and(|r| r.is_ok()).then_some("changes"),
            approve.value().get().is_some_and(|r| r.is_ok()).then_some("approved"),
            forward.value().get().is_some_and(|r| r.is_ok()).then_some("forwarded"),
        ];
        by_js
            .into_iter()
            .flatten()
            .last()
            .map(str::to_string)
            .or_else(|| query.read().get("done"))
            .and_then(|d| done_message(&d))
    };
    let done_words = w;
    let changes_error = action_error(changes);
    let approve_error = action_error(approve);
    let forward_error = action_error(forward);
    let just_paid = v.payment_notice.as_ref().is_some_and(|(ok, _)| *ok);
    let banner = match status {
        Status::Approved => v.approved.clone(),
        // The return from Checkout says it already.
        Status::Paid if just_paid => None,
        Status::Paid => Some(w("share-banner-paid")),
        Status::Cancelled => Some(w("share-banner-cancelled")),
        Status::ChangeRequested => Some(w("share-banner-change-requested")),
        _ => None,
    };
    let t = token.clone();
    let t2 = token.clone();
    let t3 = token.clone();
    view! {
        <Title text=v.title.clone()/>
        <div class="page-head" lang=v.invoice.language.code()>
            <h1>{v.heading.clone()} " " <StatusBadge status label=w(&format!("status-{}", status.as_str()))/></h1>
            <p class="muted">{v.summary.clone()}</p>
            <a class="button button-secondary" href=format!("/i/{token}/pdf") download=format!("{}.pdf", v.invoice.id)>{w("share-download-pdf")}</a>
            // The e-invoice the recipient receives beside the PDF (XRechnung, Peppol); Factur-X
            // is inside the PDF.
            {v.invoice.recipient.e_invoice_format.filter(|f| !f.is_pdf()).map(|f| view! {
                " "<a class="button button-secondary" href=format!("/i/{token}/e-invoice") download=f.file_name(&v.invoice.id) data-testid="e-invoice-download">
                    {w("share-download-e-invoice")}" · "{f.label()}
                </a>
            })}
        </div>
        {move || done().map(|m| view! { <div class="alert alert-ok" role="status">{done_words(m)}</div> })}
        {v.payment_notice.clone().map(|(ok, m)| view! {
            <div class=if ok { "alert alert-ok" } else { "alert alert-error" } role="status" data-testid="payment-notice">{m}</div>
        })}
        {banner.map(|b| view! { <div class="alert alert-ok" role="status">{b}</div> })}
        {(!v.credit_notes.is_empty()).then(|| view! {
            <section class="card credit-notes" aria-label=w("share-credit-notes") lang=v.invoice.language.code()>
                <h2>{w("share-credit-notes")}</h2>
                {v.credit_notes.iter().map(|(number, line, pdf)| view! {
                    <p data-testid=format!("credit-note-{number}")>
                        <a href=format!("/i/{token}{pdf}") download=format!("{number}.pdf")>{line.clone()}</a>
                    </p>
                }).collect_view()}
            </section>
        }.into_any())}
        {v.changes.clone().map(|(items, total)| view! { <Changes items total label=w("share-changes-label") heading=w("share-changes-heading")/> })}
        <div class="invoice-layout" lang=v.invoice.language.code()>
            <InvoiceDocument doc=v.printed.clone()/>
            <aside class="stack">
                {v.pay.clone().map(|label| view! {
                    <section class="card pay">
                        // A plain form: the server answers 303 to Stripe's Checkout, with or without JavaScript.
                        <form method="post" action=format!("/i/{token}/pay")>
                            <button class="button button-pay" type="submit" data-testid="pay">{label}</button>
                        </form>
                        <p class="muted small">{w("share-pay-note")}</p>
                    </section>
                }.into_any())}
                {v.pay_unavailable.clone().map(|why| view! {
                    <section class="card pay" data-testid="pay-unavailable">
                        <h2>{w("share-paying")}</h2>
                        <p class="muted small">{why} " " {w("share-pay-by-transfer")}</p>
                    </section>
                }.into_any())}
                {open.then(|| view! {
                    <section class="card">
                        <h2>{w("share-approve")}</h2>
                        <ActionForm action=approve attr:class="stack">
                            <input type="hidden" name="token" value=t.clone()/>
                            <label class="field">{w("share-your-name")} <input name="name" autocomplete="name" required/></label>
                            <FieldError error=approve_error field="name"/>
                            {v.po_required.then(|| view! {
                                <label class="field">{w("share-po-number")} <input name="po_number" value=v.invoice.po_number.clone().unwrap_or_default() required/></label>
                            })}
                            <FieldError error=approve_error field="po_number"/>
                            <FormError error=approve_error fields=&["name", "po_number"]/>
                            <button class="button" type="submit">{w("share-approve-button")}</button>
                        </ActionForm>
                    </section>
                    <section class="card">
                        <h2>{w("share-request-changes")}</h2>
                        <ActionForm action=changes attr:class="stack">
                            <input type="hidden" name="token" value=t2.clone()/>
                            <label class="field">{w("share-what-should-change")} <textarea name="message" rows="3" required></textarea></label>
                            <FieldError error=changes_error field="message"/>
                            <FormError error=changes_error fields=&["message"]/>
                            <button class="button button-secondary" type="submit">{w("share-send-request")}</button>
                        </ActionForm>
                    </section>
                })}
                {(!v.forward_by_mail).then(|| view! {
                    <section class="card">
                        <h2>{w("share-forward")}</h2>
                        <p class="muted small">{w("share-forward-link-intro")}</p>
                        <input readonly aria-label=w("share-link-label") value=v.invoice.share_url.clone()/>
                    </section>
                })}
                <section class="card" hidden=!v.forward_by_mail>
                    <h2>{w("share-forward")}</h2>
                    <p class="muted small">{w("share-forward-intro")}</p>
                    <ActionForm action=forward attr:class="stack">
                        <input type="hidden" name="token" value=t3.clone()/>
                        <label class="field">{w("share-email")} <input type="email" name="email" required/></label>
                        <FieldError error=forward_error field="email"/>
                        <label class="field">{w("share-note")} <textarea name="note" rows="2"></textarea></label>
                        <FormError error=forward_error fields=&["email"]/>
                        <button class="button button-secondary" type="submit">{w("share-forward-button")}</button>
                    </ActionForm>
                </section>
            </aside>
        </div>
    }
}

/// What changed since the version the recipient saw last, worded on the server.
#[component]
fn Changes(items: Vec<(String, String)>, total: String, label: String, heading: String) -> impl IntoView {
    view! {
        <section class="card changes" aria-label=label>
            <h2>{heading}</h2>
            <ul>
                {items.into_iter().map(|(kind, text)| view! { <li class=kind>{text}</li> }).collect_view()}
            </ul>
            <p><strong>{total}</strong></p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    /// Every word this file looks up is in PAGE_WORDS (else the page would print its key).
    #[test]
    fn the_page_is_sent_every_word_it_says() {
        let source = include_str!("shared.rs");
        let code = &source[..source.find("#[cfg(test)]").unwrap_or(source.len())];
        let said: Vec<&str> = code.split('"').filter(|s| s.starts_with("share-") && !s.contains(' ')).collect();
        assert!(said.len() > 20, "{said:?}");
        for key in said {
            assert!(super::PAGE_WORDS.contains(&key), "{key} is looked up but not sent");
        }
    }
}

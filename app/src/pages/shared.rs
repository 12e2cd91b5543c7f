//! /i/{token}: the invoice as its recipient opens it from the e-mail, with no account.
//! They can ask for changes, approve it, or forward it; every form works without JavaScript.

use crate::api::shared::{ApproveInvoice, ForwardInvoice, RequestChanges, SharedView, open_shared};
use crate::components::form::{FieldError, FormError, action_error};
use crate::components::invoice_doc::InvoiceDocument;
use crate::components::status::StatusBadge;
use crate::error::ErrorKind;
use domain::currency::format_amount;
use domain::diff::InvoiceDiff;
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

fn done_message(done: &str) -> Option<&'static str> {
    Some(match done {
        "changes" => "Your request was sent. You will get an e-mail when the invoice is updated.",
        "approved" => "Thank you: the invoice is approved.",
        "forwarded" => "The invoice was forwarded.",
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
    let changes_error = action_error(changes);
    let approve_error = action_error(approve);
    let forward_error = action_error(forward);
    let just_paid = v.payment_notice.as_ref().is_some_and(|(ok, _)| *ok);
    let banner = match status {
        Status::Approved => v.approved.clone(),
        // The return from Checkout says it already.
        Status::Paid if just_paid => None,
        Status::Paid => Some("Paid — thank you.".to_string()),
        Status::Cancelled => Some("This invoice was cancelled; nothing is due.".to_string()),
        Status::ChangeRequested => Some("Changes were requested; the sender will update the invoice.".to_string()),
        _ => None,
    };
    let t = token.clone();
    let t2 = token.clone();
    let t3 = token.clone();
    view! {
        <Title text=format!("Invoice {} from {}", v.invoice.id, v.sender.company)/>
        <div class="page-head">
            <h1>{format!("Invoice {}", v.invoice.id)} " " <StatusBadge status/></h1>
            <p class="muted">{format!("From {} · {} due {}", v.sender.company, format_amount(v.invoice.total_cents, &v.invoice.currency), v.invoice.due_date)}</p>
            <a class="button button-secondary" href=format!("/i/{token}/pdf") download=format!("{}.pdf", v.invoice.id)>"Download PDF"</a>
        </div>
        {move || done().map(|m| view! { <div class="alert alert-ok" role="status">{m}</div> })}
        {v.payment_notice.clone().map(|(ok, m)| view! {
            <div class=if ok { "alert alert-ok" } else { "alert alert-error" } role="status" data-testid="payment-notice">{m}</div>
        })}
        {banner.map(|b| view! { <div class="alert alert-ok" role="status">{b}</div> })}
        {v.changes.clone().map(|d| view! { <Changes d currency=v.invoice.currency.clone()/> })}
        <div class="invoice-layout">
            <InvoiceDocument doc=v.printed.clone()/>
            <aside class="stack">
                {v.pay.clone().map(|label| view! {
                    <section class="card pay">
                        // A plain form: the server answers 303 to Stripe's Checkout, with or without JavaScript.
                        <form method="post" action=format!("/i/{token}/pay")>
                            <button class="button button-pay" type="submit" data-testid="pay">{label}</button>
                        </form>
                        <p class="muted small">"Card payment on Stripe's secure page."</p>
                    </section>
                }.into_any())}
                {v.pay_unavailable.clone().map(|why| view! {
                    <section class="card pay" data-testid="pay-unavailable">
                        <h2>"Paying"</h2>
                        <p class="muted small">{why} " Pay by bank transfer with the details on the invoice."</p>
                    </section>
                }.into_any())}
                {open.then(|| view! {
                    <section class="card">
                        <h2>"Approve"</h2>
                        <ActionForm action=approve attr:class="stack">
                            <input type="hidden" name="token" value=t.clone()/>
                            <label class="field">"Your name" <input name="name" autocomplete="name" required/></label>
                            <FieldError error=approve_error field="name"/>
                            {v.po_required.then(|| view! {
                                <label class="field">"Purchase order (PO) number" <input name="po_number" value=v.invoice.po_number.clone().unwrap_or_default() required/></label>
                            })}
                            <FieldError error=approve_error field="po_number"/>
                            <FormError error=approve_error fields=&["name", "po_number"]/>
                            <button class="button" type="submit">"Approve invoice"</button>
                        </ActionForm>
                    </section>
                    <section class="card">
                        <h2>"Request changes"</h2>
                        <ActionForm action=changes attr:class="stack">
                            <input type="hidden" name="token" value=t2.clone()/>
                            <label class="field">"What should change?" <textarea name="message" rows="3" required></textarea></label>
                            <FieldError error=changes_error field="message"/>
                            <FormError error=changes_error fields=&["message"]/>
                            <button class="button button-secondary" type="submit">"Send request"</button>
                        </ActionForm>
                    </section>
                })}
                {(!v.forward_by_mail).then(|| view! {
                    <section class="card">
                        <h2>"Forward"</h2>
                        <p class="muted small">"To pass this invoice on, send its link:"</p>
                        <input readonly aria-label="Link to this invoice" value=v.invoice.share_url.clone()/>
                    </section>
                })}
                <section class="card" hidden=!v.forward_by_mail>
                    <h2>"Forward"</h2>
                    <p class="muted small">"Send this invoice to a colleague, e.g. accounts payable."</p>
                    <ActionForm action=forward attr:class="stack">
                        <input type="hidden" name="token" value=t3.clone()/>
                        <label class="field">"E-mail address" <input type="email" name="email" required/></label>
                        <FieldError error=forward_error field="email"/>
                        <label class="field">"Note (optional)" <textarea name="note" rows="2"></textarea></label>
                        <FormError error=forward_error fields=&["email"]/>
                        <button class="button button-secondary" type="submit">"Forward invoice"</button>
                    </ActionForm>
                </section>
            </aside>
        </div>
    }
}

/// What changed since the version the recipient saw last.
#[component]
fn Changes(d: InvoiceDiff, currency: String) -> impl IntoView {
    let money = move |c: i64| format_amount(c, &currency);
    view! {
        <section class="card changes" aria-label="What changed">
            <h2>"What changed since you last looked"</h2>
            <ul>
                {d.removed.iter().map(|l| view! { <li class="removed">{format!("Removed: {} ({})", l.description, money(l.line_total_cents))}</li> }).collect_view()}
                {d.added.iter().map(|l| view! { <li class="added">{format!("Added: {} ({})", l.description, money(l.line_total_cents))}</li> }).collect_view()}
                {d.changed.iter().map(|c| view! {
                    <li class="changed">{format!("Changed: {} ({} → {})", c.after.description, money(c.before.line_total_cents), money(c.after.line_total_cents))}</li>
                }).collect_view()}
                {(!d.fields.is_empty()).then(|| view! { <li>{format!("Also changed: {}", d.fields.join(", "))}</li> })}
            </ul>
            <p><strong>{format!("Total: {} → {}", money(d.total_before), money(d.total_after))}</strong></p>
        </section>
    }
}

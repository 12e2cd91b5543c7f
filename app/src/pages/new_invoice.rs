//! /new: an invoice without an account — the signed-in editor's fields plus who it is from —
//! and /new/{number}: the invoice made, its link to send, its PDF, and signing in to keep it.
//! Both work without JavaScript; with it the totals are live.

use crate::api::anonymous::{CreateAnonymousInvoice, MadeInvoice, NewInvoiceData, load_made_invoice, load_new_invoice};
use crate::components::field::{CopyButton, TextField};
use crate::components::form::action_error;
use crate::components::invoice_doc::InvoiceDocument;
use crate::components::status::StatusBadge;
use crate::error::AppError;
use crate::pages::invoice_editor::EditorFields;
use domain::profile::SenderDetails;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Cloudflare's widget script, loaded on this page only and only when Turnstile is configured.
pub const TURNSTILE_SCRIPT: &str = "https://challenges.cloudflare.com/turnstile/v0/api.js";

#[component]
pub fn NewInvoicePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_new_invoice());
    let action = ServerAction::<CreateAnonymousInvoice>::new();
    let error = action_error(action);
    view! {
        <Title text="New invoice"/>
        <h1>"New invoice"</h1>
        <p class="muted">"No account needed: say who it is from and who it is for, and get a link to send your client and a PDF. Sign in later in this browser to keep it."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <div class="alert alert-error">{e.message}</div> }.into_any(),
                Ok(d) => view! { <NewInvoiceForm d action error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn NewInvoiceForm(
    d: NewInvoiceData,
    action: ServerAction<CreateAnonymousInvoice>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let NewInvoiceData { editor, from, made, turnstile_site_key, signed_in } = d;
    view! {
        {signed_in.then(|| view! {
            <div class="alert alert-ok">"You are signed in: " <a href="/invoices/new">"make it in your account"</a> " to send it by e-mail."</div>
        })}
        {(!made.is_empty()).then(|| view! {
            <section class="card">
                <h2>"Made in this browser"</h2>
                <ul class="plain-list">
                    {made.into_iter().map(|r| view! {
                        <li><a href=format!("/new/{}", r.number)>{r.number.clone()}</a> {format!(" · {} · {} · due {}", r.customer, r.total, r.due_date)}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <ActionForm action=action node_ref=form_ref attr:class="editor" attr:novalidate=true>
            <EditorFields data=editor error form_ref submit="Create invoice">
                {view! { <FromSection from error/> }.into_any()}
                <Honeypot/>
                {turnstile_site_key.map(|key| view! {
                    <section class="card">
                        <div class="cf-turnstile" data-sitekey=key data-response-field-name="cf_turnstile_response"></div>
                        <script src=TURNSTILE_SCRIPT async defer></script>
                        <crate::components::form::FieldError error field="cf_turnstile_response"/>
                    </section>
                }.into_any())}
            </EditorFields>
        </ActionForm>
    }
}

/// Who the invoice is from: the contract's sender fields, company required. (Split in two,
/// each type-erased: one view of twelve fields makes a type deep enough to overflow a worker
/// thread's stack when rendered in a debug build.)
#[component]
fn FromSection(from: SenderDetails, error: Signal<Option<AppError>>) -> impl IntoView {
    let bank = from.clone();
    view! {
        <section class="card">
            <h2>"From"</h2>
            {who(from, error)}
            <h3>"Where to pay"</h3>
            {bank_details(bank, error)}
        </section>
    }
}

fn who(from: SenderDetails, error: Signal<Option<AppError>>) -> AnyView {
    view! {
            <div class="grid-fields">
                <TextField label="Your company or name" name="sender[company]" field="sender.company" value=from.company error autocomplete="organization" required=true/>
                <TextField label="Your e-mail (printed on the invoice)" name="sender[email]" field="sender.email" value=from.email error kind="email" autocomplete="email"/>
                <TextField label="Address" name="sender[address_line1]" field="sender.address_line1" value=from.address_line1 error autocomplete="address-line1"/>
                <TextField label="City" name="sender[city]" field="sender.city" value=from.city error autocomplete="address-level2"/>
                <TextField label="Country" name="sender[country]" field="sender.country" value=from.country error autocomplete="country-name"/>
                <TextField label="Tax ID (VAT, EIN…)" name="sender[tax_id]" field="sender.tax_id" value=from.tax_id error/>
            </div>
    }
    .into_any()
}

fn bank_details(from: SenderDetails, error: Signal<Option<AppError>>) -> AnyView {
    view! {
            <div class="grid-fields">
                <TextField label="Bank name" name="sender[bank_name]" field="sender.bank_name" value=from.bank_name error/>
                <TextField label="Account name" name="sender[account_name]" field="sender.account_name" value=from.account_name error/>
                <TextField label="Account number" name="sender[account_number]" field="sender.account_number" value=from.account_number error/>
                <TextField label="Routing number" name="sender[routing_number]" field="sender.routing_number" value=from.routing_number error/>
                <TextField label="IBAN" name="sender[iban]" field="sender.iban" value=from.iban error/>
                <TextField label="SWIFT / BIC" name="sender[swift_code]" field="sender.swift_code" value=from.swift_code error/>
            </div>
    }
    .into_any()
}

/// A field people do not see and leave empty; a bot that fills it is refused.
#[component]
fn Honeypot() -> impl IntoView {
    view! {
        <div class="honeypot" aria-hidden="true">
            <label>"Website (leave empty)" <input name="website" tabindex="-1" autocomplete="off" value=""/></label>
        </div>
    }
}

#[component]
pub fn MadeInvoicePage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let made = Resource::new(number, load_made_invoice);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || made.get().map(|r| match r {
                Err(_) => view! {
                    <Title text="Invoice"/>
                    <h1>"Not in this browser"</h1>
                    <p>"This invoice was not made in this browser, or it has moved: once you sign in, invoices made here are in " <a href="/invoices">"your invoices"</a> "."</p>
                }.into_any(),
                Ok(m) => view! { <Made m/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Made(m: MadeInvoice) -> impl IntoView {
    let MadeInvoice { invoice, printed, .. } = m;
    let link = invoice.share_url.clone();
    let pdf = format!("/i/{}/pdf", invoice.share_token);
    let number = invoice.id.clone();
    view! {
        <Title text=format!("Invoice {number}")/>
        <div class="page-head">
            <h1>{format!("Invoice {number} is ready")} " " <StatusBadge status=invoice.status/></h1>
            <a class="button button-secondary" href=pdf download=format!("{number}.pdf")>"Download PDF"</a>
        </div>
        <section class="card">
            <h2>"Send this link to your client"</h2>
            <p class="muted small">"They can view it, download the PDF, ask for changes and approve it — no account needed."</p>
            <div class="inline-fields">
                <input class="grow" readonly aria-label="Link to the invoice" value=link.clone()/>
                <CopyButton text=link.clone() label="Copy link"/>
                <a class="button button-small button-secondary" href=link>"Open as your client sees it"</a>
            </div>
        </section>
        <section class="card">
            <h2>"Sign in to keep it and send it by e-mail"</h2>
            <p class="muted">"Invoices made without an account are deleted 30 days after the latest one made in this browser. Sign in here (we e-mail you a link) and they move into your account, with their links unchanged."</p>
            <p><a class="button" href="/signin?next=%2Finvoices">"Sign in to keep it"</a> " " <a href="/new">"Make another invoice"</a></p>
        </section>
        <InvoiceDocument doc=printed/>
    }
}

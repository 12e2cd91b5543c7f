use crate::api::customers::{SaveCustomer, list_customers, load_customer};
use crate::components::field::TextField;
use crate::components::form::{FieldError, FormError, action_error};
use crate::error::AppError;
use domain::forms::CustomerForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CustomersPage() -> impl IntoView {
    let query = use_query_map();
    let cursor = move || query.read().get("cursor");
    let page = Resource::new(cursor, list_customers);
    let saved = move || query.read().get("saved");
    view! {
        <Title text="Customers"/>
        <div class="page-head">
            <h1>"Customers"</h1>
            <a class="button" href="/customers/new">"New customer"</a>
        </div>
        {move || saved().map(|code| view! { <div class="alert alert-ok" role="status">{format!("Customer {code} saved.")}</div> })}
        <div class="card">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || page.get().map(|r| match r {
                    Err(e) => view! { <div class="alert alert-error">{e.message}</div> }.into_any(),
                    Ok(p) if p.data.is_empty() => view! {
                        <p class="muted">"No customers yet. They are also created for you when you invoice someone new."</p>
                    }.into_any(),
                    Ok(p) => view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead><tr><th>"Code"</th><th>"Company"</th><th>"Contact"</th><th>"PO"</th></tr></thead>
                                <tbody>
                                    {p.data.into_iter().map(|c| view! {
                                        <tr>
                                            <td><code>{c.code.clone()}</code></td>
                                            <td><a href=format!("/customers/{}", c.id)>{c.company.clone()}</a></td>
                                            <td>{c.contact.and_then(|x| x.email.or(x.name)).unwrap_or_default()}</td>
                                            <td>{if c.po_required { "required" } else { "" }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {p.next_cursor.map(|c| view! { <p><a href=format!("/customers?cursor={c}")>"Older customers →"</a></p> })}
                    }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

/// /customers/new and /customers/{id}.
#[component]
pub fn CustomerEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let loaded = Resource::new(id, load_customer);
    let action = ServerAction::<SaveCustomer>::new();
    let error = action_error(action);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || loaded.get().map(|r| match r {
                Err(e) => view! { <Title text="Customer"/><div class="alert alert-error">{e.message}</div> }.into_any(),
                Ok((existing, form)) => {
                    let title = existing.as_ref().map(|c| format!("{} ({})", c.company, c.code)).unwrap_or_else(|| "New customer".into());
                    view! {
                        <Title text=title.clone()/>
                        <h1>{title}</h1>
                        <CustomerFormView id=existing.map(|c| c.id) form action error/>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

const FIELDS: &[&str] = &[
    "company",
    "contact.name",
    "contact.email",
    "ap_contact.name",
    "ap_contact.email",
    "billing_entity",
    "tax_id",
    "vat_id",
    "address.line1",
    "address.line2",
    "address.city",
    "address.state",
    "address.postal_code",
    "address.country",
    "notes",
    "buyer_reference",
    "peppol_id",
];

#[component]
fn CustomerFormView(
    id: Option<i64>,
    form: CustomerForm,
    action: ServerAction<SaveCustomer>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    // Errors about one of several addresses (cc_emails[2]) show under the address box.
    let cc_error = Signal::derive(move || {
        error.get().filter(|e| e.field.as_deref().is_some_and(|f| f.starts_with("cc_emails"))).map(|mut e| {
            e.field = Some("cc_emails".into());
            e
        })
    });
    view! {
        <ActionForm action=action attr:class="card">
            <FormError error fields=FIELDS/>
            {id.map(|id| view! { <input type="hidden" name="id" value=id/> })}
            {view! { <div class="grid-fields">
                <TextField label="Company" name="customer[company]" field="company" value=form.company error required=true autocomplete="organization"/>
                <TextField label="Billing entity" name="customer[billing_entity]" field="billing_entity" value=form.billing_entity error hint="Legal name to bill, if different"/>
                <TextField label="Contact name" name="customer[contact_name]" field="contact.name" value=form.contact_name error/>
                <TextField label="Contact e-mail" name="customer[contact_email]" field="contact.email" value=form.contact_email error kind="email"/>
                <TextField label="Accounts payable name" name="customer[ap_name]" field="ap_contact.name" value=form.ap_name error/>
                <TextField label="Accounts payable e-mail" name="customer[ap_email]" field="ap_contact.email" value=form.ap_email error kind="email"/>
                <TextField label="Tax ID" name="customer[tax_id]" field="tax_id" value=form.tax_id error/>
                <TextField label="EU VAT ID (checked)" name="customer[vat_id]" field="vat_id" value=form.vat_id error/>
                <label class="field">"Invoice language"
                    {crate::pages::invoice_editor::document_language_select("customer[language]", "Invoice language", "English", form.language.clone())}
                </label>
                <TextField label="Copy invoices to (cc)" name="customer[cc_emails]" field="cc_emails" value=form.cc_emails error=cc_error hint="Separate addresses with commas"/>
                <TextField label="Address" name="customer[address_line1]" field="address.line1" value=form.address_line1 error/>
                <TextField label="Address line 2" name="customer[address_line2]" field="address.line2" value=form.address_line2 error/>
                <TextField label="City" name="customer[city]" field="address.city" value=form.city error/>
                <TextField label="State / region" name="customer[state]" field="address.state" value=form.state error/>
                <TextField label="Postal code" name="customer[postal_code]" field="address.postal_code" value=form.postal_code error/>
                <TextField label="Country" name="customer[country]" field="address.country" value=form.country error/>
            </div> }.into_any()}
            {view! { <fieldset class="grid-fields">
                <legend>"E-invoice"</legend>
                <label class="field">"E-invoice they receive"
                    <select name="customer[e_invoice_format]" aria-label="E-invoice they receive">
                        {domain::einvoice::EInvoiceFormat::ALL.iter().map(|f| {
                            view! { <option value=f.as_str() selected=form.e_invoice_format == f.as_str()>{f.label()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <TextField label="Buyer reference (Leitweg-ID)" name="customer[buyer_reference]" field="buyer_reference" value=form.buyer_reference error hint="XRechnung requires it, e.g. 991-01234-56"/>
                <TextField label="Peppol id" name="customer[peppol_id]" field="peppol_id" value=form.peppol_id error hint="scheme:identifier, e.g. 0088:4012345000009"/>
            </fieldset> }.into_any()}
            <label class="check">
                <input type="checkbox" name="customer[po_required]" checked=form.po_required.is_some()/>
                "A purchase order (PO) number is required to approve invoices"
            </label>
            <label class="field">
                "Notes (only you see them)"
                <textarea name="customer[notes]" rows="3">{form.notes}</textarea>
            </label>
            <FieldError error field="notes"/>
            <p class="actions">
                <button class="button" type="submit">"Save customer"</button>
                <a class="button button-secondary" href="/customers">"Cancel"</a>
            </p>
        </ActionForm>
    }
}

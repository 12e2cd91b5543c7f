//! /invoices/new and /invoices/{number}/edit: line items, discounts, tax and dates, with
//! totals computed as the user types by the same domain code as the API (compiled to wasm).
//! Without JavaScript the form posts: "Update totals" shows them, "Save" saves.

use crate::api::invoices::{EditorData, SaveInvoice, load_editor};
use crate::components::form::{FormError, action_error};
use crate::error::AppError;
use domain::currency::format_amount;
use domain::document::group_label;
use domain::forms::{InvoiceForm, LineForm};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Blank rows offered for new lines when JavaScript cannot add them.
const SPARE_ROWS: usize = 2;

#[component]
pub fn InvoiceEditorPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number");
    let data = Resource::new(number, load_editor);
    let action = ServerAction::<SaveInvoice>::new();
    let error = action_error(action);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Title text="Invoice"/><div class="alert alert-error">{e.message}</div> }.into_any(),
                Ok(d) => view! { <Editor data=d action error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The form's fields are the source of truth: inputs carry their value only as rendered, and
/// the signal is read back from the fields on every input. A value typed before the page
/// became interactive therefore survives hydration (a reactive `value` property would reset it).
#[cfg(feature = "hydrate")]
fn read_fields(form: &leptos::web_sys::HtmlFormElement) -> Option<InvoiceForm> {
    use wasm_bindgen::JsCast;
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let entries = js_sys::try_iter(&data).ok()??;
    let pairs = entries.filter_map(|entry| {
        let pair = entry.ok()?.dyn_into::<js_sys::Array>().ok()?;
        Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
    });
    Some(InvoiceForm::from_fields(pairs))
}

/// Copies what the fields hold into the signal (only in the browser).
fn sync_from_fields(form_ref: NodeRef<leptos::html::Form>, form: RwSignal<InvoiceForm>) {
    #[cfg(feature = "hydrate")]
    if let Some(read) = form_ref.get_untracked().and_then(|el| read_fields(&el)) {
        form.set(read);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (form_ref, form);
}

type FieldGet = fn(&InvoiceForm) -> String;

/// An input named after one field of the form, showing its value as rendered.
fn field_input(form: RwSignal<InvoiceForm>, name: &'static str, get: FieldGet) -> impl IntoView {
    view! { <input name=format!("invoice[{name}]") id=format!("f-{name}") value=form.with_untracked(get)/> }
}

type LineGet = fn(&LineForm) -> String;

fn line_value(form: RwSignal<InvoiceForm>, row: usize, get: LineGet) -> String {
    form.with_untracked(|f| f.lines.get(row).map(get).unwrap_or_default())
}

fn line_input(
    form: RwSignal<InvoiceForm>,
    row: usize,
    name: &'static str,
    label: String,
    get: LineGet,
) -> impl IntoView {
    view! {
        <input
            name=format!("invoice[lines][{row}][{name}]")
            aria-label=label
            class=format!("line-{name}")
            value=line_value(form, row, get)
        />
    }
}

fn discount_select(name: String, label: String, current: String) -> impl IntoView {
    view! {
        <select name=name aria-label=label>
            <option value="" selected=current.is_empty()>"No discount"</option>
            <option value="percent" selected=current == "percent">"% off"</option>
            <option value="flat" selected=current == "flat">"Amount off"</option>
        </select>
    }
}

/// The tax categories a line can take, as the select offers them ("" = the invoice's rate).
const TAX_CHOICES: [(&str, &str); 8] = [
    ("", "Invoice rate"),
    ("standard", "Standard (rate)"),
    ("zero_rated", "Zero-rated"),
    ("exempt", "Exempt"),
    ("reverse_charge", "Reverse charge"),
    ("intra_community", "Intra-EU supply"),
    ("export", "Export"),
    ("outside_scope", "Not subject to VAT"),
];

/// The documents' language: the customer's (left empty) or one of ours.
pub(crate) fn document_language_select(
    name: &'static str,
    label: &'static str,
    empty: &'static str,
    current: String,
) -> impl IntoView {
    view! {
        <select name=name aria-label=label>
            <option value="" selected=current.is_empty()>{empty}</option>
            {domain::Language::ALL.iter().map(|l| {
                view! { <option value=l.code() selected=current == l.code()>{l.name()}</option> }
            }).collect_view()}
        </select>
    }
}

fn tax_select(name: String, label: String, current: String) -> impl IntoView {
    view! {
        <select name=name aria-label=label class="line-tax-category">
            {TAX_CHOICES.iter().map(|(value, text)| {
                view! { <option value=*value selected=current == *value>{*text}</option> }
            }).collect_view()}
        </select>
    }
}

/// What the editor's rows share: the form, whether buttons can work, and the save error.
#[derive(Clone, Copy)]
struct Rows {
    form: RwSignal<InvoiceForm>,
    /// Bumped when rows are added, removed or moved: every row is then rendered afresh
    /// from the form (fields the user has edited ignore a changed `value` attribute).
    layout: RwSignal<u32>,
    hydrated: RwSignal<bool>,
    error: Signal<Option<AppError>>,
}

impl Rows {
    fn change(self, edit: impl FnOnce(&mut Vec<LineForm>)) {
        self.form.update(|f| edit(&mut f.lines));
        self.layout.update(|v| *v += 1);
    }

    fn error_for(self, row: usize) -> impl Fn() -> Option<String> {
        move || {
            let pos = self.form.with(|f| f.filled_position(row))?;
            let prefix = format!("line_items[{pos}]");
            self.error.get().filter(|e| e.field.as_deref().is_some_and(|f| f.starts_with(&prefix))).map(|e| e.message)
        }
    }
}

fn line_row(rows: Rows, row: usize) -> impl IntoView {
    let Rows { form, hydrated, .. } = rows;
    let n = row + 1;
    view! {
        <div class="line" role="listitem" data-testid=format!("line-{n}")>
            <label class="field line-desc">{format!("Line {n} description")}
                <textarea name=format!("invoice[lines][{row}][description]") rows="1">
                    {line_value(form, row, |l| l.description.clone())}
                </textarea>
            </label>
            <label class="field">"Qty" {line_input(form, row, "quantity", format!("Line {n} quantity"), |l| l.quantity.clone())}</label>
            <label class="field">"Unit price" {line_input(form, row, "unit_price", format!("Line {n} unit price"), |l| l.unit_price.clone())}</label>
            <label class="field line-discount">"Discount"
                <span class="pair">
                    {discount_select(
                        format!("invoice[lines][{row}][discount_kind]"),
                        format!("Line {n} discount kind"),
                        line_value(form, row, |l| l.discount_kind.clone()),
                    )}
                    {line_input(form, row, "discount_value", format!("Line {n} discount"), |l| l.discount_value.clone())}
                </span>
            </label>
            <label class="field line-tax">"VAT"
                <span class="pair">
                    {tax_select(
                        format!("invoice[lines][{row}][tax_category]"),
                        format!("Line {n} VAT category"),
                        line_value(form, row, |l| l.tax_category.clone()),
                    )}
                    {line_input(form, row, "tax_rate", format!("Line {n} VAT %"), |l| l.tax_rate.clone())}
                </span>
            </label>
            <details class="line-exemption" open=!line_value(form, row, |l| l.exemption_reason.clone()).is_empty()>
                <summary>"Exemption reason"</summary>
                <label class="field">"Reason printed on the invoice (default: the category's legal text)"
                    {line_input(form, row, "exemption_reason", format!("Line {n} exemption reason"), |l| l.exemption_reason.clone())}
                </label>
                <label class="field">"VATEX code" {line_input(form, row, "vatex", format!("Line {n} VATEX code"), |l| l.vatex.clone())}</label>
            </details>
            <p class="line-total num" aria-label=format!("Line {n} amount")>
                {move || form.with(|f| line_amount(f, row))}
            </p>
            <Show when=move || hydrated.get()>
                <div class="line-tools">
                    <button type="button" class="icon" title="Move up" aria-label=format!("Move line {n} up") disabled=row == 0
                        on:click=move |_| rows.change(|l| if row > 0 { l.swap(row, row - 1) })>"↑"</button>
                    <button type="button" class="icon" title="Move down" aria-label=format!("Move line {n} down")
                        on:click=move |_| rows.change(|l| if row + 1 < l.len() { l.swap(row, row + 1) })>"↓"</button>
                    <button type="button" class="icon" title="Remove" aria-label=format!("Remove line {n}")
                        on:click=move |_| rows.change(|l| { l.remove(row); })>"✕"</button>
                </div>
            </Show>
            <p class="field-error line-error" role="alert">{rows.error_for(row)}</p>
        </div>
    }
}

#[component]
fn Editor(data: EditorData, action: ServerAction<SaveInvoice>, error: Signal<Option<AppError>>) -> impl IntoView {
    let title = match &data.number {
        Some(n) => format!("Edit invoice {n}"),
        None => "New invoice".to_string(),
    };
    let number = data.number.clone().unwrap_or_default();
    let sent_note = data.status.filter(|s| *s != domain::Status::Draft).map(|s| {
        format!(
            "This invoice is {}: saving a change marks it updated and the recipient sees what changed.",
            s.as_str().replace('_', " ")
        )
    });
    let form_ref = NodeRef::<leptos::html::Form>::new();
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        {sent_note.map(|n| view! { <div class="alert alert-ok">{n}</div> })}
        {data.e_invoice.clone().filter(|(v, _, _)| !v.valid).map(|(verdict, required, customer_id)| view! {
            <crate::components::e_invoice::EInvoiceCheck verdict required number=number.clone() customer_id/>
        })}
        <ActionForm action=action node_ref=form_ref attr:class="editor" attr:novalidate=true>
            <input type="hidden" name="number" value=number/>
            <EditorFields data error form_ref submit="Save"/>
        </ActionForm>
    }
}

/// The editor's fields (recipient, details, lines, discount and tax) and live totals with the
/// submit button, inside a form the page provides (`form_ref`): the signed-in editor and /new
/// share them. `before` comes first inside (e.g. /new's "From").
#[component]
pub fn EditorFields(
    data: EditorData,
    error: Signal<Option<AppError>>,
    form_ref: NodeRef<leptos::html::Form>,
    submit: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let mut initial = data.form.clone();
    // Blank rows carry nothing; dropping them keeps "Update totals" from adding rows each time.
    initial.lines.retain(|l| !l.is_blank());
    let spare = if initial.lines.is_empty() { SPARE_ROWS + 1 } else { SPARE_ROWS };
    initial.lines.extend(std::iter::repeat_n(LineForm::default(), spare));
    let form = RwSignal::new(initial);
    let hydrated = RwSignal::new(false);
    let rows = Rows { form, layout: RwSignal::new(0), hydrated, error };
    Effect::new(move |_| {
        if form_ref.get().is_some() {
            sync_from_fields(form_ref, form);
            hydrated.set(true);
        }
    });
    let is_new = data.number.is_none();
    let paid = data.paid_cents;
    let data_for_proposal = data.clone();
    // The e-invoice's verdict about the buyer reference, next to its field.
    let buyer_reference_violation = data.e_invoice.as_ref().and_then(|(verdict, _, _)| {
        verdict
            .violations
            .iter()
            .find(|v| v.field.as_deref() == Some("recipient.buyer_reference"))
            .map(|v| v.message.clone())
    });

    let field_error = move |field: &'static str| move || error.get().and_then(|e| e.about(field));
    let shown: &'static [&'static str] = &[
        "customer_id",
        "recipient",
        "recipient.company",
        "recipient.email",
        "recipient.vat_id",
        "currency",
        "issue_date",
        "due_date",
        "po_number",
        "tax.rate",
        "tax.label",
        "discount.value",
        "discount.value_cents",
        "line_items",
    ];
    let other_error = Signal::derive(move || {
        error.get().filter(|e| {
            e.field.as_deref().is_none_or(|f| {
                !shown.contains(&f)
                    && !f.starts_with("line_items[")
                    && !f.starts_with("recipient.cc")
                    && !f.starts_with("sender.")
                    && f != "cf_turnstile_response"
            })
        })
    });

    view! {
            // Each section is type-erased: as one view the form's type is deep enough to
            // overflow a 2 MiB worker stack when a debug build renders it.
            <div on:input=move |_| sync_from_fields(form_ref, form) on:change=move |_| sync_from_fields(form_ref, form)>
            <FormError error=other_error/>
            {children.map(|c| c())}
            {view! { <section class="card">
                <h2>"Bill to"</h2>
                {if is_new && !data.customers.is_empty() {
                    let initial = form.with_untracked(|f| f.customer_id.clone());
                    view! {
                        <label class="field">
                            "Customer"
                            <select name="invoice[customer_id]">
                                <option value="" selected=initial.is_empty()>"A new recipient (type below)"</option>
                                {data.customers.iter().map(|c| {
                                    let id = c.id.to_string();
                                    view! { <option value=id.clone() selected=initial == id>{c.label.clone()}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <p class="field-error" role="alert">{field_error("customer_id")}</p>
                    }.into_any()
                } else {
                    data.customer_label.clone().map(|label| view! { <p class="muted">{format!("Customer: {label}")}</p> }).into_any()
                }}
                {(is_new && !data.customers.is_empty()).then(|| view! { <p class="muted small">"For a new recipient fill in the fields below; with a customer chosen they are optional and replace the customer's details on this invoice."</p> })}
                <div class="grid-fields">
                    <label class="field">"Company" {field_input(form, "recipient_company", |f| f.recipient_company.clone())}</label>
                    <label class="field">"Contact name" {field_input(form, "recipient_name", |f| f.recipient_name.clone())}</label>
                    <label class="field">"E-mail" {field_input(form, "recipient_email", |f| f.recipient_email.clone())}</label>
                    <label class="field">"Copy to (cc)" {field_input(form, "cc_emails", |f| f.cc_emails.clone())}</label>
                    <label class="field">"VAT id" {field_input(form, "recipient_vat_id", |f| f.recipient_vat_id.clone())}</label>
                    <label class="field">"Buyer reference (Leitweg-ID)" {field_input(form, "buyer_reference", |f| f.buyer_reference.clone())}
                        {buyer_reference_violation.map(|m| view! { <span class="field-error" data-testid="buyer-reference-violation">{m}</span> })}
                    </label>
                </div>
                <p class="field-error" role="alert">{field_error("recipient")}{field_error("recipient.email")}{field_error("recipient.company")}{field_error("recipient.vat_id")}{field_error("recipient.buyer_reference")}</p>
                {move || cross_border_proposal(&data_for_proposal, form, rows)}
            </section> }.into_any()}

            {view! { <section class="card">
                <h2>"Details"</h2>
                <div class="grid-fields grid-4">
                    <label class="field">"Currency" {field_input(form, "currency", |f| f.currency.clone())}</label>
                    <label class="field">"Issue date" {field_input(form, "issue_date", |f| f.issue_date.clone())}</label>
                    <label class="field">"Due date" {field_input(form, "due_date", |f| f.due_date.clone())}</label>
                    <label class="field">"PO number" {field_input(form, "po_number", |f| f.po_number.clone())}</label>
                    <label class="field">"Document language"
                        {document_language_select("invoice[language]", "Document language", "The customer's", form.with_untracked(|f| f.language.clone()))}
                    </label>
                </div>
                <p class="field-error" role="alert">{field_error("currency")}{field_error("issue_date")}{field_error("due_date")}{field_error("po_number")}</p>
            </section> }.into_any()}

            {view! { <section class="card">
                <h2>"Line items"</h2>
                <p class="muted small">"Prices in the invoice currency, e.g. 1250.00. Empty rows are left out."</p>
                <div class="lines" role="list">
                    <For
                        each=move || {
                            let version = rows.layout.get();
                            (0..form.with_untracked(|f| f.lines.len())).map(move |row| (version, row)).collect::<Vec<_>>()
                        }
                        key=|key| *key
                        children=move |(_, row)| line_row(rows, row)
                    />
                </div>
                <p class="field-error" role="alert">{field_error("line_items")}</p>
                <Show when=move || hydrated.get()>
                    <button type="button" class="button button-secondary button-small" on:click=move |_| rows.change(|l| l.push(LineForm::default()))>"Add line"</button>
                </Show>
            </section> }.into_any()}

            <div class="editor-bottom">
                {view! { <section class="card">
                    <h2>"Discount and tax"</h2>
                    <label class="field">"Invoice discount"
                        <span class="pair">
                            {discount_select("invoice[discount_kind]".into(), "Invoice discount kind".into(), form.with_untracked(|f| f.discount_kind.clone()))}
                            {field_input(form, "discount_value", |f| f.discount_value.clone())}
                        </span>
                    </label>
                    <p class="field-error" role="alert">{field_error("discount.value")}{field_error("discount.value_cents")}</p>
                    <div class="grid-fields">
                        <label class="field">"Tax label" {field_input(form, "tax_label", |f| f.tax_label.clone())}</label>
                        <label class="field">"Tax rate %" {field_input(form, "tax_rate", |f| f.tax_rate.clone())}</label>
                    </div>
                    <p class="muted small">"The tax rate applies to lines left on \"Invoice rate\"; a line may have its own VAT."</p>
                    <label class="check">
                        <input type="checkbox" name="invoice[prices_include_tax]" value="on"
                            checked=form.with_untracked(|f| f.prices_include_tax == "on")/>
                        " Prices include tax (unit prices and discounts are gross)"
                    </label>
                    <p class="field-error" role="alert">{field_error("tax.rate")}{field_error("tax.label")}</p>
                    <label class="field">"Terms"
                        <textarea name="invoice[terms_text]" rows="2">{form.with_untracked(|f| f.terms_text.clone())}</textarea>
                    </label>
                    <label class="field">"Footer note"
                        <textarea name="invoice[footer_note]" rows="2">{form.with_untracked(|f| f.footer_note.clone())}</textarea>
                    </label>
                </section> }.into_any()}
                {view! { <section class="card totals" aria-live="polite">
                    <h2>"Totals"</h2>
                    {move || form.with(|f| totals_view(f, paid))}
                    <div class="actions">
                        <button class="button" type="submit">{submit}</button>
                        <Show when=move || !hydrated.get()>
                            <button class="button button-secondary" type="submit" name="intent" value="recalculate">"Update totals"</button>
                        </Show>
                    </div>
                </section> }.into_any()}
            </div>
            </div>
    }
}

/// A row's amount, or nothing while it is blank or incomplete.
fn line_amount(f: &InvoiceForm, row: usize) -> String {
    let Some(pos) = f.filled_position(row) else { return String::new() };
    f.totals()
        .ok()
        .and_then(|t| t.lines.get(pos).map(|l| format_amount(l.total_cents, &f.currency_code())))
        .unwrap_or_default()
}

/// The form's totals and VAT breakdown; with `paid_cents` paid already, what that leaves due.
fn totals_view(f: &InvoiceForm, paid_cents: i64) -> AnyView {
    let currency = f.currency_code();
    let money = |cents: i64| format_amount(cents, &currency);
    let seed_rate = domain::decimal::parse(&f.tax_rate);
    let seed = seed_rate.map(|rate| (Some(f.tax_label.trim()).filter(|l| !l.is_empty()), rate));
    match f.totals_with_breakdown(|c| c.default_reason().map(str::to_string)) {
        Ok((t, breakdown)) => view! {
            <dl class="doc-totals editor-totals">
                <dt>"Subtotal (net)"</dt><dd data-testid="subtotal">{money(t.subtotal_cents)}</dd>
                <dt>"Discount"</dt><dd data-testid="discount">{format!("−{}", money(t.discount_cents))}</dd>
                {breakdown.iter().enumerate().map(|(i, g)| view! {
                    <dt class="breakdown" title=g.exemption_reason.clone().unwrap_or_default()>
                        {format!("{} on {}", group_label(g, seed), money(g.taxable_cents))}
                    </dt>
                    <dd data-testid=format!("breakdown-{i}")>{money(g.tax_cents)}</dd>
                }).collect_view()}
                <dt>"Tax"</dt><dd data-testid="tax">{money(t.tax_cents)}</dd>
                {(t.rounding_cents != 0).then(|| view! { <dt>"Rounding"</dt><dd data-testid="rounding">{money(t.rounding_cents)}</dd> })}
                <dt class="grand">"Total"</dt><dd class="grand" data-testid="total">{money(t.total_cents)}</dd>
                {(paid_cents != 0).then(|| view! {
                    <dt>"Paid"</dt><dd data-testid="paid">{format!("−{}", money(paid_cents))}</dd>
                    <dt class="grand">"Balance due"</dt><dd class="grand" data-testid="balance">{money(t.total_cents - paid_cents)}</dd>
                })}
            </dl>
        }
        .into_any(),
        Err(e) => view! { <p class="alert alert-error" data-testid="totals-problem">{format!("Totals cannot be computed yet: {e}")}</p> }.into_any(),
    }
}

/// When the buyer has a VAT id of another EU country than the seller's, the editor proposes
/// reverse charge (services) or an intra-community supply (goods) for every line; the seller
/// decides. Without JavaScript the buttons post the form and it comes back with the lines set.
fn cross_border_proposal(data: &EditorData, form: RwSignal<InvoiceForm>, rows: Rows) -> Option<AnyView> {
    let buyer_vat_id = form.with(|f| {
        let typed = f.recipient_vat_id.trim().to_string();
        let chosen = data.customers.iter().find(|c| c.id.to_string() == f.customer_id).and_then(|c| c.vat_id.clone());
        if typed.is_empty() { chosen.unwrap_or_default() } else { typed }
    });
    let buyer = domain::vat::cross_border_buyer(data.seller_country.as_deref(), &buyer_vat_id)?;
    let seller = data.seller_country.clone().unwrap_or_default();
    let set = move |category: domain::vat::TaxCategory| {
        move |ev: leptos::ev::MouseEvent| {
            if rows.hydrated.get_untracked() {
                ev.prevent_default();
                form.update(|f| f.set_all_lines(category));
                rows.layout.update(|v| *v += 1);
            }
        }
    };
    Some(view! {
        <div class="alert alert-ok" data-testid="vat-proposal">
            <p>{format!("The buyer has a {buyer} VAT id and you invoice from {seller}: services to them are usually reverse charge (the buyer accounts for the VAT), goods an intra-community supply. You decide.")}</p>
            <button type="submit" class="button button-secondary button-small" name="intent" value="reverse_charge"
                on:click=set(domain::vat::TaxCategory::ReverseCharge)>"All lines: reverse charge"</button>
            " "
            <button type="submit" class="button button-secondary button-small" name="intent" value="intra_community"
                on:click=set(domain::vat::TaxCategory::IntraCommunity)>"All lines: intra-EU supply of goods"</button>
        </div>
    }.into_any())
}

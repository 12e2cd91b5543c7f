//! /invoices/new and /invoices/{number}/edit: line items, discounts, tax and dates, with
//! totals computed as the user types by the same domain code as the API (compiled to wasm).
//! Without JavaScript the form posts: "Update totals" shows them, "Save" saves.

use crate::api::invoices::{EditorData, SaveInvoice, load_editor};
use crate::components::form::{FormError, action_error};
use crate::error::AppError;
use domain::currency::format_amount;
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

type FieldGet = fn(&InvoiceForm) -> String;
type FieldSet = fn(&mut InvoiceForm, String);

/// An input bound to one field of the form.
fn field_input(form: RwSignal<InvoiceForm>, name: &'static str, get: FieldGet, set: FieldSet) -> impl IntoView {
    view! {
        <input
            name=format!("invoice[{name}]")
            id=format!("f-{name}")
            value=form.with_untracked(get)
            prop:value=move || form.with(get)
            on:input:target=move |ev| form.update(|f| set(f, ev.target().value()))
        />
    }
}

type LineGet = fn(&LineForm) -> String;
type LineSet = fn(&mut LineForm, String);

fn line_value(form: RwSignal<InvoiceForm>, row: usize, get: LineGet) -> impl Fn() -> String + Copy {
    move || form.with(|f| f.lines.get(row).map(get).unwrap_or_default())
}

fn line_input(
    form: RwSignal<InvoiceForm>,
    row: usize,
    name: &'static str,
    label: String,
    get: LineGet,
    set: LineSet,
) -> impl IntoView {
    let value = line_value(form, row, get);
    view! {
        <input
            name=format!("invoice[lines][{row}][{name}]")
            aria-label=label
            class=format!("line-{name}")
            value=value()
            prop:value=value
            on:input:target=move |ev| form.update(|f| if let Some(l) = f.lines.get_mut(row) { set(l, ev.target().value()) })
        />
    }
}

fn discount_select(
    form: RwSignal<InvoiceForm>,
    name: String,
    label: String,
    get: impl Fn(&InvoiceForm) -> String + Copy + Send + Sync + 'static,
    set: impl Fn(&mut InvoiceForm, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let current = move || form.with(get);
    let initial = form.with_untracked(get);
    view! {
        <select name=name aria-label=label prop:value=current on:change:target=move |ev| form.update(|f| set(f, ev.target().value()))>
            <option value="" selected=initial.is_empty()>"No discount"</option>
            <option value="percent" selected=initial == "percent">"% off"</option>
            <option value="flat" selected=initial == "flat">"Amount off"</option>
        </select>
    }
}

#[component]
fn Editor(data: EditorData, action: ServerAction<SaveInvoice>, error: Signal<Option<AppError>>) -> impl IntoView {
    let mut initial = data.form.clone();
    // Blank rows carry nothing; dropping them keeps "Update totals" from adding rows each time.
    initial.lines.retain(|l| !l.is_blank());
    let spare = if initial.lines.is_empty() { SPARE_ROWS + 1 } else { SPARE_ROWS };
    initial.lines.extend(std::iter::repeat_n(LineForm::default(), spare));
    let form = RwSignal::new(initial);
    let rows = Memo::new(move |_| form.with(|f| f.lines.len()));
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let title = match &data.number {
        Some(n) => format!("Edit invoice {n}"),
        None => "New invoice".to_string(),
    };
    let number = data.number.clone().unwrap_or_default();
    let is_new = data.number.is_none();
    let sent_note = data.status.filter(|s| *s != domain::Status::Draft).map(|s| {
        format!(
            "This invoice is {}: saving a change marks it updated and the recipient sees what changed.",
            s.as_str().replace('_', " ")
        )
    });

    let line_error = move |row: usize| {
        move || {
            let pos = form.with(|f| f.filled_position(row))?;
            let prefix = format!("line_items[{pos}]");
            error.get().filter(|e| e.field.as_deref().is_some_and(|f| f.starts_with(&prefix))).map(|e| e.message)
        }
    };
    let field_error = move |field: &'static str| move || error.get().and_then(|e| e.about(field));
    let shown: &'static [&'static str] = &[
        "customer_id",
        "recipient",
        "recipient.company",
        "recipient.email",
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
            e.field
                .as_deref()
                .is_none_or(|f| !shown.contains(&f) && !f.starts_with("line_items[") && !f.starts_with("recipient.cc"))
        })
    });

    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        {sent_note.map(|n| view! { <div class="alert alert-ok">{n}</div> })}
        <ActionForm action=action attr:class="editor" attr:novalidate=true>
            <input type="hidden" name="number" value=number/>
            <FormError error=other_error/>
            <section class="card">
                <h2>"Bill to"</h2>
                {if is_new {
                    let current = move || form.with(|f| f.customer_id.clone());
                    let initial = form.with_untracked(|f| f.customer_id.clone());
                    view! {
                        <label class="field">
                            "Customer"
                            <select name="invoice[customer_id]" prop:value=current on:change:target=move |ev| form.update(|f| f.customer_id = ev.target().value())>
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
                    view! { <p class="muted">{format!("Customer: {}", data.customer_label.clone().unwrap_or_default())}</p> }.into_any()
                }}
                {is_new.then(|| view! { <p class="muted small">"For a new recipient fill in the fields below; with a customer chosen they are optional and replace the customer's details on this invoice."</p> })}
                <div class="grid-fields">
                    <label class="field">"Company" {field_input(form, "recipient_company", |f| f.recipient_company.clone(), |f, v| f.recipient_company = v)}</label>
                    <label class="field">"Contact name" {field_input(form, "recipient_name", |f| f.recipient_name.clone(), |f, v| f.recipient_name = v)}</label>
                    <label class="field">"E-mail" {field_input(form, "recipient_email", |f| f.recipient_email.clone(), |f, v| f.recipient_email = v)}</label>
                    <label class="field">"Copy to (cc)" {field_input(form, "cc_emails", |f| f.cc_emails.clone(), |f, v| f.cc_emails = v)}</label>
                </div>
                <p class="field-error" role="alert">{field_error("recipient")}{field_error("recipient.email")}{field_error("recipient.company")}</p>
            </section>

            <section class="card">
                <h2>"Details"</h2>
                <div class="grid-fields grid-4">
                    <label class="field">"Currency" {field_input(form, "currency", |f| f.currency.clone(), |f, v| f.currency = v)}</label>
                    <label class="field">"Issue date" {field_input(form, "issue_date", |f| f.issue_date.clone(), |f, v| f.issue_date = v)}</label>
                    <label class="field">"Due date" {field_input(form, "due_date", |f| f.due_date.clone(), |f, v| f.due_date = v)}</label>
                    <label class="field">"PO number" {field_input(form, "po_number", |f| f.po_number.clone(), |f, v| f.po_number = v)}</label>
                </div>
                <p class="field-error" role="alert">{field_error("currency")}{field_error("issue_date")}{field_error("due_date")}{field_error("po_number")}</p>
            </section>

            <section class="card">
                <h2>"Line items"</h2>
                <p class="muted small">"Prices in the invoice currency, e.g. 1250.00. Empty rows are left out."</p>
                <div class="lines" role="list">
                    {move || (0..rows.get()).map(|row| {
                        let n = row + 1;
                        view! {
                            <div class="line" role="listitem" data-testid=format!("line-{n}")>
                                <label class="field line-desc">{format!("Line {n} description")}
                                    <textarea
                                        name=format!("invoice[lines][{row}][description]")
                                        rows="1"
                                        prop:value=line_value(form, row, |l| l.description.clone())
                                        on:input:target=move |ev| form.update(|f| if let Some(l) = f.lines.get_mut(row) { l.description = ev.target().value() })
                                    >{line_value(form, row, |l| l.description.clone())()}</textarea>
                                </label>
                                <label class="field">"Qty" {line_input(form, row, "quantity", format!("Line {n} quantity"), |l| l.quantity.clone(), |l, v| l.quantity = v)}</label>
                                <label class="field">"Unit price" {line_input(form, row, "unit_price", format!("Line {n} unit price"), |l| l.unit_price.clone(), |l, v| l.unit_price = v)}</label>
                                <label class="field line-discount">"Discount"
                                    <span class="pair">
                                        {discount_select(
                                            form,
                                            format!("invoice[lines][{row}][discount_kind]"),
                                            format!("Line {n} discount kind"),
                                            move |f| f.lines.get(row).map(|l| l.discount_kind.clone()).unwrap_or_default(),
                                            move |f, v| if let Some(l) = f.lines.get_mut(row) { l.discount_kind = v },
                                        )}
                                        {line_input(form, row, "discount_value", format!("Line {n} discount"), |l| l.discount_value.clone(), |l, v| l.discount_value = v)}
                                    </span>
                                </label>
                                <p class="line-total num" aria-label=format!("Line {n} amount")>
                                    {move || form.with(|f| line_amount(f, row))}
                                </p>
                                <Show when=move || hydrated.get()>
                                    <div class="line-tools">
                                        <button type="button" class="icon" title="Move up" aria-label=format!("Move line {n} up") disabled=row == 0
                                            on:click=move |_| form.update(|f| if row > 0 { f.lines.swap(row, row - 1) })>"↑"</button>
                                        <button type="button" class="icon" title="Move down" aria-label=format!("Move line {n} down")
                                            on:click=move |_| form.update(|f| if row + 1 < f.lines.len() { f.lines.swap(row, row + 1) })>"↓"</button>
                                        <button type="button" class="icon" title="Remove" aria-label=format!("Remove line {n}")
                                            on:click=move |_| form.update(|f| { f.lines.remove(row); })>"✕"</button>
                                    </div>
                                </Show>
                                <p class="field-error line-error" role="alert">{line_error(row)}</p>
                            </div>
                        }
                    }).collect_view()}
                </div>
                <p class="field-error" role="alert">{field_error("line_items")}</p>
                <Show when=move || hydrated.get()>
                    <button type="button" class="button button-secondary button-small" on:click=move |_| form.update(|f| f.lines.push(LineForm::default()))>"Add line"</button>
                </Show>
            </section>

            <div class="editor-bottom">
                <section class="card">
                    <h2>"Discount and tax"</h2>
                    <label class="field">"Invoice discount"
                        <span class="pair">
                            {discount_select(form, "invoice[discount_kind]".into(), "Invoice discount kind".into(), |f| f.discount_kind.clone(), |f, v| f.discount_kind = v)}
                            {field_input(form, "discount_value", |f| f.discount_value.clone(), |f, v| f.discount_value = v)}
                        </span>
                    </label>
                    <p class="field-error" role="alert">{field_error("discount.value")}{field_error("discount.value_cents")}</p>
                    <div class="grid-fields">
                        <label class="field">"Tax label" {field_input(form, "tax_label", |f| f.tax_label.clone(), |f, v| f.tax_label = v)}</label>
                        <label class="field">"Tax rate %" {field_input(form, "tax_rate", |f| f.tax_rate.clone(), |f, v| f.tax_rate = v)}</label>
                    </div>
                    <p class="field-error" role="alert">{field_error("tax.rate")}{field_error("tax.label")}</p>
                    <label class="field">"Terms"
                        <textarea name="invoice[terms_text]" rows="2"
                            prop:value=move || form.with(|f| f.terms_text.clone())
                            on:input:target=move |ev| form.update(|f| f.terms_text = ev.target().value())
                        >{form.with_untracked(|f| f.terms_text.clone())}</textarea>
                    </label>
                    <label class="field">"Footer note"
                        <textarea name="invoice[footer_note]" rows="2"
                            prop:value=move || form.with(|f| f.footer_note.clone())
                            on:input:target=move |ev| form.update(|f| f.footer_note = ev.target().value())
                        >{form.with_untracked(|f| f.footer_note.clone())}</textarea>
                    </label>
                </section>
                <section class="card totals" aria-live="polite">
                    <h2>"Totals"</h2>
                    {move || form.with(totals_view)}
                    <div class="actions">
                        <button class="button" type="submit">"Save"</button>
                        <Show when=move || !hydrated.get()>
                            <button class="button button-secondary" type="submit" name="intent" value="recalculate">"Update totals"</button>
                        </Show>
                    </div>
                </section>
            </div>
        </ActionForm>
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

fn totals_view(f: &InvoiceForm) -> AnyView {
    let currency = f.currency_code();
    match f.totals() {
        Ok(t) => view! {
            <dl class="doc-totals editor-totals">
                <dt>"Subtotal"</dt><dd data-testid="subtotal">{format_amount(t.subtotal_cents, &currency)}</dd>
                <dt>"Discount"</dt><dd data-testid="discount">{format!("−{}", format_amount(t.discount_cents, &currency))}</dd>
                <dt>"Tax"</dt><dd data-testid="tax">{format_amount(t.tax_cents, &currency)}</dd>
                <dt class="grand">"Total"</dt><dd class="grand" data-testid="total">{format_amount(t.total_cents, &currency)}</dd>
            </dl>
        }
        .into_any(),
        Err(e) => view! { <p class="alert alert-error" data-testid="totals-problem">{format!("Totals cannot be computed yet: {e}")}</p> }.into_any(),
    }
}

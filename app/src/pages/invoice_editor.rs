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
                </div>
                <p class="field-error" role="alert">{field_error("recipient")}{field_error("recipient.email")}{field_error("recipient.company")}</p>
            </section> }.into_any()}

            {view! { <section class="card">
                <h2>"Details"</h2>
                <div class="grid-fields grid-4">
                    <label class="field">"Currency" {field_input(form, "currency", |f| f.currency.clone())}</label>
                    <label class="field">"Issue date" {field_input(form, "issue_date", |f| f.issue_date.clone())}</label>
                    <label class="field">"Due date" {field_input(form, "due_date", |f| f.due_date.clone())}</label>
                    <label class="field">"PO number" {field_input(form, "po_number", |f| f.po_number.clone())}</label>
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

/// The form's totals; with `paid_cents` paid already, what that leaves due.
fn totals_view(f: &InvoiceForm, paid_cents: i64) -> AnyView {
    let currency = f.currency_code();
    match f.totals() {
        Ok(t) => view! {
            <dl class="doc-totals editor-totals">
                <dt>"Subtotal"</dt><dd data-testid="subtotal">{format_amount(t.subtotal_cents, &currency)}</dd>
                <dt>"Discount"</dt><dd data-testid="discount">{format!("−{}", format_amount(t.discount_cents, &currency))}</dd>
                <dt>"Tax"</dt><dd data-testid="tax">{format_amount(t.tax_cents, &currency)}</dd>
                <dt class="grand">"Total"</dt><dd class="grand" data-testid="total">{format_amount(t.total_cents, &currency)}</dd>
                {(paid_cents != 0).then(|| view! {
                    <dt>"Paid"</dt><dd data-testid="paid">{format!("−{}", format_amount(paid_cents, &currency))}</dd>
                    <dt class="grand">"Balance due"</dt><dd class="grand" data-testid="balance">{format_amount(t.total_cents - paid_cents, &currency)}</dd>
                })}
            </dl>
        }
        .into_any(),
        Err(e) => view! { <p class="alert alert-error" data-testid="totals-problem">{format!("Totals cannot be computed yet: {e}")}</p> }.into_any(),
    }
}

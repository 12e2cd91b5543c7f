//! The invoice as its recipient sees it: one rendering for the sender's page and the share
//! link page.

use domain::currency::format_amount;
use domain::dto::{Discount, Invoice, SenderCard};
use leptos::prelude::*;

fn discount_label(d: &Option<Discount>, currency: &str) -> Option<String> {
    match d {
        Some(Discount::Percent { value }) => Some(format!("{}%", value.normalize())),
        Some(Discount::Flat { value_cents }) => Some(format_amount(*value_cents, currency)),
        None => None,
    }
}

#[component]
pub fn InvoiceDocument(invoice: Invoice, sender: SenderCard) -> impl IntoView {
    let cur = invoice.currency.clone();
    let money = move |cents: i64| format_amount(cents, &cur);
    let r = invoice.recipient.clone();
    let address: Vec<String> = r.address.as_ref().map(|a| a.lines()).unwrap_or_default();
    let has_line_discounts = invoice.line_items.iter().any(|l| l.discount.is_some());
    view! {
        <article class="card invoice-doc" aria-label=format!("Invoice {}", invoice.id)>
            {view! {
            <header class="doc-head">
                <div>
                    <p class="doc-from">{sender.company.clone()}</p>
                    {sender.lines.iter().map(|l| view! { <p class="muted">{l.clone()}</p> }).collect_view()}
                    {sender.tax_id.clone().map(|t| view! { <p class="muted">{format!("Tax ID {t}")}</p> })}
                    {sender.email.clone().map(|e| view! { <p class="muted">{e}</p> })}
                </div>
                <div class="doc-meta">
                    <p class="doc-title">"Invoice"</p>
                    <dl>
                        <dt>"Number"</dt><dd>{invoice.id.clone()}</dd>
                        <dt>"Issued"</dt><dd>{invoice.issue_date.to_string()}</dd>
                        <dt>"Due"</dt><dd>{invoice.due_date.to_string()}</dd>
                        {invoice.po_number.clone().map(|po| view! { <dt>"PO"</dt><dd>{po}</dd> })}
                    </dl>
                </div>
            </header>
            }.into_any()}
            {view! {
            <section class="doc-to">
                <p class="label">"Bill to"</p>
                {r.company.clone().map(|c| view! { <p><strong>{c}</strong></p> })}
                {r.name.clone().map(|n| view! { <p>{n}</p> })}
                {address.into_iter().map(|l| view! { <p class="muted">{l}</p> }).collect_view()}
                {r.email.clone().map(|e| view! { <p class="muted">{e}</p> })}
                {r.tax_id.clone().map(|t| view! { <p class="muted">{format!("Tax ID {t}")}</p> })}
            </section>
            }.into_any()}
            {view! {
            <div class="table-wrap">
                <table class="table doc-lines">
                    <thead>
                        <tr>
                            <th>"Description"</th><th class="num">"Qty"</th><th class="num">"Unit price"</th>
                            {has_line_discounts.then(|| view! { <th class="num">"Discount"</th> })}
                            <th class="num">"Amount"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {invoice.line_items.iter().map(|l| view! {
                            <tr>
                                <td class="desc">{l.description.clone()}</td>
                                <td class="num">{l.quantity.normalize().to_string()}</td>
                                <td class="num">{money(l.unit_price_cents)}</td>
                                {has_line_discounts.then(|| view! { <td class="num">{discount_label(&l.discount, &invoice.currency).unwrap_or_default()}</td> })}
                                <td class="num">{money(l.line_total_cents)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            }.into_any()}
            {view! {
            <dl class="doc-totals">
                <dt>"Subtotal"</dt><dd>{money(invoice.subtotal_cents)}</dd>
                {(invoice.discount_cents > 0).then(|| view! {
                    <dt>{format!("Discount {}", discount_label(&invoice.discount, &invoice.currency).filter(|l| l.ends_with('%')).unwrap_or_default())}</dt>
                    <dd>{format!("−{}", money(invoice.discount_cents))}</dd>
                })}
                {invoice.tax.clone().map(|t| view! {
                    <dt>{format!("{} {}%", t.label.unwrap_or_else(|| "Tax".into()), t.rate.normalize())}</dt>
                    <dd>{money(t.amount_cents)}</dd>
                })}
                <dt class="grand">"Total"</dt><dd class="grand" data-testid="invoice-total">{money(invoice.total_cents)}</dd>
                {(invoice.amount_paid_cents != 0).then(|| view! {
                    <dt>"Paid"</dt><dd data-testid="invoice-paid">{money(-invoice.amount_paid_cents)}</dd>
                    <dt class="grand">"Balance due"</dt><dd class="grand" data-testid="invoice-balance">{money(invoice.balance_due_cents)}</dd>
                })}
            </dl>
            }.into_any()}
            {invoice.terms_text.clone().map(|t| view! { <section class="doc-note"><p class="label">"Terms"</p><p class="pre">{t}</p></section> })}
            {(!sender.payment.is_empty()).then(|| view! {
                <section class="doc-note">
                    <p class="label">"Payment details"</p>
                    <dl class="doc-pay">
                        {sender.payment.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> }).collect_view()}
                    </dl>
                </section>
            })}
            {invoice.footer_note.clone().map(|f| view! { <footer class="doc-footer pre">{f}</footer> })}
        </article>
    }
}

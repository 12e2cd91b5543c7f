//! The invoice as its recipient sees it: one rendering for the sender's page and the share
//! link page.

use domain::currency::format_amount;
use domain::document;
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
    let line_vat = document::shows_line_vat(&invoice);
    let price_head = if invoice.prices_include_tax { "Unit price incl. VAT" } else { "Unit price" };
    let amount_head = if document::is_untaxed(&invoice) { "Amount" } else { "Amount (net)" };
    view! {
        <article class="card invoice-doc" aria-label=format!("Invoice {}", invoice.id)>
            {view! {
            <header class="doc-head">
                <div>
                    <p class="doc-from">{sender.company.clone()}</p>
                    {sender.lines.iter().map(|l| view! { <p class="muted">{l.clone()}</p> }).collect_view()}
                    {sender.vat_id.clone().map(|t| view! { <p class="muted">{format!("VAT ID {t}")}</p> })}
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
                {r.vat_id.clone().map(|t| view! { <p class="muted" data-testid="buyer-vat-id">{format!("VAT ID {t}")}</p> })}
                {r.tax_id.clone().map(|t| view! { <p class="muted">{format!("Tax ID {t}")}</p> })}
            </section>
            }.into_any()}
            {view! {
            <div class="table-wrap">
                <table class="table doc-lines">
                    <thead>
                        <tr>
                            <th>"Description"</th><th class="num">"Qty"</th><th class="num">{price_head}</th>
                            {has_line_discounts.then(|| view! { <th class="num">"Discount"</th> })}
                            {line_vat.then(|| view! { <th class="num">"VAT"</th> })}
                            <th class="num">{amount_head}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {invoice.line_items.iter().map(|l| view! {
                            <tr>
                                <td class="desc">{l.description.clone()}</td>
                                <td class="num">{l.quantity.normalize().to_string()}</td>
                                <td class="num">{money(l.unit_price_cents)}</td>
                                {has_line_discounts.then(|| view! { <td class="num">{discount_label(&l.discount, &invoice.currency).unwrap_or_default()}</td> })}
                                {line_vat.then(|| view! { <td class="num">{document::line_vat(&invoice, l)}</td> })}
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
                {(!document::is_untaxed(&invoice)).then(|| invoice.tax_breakdown.iter().enumerate().map(|(i, g)| view! {
                    <dt>{format!("{} on {}", document::invoice_group_label(&invoice, g), money(g.taxable_cents))}</dt>
                    <dd data-testid=format!("invoice-vat-{i}")>{money(g.tax_cents)}</dd>
                }).collect_view())}
                {(invoice.rounding_cents != 0).then(|| view! { <dt>"Rounding"</dt><dd data-testid="invoice-rounding">{money(invoice.rounding_cents)}</dd> })}
                <dt class="grand">"Total"</dt><dd class="grand" data-testid="invoice-total">{money(invoice.total_cents)}</dd>
                {(invoice.amount_paid_cents != 0).then(|| view! {
                    <dt>"Paid"</dt><dd data-testid="invoice-paid">{money(-invoice.amount_paid_cents)}</dd>
                    <dt class="grand">"Balance due"</dt><dd class="grand" data-testid="invoice-balance">{money(invoice.balance_due_cents)}</dd>
                })}
            </dl>
            }.into_any()}
            {document::shows_breakdown_table(&invoice).then(|| view! {
                <section class="doc-note">
                    <p class="label">"VAT breakdown"</p>
                    <table class="table doc-vat" data-testid="vat-breakdown">
                        <thead><tr><th>"VAT"</th><th class="num">"Net"</th><th class="num">"VAT"</th><th class="num">"Gross"</th></tr></thead>
                        <tbody>
                            {invoice.tax_breakdown.iter().map(|g| view! {
                                <tr>
                                    <td>{document::invoice_group_label(&invoice, g)}</td>
                                    <td class="num">{money(g.taxable_cents)}</td>
                                    <td class="num">{money(g.tax_cents)}</td>
                                    <td class="num">{money(g.gross_cents)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {document::exemption_notes(&invoice).into_iter().map(|n| view! { <p class="muted" data-testid="exemption-note">{n}</p> }).collect_view()}
                </section>
            })}
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

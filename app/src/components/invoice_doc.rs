//! The invoice as its recipient sees it: one rendering for the sender's page, the share link
//! page and /new's result, of the one printed value the PDF lays out too (every word in the
//! invoice's language, amounts and dates formatted for it).

use domain::printed::{PrintedInvoice, PrintedParty};
use leptos::prelude::*;

fn party(p: PrintedParty) -> impl IntoView {
    view! {
        {p.name.map(|n| view! { <p>{n}</p> })}
        {p.lines.into_iter().map(|l| view! { <p class="muted">{l}</p> }).collect_view()}
        {p.email.map(|e| view! { <p class="muted">{e}</p> })}
        {p.ids.into_iter().map(|i| view! { <p class="muted" data-testid="party-id">{i}</p> }).collect_view()}
    }
}

#[component]
pub fn InvoiceDocument(doc: PrintedInvoice) -> impl IntoView {
    let w = |key: &str| doc.word(key);
    let (invoice_word, number_word, issued, due, po_word, bill_to) =
        (w("doc-invoice"), w("doc-number"), w("doc-issued"), w("doc-due"), w("doc-po"), w("doc-bill-to"));
    let (breakdown_word, terms_word, payment_word) = (w("doc-vat-breakdown"), w("doc-terms"), w("doc-payment-details"));
    let pay_by_bank_word = w("doc-pay-by-bank");
    let PrintedInvoice {
        language,
        number,
        issue_date,
        due_date,
        po_number,
        sender,
        recipient,
        columns,
        rows,
        totals,
        vat_columns,
        vat_rows,
        exemption_notes,
        terms,
        footer,
        payment,
        pay_by_bank_qr,
        ..
    } = doc;
    let sender_company = sender.company.clone().unwrap_or_default();
    let recipient_company = recipient.company.clone();
    view! {
        <article class="card invoice-doc" lang=language aria-label=format!("{invoice_word} {number}")>
            {view! {
            <header class="doc-head">
                <div>
                    <p class="doc-from">{sender_company}</p>
                    {party(sender)}
                </div>
                <div class="doc-meta">
                    <p class="doc-title">{invoice_word.clone()}</p>
                    <dl>
                        <dt>{number_word}</dt><dd>{number.clone()}</dd>
                        <dt>{issued}</dt><dd>{issue_date}</dd>
                        <dt>{due}</dt><dd>{due_date}</dd>
                        {po_number.map(|po| view! { <dt>{po_word}</dt><dd>{po}</dd> })}
                    </dl>
                </div>
            </header>
            }.into_any()}
            {view! {
            <section class="doc-to">
                <p class="label">{bill_to}</p>
                {recipient_company.map(|c| view! { <p><strong>{c}</strong></p> })}
                {party(recipient)}
            </section>
            }.into_any()}
            {view! {
            <div class="table-wrap">
                <table class="table doc-lines">
                    <thead>
                        <tr>
                            {columns.into_iter().enumerate().map(|(i, c)| view! { <th class=(i > 0).then_some("num")>{c}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|cells| view! {
                            <tr>
                                {cells.into_iter().enumerate().map(|(i, c)| view! { <td class=if i == 0 { "desc" } else { "num" }>{c}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            }.into_any()}
            {view! {
            <dl class="doc-totals">
                {totals.into_iter().map(|t| view! {
                    <dt class=t.grand.then_some("grand")>{t.label}</dt>
                    <dd class=t.grand.then_some("grand") data-testid=t.test_id>{t.amount}</dd>
                }).collect_view()}
            </dl>
            }.into_any()}
            {(!vat_rows.is_empty()).then(|| view! {
                <section class="doc-note">
                    <p class="label">{breakdown_word}</p>
                    <table class="table doc-vat" data-testid="vat-breakdown">
                        <thead><tr>{vat_columns.into_iter().enumerate().map(|(i, c)| view! { <th class=(i > 0).then_some("num")>{c}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {vat_rows.into_iter().map(|cells| view! {
                                <tr>{cells.into_iter().enumerate().map(|(i, c)| view! { <td class=(i > 0).then_some("num")>{c}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            })}
            {(!exemption_notes.is_empty()).then(|| view! {
                <section class="doc-note">
                    {exemption_notes.into_iter().map(|n| view! { <p class="muted" data-testid="exemption-note">{n}</p> }).collect_view()}
                </section>
            })}
            {terms.map(|t| view! { <section class="doc-note"><p class="label">{terms_word}</p><p class="pre">{t}</p></section> })}
            {(!payment.is_empty()).then(|| view! {
                <section class="doc-note">
                    <p class="label">{payment_word}</p>
                    <dl class="doc-pay">
                        {payment.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
                    </dl>
                    {pay_by_bank_qr.map(|svg| view! {
                        <figure class="doc-qr" data-testid="epc-qr">
                            <div inner_html=svg></div>
                            <figcaption class="muted">{pay_by_bank_word}</figcaption>
                        </figure>
                    })}
                </section>
            })}
            {footer.map(|f| view! { <footer class="doc-footer pre">{f}</footer> })}
        </article>
    }
}

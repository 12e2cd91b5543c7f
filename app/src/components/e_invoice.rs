//! The e-invoice verdict an invoice carries (issue 25), on the sender's invoice page and in
//! the editor: what passes, or each rule it breaks in plain words with a link to where the
//! fix is made (the profile, the customer, the invoice's lines).

use domain::einvoice::EInvoiceVerdict;
use leptos::prelude::*;

/// Where a violation's field is fixed: the profile, the customer, else the invoice editor.
fn fix_at(field: Option<&str>, number: &str, customer_id: Option<i64>) -> (String, &'static str) {
    match field {
        Some(f) if f.starts_with("profile") => ("/profile".into(), "Your profile"),
        Some(f) if f.starts_with("recipient") => match customer_id {
            Some(id) => (format!("/customers/{id}"), "The customer"),
            None => (format!("/invoices/{number}/edit"), "The invoice"),
        },
        _ => (format!("/invoices/{number}/edit"), "The invoice"),
    }
}

#[component]
pub fn EInvoiceCheck(
    verdict: EInvoiceVerdict,
    /// Whether the recipient must receive it (sending waits for a valid one).
    required: bool,
    number: String,
    customer_id: Option<i64>,
) -> impl IntoView {
    let label = verdict.format.label();
    if verdict.valid {
        return view! {
            <div class="card e-invoice e-invoice-ok" data-testid="e-invoice">
                <h2>"E-invoice"</h2>
                <p>{format!("{label}: passes EN 16931")}{(!verdict.format.is_pdf()).then_some(" and its format's rules")}"."</p>
            </div>
        }
        .into_any();
    }
    let heading = if required {
        format!("{label}: the customer needs it, so sending waits until these are fixed")
    } else {
        format!("{label}: the PDF goes without its e-invoice until these are fixed")
    };
    view! {
        <div class="card e-invoice e-invoice-problems" data-testid="e-invoice">
            <h2>"E-invoice"</h2>
            <p>{heading}</p>
            <ul>
                {verdict.violations.into_iter().map(|v| {
                    let (href, place) = fix_at(v.field.as_deref(), &number, customer_id);
                    view! {
                        <li data-field=v.field.clone().unwrap_or_default()>
                            {v.message}" "<a href=href>{format!("{place} →")}</a>
                            " "<span class="muted">{v.rule}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
    .into_any()
}

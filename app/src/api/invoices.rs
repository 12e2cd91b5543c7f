use crate::error::AppError;
use domain::Status;
use domain::dto::{Invoice, SenderCard};
use domain::forms::InvoiceForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One row of the invoice list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceRow {
    pub number: String,
    pub customer: String,
    pub total: String,
    /// Empty when nothing is due (paid, cancelled).
    pub balance: String,
    pub due_date: String,
    pub overdue: bool,
    pub status: Status,
}

impl InvoiceRow {
    pub fn of(i: Invoice, today: chrono::NaiveDate) -> Self {
        let owing = i.balance_due_cents > 0 && i.status != Status::Draft && i.status != Status::Cancelled;
        InvoiceRow {
            customer: i.recipient.company.clone().or(i.recipient.email.clone()).unwrap_or_default(),
            total: domain::currency::format_amount(i.total_cents, &i.currency),
            balance: if owing {
                domain::currency::format_amount(i.balance_due_cents, &i.currency)
            } else {
                String::new()
            },
            due_date: i.due_date.to_string(),
            overdue: owing && i.due_date < today,
            status: i.status,
            number: i.id,
        }
    }
}

/// One currency's line of the overview above the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalsRow {
    pub currency: String,
    pub outstanding: String,
    pub outstanding_count: i64,
    pub overdue: String,
    pub overdue_count: i64,
    pub paid_30_days: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceList {
    pub rows: Vec<InvoiceRow>,
    pub next_cursor: Option<String>,
    /// A one-time notice, e.g. what the sign-in claimed.
    pub notice: Option<String>,
    pub totals: Vec<TotalsRow>,
}

/// The list's choices, as its GET form and links carry them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListChoice {
    /// A status, "overdue", or empty for all.
    pub status: Option<String>,
    pub q: Option<String>,
    /// A sort's API name (domain::sort::Sort), e.g. "due_date".
    pub sort: Option<String>,
    pub cursor: Option<String>,
}

/// `status` is a status, "overdue", or empty for all; `sort` a sort's API name.
#[server(prefix = "/fn", endpoint = "list_invoices")]
pub async fn list_invoices(
    status: Option<String>,
    q: Option<String>,
    cursor: Option<String>,
    sort: Option<String>,
) -> Result<InvoiceList, AppError> {
    let choice = ListChoice { status, q, sort, cursor };
    use crate::server::{session, store};
    use data::invoices::overview::{self, Sort};
    let (session, sender) = session::require().await?;
    let store = store()?;
    let notice = match choice.cursor {
        None => data::flash::take(&store, session.id, crate::server::NOTICE).await?,
        Some(_) => None,
    };
    let status = choice.status.filter(|s| !s.is_empty());
    let overdue = status.as_deref() == Some("overdue");
    let filter = data::invoices::ListFilter {
        statuses: status.as_deref().and_then(Status::parse).into_iter().collect(),
        overdue,
        sort: choice.sort.as_deref().and_then(Sort::parse).unwrap_or_default(),
        search: choice.q,
        ..Default::default()
    };
    let page = data::cursor::PageRequest::parse(Some(25), choice.cursor.as_deref())?;
    let page = data::invoices::list(&store, sender.id, &filter, page).await?;
    let money = |cents: i64, currency: &str| domain::currency::format_amount(cents, currency);
    let totals = overview::totals(&store, sender.id)
        .await?
        .into_iter()
        .map(|t| TotalsRow {
            outstanding: money(t.outstanding_cents, &t.currency),
            outstanding_count: t.outstanding_count,
            overdue: money(t.overdue_cents, &t.currency),
            overdue_count: t.overdue_count,
            paid_30_days: money(t.paid_30_days_cents, &t.currency),
            currency: t.currency,
        })
        .collect();
    let today = store.now().date_naive();
    Ok(InvoiceList {
        notice,
        rows: page.data.into_iter().map(|i| InvoiceRow::of(i, today)).collect(),
        next_cursor: page.next_cursor,
        totals,
    })
}

/// A timeline entry of the invoice page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub when: String,
    pub what: String,
    pub by: String,
}

/// A payment (or refund) on the invoice page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentRow {
    pub paid_on: String,
    /// Formatted, negative for a refund.
    pub amount: String,
    pub method: String,
    pub reference: String,
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceDetail {
    pub invoice: Invoice,
    pub sender: SenderCard,
    /// The document as the recipient reads it (in the invoice's language).
    pub printed: domain::printed::PrintedInvoice,
    pub events: Vec<EventRow>,
    pub payments: Vec<PaymentRow>,
    /// Today, for the payment form's date.
    pub today: String,
    pub credit_notes: Vec<CreditNoteRow>,
    /// What is left to credit per line (empty when nothing can be credited).
    pub creditable: Vec<CreditableLine>,
    pub reminders: RemindersView,
}

/// The invoice's payment reminders on its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemindersView {
    /// Automatic reminders are on for this invoice.
    pub enabled: bool,
    /// It gets reminders now (sent, money owed, no changes asked for).
    pub remindable: bool,
    /// (what, when) of each reminder sent or step passed over, oldest first.
    pub sent: Vec<(String, String)>,
    /// The next step and when it goes.
    pub next: Option<String>,
}

/// A reminder step in words: "7 days after the due date".
pub fn step_words(step: &str) -> String {
    if step.starts_with("manual:") {
        return "Sent by hand".into();
    }
    match step.parse::<i32>() {
        Ok(0) => "On the due date".into(),
        Ok(d) if d < 0 => format!("{} days before the due date", -d),
        Ok(d) => format!("{d} days after the due date"),
        Err(_) => step.to_string(),
    }
}

/// A credit note on the invoice page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditNoteRow {
    pub number: String,
    pub date: String,
    pub amount: String,
    pub reason: String,
    pub cancellation: bool,
    /// Its PDF as the recipient gets it (by the share link).
    pub pdf: String,
}

/// An invoice line in the credit note form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditableLine {
    pub description: String,
    /// What is left to credit, e.g. "6" of "8".
    pub left: String,
    pub invoiced: String,
}

pub use domain::forms::CreditNoteForm;

/// Issues a credit note from the invoice page's form, then shows the invoice.
#[server(prefix = "/fn", endpoint = "issue_credit_note")]
pub async fn issue_credit_note(number: String, credit: CreditNoteForm) -> Result<(), AppError> {
    use crate::server::{session, store};
    let (_, sender) = session::require().await?;
    let store = store()?;
    let input = credit.to_input()?;
    data::credit_notes::create(&store, &sender, &number, input, data::events::Actor::Sender).await?;
    leptos_axum::redirect(&format!("/invoices/{number}"));
    Ok(())
}

pub use domain::forms::PaymentForm;

/// Records a payment (or refund) the sender received by hand, then shows the invoice.
#[server(prefix = "/fn", endpoint = "record_payment")]
pub async fn record_payment(number: String, payment: PaymentForm) -> Result<(), AppError> {
    use crate::server::{session, store};
    let (_, sender) = session::require().await?;
    let store = store()?;
    let paid = data::payments::record_typed(&store, &sender, &number, &payment).await?;
    leptos_axum::redirect(&format!("/invoices/{}", paid.invoice_number));
    Ok(())
}

#[cfg(feature = "ssr")]
fn describe(event_type: &str) -> &'static str {
    match event_type {
        data::events::CREATED => "Created",
        data::events::SENT => "Sent",
        data::events::VIEWED => "Viewed by the recipient",
        data::events::EDITED => "Edited",
        data::events::FORWARDED => "Forwarded",
        data::events::CHANGE_REQUESTED => "Changes requested",
        data::events::APPROVED => "Approved",
        data::events::PAID => "Paid in full",
        data::events::CANCELLED => "Cancelled",
        data::events::PAYMENT_RECEIVED => "Payment received",
        data::events::PAYMENT_REFUNDED => "Refund recorded",
        data::events::PAYMENT_PROBLEM => "Online payment needs a look",
        data::events::CLAIMED => "Claimed into your account",
        data::events::CREDIT_NOTE_CREATED => "Credit note issued",
        data::events::REMINDER_SENT => "Payment reminder sent",
        _ => "Updated",
    }
}

/// The amount a payment event's details name, formatted.
#[cfg(feature = "ssr")]
fn amount_of(details: &str, currency: &str) -> Option<String> {
    let cents = serde_json::from_str::<serde_json::Value>(details).ok()?.get("amount_cents")?.as_i64()?;
    Some(domain::currency::format_amount(cents, currency))
}

#[server(prefix = "/fn", endpoint = "load_invoice")]
pub async fn load_invoice(number: String) -> Result<InvoiceDetail, AppError> {
    use crate::server::{session, store};
    let (_, sender) = session::require().await?;
    let store = store()?;
    let invoice = data::invoices::get_judged(&store, &sender, &number).await?;
    let events = data::invoices::timeline(&store, sender.id, &number)
        .await?
        .into_iter()
        .map(|e| EventRow {
            when: e.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            what: match amount_of(&e.data, &invoice.currency) {
                Some(amount) => format!("{} · {amount}", describe(&e.event_type)),
                None => describe(&e.event_type).to_string(),
            },
            by: e.actor,
        })
        .collect();
    let payments = data::payments::list(&store, sender.id, &number)
        .await?
        .data
        .into_iter()
        .map(|p| PaymentRow {
            paid_on: p.paid_on.to_string(),
            amount: domain::currency::format_amount(p.amount_cents, &p.currency),
            method: p.method.label().to_string(),
            reference: p.reference.unwrap_or_default(),
            by: p.recorded_by,
        })
        .collect();
    let today = store.now().date_naive().to_string();
    let (credit_notes, creditable) = credit_notes_of(&store, sender.id, &invoice).await?;
    let reminders = reminders_of(&store, &sender, &invoice).await?;
    let sender = data::senders::card(&sender);
    let printed = i18n::document::print(&invoice, &sender, invoice.language);
    Ok(InvoiceDetail { invoice, sender, printed, events, payments, today, credit_notes, creditable, reminders })
}

#[cfg(feature = "ssr")]
async fn reminders_of(
    store: &data::Store,
    sender: &data::senders::Sender,
    invoice: &Invoice,
) -> Result<RemindersView, AppError> {
    let r = data::reminders::of_invoice(store, sender, &invoice.id).await?;
    let when = |at: chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%d %H:%M UTC").to_string();
    Ok(RemindersView {
        enabled: r.enabled,
        remindable: domain::reminders::is_remindable(invoice.status, invoice.balance_due_cents, true),
        sent: r
            .sent
            .into_iter()
            .map(|(step, at, sent)| {
                let what = step_words(&step);
                (if sent { what } else { format!("{what} (passed over)") }, when(at))
            })
            .collect(),
        next: r.next.map(|(days, at)| format!("{} · {}", step_words(&days.to_string()), when(at))),
    })
}

/// The invoice's credit notes, and what is left to credit on each line.
#[cfg(feature = "ssr")]
async fn credit_notes_of(
    store: &data::Store,
    sender_id: i64,
    invoice: &Invoice,
) -> Result<(Vec<CreditNoteRow>, Vec<CreditableLine>), AppError> {
    let page = data::cursor::PageRequest::parse(Some(100), None)?;
    let notes = data::credit_notes::list(store, sender_id, Some(&invoice.id), page).await?.data;
    let mut left: Vec<rust_decimal::Decimal> = invoice.line_items.iter().map(|l| l.quantity).collect();
    for note in &notes {
        for l in &note.lines {
            if let Some(q) = left.get_mut(l.line) {
                *q -= l.quantity;
            }
        }
    }
    let issued = !matches!(invoice.status, Status::Draft | Status::Cancelled);
    let creditable = match issued {
        true => invoice
            .line_items
            .iter()
            .zip(&left)
            .map(|(l, q)| CreditableLine {
                description: l.description.clone(),
                left: q.normalize().to_string(),
                invoiced: l.quantity.normalize().to_string(),
            })
            .collect(),
        false => Vec::new(),
    };
    let rows = notes
        .into_iter()
        .rev()
        .map(|n| CreditNoteRow {
            pdf: format!("{}/credit-notes/{}/pdf", invoice.share_url, n.id),
            date: n.issue_date.to_string(),
            amount: domain::currency::format_amount(n.total_cents, &n.currency),
            cancellation: n.kind == domain::credit_note::CreditNoteKind::Cancellation,
            reason: n.reason,
            number: n.id,
        })
        .collect();
    Ok((rows, creditable))
}

/// Send (by e-mail), mark paid or cancel, then show the invoice.
#[server(prefix = "/fn", endpoint = "invoice_action")]
pub async fn invoice_action(number: String, action: String) -> Result<(), AppError> {
    use crate::server::{session, store};
    use data::events::Actor;
    let (_, sender) = session::require().await?;
    let store = store()?;
    let invoice = match action.as_str() {
        "send" => data::invoices::send(&store, &sender, &number, Actor::Sender).await?,
        "paid" | "cancelled" => {
            let mut patch = domain::dto::InvoiceInput::default();
            patch.status = Status::parse(&action);
            data::invoices::update(&store, sender.id, &number, patch, Actor::Sender).await?
        }
        "remind" => data::reminders::send_now(&store, &sender, &number, Actor::Sender).await?,
        "reminders-on" => data::reminders::set_enabled(&store, &sender, &number, true).await?,
        "reminders-off" => data::reminders::set_enabled(&store, &sender, &number, false).await?,
        "delete" => {
            data::invoices::delete_draft(&store, sender.id, &number).await?;
            leptos_axum::redirect("/invoices");
            return Ok(());
        }
        _ => return Err(AppError::invalid("action", "unknown action")),
    };
    leptos_axum::redirect(&format!("/invoices/{}", invoice.id));
    Ok(())
}

/// A customer to pick in the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerChoice {
    pub id: i64,
    pub label: String,
    pub vat_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorData {
    /// None for a new invoice.
    pub number: Option<String>,
    pub status: Option<Status>,
    pub customer_label: Option<String>,
    pub form: InvoiceForm,
    pub customers: Vec<CustomerChoice>,
    /// Paid so far: the totals show the balance the edit leaves.
    pub paid_cents: i64,
    /// The sender's country for VAT (ISO code), for the reverse-charge proposal.
    pub seller_country: Option<String>,
    /// A saved invoice's e-invoice verdict, whether its customer requires the e-invoice, and
    /// the customer (where the fixes are made).
    pub e_invoice: Option<(domain::einvoice::EInvoiceVerdict, bool, Option<i64>)>,
}

#[cfg(feature = "ssr")]
fn form_key(number: &Option<String>) -> String {
    format!("invoice:{}", number.as_deref().unwrap_or("new"))
}

#[server(prefix = "/fn", endpoint = "load_editor")]
pub async fn load_editor(number: Option<String>) -> Result<EditorData, AppError> {
    use crate::server::{forms, session, store};
    let (session, sender) = session::require().await?;
    let store = store()?;
    let existing = match &number {
        Some(n) => Some(data::invoices::get_judged(&store, &sender, n).await?),
        None => None,
    };
    if let Some(inv) = existing.as_ref().filter(|i| i.status.is_locked()) {
        return Err(AppError::new(
            crate::error::ErrorKind::Conflict,
            format!("invoice {} is {} and can no longer be edited", inv.id, inv.status),
        ));
    }
    let customers = data::customers::list(&store, sender.id, data::cursor::PageRequest::parse(Some(100), None)?)
        .await?
        .data
        .into_iter()
        .map(|c| CustomerChoice { id: c.id, label: format!("{} ({})", c.company, c.code), vat_id: c.vat_id })
        .collect();
    let kept: Option<InvoiceForm> = forms::take_kept(session.id, &form_key(&number)).await?;
    let form = match (kept, &existing) {
        (Some(kept), _) => kept,
        (None, Some(inv)) => InvoiceForm::from_invoice(inv),
        (None, None) => {
            let today = store.now().date_naive();
            InvoiceForm {
                currency: sender.default_currency.clone(),
                issue_date: today.to_string(),
                due_date: (today + chrono::Duration::days(sender.payment_terms_days.into())).to_string(),
                terms_text: sender.terms_text.clone().unwrap_or_default(),
                footer_note: sender.footer_note.clone().unwrap_or_default(),
                ..Default::default()
            }
        }
    };
    Ok(EditorData {
        customer_label: existing
            .as_ref()
            .map(|i| i.recipient.company.clone().or(i.recipient.email.clone()).unwrap_or_default()),
        status: existing.as_ref().map(|i| i.status),
        paid_cents: existing.as_ref().map_or(0, |i| i.amount_paid_cents),
        seller_country: data::senders::vat_country(&sender),
        e_invoice: existing.as_ref().and_then(|i| {
            let required = i.recipient.e_invoice_format.is_some_and(|f| f.is_required());
            i.e_invoice.clone().map(|v| (v, required, i.customer_id))
        }),
        number,
        form,
        customers,
    })
}

/// Saves the editor's form (creating the invoice when `number` is None), or with intent
/// "recalculate" only shows the totals again (the no-JavaScript way to see them), or with
/// intent "reverse_charge" / "intra_community" sets every line to it and shows the form again.
#[server(prefix = "/fn", endpoint = "save_invoice")]
pub async fn save_invoice(
    number: Option<String>,
    invoice: InvoiceForm,
    intent: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{forms, session, store};
    use data::events::Actor;
    let (session, sender) = session::require().await?;
    let store = store()?;
    let number = number.filter(|n| !n.is_empty());
    let here = match &number {
        Some(n) => format!("/invoices/{n}/edit"),
        None => "/invoices/new".to_string(),
    };
    let mut invoice = invoice;
    let to_all = intent.as_deref().and_then(domain::vat::TaxCategory::parse).filter(|c| c.needs_buyer_vat_id());
    if let Some(category) = to_all {
        invoice.set_all_lines(category);
    }
    if intent.as_deref() == Some("recalculate") || to_all.is_some() {
        forms::keep(session.id, &form_key(&number), &invoice).await?;
        leptos_axum::redirect(&here);
        return Ok(());
    }
    let saved = async {
        let input = invoice.to_input()?;
        Ok(match &number {
            None => data::invoices::create(&store, &sender, input, Actor::Sender).await?,
            Some(n) => data::invoices::save_edited(&store, sender.id, n, input).await?,
        })
    }
    .await;
    let saved: Invoice = forms::keep_on_error(session.id, &form_key(&number), &invoice, saved).await?;
    leptos_axum::redirect(&format!("/invoices/{}", saved.id));
    Ok(())
}

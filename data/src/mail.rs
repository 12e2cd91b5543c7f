//! The mails JupiterInvoice sends, one variant each: `data` builds them, `server` renders
//! them, and the compiler checks both sides (no template name or value can be misspelt).
//! Stored as the job's payload in the shape the mail outbox has always held:
//! `{"template", "vars", "to", "cc", "reply_to"}`, so mail queued before still goes out.

use crate::jobs::{self, Job, KIND_MAIL};
use crate::{Error, Store};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

/// Queues `envelope` in the caller's transaction `db`, due now.
pub async fn queue(
    store: &Store,
    db: &impl ConnectionTrait,
    sender_id: Option<i64>,
    envelope: &Envelope,
) -> Result<Job, Error> {
    if let Some(rehearsal) = store.rehearsal() {
        rehearsal.keep(envelope);
    }
    jobs::enqueue(store, db, KIND_MAIL, sender_id, envelope, store.now()).await
}

/// The mail a job sends.
pub fn of(store: &Store, job: &Job) -> Result<Envelope, Error> {
    jobs::open(store, job)
}

/// A mail and who gets it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub to: Vec<String>,
    #[serde(default)]
    pub cc: Vec<String>,
    #[serde(default)]
    pub reply_to: Option<String>,
    #[serde(flatten)]
    pub mail: Mail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "template", content = "vars", rename_all = "snake_case")]
pub enum Mail {
    SignIn {
        link: String,
        minutes: i64,
    },
    /// The invoice itself, with its PDF attached.
    InvoiceSent(InvoiceFacts),
    InvoiceUpdated(InvoiceFacts),
    /// Mail queued before payments were kept; no longer written.
    InvoicePaid(InvoiceFacts),
    /// To the recipient: a payment's receipt, with what is still due.
    PaymentReceipt(Receipt),
    /// To the sender: money came in online.
    PaymentReceived(PaymentNotice),
    /// To the sender: an online payment did not match the invoice.
    PaymentProblem(PaymentProblem),
    InvoiceForwarded(Forwarded),
    /// To the recipient: a credit note against their invoice, with its PDF attached.
    CreditNoteIssued(CreditNoteMail),
    /// To the recipient: a payment reminder, with what is due and how to pay it.
    PaymentReminder(ReminderMail),
    /// To the sender.
    ChangeRequested(ChangeRequested),
    /// To the sender.
    Approved(Approved),
    /// To the sender.
    WebhookDisabled {
        url: String,
        reason: String,
        link: String,
    },
}

impl Mail {
    /// The template's name, as stored and logged.
    pub fn template(&self) -> &'static str {
        match self {
            Mail::SignIn { .. } => "sign_in",
            Mail::InvoiceSent(_) => "invoice_sent",
            Mail::InvoiceUpdated(_) => "invoice_updated",
            Mail::InvoicePaid(_) => "invoice_paid",
            Mail::PaymentReceipt(_) => "payment_receipt",
            Mail::PaymentReceived(_) => "payment_received",
            Mail::PaymentProblem(_) => "payment_problem",
            Mail::InvoiceForwarded(_) => "invoice_forwarded",
            Mail::CreditNoteIssued(_) => "credit_note_issued",
            Mail::PaymentReminder(_) => "payment_reminder",
            Mail::ChangeRequested(_) => "change_requested",
            Mail::Approved(_) => "approved",
            Mail::WebhookDisabled { .. } => "webhook_disabled",
        }
    }
}

/// What every invoice mail shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceFacts {
    /// The sender's company (or address).
    pub sender: String,
    pub number: String,
    /// Formatted with its currency: "$1,234.50".
    pub total: String,
    /// "December 31, 2026".
    pub due_date: String,
    /// The share link.
    pub link: String,
    /// What the mail is written in (mail queued before languages: English). Stored only when
    /// not English, so English mail keeps the payload's shape.
    #[serde(default, skip_serializing_if = "is_english")]
    pub language: domain::Language,
    /// The invoice's version the mail carries (the invoice mail attaches its archived files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
}

fn is_english(language: &domain::Language) -> bool {
    *language == domain::Language::En
}

/// Where a mail to the sender points: who the recipient is and the sender's own pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForSender {
    pub recipient: String,
    pub edit_link: String,
    pub page_link: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forwarded {
    #[serde(flatten)]
    pub invoice: InvoiceFacts,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditNoteMail {
    #[serde(flatten)]
    pub invoice: InvoiceFacts,
    /// Its number, e.g. CN-0001 (its archived PDF and e-invoice are attached).
    pub credit_note: String,
    /// What it credits: "€119.00".
    pub amount: String,
    pub reason: String,
    /// The invoice is cancelled by it (credited in full).
    pub cancellation: bool,
    /// What is still owed on the invoice after it.
    pub balance: String,
    /// What the sender will give back, when the customer paid more than is now owed.
    pub refund: Option<String>,
    /// Nothing is owed on the invoice any more.
    #[serde(default)]
    pub settled: bool,
}

/// A reminder's words are the sender's (their policy, or the default words), filled in
/// when it was queued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReminderMail {
    #[serde(flatten)]
    pub invoice: InvoiceFacts,
    pub subject: String,
    /// Paragraphs separated by blank lines.
    pub body: String,
    /// The balance due: "€1,190.00".
    pub amount_due: String,
    /// The EPC QR code's text (SEPA transfer of the balance), where the sender has an IBAN
    /// and the invoice is in euros: the mail shows it as an image.
    pub epc_qr: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeRequested {
    #[serde(flatten)]
    pub invoice: InvoiceFacts,
    #[serde(flatten)]
    pub sender_side: ForSender,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approved {
    #[serde(flatten)]
    pub invoice: InvoiceFacts,
    #[serde(flatten)]
    pub sender_side: ForSender,
    pub approver: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    #[serde(flatten)]
    pub invoice: InvoiceFacts,
    /// "$1,250.00"
    pub amount: String,
    pub paid_on: String,
    pub method: String,
    /// What is still due after it.
    pub balance: String,
    /// The invoice is paid in full.
    pub settled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentNotice {
    #[serde(flatten)]
    pub invoice: InvoiceFacts,
    #[serde(flatten)]
    pub sender_side: ForSender,
    pub amount: String,
    pub balance: String,
    pub settled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentProblem {
    #[serde(flatten)]
    pub invoice: InvoiceFacts,
    #[serde(flatten)]
    pub sender_side: ForSender,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mail_queued_in_the_old_shape_still_reads() {
        let stored = json!({
            "template": "approved", "to": ["me@studio.test"], "cc": [], "reply_to": null,
            "vars": {"sender": "Studio", "number": "ACME-0001", "total": "$10.00", "due_date": "December 31, 2026",
                     "link": "http://x.test/i/t", "recipient": "Acme", "edit_link": "http://x.test/e",
                     "page_link": "http://x.test/p", "approver": "Ann"}
        });
        let envelope: Envelope = serde_json::from_value(stored.clone()).unwrap();
        let Mail::Approved(approved) = &envelope.mail else { panic!("{envelope:?}") };
        assert_eq!((approved.approver.as_str(), approved.sender_side.recipient.as_str()), ("Ann", "Acme"));
        assert_eq!(serde_json::to_value(&envelope).unwrap(), stored, "and is written in it");
        assert_eq!(envelope.mail.template(), "approved");
    }

    #[test]
    fn a_mail_without_its_values_does_not_read() {
        let stored = json!({"template": "sign_in", "to": ["a@x.test"], "vars": {"link": "http://x.test"}});
        assert!(serde_json::from_value::<Envelope>(stored).is_err());
        let unknown = json!({"template": "nope", "to": ["a@x.test"], "vars": {}});
        assert!(serde_json::from_value::<Envelope>(unknown).is_err());
    }
}

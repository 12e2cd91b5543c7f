//! The mails an invoice's life sends: to its recipient (sent, updated, paid) and to its sender
//! (change requested, approved). Queued in the caller's transaction.

use crate::outbox::{MailJob, enqueue_mail};
use crate::senders::Sender;
use crate::{Error, Store};
use domain::dto::{Invoice, Recipient};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// Who gets the recipient's mails: the contact (or accounts payable), copying the cc list
/// and accounts payable.
pub(crate) fn addressees(r: &Recipient) -> Option<(String, Vec<String>)> {
    let to = r.email.clone().or_else(|| r.ap.as_ref().and_then(|a| a.email.clone()))?;
    let mut cc: Vec<String> = r.cc_emails.iter().filter(|c| !c.eq_ignore_ascii_case(&to)).cloned().collect();
    if let Some(ap) =
        r.ap.as_ref().and_then(|a| a.email.clone()).filter(|a| !a.eq_ignore_ascii_case(&to) && !cc.contains(a))
    {
        cc.push(ap);
    }
    Some((to, cc))
}

pub(crate) fn sender_name(sender: &Sender) -> String {
    sender.company.clone().unwrap_or_else(|| sender.email.clone())
}

/// The values every invoice mail shows.
pub(crate) fn invoice_vars(sender: &Sender, invoice: &Invoice) -> Value {
    json!({
        "sender": sender_name(sender),
        "number": invoice.id,
        "total": domain::currency::format_amount(invoice.total_cents, &invoice.currency),
        "due_date": invoice.due_date.format("%B %-d, %Y").to_string(),
        "link": invoice.share_url,
    })
}

/// Queues `template` to the invoice's recipient; false when the invoice names no address.
pub(crate) async fn to_recipient(
    store: &Store,
    db: &impl ConnectionTrait,
    sender: &Sender,
    invoice: &Invoice,
    template: &str,
) -> Result<bool, Error> {
    let Some((to, cc)) = addressees(&invoice.recipient) else { return Ok(false) };
    let job = MailJob {
        template: template.into(),
        to: vec![to],
        cc,
        reply_to: Some(sender.email.clone()),
        vars: invoice_vars(sender, invoice),
    };
    enqueue_mail(store, db, Some(sender.id), &job).await?;
    Ok(true)
}

/// Queues `template` to the sender, with `extra` values (a message, the approver's name).
pub(crate) async fn to_sender(
    store: &Store,
    db: &impl ConnectionTrait,
    sender: &Sender,
    invoice: &Invoice,
    template: &str,
    extra: Value,
) -> Result<(), Error> {
    let public_url = store.public_url();
    let mut vars = invoice_vars(sender, invoice);
    vars["recipient"] =
        json!(invoice.recipient.company.clone().or(invoice.recipient.email.clone()).unwrap_or_default());
    vars["edit_link"] = json!(format!("{public_url}/invoices/{}/edit", invoice.id));
    vars["page_link"] = json!(format!("{public_url}/invoices/{}", invoice.id));
    if let (Value::Object(v), Value::Object(e)) = (&mut vars, extra) {
        v.extend(e);
    }
    let job = MailJob { template: template.into(), to: vec![sender.email.clone()], cc: vec![], reply_to: None, vars };
    enqueue_mail(store, db, Some(sender.id), &job).await?;
    Ok(())
}

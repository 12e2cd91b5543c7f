//! The mail a change sends, if any: its kind, its values and its addressees.

use super::Happened;
use crate::Store;
use crate::mail::{Approved, ChangeRequested, Envelope, ForSender, Forwarded, InvoiceFacts, Mail};
use crate::senders::Sender;
use domain::Status;
use domain::dto::{Invoice, Recipient};

/// The mail `happened` sends: None when it sends none, or its recipient has no address.
/// An anonymous sender's invoices send none: nobody proved an address, and we are no open relay.
pub(super) fn of(store: &Store, happened: &Happened, sender: &Sender, invoice: &Invoice) -> Option<Envelope> {
    if sender.anonymous {
        return None;
    }
    let facts = facts(sender, invoice);
    match happened {
        Happened::Emailed { .. } => to_recipient(sender, invoice, Mail::InvoiceSent(facts)),
        Happened::Edited { recipient_saw_earlier: true } => to_recipient(sender, invoice, Mail::InvoiceUpdated(facts)),
        Happened::StatusSet { to: Status::Paid, .. } => to_recipient(sender, invoice, Mail::InvoicePaid(facts)),
        Happened::Forwarded { to, note, .. } => Some(Envelope {
            to: vec![to.clone()],
            cc: vec![],
            reply_to: sender.email.clone(),
            mail: Mail::InvoiceForwarded(Forwarded { invoice: facts, note: note.clone() }),
        }),
        Happened::ChangeRequested { message, .. } => {
            let sender_side = for_sender(store, invoice);
            to_sender(
                sender,
                Mail::ChangeRequested(ChangeRequested { invoice: facts, sender_side, message: message.clone() }),
            )
        }
        Happened::Approved { name, .. } => {
            let sender_side = for_sender(store, invoice);
            to_sender(sender, Mail::Approved(Approved { invoice: facts, sender_side, approver: name.clone() }))
        }
        Happened::Created
        | Happened::Viewed { .. }
        | Happened::Edited { .. }
        | Happened::StatusSet { .. }
        | Happened::Claimed { .. } => None,
    }
}

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

fn facts(sender: &Sender, invoice: &Invoice) -> InvoiceFacts {
    InvoiceFacts {
        sender: sender.company.clone().or_else(|| sender.email.clone()).unwrap_or_default(),
        number: invoice.id.clone(),
        total: domain::currency::format_amount(invoice.total_cents, &invoice.currency),
        due_date: invoice.due_date.format("%B %-d, %Y").to_string(),
        link: invoice.share_url.clone(),
    }
}

fn for_sender(store: &Store, invoice: &Invoice) -> ForSender {
    let public_url = store.public_url();
    let r = &invoice.recipient;
    ForSender {
        recipient: r.company.clone().or(r.email.clone()).unwrap_or_default(),
        edit_link: format!("{public_url}/invoices/{}/edit", invoice.id),
        page_link: format!("{public_url}/invoices/{}", invoice.id),
    }
}

fn to_recipient(sender: &Sender, invoice: &Invoice, mail: Mail) -> Option<Envelope> {
    let (to, cc) = addressees(&invoice.recipient)?;
    Some(Envelope { to: vec![to], cc, reply_to: sender.email.clone(), mail })
}

fn to_sender(sender: &Sender, mail: Mail) -> Option<Envelope> {
    Some(Envelope { to: vec![sender.email.clone()?], cc: vec![], reply_to: None, mail })
}

//! The mail a change sends, if any: its kind, its values and its addressees.

use super::{Happened, PaymentFacts};
use crate::Store;
use crate::events::Actor;
use crate::mail::{
    Approved, ChangeRequested, CreditNoteMail, Envelope, ForSender, Forwarded, InvoiceFacts, Mail, PaymentNotice,
    PaymentProblem, Receipt, ReminderMail,
};
use crate::senders::Sender;
use domain::Language;
use domain::currency::format_amount;
use domain::dto::{Invoice, Recipient};

/// The mails `happened` sends: none when it sends none, or their addressee has no address.
/// An anonymous sender's invoices send none: nobody proved an address, and we are no open relay.
pub(super) fn of(
    store: &Store,
    happened: &Happened,
    actor: Actor,
    sender: &Sender,
    invoice: &Invoice,
    version: i32,
) -> Vec<Envelope> {
    if sender.anonymous {
        return vec![];
    }
    if let Happened::PaymentReceived { payment, settled, .. } = happened {
        let receipt = to_recipient(sender, invoice, Mail::PaymentReceipt(receipt(sender, invoice, payment, *settled)));
        // The sender hears of money they did not record themselves (paid online).
        let notice = (actor == Actor::Recipient).then(|| {
            let notice = PaymentNotice {
                invoice: facts(sender, invoice, Language::En),
                sender_side: for_sender(store, invoice),
                amount: format_amount(payment.amount_cents, &invoice.currency),
                balance: format_amount(payment.balance_due_cents, &invoice.currency),
                settled: *settled,
            };
            to_sender(sender, Mail::PaymentReceived(notice))
        });
        return receipt.into_iter().chain(notice.flatten()).collect();
    }
    one(store, happened, sender, invoice, version).into_iter().collect()
}

/// The recipient's receipt, in the invoice's language.
fn receipt(sender: &Sender, invoice: &Invoice, payment: &PaymentFacts, settled: bool) -> Receipt {
    let l = invoice.language;
    Receipt {
        invoice: facts(sender, invoice, l),
        amount: i18n::money(l, payment.amount_cents, &invoice.currency),
        paid_on: i18n::date(l, payment.paid_on),
        method: i18n::text(l, &format!("method-{}", payment.method.as_str())),
        balance: i18n::money(l, payment.balance_due_cents, &invoice.currency),
        settled,
    }
}

fn one(store: &Store, happened: &Happened, sender: &Sender, invoice: &Invoice, version: i32) -> Option<Envelope> {
    // The recipient's mails speak the invoice's language, the sender's English.
    let facts = facts(sender, invoice, invoice.language);
    let for_the_sender = || self::facts(sender, invoice, Language::En);
    match happened {
        Happened::Emailed { .. } => {
            to_recipient(sender, invoice, Mail::InvoiceSent(InvoiceFacts { version: Some(version), ..facts }))
        }
        Happened::CreditNoteIssued { note } => {
            let l = invoice.language;
            let refund =
                (invoice.refund_due_cents > 0).then(|| i18n::money(l, invoice.refund_due_cents, &invoice.currency));
            let mail = CreditNoteMail {
                invoice: facts,
                credit_note: note.id.clone(),
                amount: i18n::money(l, note.total_cents, &note.currency),
                reason: note.reason.clone(),
                cancellation: note.kind == domain::credit_note::CreditNoteKind::Cancellation,
                balance: i18n::money(l, invoice.balance_due_cents, &invoice.currency),
                refund,
                settled: invoice.balance_due_cents == 0,
            };
            to_recipient(sender, invoice, Mail::CreditNoteIssued(mail))
        }
        Happened::Edited { recipient_saw_earlier: true } => to_recipient(sender, invoice, Mail::InvoiceUpdated(facts)),
        Happened::ReminderSent { subject, body, .. } => {
            let transfer = crate::senders::card(sender).transfer;
            let epc_qr = transfer
                .and_then(|to| domain::epc::payload(&to, invoice.balance_due_cents, &invoice.currency, &invoice.id));
            let mail = ReminderMail {
                amount_due: i18n::money(invoice.language, invoice.balance_due_cents, &invoice.currency),
                invoice: facts,
                subject: subject.clone(),
                body: body.clone(),
                epc_qr,
            };
            to_recipient(sender, invoice, Mail::PaymentReminder(mail))
        }
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
                Mail::ChangeRequested(ChangeRequested {
                    invoice: for_the_sender(),
                    sender_side,
                    message: message.clone(),
                }),
            )
        }
        Happened::Approved { name, .. } => {
            let sender_side = for_sender(store, invoice);
            to_sender(
                sender,
                Mail::Approved(Approved { invoice: for_the_sender(), sender_side, approver: name.clone() }),
            )
        }
        Happened::PaymentProblem { reason, .. } => {
            let sender_side = for_sender(store, invoice);
            to_sender(
                sender,
                Mail::PaymentProblem(PaymentProblem { invoice: for_the_sender(), sender_side, reason: reason.clone() }),
            )
        }
        Happened::Created
        | Happened::Viewed { .. }
        | Happened::Edited { .. }
        | Happened::StatusSet { .. }
        | Happened::Claimed { .. }
        | Happened::PaymentReceived { .. }
        | Happened::Refunded { .. }
        | Happened::Credited { .. } => None,
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

/// The invoice as a mail in `language` tells of it: the recipient's mails in the invoice's
/// language, the sender's in English (the app's).
fn facts(sender: &Sender, invoice: &Invoice, language: Language) -> InvoiceFacts {
    InvoiceFacts {
        sender: sender.company.clone().or_else(|| sender.email.clone()).unwrap_or_default(),
        number: invoice.id.clone(),
        total: i18n::money(language, invoice.total_cents, &invoice.currency),
        due_date: i18n::date(language, invoice.due_date),
        link: invoice.share_url.clone(),
        language,
        version: None,
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

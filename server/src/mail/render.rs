//! A mail → subject, text and HTML.

use super::qr_png;
use askama::Template;
use data::mail::{
    Approved, ChangeRequested, CreditNoteMail, Forwarded, InvoiceFacts, Mail, PaymentNotice, PaymentProblem, Receipt,
    ReminderMail,
};

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Images the HTML shows inline (`cid:{id}`): (content id, PNG).
    pub images: Vec<(String, Vec<u8>)>,
}

#[derive(Template)]
#[template(path = "mail/sign_in.txt")]
struct SignInText<'a> {
    link: &'a str,
    minutes: i64,
}

#[derive(Template)]
#[template(path = "mail/sign_in.html")]
struct SignInHtml<'a> {
    link: &'a str,
    minutes: i64,
}

#[derive(Template)]
#[template(path = "mail/invoice_sent.txt")]
struct InvoiceSentText<'a> {
    v: &'a InvoiceFacts,
    w: &'a SentWords,
}

#[derive(Template)]
#[template(path = "mail/invoice_sent.html")]
struct InvoiceSentHtml<'a> {
    v: &'a InvoiceFacts,
    w: &'a SentWords,
}

/// The invoice mail's words in the invoice's language.
struct SentWords {
    subject: String,
    heading: String,
    amount: String,
    due: String,
    due_short: String,
    link_text: String,
    link_html: String,
    button: String,
    or_open: String,
    footer: String,
}

fn sent_words(v: &InvoiceFacts) -> SentWords {
    let l = v.language;
    let t = |key: &str| i18n::text_with(l, key, &facts_args(v));
    SentWords {
        subject: t("mail-sent-subject"),
        heading: t("mail-sent-heading"),
        amount: t("mail-sent-amount"),
        due: t("mail-sent-due"),
        due_short: t("mail-sent-due-short"),
        link_text: t("mail-sent-link-text"),
        link_html: t("mail-sent-link-html"),
        button: t("mail-sent-button"),
        or_open: t("mail-or-open"),
        footer: t("mail-footer"),
    }
}

/// The values every invoice mail's words may use.
fn facts_args(v: &InvoiceFacts) -> [(&str, &str); 4] {
    [("number", &v.number), ("sender", &v.sender), ("total", &v.total), ("date", &v.due_date)]
}

/// The shape of the lifecycle mails: a heading, a few paragraphs, perhaps a quoted message,
/// and one button.
#[derive(Template)]
#[template(path = "mail/notice.txt")]
struct NoticeText<'a> {
    n: &'a Notice,
}

#[derive(Template)]
#[template(path = "mail/notice.html")]
struct NoticeHtml<'a> {
    n: &'a Notice,
}

struct Notice {
    subject: String,
    heading: String,
    paragraphs: Vec<String>,
    quote: Option<String>,
    button: String,
    link: String,
    /// "Or open:" before the bare link, in the mail's language.
    or_open: String,
    footer: String,
}

fn notice(mail: &Mail) -> Option<Notice> {
    to_the_recipient(mail).or_else(|| to_the_sender(mail)).or_else(|| about_webhooks(mail))
}

/// The mails a webhook's owner gets about it.
fn about_webhooks(mail: &Mail) -> Option<Notice> {
    Some(match mail {
        Mail::WebhookDisabled { url, reason, link } => Notice {
            subject: "Your JupiterInvoice webhook was disabled".into(),
            heading: "A webhook was disabled".into(),
            paragraphs: vec![
                format!("We stopped sending events to {url}: {reason}."),
                "Events that could not be delivered are kept in the delivery log. Fix the endpoint, resume the webhook, and redeliver what it missed.".into(),
            ],
            quote: None,
            button: "Open webhooks".into(),
            or_open: "Or open:".into(),
            link: link.clone(),
            footer: "You get this because you set up this webhook with JupiterInvoice.".into(),
        },
        _ => return None,
    })
}

/// A recipient's notice in the invoice's language: heading, paragraphs and button by key.
fn recipient_notice(v: &InvoiceFacts, [subject, heading]: [&str; 2], paragraphs: Vec<String>, button: &str) -> Notice {
    let t = |key: &str| i18n::text_with(v.language, key, &facts_args(v));
    Notice {
        subject: t(subject),
        heading: t(heading),
        paragraphs,
        quote: None,
        button: t(button),
        link: v.link.clone(),
        or_open: t("mail-or-open"),
        footer: t("mail-footer"),
    }
}

/// The mails the invoice's recipient gets (besides the invoice itself), in its language.
fn to_the_recipient(mail: &Mail) -> Option<Notice> {
    Some(match mail {
        Mail::InvoiceUpdated(v) => {
            let t = |key: &str| i18n::text_with(v.language, key, &facts_args(v));
            let body = vec![t("mail-updated-body"), t("mail-updated-next")];
            recipient_notice(v, ["mail-updated-subject", "mail-updated-heading"], body, "mail-updated-button")
        }
        Mail::InvoicePaid(v) => {
            let body = vec![i18n::text_with(v.language, "mail-paid-body", &facts_args(v))];
            recipient_notice(v, ["mail-paid-subject", "mail-paid-heading"], body, "mail-view-invoice")
        }
        Mail::PaymentReceipt(Receipt { invoice: v, amount, paid_on, method, balance, settled }) => {
            let mut args = facts_args(v).to_vec();
            args.extend([("amount", amount.as_str()), ("method", method.as_str()), ("balance", balance.as_str())]);
            let t = |key: &str, args: &[(&str, &str)]| i18n::text_with(v.language, key, args);
            let mut paid_args = args.clone();
            paid_args.retain(|(k, _)| *k != "date");
            paid_args.push(("date", paid_on.as_str()));
            let next = if *settled { t("mail-receipt-settled", &args) } else { t("mail-receipt-balance", &args) };
            let mut n =
                recipient_notice(v, ["mail-receipt-subject", "mail-receipt-heading"], vec![], "mail-view-invoice");
            n.subject = t("mail-receipt-subject", &args);
            n.heading = t("mail-receipt-heading", &args);
            n.paragraphs = vec![t("mail-receipt-body", &paid_args), next];
            n
        }
        Mail::CreditNoteIssued(c) => credit_note_notice(c),
        Mail::InvoiceForwarded(Forwarded { invoice: v, note }) => {
            let body = vec![i18n::text_with(v.language, "mail-forwarded-body", &facts_args(v))];
            let mut n =
                recipient_notice(v, ["mail-forwarded-subject", "mail-forwarded-heading"], body, "mail-view-invoice");
            n.quote = note.clone();
            n
        }
        _ => return None,
    })
}

/// A credit note (or the cancellation) the recipient gets, with what is left to pay or to
/// be refunded.
fn credit_note_notice(c: &CreditNoteMail) -> Notice {
    let v = &c.invoice;
    let mut args = facts_args(v).to_vec();
    args.extend([
        ("credit", c.credit_note.as_str()),
        ("amount", c.amount.as_str()),
        ("balance", c.balance.as_str()),
        ("refund", c.refund.as_deref().unwrap_or_default()),
        ("reason", c.reason.as_str()),
    ]);
    let t = |key: &str| i18n::text_with(v.language, key, &args);
    let keys = match c.cancellation {
        true => ["mail-cancel-subject", "mail-cancel-heading", "mail-cancel-body"],
        false => ["mail-credit-subject", "mail-credit-heading", "mail-credit-body"],
    };
    let next = match (&c.refund, c.settled) {
        (Some(_), _) => t("mail-credit-refund"),
        (None, true) => t("mail-credit-nothing-due"),
        (None, false) => t("mail-credit-balance"),
    };
    let mut n = recipient_notice(v, [keys[0], keys[1]], vec![t(keys[2]), t("doc-reason"), next], "mail-view-invoice");
    n.subject = t(keys[0]);
    n.heading = t(keys[1]);
    n
}

/// The mails the sender gets about their invoices and webhooks.
fn to_the_sender(mail: &Mail) -> Option<Notice> {
    let to_sender = "You get this because you sent the invoice with JupiterInvoice.".to_string();
    Some(match mail {
        Mail::PaymentReceived(PaymentNotice { invoice: v, sender_side: s, amount, balance, settled }) => Notice {
            subject: format!("{} paid {amount} on invoice {}", s.recipient, v.number),
            heading: format!("{amount} received for {}", v.number),
            paragraphs: vec![
                format!("{} paid {amount} online for invoice {}.", s.recipient, v.number),
                if *settled {
                    format!("The invoice ({}) is paid in full.", v.total)
                } else {
                    format!("Still due: {balance} of {}.", v.total)
                },
            ],
            quote: None,
            button: "Open the invoice".into(),
            or_open: "Or open:".into(),
            link: s.page_link.clone(),
            footer: to_sender.clone(),
        },
        Mail::PaymentProblem(PaymentProblem { invoice: v, sender_side: s, reason }) => Notice {
            subject: format!("Check a payment on invoice {}", v.number),
            heading: format!("A payment on {} needs a look", v.number),
            paragraphs: vec![
                format!(
                    "An online payment for invoice {} ({}) did not match the invoice, so it was not counted as paid:",
                    v.number, v.total
                ),
                "Check it in your Stripe dashboard, then record or refund it there.".into(),
            ],
            quote: Some(reason.clone()),
            button: "Open the invoice".into(),
            or_open: "Or open:".into(),
            link: s.page_link.clone(),
            footer: to_sender.clone(),
        },
        Mail::ChangeRequested(ChangeRequested { invoice: v, sender_side: s, message }) => Notice {
            subject: format!("{} asked for changes to invoice {}", s.recipient, v.number),
            heading: format!("Changes requested to {}", v.number),
            paragraphs: vec![format!("{} asked for changes to invoice {} ({}):", s.recipient, v.number, v.total)],
            quote: Some(message.clone()),
            button: "Edit the invoice".into(),
            or_open: "Or open:".into(),
            link: s.edit_link.clone(),
            footer: to_sender.clone(),
        },
        Mail::Approved(Approved { invoice: v, sender_side: s, approver }) => Notice {
            subject: format!("{} approved invoice {}", s.recipient, v.number),
            heading: format!("Invoice {} was approved", v.number),
            paragraphs: vec![format!(
                "{} at {} approved invoice {} for {}. It is locked now: its content can no longer change.",
                approver, s.recipient, v.number, v.total
            )],
            quote: None,
            button: "Open the invoice".into(),
            or_open: "Or open:".into(),
            link: s.page_link.clone(),
            footer: to_sender,
        },
        _ => return None,
    })
}

/// A payment reminder: the sender's words, the amount due, the Pay button (to the share
/// page, where the client pays by card or sees the bank details) and the EPC QR code.
#[derive(Template)]
#[template(path = "mail/reminder.txt")]
struct ReminderText<'a> {
    r: &'a ReminderMail,
    w: &'a ReminderWords,
}

#[derive(Template)]
#[template(path = "mail/reminder.html")]
struct ReminderHtml<'a> {
    r: &'a ReminderMail,
    w: &'a ReminderWords,
}

struct ReminderWords {
    paragraphs: Vec<String>,
    amount: String,
    pay: String,
    pay_link: String,
    qr: Option<String>,
    or_open: String,
    footer: String,
}

/// The QR image's content id in the HTML part.
const QR_ID: &str = "epc-qr";

fn reminder(r: &ReminderMail) -> Result<Rendered, String> {
    let l = r.invoice.language;
    let image = r.epc_qr.as_deref().and_then(i18n::document::qr_modules).and_then(|(w, d)| qr_png::encode(w, &d, 4));
    let w = ReminderWords {
        paragraphs: r.body.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        amount: i18n::text(l, "mail-reminder-amount"),
        pay: i18n::text(l, "mail-reminder-pay"),
        pay_link: format!("{}#pay", r.invoice.link),
        qr: image.as_ref().map(|_| i18n::text(l, "mail-reminder-qr")),
        or_open: i18n::text(l, "mail-or-open"),
        footer: i18n::text_with(l, "mail-footer", &facts_args(&r.invoice)),
    };
    let mut rendered = both(&r.subject, ReminderText { r, w: &w }, ReminderHtml { r, w: &w })?;
    rendered.images = image.map(|png| (QR_ID.to_string(), png)).into_iter().collect();
    Ok(rendered)
}

fn render_notice(n: &Notice) -> Result<Rendered, String> {
    Ok(Rendered {
        subject: n.subject.clone(),
        text: NoticeText { n }.render().map_err(|e| e.to_string())?,
        html: NoticeHtml { n }.render().map_err(|e| e.to_string())?,
        images: vec![],
    })
}

fn both(subject: &str, text: impl Template, html: impl Template) -> Result<Rendered, String> {
    Ok(Rendered {
        subject: subject.to_string(),
        text: text.render().map_err(|e| e.to_string())?,
        html: html.render().map_err(|e| e.to_string())?,
        images: vec![],
    })
}

/// Renders a mail; an error here is permanent (retrying cannot fix a template).
pub fn render(mail: &Mail) -> Result<Rendered, String> {
    match mail {
        Mail::SignIn { link, minutes } => both(
            "Your JupiterInvoice sign-in link",
            SignInText { link, minutes: *minutes },
            SignInHtml { link, minutes: *minutes },
        ),
        Mail::InvoiceSent(v) => {
            let w = &sent_words(v);
            both(&w.subject, InvoiceSentText { v, w }, InvoiceSentHtml { v, w })
        }
        Mail::PaymentReminder(r) => reminder(r),
        other => match notice(other) {
            Some(n) => render_notice(&n),
            None => Err(format!("no notice for mail {}", other.template())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_mail_carries_the_link_in_both_parts() {
        let mail = Mail::SignIn { link: "http://x.test/signin/verify?token=abc&next=/i".into(), minutes: 15 };
        let mail = render(&mail).unwrap();
        assert!(mail.text.contains("http://x.test/signin/verify?token=abc&next=/i"));
        let html = mail.html.replace("&#38;", "&").replace("&amp;", "&");
        assert!(html.contains("href=\"http://x.test/signin/verify?token=abc&next=/i\""), "{}", mail.html);
        assert!(mail.text.contains("15 minutes"));
    }

    #[test]
    fn a_receipt_says_what_was_paid_and_what_is_left() {
        let invoice = InvoiceFacts {
            sender: "Studio Nova".into(),
            number: "ACME-0001".into(),
            total: "$2,500.00".into(),
            due_date: "December 31, 2026".into(),
            link: "http://x.test/i/t".into(),
            language: domain::Language::En,
            version: None,
        };
        let receipt = |settled: bool| Receipt {
            invoice: invoice.clone(),
            amount: "$1,000.00".into(),
            paid_on: "November 24, 2026".into(),
            method: "Bank transfer".into(),
            balance: "$1,500.00".into(),
            settled,
        };
        let partial = render(&Mail::PaymentReceipt(receipt(false))).unwrap();
        assert_eq!(partial.subject, "Receipt: $1,000.00 paid on invoice ACME-0001 from Studio Nova");
        for part in [&partial.text, &partial.html] {
            assert!(part.contains("November 24, 2026") && part.contains("Bank transfer"), "{part}");
            assert!(part.contains("$1,500.00 of $2,500.00"), "the balance left: {part}");
        }
        let full = render(&Mail::PaymentReceipt(receipt(true))).unwrap();
        assert!(full.text.contains("paid in full") && !full.text.contains("Balance due"), "{}", full.text);
    }

    #[test]
    fn the_recipients_mails_speak_the_invoices_language() {
        let facts = InvoiceFacts {
            sender: "Studio Nord".into(),
            number: "WEBER-0001".into(),
            total: i18n::money(domain::Language::De, 118_940, "EUR"),
            due_date: i18n::date(domain::Language::De, chrono::NaiveDate::from_ymd_opt(2027, 1, 31).unwrap()),
            link: "http://x.test/i/t".into(),
            language: domain::Language::De,
            version: None,
        };
        let sent = render(&Mail::InvoiceSent(facts.clone())).unwrap();
        assert_eq!(sent.subject, "Rechnung WEBER-0001 von Studio Nord (1.189,40\u{a0}€)");
        for part in [&sent.text, &sent.html] {
            assert!(
                part.contains("Fällig am")
                    && part.contains("31. Januar 2027")
                    && part.contains("Studio Nord zu erreichen"),
                "{part}"
            );
            assert!(!part.contains("Due") && !part.contains("Reply"), "no English left: {part}");
        }
        let updated = render(&Mail::InvoiceUpdated(facts.clone())).unwrap();
        assert_eq!(updated.subject, "Rechnung WEBER-0001 von Studio Nord wurde geändert");
        assert!(updated.html.contains("Oder öffnen Sie:"), "{}", updated.html);
        let french = InvoiceFacts { language: domain::Language::Fr, ..facts };
        let forwarded = render(&Mail::InvoiceForwarded(Forwarded { invoice: french, note: None })).unwrap();
        assert_eq!(forwarded.subject, "La facture WEBER-0001 de Studio Nord vous a été transmise");
    }

    #[test]
    fn the_webhook_disabled_mail_says_which_endpoint_and_why() {
        let mail = Mail::WebhookDisabled {
            url: "https://erp.example/hooks".into(),
            reason: "the endpoint answered 410 Gone".into(),
            link: "http://x.test/webhooks".into(),
        };
        let mail = render(&mail).unwrap();
        assert_eq!(mail.subject, "Your JupiterInvoice webhook was disabled");
        for part in [&mail.text, &mail.html] {
            assert!(part.contains("https://erp.example/hooks") && part.contains("410 Gone"), "{part}");
            assert!(part.contains("http://x.test/webhooks"));
        }
    }
}

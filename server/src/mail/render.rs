//! A mail → subject, text and HTML.

use askama::Template;
use data::mail::{Approved, ChangeRequested, Forwarded, InvoiceFacts, Mail, PaymentNotice, PaymentProblem, Receipt};

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
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
}

#[derive(Template)]
#[template(path = "mail/invoice_sent.html")]
struct InvoiceSentHtml<'a> {
    v: &'a InvoiceFacts,
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
    button: &'static str,
    link: String,
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
            button: "Open webhooks",
            link: link.clone(),
            footer: "You get this because you set up this webhook with JupiterInvoice.".into(),
        },
        _ => return None,
    })
}

fn recipient_footer(v: &InvoiceFacts) -> String {
    format!("Questions about this invoice? Reply to this e-mail to reach {}.", v.sender)
}

/// The mails the invoice's recipient gets (besides the invoice itself).
fn to_the_recipient(mail: &Mail) -> Option<Notice> {
    Some(match mail {
        Mail::InvoiceUpdated(v) => Notice {
            subject: format!("Invoice {} from {} was updated", v.number, v.sender),
            heading: format!("Invoice {} was updated", v.number),
            paragraphs: vec![
                format!("{} updated invoice {}. It now comes to {}, due {}.", v.sender, v.number, v.total, v.due_date),
                "Open it to see exactly what changed, then approve it or ask for more changes.".into(),
            ],
            quote: None,
            button: "See what changed",
            link: v.link.clone(),
            footer: recipient_footer(v),
        },
        Mail::InvoicePaid(v) => Notice {
            subject: format!("Receipt: invoice {} from {} is paid", v.number, v.sender),
            heading: format!("Invoice {} is paid", v.number),
            paragraphs: vec![format!(
                "{} recorded your payment of {} for invoice {}. Thank you!",
                v.sender, v.total, v.number
            )],
            quote: None,
            button: "View the invoice",
            link: v.link.clone(),
            footer: recipient_footer(v),
        },
        Mail::PaymentReceipt(Receipt { invoice: v, amount, paid_on, method, balance, settled }) => Notice {
            subject: format!("Receipt: {amount} paid on invoice {} from {}", v.number, v.sender),
            heading: format!("Payment received: {amount}"),
            paragraphs: vec![
                format!(
                    "{} received your payment of {amount} for invoice {} on {paid_on} ({method}).",
                    v.sender, v.number
                ),
                if *settled {
                    format!("Invoice {} ({}) is now paid in full. Thank you!", v.number, v.total)
                } else {
                    format!("Balance due on invoice {}: {balance} of {}, due {}.", v.number, v.total, v.due_date)
                },
            ],
            quote: None,
            button: "View the invoice",
            link: v.link.clone(),
            footer: recipient_footer(v),
        },
        Mail::InvoiceForwarded(Forwarded { invoice: v, note }) => Notice {
            subject: format!("Invoice {} from {} was forwarded to you", v.number, v.sender),
            heading: format!("Invoice {} from {}", v.number, v.sender),
            paragraphs: vec![format!("This invoice ({}, due {}) was forwarded to you.", v.total, v.due_date)],
            quote: note.clone(),
            button: "View the invoice",
            link: v.link.clone(),
            footer: recipient_footer(v),
        },
        _ => return None,
    })
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
            button: "Open the invoice",
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
            button: "Open the invoice",
            link: s.page_link.clone(),
            footer: to_sender.clone(),
        },
        Mail::ChangeRequested(ChangeRequested { invoice: v, sender_side: s, message }) => Notice {
            subject: format!("{} asked for changes to invoice {}", s.recipient, v.number),
            heading: format!("Changes requested to {}", v.number),
            paragraphs: vec![format!("{} asked for changes to invoice {} ({}):", s.recipient, v.number, v.total)],
            quote: Some(message.clone()),
            button: "Edit the invoice",
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
            button: "Open the invoice",
            link: s.page_link.clone(),
            footer: to_sender,
        },
        _ => return None,
    })
}

fn render_notice(n: &Notice) -> Result<Rendered, String> {
    Ok(Rendered {
        subject: n.subject.clone(),
        text: NoticeText { n }.render().map_err(|e| e.to_string())?,
        html: NoticeHtml { n }.render().map_err(|e| e.to_string())?,
    })
}

fn both(subject: &str, text: impl Template, html: impl Template) -> Result<Rendered, String> {
    Ok(Rendered {
        subject: subject.to_string(),
        text: text.render().map_err(|e| e.to_string())?,
        html: html.render().map_err(|e| e.to_string())?,
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
            let subject = format!("Invoice {} from {} ({})", v.number, v.sender, v.total);
            both(&subject, InvoiceSentText { v }, InvoiceSentHtml { v })
        }
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

//! MailJob (template name + values) → subject, text and HTML.

use askama::Template;
use data::outbox::MailJob;
use serde::de::DeserializeOwned;

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Template, serde::Deserialize)]
#[template(path = "mail/sign_in.txt")]
struct SignInText {
    link: String,
    minutes: i64,
}

#[derive(Template, serde::Deserialize)]
#[template(path = "mail/sign_in.html")]
struct SignInHtml {
    link: String,
    minutes: i64,
}

#[derive(Template, serde::Deserialize)]
#[template(path = "mail/invoice_sent.txt")]
struct InvoiceSentText {
    sender: String,
    number: String,
    total: String,
    due_date: String,
    link: String,
}

#[derive(Template, serde::Deserialize)]
#[template(path = "mail/invoice_sent.html")]
struct InvoiceSentHtml {
    sender: String,
    number: String,
    total: String,
    due_date: String,
    link: String,
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

/// The values invoice mails carry (see data::invoices::notify).
#[derive(serde::Deserialize)]
struct InvoiceVars {
    sender: String,
    number: String,
    total: String,
    due_date: String,
    link: String,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    edit_link: String,
    #[serde(default)]
    page_link: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    approver: String,
    #[serde(default)]
    note: Option<String>,
}

fn notice(template: &str, v: InvoiceVars) -> Option<Notice> {
    let to_recipient = format!("Questions about this invoice? Reply to this e-mail to reach {}.", v.sender);
    let to_sender = "You get this because you sent the invoice with JupiterInvoice.".to_string();
    Some(match template {
        "invoice_updated" => Notice {
            subject: format!("Invoice {} from {} was updated", v.number, v.sender),
            heading: format!("Invoice {} was updated", v.number),
            paragraphs: vec![
                format!("{} updated invoice {}. It now comes to {}, due {}.", v.sender, v.number, v.total, v.due_date),
                "Open it to see exactly what changed, then approve it or ask for more changes.".into(),
            ],
            quote: None,
            button: "See what changed",
            link: v.link,
            footer: to_recipient,
        },
        "invoice_paid" => Notice {
            subject: format!("Receipt: invoice {} from {} is paid", v.number, v.sender),
            heading: format!("Invoice {} is paid", v.number),
            paragraphs: vec![format!(
                "{} recorded your payment of {} for invoice {}. Thank you!",
                v.sender, v.total, v.number
            )],
            quote: None,
            button: "View the invoice",
            link: v.link,
            footer: to_recipient,
        },
        "invoice_forwarded" => Notice {
            subject: format!("Invoice {} from {} was forwarded to you", v.number, v.sender),
            heading: format!("Invoice {} from {}", v.number, v.sender),
            paragraphs: vec![format!("This invoice ({}, due {}) was forwarded to you.", v.total, v.due_date)],
            quote: v.note,
            button: "View the invoice",
            link: v.link,
            footer: to_recipient,
        },
        "change_requested" => Notice {
            subject: format!("{} asked for changes to invoice {}", v.recipient, v.number),
            heading: format!("Changes requested to {}", v.number),
            paragraphs: vec![format!("{} asked for changes to invoice {} ({}):", v.recipient, v.number, v.total)],
            quote: v.message,
            button: "Edit the invoice",
            link: v.edit_link,
            footer: to_sender,
        },
        "approved" => Notice {
            subject: format!("{} approved invoice {}", v.recipient, v.number),
            heading: format!("Invoice {} was approved", v.number),
            paragraphs: vec![format!(
                "{} at {} approved invoice {} for {}. It is locked now: its content can no longer change.",
                v.approver, v.recipient, v.number, v.total
            )],
            quote: None,
            button: "Open the invoice",
            link: v.page_link,
            footer: to_sender,
        },
        _ => return None,
    })
}

/// The values of the mail that tells a sender their webhook was switched off.
#[derive(serde::Deserialize)]
struct WebhookVars {
    url: String,
    reason: String,
    link: String,
}

fn webhook_disabled(v: WebhookVars) -> Notice {
    Notice {
        subject: "Your JupiterInvoice webhook was disabled".into(),
        heading: "A webhook was disabled".into(),
        paragraphs: vec![
            format!("We stopped sending events to {}: {}.", v.url, v.reason),
            "Events that could not be delivered are kept in the delivery log. Fix the endpoint, resume the webhook, and redeliver what it missed.".into(),
        ],
        quote: None,
        button: "Open webhooks",
        link: v.link,
        footer: "You get this because you set up this webhook with JupiterInvoice.".into(),
    }
}

fn render_notice(n: &Notice) -> Result<Rendered, String> {
    Ok(Rendered {
        subject: n.subject.clone(),
        text: NoticeText { n }.render().map_err(|e| e.to_string())?,
        html: NoticeHtml { n }.render().map_err(|e| e.to_string())?,
    })
}

fn vars<T: DeserializeOwned>(job: &MailJob) -> Result<T, String> {
    serde_json::from_value(job.vars.clone()).map_err(|e| format!("mail {}: bad values: {e}", job.template))
}

fn both(subject: &str, text: impl Template, html: impl Template) -> Result<Rendered, String> {
    Ok(Rendered {
        subject: subject.to_string(),
        text: text.render().map_err(|e| e.to_string())?,
        html: html.render().map_err(|e| e.to_string())?,
    })
}

/// Renders a job; an error here is permanent (retrying cannot fix a template or its values).
pub fn render(job: &MailJob) -> Result<Rendered, String> {
    match job.template.as_str() {
        "sign_in" => both("Your JupiterInvoice sign-in link", vars::<SignInText>(job)?, vars::<SignInHtml>(job)?),
        "invoice_sent" => {
            let text: InvoiceSentText = vars(job)?;
            let subject = format!("Invoice {} from {} ({})", text.number, text.sender, text.total);
            both(&subject, text, vars::<InvoiceSentHtml>(job)?)
        }
        "webhook_disabled" => render_notice(&webhook_disabled(vars(job)?)),
        other => match notice(other, vars(job)?) {
            Some(n) => render_notice(&n),
            None => Err(format!("unknown mail template {other}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_mail_carries_the_link_in_both_parts() {
        let job = MailJob {
            template: "sign_in".into(),
            to: vec!["a@x.test".into()],
            cc: vec![],
            reply_to: None,
            vars: serde_json::json!({"link": "http://x.test/signin/verify?token=abc&next=/i", "minutes": 15}),
        };
        let mail = render(&job).unwrap();
        assert!(mail.text.contains("http://x.test/signin/verify?token=abc&next=/i"));
        let html = mail.html.replace("&#38;", "&").replace("&amp;", "&");
        assert!(html.contains("href=\"http://x.test/signin/verify?token=abc&next=/i\""), "{}", mail.html);
        assert!(mail.text.contains("15 minutes"));
        let unknown = MailJob { template: "nope".into(), ..job };
        assert!(render(&unknown).is_err());
    }

    #[test]
    fn the_webhook_disabled_mail_says_which_endpoint_and_why() {
        let job = MailJob {
            template: "webhook_disabled".into(),
            to: vec!["me@x.test".into()],
            cc: vec![],
            reply_to: None,
            vars: serde_json::json!({
                "url": "https://erp.example/hooks",
                "reason": "the endpoint answered 410 Gone",
                "link": "http://x.test/webhooks",
            }),
        };
        let mail = render(&job).unwrap();
        assert_eq!(mail.subject, "Your JupiterInvoice webhook was disabled");
        for part in [&mail.text, &mail.html] {
            assert!(part.contains("https://erp.example/hooks") && part.contains("410 Gone"), "{part}");
            assert!(part.contains("http://x.test/webhooks"));
        }
    }
}

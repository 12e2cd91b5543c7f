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
        other => Err(format!("unknown mail template {other}")),
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
}

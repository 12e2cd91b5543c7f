//! Where mail goes: an SMTP server (smtp:// or smtps://, credentials in the URL) or, for
//! local use without one, .eml files in a folder.

use super::Rendered;
use data::mail::Envelope;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// A file sent along (the invoice PDF).
pub struct MailFile {
    pub filename: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

#[derive(Debug)]
pub struct DeliveryError {
    pub message: String,
    /// Retrying cannot help (a refused address, a broken message).
    pub permanent: bool,
}

impl DeliveryError {
    fn permanent(message: impl Into<String>) -> Self {
        DeliveryError { message: message.into(), permanent: true }
    }
}

impl Transport {
    pub fn from_url(smtp_url: Option<&str>, mail_dir: PathBuf) -> Result<Transport, String> {
        match smtp_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|b| Transport::Smtp(b.build()))
                .map_err(|e| format!("SMTP_URL is not usable: {e}")),
            None => Ok(Transport::Files(mail_dir)),
        }
    }

    pub fn is_smtp(&self) -> bool {
        matches!(self, Transport::Smtp(_))
    }

    pub async fn deliver(
        &self,
        from: &str,
        job: &Envelope,
        mail: Rendered,
        files: Vec<MailFile>,
    ) -> Result<(), DeliveryError> {
        let message = build(from, job, mail, files)?;
        match self {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| DeliveryError { message: e.to_string(), permanent: e.is_permanent() }),
            Transport::Files(dir) => {
                let write = async {
                    tokio::fs::create_dir_all(dir).await?;
                    let name = format!(
                        "{}-{}.eml",
                        chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ"),
                        data::secrets::random_token(6)
                    );
                    tokio::fs::write(dir.join(name), message.formatted()).await
                };
                write
                    .await
                    .map_err(|e| DeliveryError { message: format!("writing the mail file: {e}"), permanent: false })
            }
        }
    }
}

fn mailbox(address: &str) -> Result<Mailbox, DeliveryError> {
    address.parse().map_err(|e| DeliveryError::permanent(format!("bad address {address}: {e}")))
}

fn build(from: &str, job: &Envelope, mail: Rendered, files: Vec<MailFile>) -> Result<Message, DeliveryError> {
    let mut builder = Message::builder().from(mailbox(from)?).subject(mail.subject);
    for to in &job.to {
        builder = builder.to(mailbox(to)?);
    }
    for cc in &job.cc {
        builder = builder.cc(mailbox(cc)?);
    }
    if let Some(reply_to) = &job.reply_to {
        builder = builder.reply_to(mailbox(reply_to)?);
    }
    let mut alternative = MultiPart::alternative_plain_html(mail.text, mail.html);
    if !mail.images.is_empty() {
        let mut related = MultiPart::related().multipart(alternative);
        for (id, png) in mail.images {
            let png_type = ContentType::parse("image/png").map_err(|e| DeliveryError::permanent(e.to_string()))?;
            related = related.singlepart(Attachment::new_inline(id).body(png, png_type));
        }
        alternative = related;
    }
    let body = if files.is_empty() {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for f in files {
            let content_type = ContentType::parse(f.content_type)
                .map_err(|e| DeliveryError::permanent(format!("content type {}: {e}", f.content_type)))?;
            mixed = mixed.singlepart(Attachment::new(f.filename).body(f.bytes, content_type));
        }
        mixed
    };
    builder.multipart(body).map_err(|e| DeliveryError::permanent(format!("building the message: {e}")))
}

//! Delivers queued mail: claims due mail jobs, renders, sends, and records the result with
//! a growing delay between attempts. Mail that cannot go out now stays queued.

use super::transport::MailFile;
use super::{Transport, render};
use crate::pdf::PdfPool;
use crate::workers::{Shutdown, drain_until_shutdown, holding, isolate};
use chrono::Duration;
use data::Store;
use data::archive;
use data::jobs::{self, KIND_MAIL, Lease, Outcome};
use std::sync::Arc;

/// When failed attempts are retried: base × 2^(attempt-1), at most `max_delay`, and given
/// up after `max_attempts`.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub base: Duration,
    pub max_delay: Duration,
    pub max_attempts: i32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        // 30 s, 1 min, 2 min … then hourly: about a day of trying in 30 attempts.
        RetryPolicy { base: Duration::seconds(30), max_delay: Duration::hours(1), max_attempts: 30 }
    }
}

impl RetryPolicy {
    pub fn delay_after(&self, attempts: i32) -> Duration {
        let factor = 1_i64 << attempts.clamp(1, 20).saturating_sub(1);
        (self.base * factor as i32).min(self.max_delay)
    }
}

pub struct MailWorker {
    pub store: Store,
    pub transport: Arc<Transport>,
    pub pdf: Arc<PdfPool>,
    pub from: String,
    pub retry: RetryPolicy,
    pub poll_every: std::time::Duration,
}

/// Short, and renewed while the batch runs: a crashed worker's mail is due again within it.
const LEASE: Duration = Duration::seconds(30);

impl MailWorker {
    /// Runs until `shutdown`.
    pub async fn run(&self, shutdown: Shutdown) {
        drain_until_shutdown("mail", self.poll_every, shutdown, || self.deliver_due()).await
    }

    /// Delivers what is due now; returns how many jobs it handled.
    pub async fn deliver_due(&self) -> Result<usize, data::Error> {
        let jobs = jobs::claim(&self.store, KIND_MAIL, 10, LEASE).await?;
        let leases: Vec<Lease> = jobs.iter().map(Lease::of).collect();
        holding(&self.store, &leases, LEASE, async {
            for job in &jobs {
                // A panic in one job fails that job (retried later), not the worker.
                let outcome = isolate(self.deliver(job)).await.unwrap_or_else(|panic| Err((panic, false)));
                let outcome = match outcome {
                    Ok(()) => Outcome::Done,
                    Err((error, permanent)) => {
                        let give_up = permanent || job.attempts >= self.retry.max_attempts;
                        tracing::warn!(job = job.id, attempts = job.attempts, %error, give_up, "mail not delivered");
                        match give_up {
                            true => Outcome::Failed(error),
                            false => Outcome::RetryAt(self.store.now() + self.retry.delay_after(job.attempts), error),
                        }
                    }
                };
                if !jobs::finish(&self.store, &self.store.db, Lease::of(job), &outcome).await? {
                    tracing::warn!(job = job.id, "mail job was taken over after its lease ran out; outcome dropped");
                }
            }
            Ok(jobs.len())
        })
        .await
    }

    /// One attempt at one job: Err((why, permanent)) when it did not go out.
    async fn deliver(&self, job: &jobs::Job) -> Result<(), (String, bool)> {
        let mail = data::mail::of(&self.store, job).map_err(|e| (e.to_string(), true))?;
        let rendered = render(&mail.mail).map_err(|e| (e, true))?;
        if let (false, data::mail::Mail::SignIn { link, .. }) = (self.transport.is_smtp(), &mail.mail) {
            // Local use without SMTP: the link must be reachable from the console.
            tracing::info!(to = ?mail.to, %link, "sign-in link");
        }
        let files = self.attachments(job, &mail).await;
        self.transport.deliver(&self.from, &mail, rendered, files).await.map_err(|e| (e.message, e.permanent))
    }
}

impl MailWorker {
    /// The documents a mail carries: the invoice's (or the credit note's) files as the
    /// archive kept them when it went out — its PDF, and the XML e-invoice its customer
    /// receives. A document that cannot be read does not hold the mail back: the link in it
    /// shows the invoice too.
    async fn attachments(&self, job: &jobs::Job, mail: &data::mail::Envelope) -> Vec<MailFile> {
        let Some(sender_id) = job.sender_id else { return vec![] };
        let (document_type, number, version) = match &mail.mail {
            data::mail::Mail::InvoiceSent(facts) => (archive::INVOICE, facts.number.as_str(), facts.version),
            data::mail::Mail::CreditNoteIssued(c) => (archive::CREDIT_NOTE, c.credit_note.as_str(), Some(1)),
            _ => return vec![],
        };
        let kept = match archive::of_document(&self.store, sender_id, document_type, number).await {
            Ok(kept) => kept,
            Err(e) => {
                tracing::error!(error = %e, number, "archived documents for the mail could not be read");
                return vec![];
            }
        };
        // The version the mail announces; mail queued before the archive: its latest.
        let version = version.or_else(|| kept.iter().map(|k| k.version).max());
        let files: Vec<MailFile> = kept
            .into_iter()
            .filter(|k| Some(k.version) == version)
            .map(|k| MailFile {
                content_type: if k.content_type == "application/pdf" { "application/pdf" } else { "application/xml" },
                filename: k.file_name,
                bytes: k.bytes,
            })
            .collect();
        if files.is_empty() && document_type == archive::INVOICE {
            return self.rendered(sender_id, number).await;
        }
        files
    }

    /// The invoice's PDF made now: for a mail queued before the archive kept what is sent.
    async fn rendered(&self, sender_id: i64, number: &str) -> Vec<MailFile> {
        let loaded = async {
            let sender = data::senders::get(&self.store.db, sender_id).await?;
            let invoice = data::invoices::get(&self.store, sender_id, number).await?;
            Ok::<_, data::Error>((invoice, sender))
        };
        let (invoice, sender) = match loaded.await {
            Ok(found) => found,
            Err(e) => {
                tracing::error!(error = %e, number, "invoice for the PDF attachment not found");
                return vec![];
            }
        };
        let filename = format!("{}.pdf", invoice.id);
        // Mail is not in a hurry: it waits its turn behind downloads.
        match self.pdf.render(invoice, sender, std::time::Duration::from_secs(120)).await {
            Ok(bytes) => vec![MailFile { filename, content_type: "application/pdf", bytes }],
            Err(e) => {
                tracing::error!(error = ?e, number, "PDF attachment failed");
                vec![]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_are_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_after(1), Duration::seconds(30));
        assert_eq!(p.delay_after(2), Duration::seconds(60));
        assert_eq!(p.delay_after(5), Duration::seconds(480));
        assert_eq!(p.delay_after(29), Duration::hours(1));
    }
}

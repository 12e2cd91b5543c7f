//! Rendering on a bounded pool: at most `slots` PDFs at once (about the core count), so a
//! burst of downloads cannot take every blocking thread. A caller waits a bounded time for a
//! slot, then is told the renderer is busy (the HTTP routes answer 503 with Retry-After).

use super::PdfRenderer;
use data::senders::Sender;
use domain::dto::Invoice;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

#[derive(Debug, PartialEq)]
pub enum PdfError {
    /// No slot came free within the wait.
    Busy,
    Failed(String),
}

#[derive(Debug)]
pub struct PdfPool {
    renderer: Arc<PdfRenderer>,
    slots: Arc<Semaphore>,
    /// How long a download waits for a slot.
    download_wait: Duration,
}

impl Default for PdfPool {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PdfPool::with_slots(cores)
    }
}

impl PdfPool {
    pub fn with_slots(slots: usize) -> Self {
        PdfPool {
            renderer: Arc::new(PdfRenderer::default()),
            slots: Arc::new(Semaphore::new(slots)),
            download_wait: Duration::from_secs(5),
        }
    }

    /// The same pool with downloads waiting at most `wait` for a slot.
    pub fn waiting(mut self, wait: Duration) -> Self {
        self.download_wait = wait;
        self
    }

    /// Renders a download: waits at most the pool's download wait for a slot.
    pub async fn render_download(&self, invoice: Invoice, sender: Sender) -> Result<Vec<u8>, PdfError> {
        self.render(invoice, sender, self.download_wait).await
    }

    /// Renders once a slot is free, waiting at most `wait` for one.
    /// The invoice's PDF/A-3, a Factur-X hybrid when its data is complete (`super::hybrid`).
    pub async fn render(&self, invoice: Invoice, sender: Sender, wait: Duration) -> Result<Vec<u8>, PdfError> {
        let permit = tokio::time::timeout(wait, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| PdfError::Busy)?
            .map_err(|_| PdfError::Busy)?;
        let renderer = self.renderer.clone();
        // Typst is CPU work: off the async threads, holding the slot until done.
        tokio::task::spawn_blocking(move || {
            let _slot = permit;
            let pdf = renderer.render(&invoice, &data::senders::card(&sender))?;
            Ok(super::hybrid(&sender, &invoice, pdf))
        })
        .await
        .map_err(|e| PdfError::Failed(e.to_string()))?
        .map_err(PdfError::Failed)
    }
}

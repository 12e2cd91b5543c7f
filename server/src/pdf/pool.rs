//! Rendering on a bounded pool: at most `slots` PDFs at once (about the core count), so a
//! burst of downloads cannot take every blocking thread. A caller waits a bounded time for a
//! slot, then is told the renderer is busy (the HTTP routes answer 503 with Retry-After).

use super::{PdfRenderer, Printable};
use data::senders::Sender;
use domain::dto::Invoice;
use std::future::Future;
use std::pin::Pin;
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
        PdfPool::of(PdfRenderer::default(), slots)
    }

    /// A pool of `slots` around `renderer`.
    pub fn of(renderer: PdfRenderer, slots: usize) -> Self {
        PdfPool {
            renderer: Arc::new(renderer),
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
        self.render_document(Printable::Invoice(Box::new(invoice)), sender, wait).await
    }

    /// [`render`](Self::render) for an invoice or a credit note.
    pub async fn render_document(
        &self,
        document: Printable,
        sender: Sender,
        wait: Duration,
    ) -> Result<Vec<u8>, PdfError> {
        let permit = tokio::time::timeout(wait, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| PdfError::Busy)?
            .map_err(|_| PdfError::Busy)?;
        let renderer = self.renderer.clone();
        // Typst is CPU work: off the async threads, holding the slot until done.
        tokio::task::spawn_blocking(move || {
            let _slot = permit;
            renderer.render_document(&document, &sender)
        })
        .await
        .map_err(|e| PdfError::Failed(e.to_string()))?
        .map_err(PdfError::Failed)
    }
}

/// What sending waits for a slot: sending is not in a hurry, but holds its transaction.
const SEND_WAIT: Duration = Duration::from_secs(60);

/// The archive's renderer: what is sent is rendered (and kept) in the sending transaction.
impl data::archive::Renderer for PdfPool {
    fn pdf<'a>(
        &'a self,
        document: data::archive::Document<'a>,
        sender: &'a Sender,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<u8>, String>> + Send + 'a>> {
        Box::pin(async move {
            self.render_document(Printable::of(document), sender.clone(), SEND_WAIT).await.map_err(|e| match e {
                PdfError::Busy => "every PDF renderer stayed busy".to_string(),
                PdfError::Failed(why) => why,
            })
        })
    }
}

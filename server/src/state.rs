use crate::pdf::PdfRenderer;
use app::server::WebSettings;
use axum::extract::FromRef;
use data::Store;
use data::webhooks::targets::TargetPolicy;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Shared by every handler: the data services' handle, Leptos' site options, page settings
/// (cookie and webhook URL policy) and the PDF renderer.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub store: Store,
    pub leptos_options: LeptosOptions,
    pub web: WebSettings,
    pub pdf: Arc<PdfRenderer>,
}

impl AppState {
    pub fn new(store: Store, leptos_options: LeptosOptions, web: WebSettings) -> Self {
        AppState { store, leptos_options, web, pdf: Arc::new(PdfRenderer::default()) }
    }

    pub fn with_webhook_targets(mut self, policy: TargetPolicy) -> Self {
        self.web.webhook_targets = policy;
        self
    }
}

use crate::client_ip::TrustedProxies;
use crate::pdf::PdfPool;
use app::server::WebSettings;
use axum::body::Bytes;
use axum::extract::FromRef;
use data::Store;
use data::webhooks::targets::TargetPolicy;
use leptos::config::LeptosOptions;
use std::sync::{Arc, OnceLock};

/// Shared by every handler: the data services' handle, Leptos' site options, page settings
/// (cookie and webhook URL policy) and the PDF renderer.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub store: Store,
    pub leptos_options: LeptosOptions,
    pub web: WebSettings,
    pub pdf: Arc<PdfPool>,
    /// TRUST_PROXY: whose X-Forwarded-For names the client.
    pub trusted_proxies: TrustedProxies,
    /// STRIPE_WEBHOOK_SECRET: what /stripe/webhook verifies signatures with.
    #[from_ref(skip)]
    pub stripe_webhook_secret: Option<String>,
    /// The OpenAPI document as served: built on first request, then the same bytes.
    #[from_ref(skip)]
    pub openapi: Arc<OnceLock<Bytes>>,
}

impl AppState {
    pub fn new(store: Store, leptos_options: LeptosOptions, web: WebSettings) -> Self {
        let pdf = Arc::new(PdfPool::default());
        AppState {
            store: store.with_renderer(pdf.clone()),
            leptos_options,
            web,
            pdf,
            trusted_proxies: TrustedProxies::default(),
            stripe_webhook_secret: None,
            openapi: Arc::default(),
        }
    }

    /// The same state with its own PDF pool (tests saturate a small one).
    pub fn with_pdf_pool(mut self, pool: PdfPool) -> Self {
        self.pdf = Arc::new(pool);
        self.store = self.store.with_renderer(self.pdf.clone());
        self
    }

    pub fn with_trusted_proxies(mut self, trusted: TrustedProxies) -> Self {
        self.trusted_proxies = trusted;
        self
    }

    /// Anonymous invoices must pass `check` (Turnstile), and /new shows the widget for `site_key`.
    pub fn with_human_check(mut self, check: Arc<dyn data::anonymous::HumanCheck>, site_key: Option<String>) -> Self {
        self.web.human_check = Some(check);
        self.web.turnstile_site_key = site_key;
        self
    }

    /// Payments through Stripe at `api_base` (a stand-in in tests), with the deployment's
    /// key and webhook secret when given.
    pub fn with_stripe(mut self, api_base: &str, secret_key: Option<String>, webhook_secret: Option<String>) -> Self {
        self.web.payments = Some(Arc::new(crate::stripe::StripeGateway::new(api_base, secret_key)));
        self.web.checkout_origins = crate::stripe::checkout_origins(api_base);
        self.stripe_webhook_secret = webhook_secret.filter(|s| !s.is_empty());
        self
    }

    pub fn with_webhook_targets(mut self, policy: TargetPolicy) -> Self {
        self.web.webhook_targets = crate::webhooks::targets(policy);
        self
    }
}

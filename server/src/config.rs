//! Settings from the environment (or flags), each with a working default.

use clap::Args;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::path::Path;

#[derive(Args, Debug, Clone)]
pub struct Config {
    /// Database: SQLite (embedded, the default) or postgres://user:pass@host/db.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/jupiter.db?mode=rwc")]
    pub database_url: String,
    /// Address to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub site_addr: SocketAddr,
    /// The public base URL, used in share links [default: http://<LEPTOS_SITE_ADDR>].
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Server secret that seals share tokens; set it (same value on every instance) in
    /// production [default: generated once into data/secret.key].
    #[arg(long, env = "SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Outgoing mail server, smtp://user:pass@host:587 or smtps://… [default: none: mails are
    /// written as .eml files under data/mail/ and sign-in links are logged].
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The From address of outgoing mail.
    #[arg(long, env = "MAIL_FROM", default_value = "JupiterInvoice <no-reply@jupiterinvoice.localhost>")]
    pub mail_from: String,
    /// First retry delay of undelivered mail in milliseconds (doubles up to an hour).
    #[arg(long, env = "MAIL_RETRY_BASE_MS", default_value_t = 30_000)]
    pub mail_retry_base_ms: i64,
    /// Allow webhook URLs on loopback and private networks (local development and tests only).
    #[arg(long, env = "WEBHOOK_ALLOW_PRIVATE_TARGETS", default_value_t = false)]
    pub webhook_allow_private_targets: bool,
    /// How long one second of the webhook retry schedule (5 s, 5 min, … 24 h) lasts, in
    /// milliseconds; tests shrink it.
    #[arg(long, env = "WEBHOOK_RETRY_BASE_MS", default_value_t = 1_000)]
    pub webhook_retry_base_ms: u64,
    /// Reverse proxies whose X-Forwarded-For names the client: addresses or CIDR ranges,
    /// comma-separated (e.g. 127.0.0.1,10.0.0.0/8) [default: none; the socket's peer is the client].
    #[arg(long, env = "TRUST_PROXY")]
    pub trust_proxy: Option<String>,
    /// Per-client limits (sign-in links, invoices without an account, PDF downloads by link,
    /// forwards) count an IPv6 client by its network of this many bits (IPv4: by address).
    #[arg(long, env = "CLIENT_IPV6_PREFIX", default_value_t = data::limits::DEFAULT_CLIENT_V6_PREFIX,
          value_parser = clap::value_parser!(u8).range(16..=128))]
    pub client_ipv6_prefix: u8,
    /// Connections one client address may hold open at once (our proxies are not bounded).
    #[arg(long, env = "MAX_CONNECTIONS_PER_CLIENT", default_value_t = crate::connections::DEFAULT_PER_CLIENT)]
    pub max_connections_per_client: usize,
    /// Cloudflare Turnstile secret: when set, invoices made without an account (/new and
    /// POST /api/v1/invoices/anonymous) must pass the check [default: none, no check].
    #[arg(long, env = "TURNSTILE_SECRET", hide_env_values = true)]
    pub turnstile_secret: Option<String>,
    /// Turnstile site key for the widget on /new (with TURNSTILE_SECRET).
    #[arg(long, env = "TURNSTILE_SITE_KEY")]
    pub turnstile_site_key: Option<String>,
    /// Where Turnstile tokens are verified (a stand-in in tests).
    #[arg(long, env = "TURNSTILE_VERIFY_URL", default_value = crate::turnstile::CLOUDFLARE_SITEVERIFY)]
    pub turnstile_verify_url: String,
    /// The deployment's Stripe secret (or restricted) key: the share page offers Pay by card
    /// through Stripe Checkout [default: none; senders may still paste their own keys].
    #[arg(long, env = "STRIPE_SECRET_KEY", hide_env_values = true)]
    pub stripe_secret_key: Option<String>,
    /// The signing secret of the deployment's webhook endpoint (POST /stripe/webhook).
    #[arg(long, env = "STRIPE_WEBHOOK_SECRET", hide_env_values = true)]
    pub stripe_webhook_secret: Option<String>,
    /// Where the Stripe client goes (a stand-in in tests).
    #[arg(long, env = "STRIPE_API_BASE", default_value = crate::stripe::STRIPE_API)]
    pub stripe_api_base: String,
    /// Folder of the built site (CSS, wasm, JS), as cargo-leptos writes it.
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// Sub-folder of the site root holding the wasm/JS bundle.
    #[arg(long, env = "LEPTOS_SITE_PKG_DIR", default_value = "pkg")]
    pub site_pkg_dir: String,
}

impl Config {
    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.site_addr))
            .trim_end_matches('/')
            .to_string()
    }

    /// Cookies get `Secure` and the `__Host-` prefix when the public URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url().starts_with("https://")
    }

    pub fn mail_worker(
        &self,
        store: data::Store,
        pdf: std::sync::Arc<crate::pdf::PdfPool>,
    ) -> Result<crate::mail::MailWorker, String> {
        let transport = crate::mail::Transport::from_url(self.smtp_url.as_deref(), "data/mail".into())?;
        Ok(crate::mail::MailWorker {
            store,
            transport: std::sync::Arc::new(transport),
            pdf,
            from: self.mail_from.clone(),
            retry: crate::mail::RetryPolicy {
                base: chrono::Duration::milliseconds(self.mail_retry_base_ms.max(1)),
                ..Default::default()
            },
            poll_every: std::time::Duration::from_millis(500),
        })
    }

    pub fn webhook_targets(&self) -> data::webhooks::targets::TargetPolicy {
        data::webhooks::targets::TargetPolicy { allow_private: self.webhook_allow_private_targets }
    }

    pub fn webhook_worker(&self, store: data::Store) -> Result<crate::webhooks::WebhookWorker, String> {
        Ok(crate::webhooks::WebhookWorker {
            store,
            client: crate::webhooks::WebhookClient::new(self.webhook_targets())?,
            schedule: data::webhooks::schedule::Schedule::from_base_ms(self.webhook_retry_base_ms),
            poll_every: std::time::Duration::from_millis(500),
        })
    }

    /// The human check of anonymous invoices, when TURNSTILE_SECRET is set.
    pub fn human_check(&self) -> Result<Option<std::sync::Arc<dyn data::anonymous::HumanCheck>>, String> {
        let Some(secret) = self.turnstile_secret.as_deref().filter(|s| !s.is_empty()) else { return Ok(None) };
        let check = crate::turnstile::Turnstile::new(secret, &self.turnstile_verify_url)?;
        Ok(Some(std::sync::Arc::new(check)))
    }

    /// What the pages need from the configuration.
    pub fn web_settings(&self) -> Result<app::server::WebSettings, String> {
        Ok(app::server::WebSettings {
            secure_cookies: self.secure_cookies(),
            webhook_targets: crate::webhooks::targets(self.webhook_targets()),
            human_check: self.human_check()?,
            turnstile_site_key: self.turnstile_site_key.clone().filter(|k| !k.is_empty()),
            payments: Some(std::sync::Arc::new(crate::stripe::StripeGateway::new(
                &self.stripe_api_base,
                self.stripe_secret_key.clone(),
            ))),
            checkout_origins: crate::stripe::checkout_origins(&self.stripe_api_base),
        })
    }

    pub fn trusted_proxies(&self) -> Result<crate::client_ip::TrustedProxies, String> {
        self.trust_proxy.as_deref().unwrap_or("").parse()
    }

    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("jupiter")
            .site_root(self.site_root.as_str())
            .site_pkg_dir(self.site_pkg_dir.as_str())
            .site_addr(self.site_addr)
            .build()
    }

    /// SECRET_KEY, or a random secret kept in data/secret.key (created on first start).
    pub fn server_secret(&self) -> std::io::Result<Vec<u8>> {
        if let Some(s) = self.secret_key.as_deref().filter(|s| !s.is_empty()) {
            return Ok(s.as_bytes().to_vec());
        }
        let path = Path::new("data/secret.key");
        if let Ok(existing) = std::fs::read(path)
            && !existing.is_empty()
        {
            return Ok(existing);
        }
        std::fs::create_dir_all("data")?;
        let secret = data::secrets::random_token(32);
        write_private(path, secret.as_bytes())?;
        tracing::warn!("SECRET_KEY is not set: generated data/secret.key (set SECRET_KEY in production)");
        Ok(secret.into_bytes())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

//! Server-only helpers of the server functions: the request's session, cookies, and whether
//! the request came from a plain HTML form (no JavaScript).

pub mod anonymous_cookie;
pub mod cookies;
pub mod forms;
pub mod session;

use crate::error::{AppError, ErrorKind};
use data::Store;
use leptos::prelude::use_context;

/// Settings the pages need from the server's configuration.
#[derive(Debug, Clone, Default)]
pub struct WebSettings {
    /// PUBLIC_URL is https: cookies get Secure and the __Host- prefix.
    pub secure_cookies: bool,
    /// Which webhook URLs may be subscribed (WEBHOOK_ALLOW_PRIVATE_TARGETS).
    pub webhook_targets: data::webhooks::targets::Targets,
    /// TURNSTILE_SECRET set: anonymous invoices must pass the check.
    pub human_check: Option<std::sync::Arc<dyn data::anonymous::HumanCheck>>,
    /// TURNSTILE_SITE_KEY: the widget on /new.
    pub turnstile_site_key: Option<String>,
    /// Stripe Checkout (the deployment's account and senders' own keys); None: no Pay button.
    pub payments: Option<std::sync::Arc<dyn data::payments::checkout::Gateway>>,
    /// Where the share page's Pay form may be redirected (Stripe's hosted Checkout).
    pub checkout_origins: Vec<String>,
}

/// The client's address as the server worked it out (the socket's peer, or X-Forwarded-For
/// from a trusted proxy); put in each request's extensions by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

/// This request's client address.
pub fn client_ip() -> Option<std::net::IpAddr> {
    request_parts().and_then(|p| p.extensions.get::<ClientIp>().map(|c| c.0))
}

/// The flash of a one-time notice for the next page (e.g. what a sign-in claimed).
pub const NOTICE: &str = data::flash::NOTICE;

pub fn store() -> Result<Store, AppError> {
    use_context::<Store>().ok_or_else(|| AppError::new(ErrorKind::Internal, "the data store is not available"))
}

pub fn settings() -> WebSettings {
    use_context::<WebSettings>().unwrap_or_default()
}

pub(crate) fn request_parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// True when a browser form posted without JavaScript (it asks for HTML back, and gets a
/// redirect to a page rather than a JSON value).
pub fn is_plain_form_post() -> bool {
    request_parts()
        .and_then(|p| {
            p.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// The Content-Security-Policy of a rendered page: scripts only from this site or carrying
/// this response's nonce (Leptos puts it on its hydration and resource scripts), WebAssembly
/// compiled from those scripts, styles from this site, no framing, forms post only here.
/// With `turnstile` (on /new when it is configured) Cloudflare's widget may load its script
/// and frame; no other page talks to a third party.
/// On a share page, `checkout` names the origins its Pay form is redirected to (a form's
/// redirect is held to form-action too).
pub fn page_csp(nonce: Option<&str>, turnstile: bool, checkout: &[String]) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    let (script, frame) = match turnstile {
        true => (" https://challenges.cloudflare.com", "frame-src https://challenges.cloudflare.com; "),
        false => ("", ""),
    };
    let forms: String = checkout.iter().map(|o| format!(" {o}")).collect();
    format!(
        "default-src 'self'; script-src 'self'{nonce}{script} 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; {frame}object-src 'none'; base-uri 'none'; form-action 'self'{forms}; frame-ancestors 'none'"
    )
}

/// Sends the page's Content-Security-Policy with this response.
pub fn send_page_csp() {
    let nonce = leptos::nonce::use_nonce();
    let path = request_parts().map(|p| p.uri.path().to_string()).unwrap_or_default();
    let settings = settings();
    let turnstile = path == "/new" && settings.turnstile_site_key.is_some();
    let checkout = if path.starts_with("/i/") { settings.checkout_origins.as_slice() } else { &[] };
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&page_csp(nonce.as_deref(), turnstile, checkout)),
    ) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

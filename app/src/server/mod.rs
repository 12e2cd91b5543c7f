//! Server-only helpers of the server functions: the request's session, cookies, and whether
//! the request came from a plain HTML form (no JavaScript).

pub mod forms;
pub mod session;

use crate::error::{AppError, ErrorKind};
use data::Store;
use leptos::prelude::use_context;

/// Settings the pages need from the server's configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebSettings {
    /// PUBLIC_URL is https: cookies get Secure and the __Host- prefix.
    pub secure_cookies: bool,
    /// Which webhook URLs may be subscribed (WEBHOOK_ALLOW_PRIVATE_TARGETS).
    pub webhook_targets: data::webhooks::targets::TargetPolicy,
}

pub fn store() -> Result<Store, AppError> {
    use_context::<Store>().ok_or_else(|| AppError::new(ErrorKind::Internal, "the data store is not available"))
}

pub fn settings() -> WebSettings {
    use_context::<WebSettings>().unwrap_or_default()
}

fn request_parts() -> Option<http::request::Parts> {
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

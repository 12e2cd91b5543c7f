//! What stands before an anonymous invoice, the same for /new and the API: the per-client
//! limit (every request counts, refused ones too), the honeypot, the content's validity and
//! then the human check (Turnstile, when configured: its tokens are single-use, so it is spent
//! only on a request that would otherwise succeed).

use super::{Made, create};
use crate::limits::{self, Policy, Quota, Standing};
use crate::{Error, Store};
use domain::dto::InvoiceInput;
use domain::profile::SenderDetails;
use domain::validate::{Defaults, InvoiceContent};
use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

/// Invoices one client may make without an account.
pub const PER_CLIENT: Policy = Policy {
    purpose: "anonymous-invoice",
    what: "invoices made without an account from your network",
    quotas: &[
        Quota { name: "min", limit: 5, window_secs: 60 },
        Quota { name: "hour", limit: 30, window_secs: 3_600 },
        Quota { name: "day", limit: 100, window_secs: 86_400 },
    ],
};

/// A check that a person, not a script, is asking (the server's Turnstile client).
pub trait HumanCheck: Send + Sync + std::fmt::Debug {
    /// Ok when `response` (the widget's token) passes; `Error::Unauthorized` otherwise.
    fn verify<'a>(
        &'a self,
        response: Option<&'a str>,
        client: Option<IpAddr>,
    ) -> Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>;
}

/// Who asks, as the request shows it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asker<'a> {
    pub client: Option<IpAddr>,
    /// The browser's `ji_anon_session` cookie.
    pub secret: Option<&'a str>,
    /// The honeypot field: people leave it empty.
    pub website: Option<&'a str>,
    pub turnstile_response: Option<&'a str>,
}

/// Counts a request from `client` (call it first, before the body is even read: malformed,
/// honeypot and refused requests count too); where the client now stands, for the RateLimit
/// headers of the answer, or `Error::RateLimited`.
pub async fn admit(store: &Store, client: Option<IpAddr>) -> Result<Standing, Error> {
    match client {
        Some(ip) => limits::hit_client(store, &PER_CLIENT, ip).await,
        None => limits::hit(store, &PER_CLIENT, "unknown").await,
    }
}

/// Makes an anonymous invoice for an admitted asker who passes the honeypot, sends valid
/// content and passes the human check.
pub async fn make(
    store: &Store,
    human_check: Option<&dyn HumanCheck>,
    asker: Asker<'_>,
    details: &SenderDetails,
    input: InvoiceInput,
) -> Result<Made, Error> {
    if asker.website.is_some_and(|w| !w.is_empty()) {
        return Err(Error::invalid("website", "this field must stay empty"));
    }
    details.validate()?;
    let defaults = Defaults { currency: "USD".into(), today: store.now().date_naive() };
    InvoiceContent::from_input(input.clone(), &defaults)?.0.check()?;
    if let Some(check) = human_check {
        check.verify(asker.turnstile_response, asker.client).await?;
    }
    create(store, asker.secret, details, input).await
}

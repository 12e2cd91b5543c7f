//! Stripe: the Checkout client (`gateway`), the Pay button's route and the payer's way back
//! (`pay`), and the signed webhook that records payments (`webhook`). STRIPE_SECRET_KEY and
//! STRIPE_WEBHOOK_SECRET configure the deployment's account; a sender may paste their own
//! keys on the profile; STRIPE_API_BASE points the client elsewhere (a stand-in in tests).

pub mod gateway;
pub mod pay;
pub mod webhook;

pub use gateway::StripeGateway;

/// Stripe's API, where the client goes unless told otherwise.
pub const STRIPE_API: &str = "https://api.stripe.com/";

/// Stripe's hosted Checkout pages.
pub const CHECKOUT_ORIGIN: &str = "https://checkout.stripe.com";

/// Where a Pay form may be redirected: Stripe's Checkout, and a stand-in's own origin when
/// STRIPE_API_BASE points at one (it serves its pages beside its API).
pub fn checkout_origins(api_base: &str) -> Vec<String> {
    let mut origins = vec![CHECKOUT_ORIGIN.to_string()];
    if let Ok(url) = url::Url::parse(api_base) {
        let origin = url.origin().ascii_serialization();
        if origin != "https://api.stripe.com" && origin != "null" {
            origins.push(origin);
        }
    }
    origins
}

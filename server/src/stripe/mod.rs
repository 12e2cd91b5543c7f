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

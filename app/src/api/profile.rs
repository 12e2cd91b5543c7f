use crate::error::AppError;
use domain::profile::ProfileForm;
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "load_profile")]
pub async fn load_profile() -> Result<ProfileForm, AppError> {
    use crate::server::{forms, session};
    let (session, sender) = session::require().await?;
    if let Some(kept) = forms::take_kept(session.id, "profile").await? {
        return Ok(kept);
    }
    Ok(data::senders::profile_form(&sender))
}

#[server(prefix = "/fn", endpoint = "save_profile")]
pub async fn save_profile(profile: ProfileForm) -> Result<(), AppError> {
    use crate::server::{forms, is_plain_form_post, session, store};
    let (session, sender) = session::require().await?;
    let saved = data::senders::update_profile(&store()?, sender.id, &profile).await.map(|_| ()).map_err(AppError::from);
    forms::keep_on_error(session.id, "profile", &profile, saved).await?;
    if is_plain_form_post() {
        leptos_axum::redirect("/profile?saved=1");
    }
    Ok(())
}

/// The profile's Payments section: whose Stripe account takes this sender's card payments,
/// and the webhook URL to register when it is their own.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PaymentSettings {
    /// The sender pasted their own keys (never shown again).
    pub own_keys: bool,
    /// The deployment has STRIPE_SECRET_KEY.
    pub deployment_account: bool,
    /// Where to point the sender's Stripe webhook (checkout.session.completed and
    /// checkout.session.async_payment_succeeded).
    pub webhook_url: String,
}

#[server(prefix = "/fn", endpoint = "load_payment_settings")]
pub async fn load_payment_settings() -> Result<PaymentSettings, AppError> {
    use crate::server::{session, settings, store};
    let (_, sender) = session::require().await?;
    Ok(PaymentSettings {
        own_keys: data::payments::checkout::has_own_keys(&sender),
        deployment_account: settings().payments.is_some_and(|g| g.deployment_configured()),
        webhook_url: format!("{}/stripe/webhook/{}", store()?.public_url(), sender.id),
    })
}

/// Keeps the sender's own Stripe restricted key and webhook signing secret (sealed), or with
/// `forget` drops them.
#[server(prefix = "/fn", endpoint = "save_stripe_keys")]
pub async fn save_stripe_keys(
    secret_key: Option<String>,
    webhook_secret: Option<String>,
    forget: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{is_plain_form_post, session, store};
    let (_, sender) = session::require().await?;
    let keys = match forget {
        Some(_) => None,
        None => Some((secret_key.unwrap_or_default(), webhook_secret.unwrap_or_default())),
    };
    data::payments::checkout::set_keys(&store()?, sender.id, keys).await?;
    if is_plain_form_post() {
        leptos_axum::redirect("/profile?saved=payments");
    }
    Ok(())
}

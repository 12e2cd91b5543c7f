//! Whose Stripe account takes a sender's card payments: the deployment's (STRIPE_SECRET_KEY)
//! or the sender's own restricted key and webhook secret, pasted on the profile and sealed.

use crate::entities::sender;
use crate::senders::{self, Sender};
use crate::{Error, Store};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

/// Whose Stripe account takes a sender's payments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Account {
    /// The deployment's STRIPE_SECRET_KEY.
    Deployment,
    /// The sender's own restricted key (from the profile).
    Sender { sender_id: i64, secret_key: String },
}

impl Account {
    /// How a Checkout session remembers the account that opened it.
    pub fn label(&self) -> String {
        match self {
            Account::Deployment => "deployment".into(),
            Account::Sender { sender_id, .. } => format!("sender:{sender_id}"),
        }
    }
}

/// The account a session was opened on (its `stripe_account` label), when it can still be
/// asked: the deployment's while configured, a sender's while their key is kept.
pub async fn account_named(store: &Store, label: &str, deployment_configured: bool) -> Result<Option<Account>, Error> {
    if label == "deployment" {
        return Ok(deployment_configured.then_some(Account::Deployment));
    }
    let Some(sender_id) = label.strip_prefix("sender:").and_then(|id| id.parse::<i64>().ok()) else { return Ok(None) };
    let Some(sender) = sender::Entity::find_by_id(sender_id).one(store.reader()).await? else { return Ok(None) };
    let key = sender.stripe_secret_key_sealed.as_deref().and_then(|s| store.sealer().open(s));
    Ok(key.map(|secret_key| Account::Sender { sender_id, secret_key }))
}

/// Which account takes `sender`'s payments: their own key, else the deployment's, else none.
pub fn account_of(store: &Store, sender: &Sender, deployment_configured: bool) -> Option<Account> {
    match sender.stripe_secret_key_sealed.as_deref().and_then(|s| store.sealer().open(s)) {
        Some(secret_key) => Some(Account::Sender { sender_id: sender.id, secret_key }),
        None => deployment_configured.then_some(Account::Deployment),
    }
}

/// The sender's own webhook signing secret, for `/stripe/webhook/{sender}`.
pub async fn webhook_secret_of(store: &Store, sender_id: i64) -> Result<Option<String>, Error> {
    let Some(s) = sender::Entity::find_by_id(sender_id).one(store.reader()).await? else { return Ok(None) };
    Ok(s.stripe_webhook_secret_sealed.as_deref().and_then(|sealed| store.sealer().open(sealed)))
}

/// Whether the sender pasted their own keys (they are never shown again).
pub fn has_own_keys(s: &Sender) -> bool {
    s.stripe_secret_key_sealed.is_some() && s.stripe_webhook_secret_sealed.is_some()
}

/// Keeps the sender's own restricted key and webhook secret, sealed; `None` for both
/// forgets them (the deployment's account takes payments again).
pub async fn set_keys(store: &Store, sender_id: i64, keys: Option<(String, String)>) -> Result<(), Error> {
    if let Some((key, secret)) = &keys {
        let key = key.trim();
        if !(key.starts_with("rk_") || key.starts_with("sk_")) || key.len() > 255 {
            return Err(Error::invalid("stripe_secret_key", "paste a Stripe restricted key (rk_live_… or rk_test_…)"));
        }
        if !secret.trim().starts_with("whsec_") || secret.len() > 255 {
            return Err(Error::invalid("stripe_webhook_secret", "paste the endpoint's signing secret (whsec_…)"));
        }
    }
    let current = senders::get(&store.db, sender_id).await?;
    let mut row: sender::ActiveModel = current.into();
    let sealed = keys.map(|(k, s)| (store.sealer().seal(k.trim()), store.sealer().seal(s.trim())));
    row.stripe_secret_key_sealed = Set(sealed.as_ref().map(|(k, _)| k.clone()));
    row.stripe_webhook_secret_sealed = Set(sealed.map(|(_, s)| s));
    row.updated_at = Set(store.now());
    row.update(&store.db).await?;
    Ok(())
}

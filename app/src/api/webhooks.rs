//! The webhooks page's server functions: list endpoints with recent deliveries, add one (its
//! secret shown once), and the buttons (test, pause/resume, rotate, delete, redeliver).

use crate::error::AppError;
use domain::dto::{Webhook, WebhookDelivery};
use domain::forms::WebhookForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Deliveries each endpoint shows on the page.
pub const RECENT_DELIVERIES: i64 = 10;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookRow {
    pub hook: Webhook,
    pub deliveries: Vec<WebhookDelivery>,
}

/// A signing secret to show once: after adding an endpoint or rotating its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevealedSecret {
    pub url: String,
    pub secret: String,
    pub rotated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhooksData {
    pub rows: Vec<WebhookRow>,
    /// What a refused no-JavaScript post typed.
    pub form: WebhookForm,
    /// A secret revealed by a no-JavaScript post, once.
    pub revealed: Option<RevealedSecret>,
}

#[cfg(feature = "ssr")]
const SECRET_FLASH: &str = "webhook_secret";
#[cfg(feature = "ssr")]
const FORM_KEY: &str = "webhook";

#[server(prefix = "/fn", endpoint = "load_webhooks")]
pub async fn load_webhooks() -> Result<WebhooksData, AppError> {
    use crate::server::{forms, session, store};
    use data::webhooks::{log, subscriptions};
    let (session, sender) = session::require().await?;
    let store = store()?;
    let page = data::cursor::PageRequest::parse(Some(RECENT_DELIVERIES), None)?;
    let mut rows = Vec::new();
    for hook in subscriptions::list(&store, sender.id).await? {
        let (deliveries, _) = log::list(&store, sender.id, hook.id, page).await?;
        rows.push(WebhookRow { hook, deliveries });
    }
    let revealed =
        data::flash::take(&store, session.id, SECRET_FLASH).await?.and_then(|json| serde_json::from_str(&json).ok());
    let form = forms::take_kept(session.id, FORM_KEY).await?.unwrap_or_default();
    Ok(WebhooksData { rows, form, revealed })
}

/// Shows `revealed` to a no-JavaScript post on the next page load (and returns it for JS).
#[cfg(feature = "ssr")]
async fn reveal(session_id: i64, revealed: RevealedSecret) -> Result<RevealedSecret, AppError> {
    use crate::server::{is_plain_form_post, store};
    if is_plain_form_post() {
        let json = serde_json::to_string(&revealed)
            .map_err(|e| AppError::new(crate::error::ErrorKind::Internal, e.to_string()))?;
        data::flash::put(&store()?, session_id, SECRET_FLASH, &json).await?;
        leptos_axum::redirect("/webhooks");
    }
    Ok(revealed)
}

#[server(prefix = "/fn", endpoint = "add_webhook")]
pub async fn add_webhook(webhook: WebhookForm) -> Result<RevealedSecret, AppError> {
    use crate::server::{forms, session, settings, store};
    let (session, sender) = session::require().await?;
    let created =
        data::webhooks::subscriptions::create(&store()?, sender.id, webhook.to_input(), &settings().webhook_targets)
            .await
            .map_err(AppError::from);
    let created = forms::keep_on_error(session.id, FORM_KEY, &webhook, created).await?;
    let secret = created.secret.unwrap_or_default();
    reveal(session.id, RevealedSecret { url: created.url, secret, rotated: false }).await
}

/// The buttons of one endpoint: `test`, `pause`, `resume`, `rotate` or `delete`.
#[server(prefix = "/fn", endpoint = "change_webhook")]
pub async fn change_webhook(id: i64, action: String) -> Result<Option<RevealedSecret>, AppError> {
    use crate::server::{is_plain_form_post, session, settings, store};
    use data::webhooks::{log, subscriptions};
    use domain::dto::WebhookInput;
    let (session, sender) = session::require().await?;
    let store = store()?;
    let active = |on: bool| WebhookInput { active: Some(on), ..Default::default() };
    match action.as_str() {
        "test" => drop(log::send_test(&store, sender.id, id).await?),
        "pause" => {
            drop(subscriptions::update(&store, sender.id, id, active(false), &settings().webhook_targets).await?)
        }
        "resume" => {
            drop(subscriptions::update(&store, sender.id, id, active(true), &settings().webhook_targets).await?)
        }
        "delete" => subscriptions::delete(&store, sender.id, id).await?,
        "rotate" => {
            let hook = subscriptions::rotate_secret(&store, sender.id, id).await?;
            let secret = hook.secret.unwrap_or_default();
            return Ok(Some(reveal(session.id, RevealedSecret { url: hook.url, secret, rotated: true }).await?));
        }
        _ => return Err(AppError::invalid("action", "unknown webhook action")),
    }
    if is_plain_form_post() {
        leptos_axum::redirect("/webhooks");
    }
    Ok(None)
}

#[server(prefix = "/fn", endpoint = "redeliver_webhook")]
pub async fn redeliver_webhook(id: i64, delivery_id: i64) -> Result<(), AppError> {
    use crate::server::{is_plain_form_post, session, store};
    let (_, sender) = session::require().await?;
    data::webhooks::log::redeliver(&store()?, sender.id, id, delivery_id).await?;
    if is_plain_form_post() {
        leptos_axum::redirect("/webhooks");
    }
    Ok(())
}

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An API key as its owner sees it in the list (never the secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: Option<String>,
    pub revoked: bool,
    pub scope: domain::KeyScope,
}

#[server(prefix = "/fn", endpoint = "list_keys")]
pub async fn list_keys() -> Result<Vec<KeyRow>, AppError> {
    use crate::server::{session, store};
    let (_, sender) = session::require().await?;
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    Ok(data::api_keys::list(&store()?.db, sender.id)
        .await?
        .into_iter()
        .map(|k| KeyRow {
            scope: data::api_keys::scope_of(&k),
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            created: stamp(k.created_at),
            last_used: k.last_used_at.map(stamp),
            revoked: k.revoked_at.is_some(),
        })
        .collect())
}

/// Mints a key and returns its secret; a plain form post finds it on the next page load.
#[server(prefix = "/fn", endpoint = "mint_key")]
pub async fn mint_key(name: String, scope: Option<String>) -> Result<String, AppError> {
    use crate::server::{is_plain_form_post, session, store};
    let (session, sender) = session::require().await?;
    let store = store()?;
    let scope = match scope.as_deref().filter(|s| !s.is_empty()) {
        None => domain::KeyScope::Full,
        Some(s) => domain::KeyScope::parse(s).ok_or_else(|| AppError::invalid("scope", "full or read_only"))?,
    };
    let minted = data::api_keys::create(&store, sender.id, &name, scope).await?;
    if is_plain_form_post() {
        data::flash::put(&store, session.id, "new_key", &minted.secret).await?;
        leptos_axum::redirect("/keys");
    }
    Ok(minted.secret)
}

/// The key minted by a plain form post, shown once.
#[server(prefix = "/fn", endpoint = "take_new_key")]
pub async fn take_new_key() -> Result<Option<String>, AppError> {
    use crate::server::{session, store};
    let (session, _) = session::require().await?;
    Ok(data::flash::take(&store()?, session.id, "new_key").await?)
}

#[server(prefix = "/fn", endpoint = "revoke_key")]
pub async fn revoke_key(id: i64) -> Result<(), AppError> {
    use crate::server::{session, store};
    let (_, sender) = session::require().await?;
    data::api_keys::revoke(&store()?, sender.id, id).await?;
    Ok(())
}

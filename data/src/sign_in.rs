//! E-mail sign-in: a single-use link valid for 15 minutes, stored hashed. Using it starts a
//! new session and creates the sender on first use.

use crate::entities::sign_in_token;
use crate::outbox::{self, MailJob};
use crate::secrets::{random_token, sha256_hex};
use crate::senders::{self, Sender, normalize_email};
use crate::sessions::{self, SessionSecret};
use crate::{Error, Store};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait};
use serde_json::json;

pub const LINK_TTL: Duration = Duration::minutes(15);
/// Links one address may request per LINK_TTL (a mailbox is not a megaphone).
const LINKS_PER_WINDOW: u64 = 5;

/// A local path to return to after signing in; anything else (other hosts, `//evil`) is
/// dropped, so the link cannot redirect off-site.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 500
        && !domain::validate::has_control_chars(next);
    ok.then(|| next.to_string())
}

/// Mails a sign-in link to `email`.
pub async fn request(store: &Store, email: &str, next: Option<&str>) -> Result<(), Error> {
    let email = normalize_email(email)?;
    let now = Utc::now();
    let recent = sign_in_token::Entity::find()
        .filter(sign_in_token::Column::Email.eq(email.clone()))
        .filter(sign_in_token::Column::CreatedAt.gt(now - LINK_TTL))
        .count(&store.db)
        .await?;
    if recent >= LINKS_PER_WINDOW {
        return Err(Error::RateLimited {
            message: "too many sign-in links requested for this address; try again in a few minutes".into(),
            retry_after_secs: LINK_TTL.num_seconds() as u64,
        });
    }
    let token = random_token(32);
    let next = safe_next(next);
    let link = match &next {
        Some(n) => format!("{}/signin/verify?token={token}&next={}", store.public_url(), urlencode(n)),
        None => format!("{}/signin/verify?token={token}", store.public_url()),
    };
    let txn = store.db.begin().await?;
    sign_in_token::ActiveModel {
        email: Set(email.clone()),
        token_hash: Set(sha256_hex(&token)),
        next_path: Set(next),
        created_at: Set(now),
        expires_at: Set(now + LINK_TTL),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let job = MailJob {
        template: "sign_in".into(),
        to: vec![email],
        cc: vec![],
        reply_to: None,
        vars: json!({ "link": link, "minutes": LINK_TTL.num_minutes() }),
    };
    outbox::enqueue_mail(&txn, None, &job).await?;
    txn.commit().await?;
    Ok(())
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn unusable() -> Error {
    Error::invalid("token", "this sign-in link has expired or was already used; request a new one")
}

async fn usable_token(db: &impl sea_orm::ConnectionTrait, token: &str) -> Result<sign_in_token::Model, Error> {
    let found = sign_in_token::Entity::find()
        .filter(sign_in_token::Column::TokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?
        .ok_or_else(unusable)?;
    if found.used_at.is_some() || found.expires_at <= Utc::now() {
        return Err(unusable());
    }
    Ok(found)
}

/// The address a link would sign in, without using it (the confirmation page: mail scanners
/// that open links must not spend them).
pub async fn peek(store: &Store, token: &str) -> Result<String, Error> {
    Ok(usable_token(&store.db, token).await?.email)
}

/// What a used link gives: the new session's secret, the sender and where to go next.
#[derive(Debug)]
pub struct SignedIn {
    pub secret: SessionSecret,
    pub sender: Sender,
    pub next: Option<String>,
}

/// Spends the link and starts a new session, ending `previous` (the browser's old session).
pub async fn complete(store: &Store, token: &str, previous: Option<&str>) -> Result<SignedIn, Error> {
    let txn = store.db.begin().await?;
    let found = usable_token(&txn, token).await?;
    let next = found.next_path.clone();
    let email = found.email.clone();
    let mut used: sign_in_token::ActiveModel = found.into();
    used.used_at = Set(Some(Utc::now()));
    used.update(&txn).await?;
    let sender = senders::ensure(&txn, &email, None).await?;
    if let Some(old) = previous {
        sessions::end(&txn, old).await?;
    }
    let (secret, _) = sessions::start(&txn, sender.id).await?;
    txn.commit().await?;
    Ok(SignedIn { secret, sender, next })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/invoices?status=sent")).as_deref(), Some("/invoices?status=sent"));
        for bad in ["https://evil.test/", "//evil.test", "/\\evil.test", "invoices", ""] {
            assert_eq!(safe_next(Some(bad)), None, "{bad}");
        }
    }
}

//! E-mail sign-in: a single-use link valid for 15 minutes, stored hashed. Using it starts a
//! new session and creates the sender on first use.

use crate::anonymous::Claim;
use crate::entities::sign_in_token;
use crate::mail::{Envelope, Mail};

use crate::limits::{self, Policy, Quota};
use crate::secrets::{random_token, sha256_hex};
use crate::senders::{self, Sender, normalize_email};
use crate::sessions::{self, SessionSecret};
use crate::{Error, Store};
use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

pub const LINK_TTL: Duration = Duration::minutes(15);

/// Links one address may be sent (a mailbox is not a megaphone).
pub const PER_ADDRESS: Policy = Policy {
    purpose: "sign-in-address",
    what: "sign-in links for this address",
    quotas: &[Quota { name: "m15", limit: 5, window_secs: 900 }],
};

/// Links one client may ask for, whatever the addresses.
pub const PER_CLIENT: Policy = Policy {
    purpose: "sign-in-client",
    what: "sign-in links from your network",
    quotas: &[Quota { name: "min", limit: 10, window_secs: 60 }, Quota { name: "hour", limit: 50, window_secs: 3_600 }],
};

/// A same-origin path to return to after signing in, or None. It is taken as given (already
/// decoded once by the query parser, never again) and refused when a browser could read it as
/// another host: it must start with one `/`, hold no control characters or white space (which
/// browsers strip, so `/\t/evil` becomes `//evil`), no backslash (read as `/`), and resolve
/// against this site to this site. Only printable ASCII: a real path arrives percent-encoded.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?;
    let plain = next.len() <= 500 && next.starts_with('/') && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    if !plain {
        return None;
    }
    let base = url::Url::parse("http://this.site/").ok()?;
    let resolved = base.join(next).ok()?;
    (resolved.origin() == base.origin()).then(|| next.to_string())
}

/// Mails a sign-in link to `email`, asked for by the client at `ip` (when known).
pub async fn request(
    store: &Store,
    email: &str,
    next: Option<&str>,
    ip: Option<std::net::IpAddr>,
) -> Result<(), Error> {
    let email = normalize_email(email)?;
    if let Some(ip) = ip {
        limits::hit_client(store, &PER_CLIENT, ip).await?;
    }
    limits::hit(store, &PER_ADDRESS, &email).await?;
    let now = store.now();
    let token = random_token(32);
    let next = safe_next(next);
    // Where to go next is kept with the token, not in the link.
    let link = format!("{}/signin/verify?token={token}", store.public_url());
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
    let job = Envelope {
        to: vec![email],
        cc: vec![],
        reply_to: None,
        mail: Mail::SignIn { link, minutes: LINK_TTL.num_minutes() },
    };
    crate::mail::queue(store, &txn, None, &job).await?;
    txn.commit().await?;
    Ok(())
}

fn unusable() -> Error {
    Error::invalid("token", "this sign-in link has expired or was already used; request a new one")
}

async fn usable_token(
    db: &impl sea_orm::ConnectionTrait,
    now: chrono::DateTime<Utc>,
    token: &str,
) -> Result<sign_in_token::Model, Error> {
    let found = sign_in_token::Entity::find()
        .filter(sign_in_token::Column::TokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?
        .ok_or_else(unusable)?;
    if found.used_at.is_some() || found.expires_at <= now {
        return Err(unusable());
    }
    Ok(found)
}

/// The address a link would sign in, without using it (the confirmation page: mail scanners
/// that open links must not spend them).
pub async fn peek(store: &Store, token: &str) -> Result<String, Error> {
    Ok(usable_token(&store.db, store.now(), token).await?.email)
}

/// What a used link gives: the new session's secret, the sender and where to go next.
#[derive(Debug)]
pub struct SignedIn {
    pub secret: SessionSecret,
    pub session_id: i64,
    pub sender: Sender,
    /// Where to go: the page asked for, or the invoice list when invoices were claimed.
    pub next: Option<String>,
    /// What became of the browser's invoices made without an account, when it had some.
    pub claim: Option<Claim>,
}

/// Spends the link and starts a new session, ending `previous` (the browser's old session);
/// the invoices the browser made without an account (`anonymous`, its cookie) become the
/// account's, and the new session's first page says so. All in one transaction. The link is
/// spent by one conditional update, so of many confirmations at once exactly one signs in.
pub async fn complete(
    store: &Store,
    token: &str,
    previous: Option<&str>,
    anonymous: Option<&str>,
) -> Result<SignedIn, Error> {
    let now = store.now();
    let txn = store.db.begin().await?;
    let found = usable_token(&txn, now, token).await?;
    let next = found.next_path.clone();
    let email = found.email.clone();
    let spent = sign_in_token::Entity::update_many()
        .col_expr(sign_in_token::Column::UsedAt, Expr::value(Some(now)))
        .filter(sign_in_token::Column::Id.eq(found.id))
        .filter(sign_in_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        return Err(unusable());
    }
    let sender = senders::ensure(&txn, now, &email, None).await?;
    if let Some(old) = previous {
        sessions::end(&txn, old).await?;
    }
    let (secret, session) = sessions::start(&txn, now, sender.id).await?;
    let claim = match anonymous {
        Some(cookie) => Some(crate::anonymous::claim_in(store, &txn, cookie, &sender).await?),
        None => None,
    };
    let notice = claim.as_ref().and_then(Claim::notice);
    if let Some(notice) = &notice {
        crate::flash::put_in(store, &txn, session.id, crate::flash::NOTICE, notice).await?;
    }
    txn.commit().await?;
    store.key_cache().forget_sender(sender.id);
    let next = if notice.is_some() { Some("/invoices".to_string()) } else { next };
    Ok(SignedIn { secret, session_id: session.id, sender, next, claim })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/invoices?status=sent")).as_deref(), Some("/invoices?status=sent"));
        assert_eq!(safe_next(Some("/invoices/%61b?x=%2F")).as_deref(), Some("/invoices/%61b?x=%2F"), "kept as given");
        for bad in [
            "https://evil.test/",
            "//evil.test",
            "/\\evil.test",
            "invoices",
            "",
            "/\t/evil.test",
            "/\n/evil.test",
            "/ /evil.test",
            "/\u{0}x",
            "/\u{200b}/evil.test",
        ] {
            assert_eq!(safe_next(Some(bad)), None, "{bad}");
        }
    }
}

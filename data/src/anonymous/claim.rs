//! Claiming: a sign-in in a browser with an anonymous session moves that session's invoices
//! into the account, in one transaction. Customers join the account's customer with the same
//! e-mail or company, else move over (keeping their code when the account has no such code);
//! every claimed invoice is numbered in its customer's sequence in the account, so numbers
//! stay unique and gapless there: an invoice keeps its number exactly when its customer is
//! new to the account and keeps its code. Share links never change. Empty profile fields of
//! the account are filled from the anonymous "From".

use crate::customers::{free_code, lock_sender};
use crate::effects::{self, Change, Happened};
use crate::entities::{anonymous_session, customer, invoice, invoice_counter, sender};
use crate::events::Actor;
use crate::invoices::numbering::next_seq;
use crate::secrets::sha256_hex;
use crate::senders::{PROFILE_TEXT, Sender};
use crate::{Error, Store};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait, Value,
};

/// What a claim did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// These invoices are now the account's.
    Claimed(Vec<ClaimedInvoice>),
    /// The session's invoices were claimed before, by this account or another one.
    AlreadyClaimed { by_you: bool },
    /// No such session (never made, or expired and deleted).
    Nothing,
}

impl Claim {
    /// What to tell the person who signed in; None when there is nothing to say.
    pub fn notice(&self) -> Option<String> {
        match self {
            Claim::Claimed(invoices) if invoices.is_empty() => None,
            Claim::Claimed(invoices) => {
                let numbers: Vec<String> = invoices
                    .iter()
                    .map(|i| match i.number == i.previous_number {
                        true => i.number.clone(),
                        false => format!("{} (was {})", i.number, i.previous_number),
                    })
                    .collect();
                Some(format!(
                    "The invoices you made in this browser are now in your account: {}. Their links are unchanged.",
                    numbers.join(", ")
                ))
            }
            Claim::AlreadyClaimed { by_you: true } => {
                Some("The invoices made in this browser are already in your account; nothing more to move.".into())
            }
            Claim::AlreadyClaimed { by_you: false } => Some(
                "The invoices made in this browser were already claimed by another account; nothing was moved.".into(),
            ),
            Claim::Nothing => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedInvoice {
    pub number: String,
    pub previous_number: String,
}

/// Claims the session `secret` names for `account`.
pub async fn claim(store: &Store, secret: &str, account: &Sender) -> Result<Claim, Error> {
    let txn = store.db.begin().await?;
    let claim = claim_in(store, &txn, secret, account).await?;
    txn.commit().await?;
    // API requests see the filled profile at once.
    store.key_cache().forget_sender(account.id);
    Ok(claim)
}

/// Claims in the caller's transaction (a sign-in); the caller forgets the account's cached
/// API keys after its commit.
pub(crate) async fn claim_in(
    store: &Store,
    txn: &impl ConnectionTrait,
    secret: &str,
    account: &Sender,
) -> Result<Claim, Error> {
    if account.anonymous {
        return Ok(Claim::Nothing);
    }
    lock_sender(txn, account.id).await?;
    let found = anonymous_session::Entity::find()
        .filter(anonymous_session::Column::SecretHash.eq(sha256_hex(secret)))
        .one(txn)
        .await?;
    let Some(session) = found else { return Ok(Claim::Nothing) };
    if session.claimed_at.is_some() {
        return Ok(Claim::AlreadyClaimed { by_you: session.claimed_by == Some(account.id) });
    }
    if session.expires_at <= store.now() {
        return Ok(Claim::Nothing);
    }
    // One conditional update: of two sign-ins claiming at once, one wins.
    let taken = anonymous_session::Entity::update_many()
        .col_expr(anonymous_session::Column::ClaimedAt, Expr::value(Some(store.now())))
        .col_expr(anonymous_session::Column::ClaimedBy, Expr::value(Some(account.id)))
        .filter(anonymous_session::Column::Id.eq(session.id))
        .filter(anonymous_session::Column::ClaimedAt.is_null())
        .exec(txn)
        .await?;
    if taken.rows_affected != 1 {
        return Ok(Claim::AlreadyClaimed { by_you: false });
    }
    let anonymous = crate::senders::get(txn, session.sender_id).await?;
    let account = fill_profile(txn, store.now(), account, &anonymous).await?;
    let mut claimed = Vec::new();
    let customers = customer::Entity::find()
        .filter(customer::Column::SenderId.eq(anonymous.id))
        .order_by_asc(customer::Column::Id)
        .all(txn)
        .await?;
    for from in customers {
        let into = customer_in_account(txn, &account, from.clone()).await?;
        claimed.extend(move_invoices(store, txn, &account, &from, &into).await?);
        if into.id != from.id {
            from.delete(txn).await?;
        }
    }
    rows_follow_invoices(txn, anonymous.id).await?;
    Ok(Claim::Claimed(claimed))
}

/// The account with its empty profile fields filled from the anonymous "From".
async fn fill_profile(
    db: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    account: &Sender,
    anonymous: &Sender,
) -> Result<Sender, Error> {
    let empty =
        |v: &Value| matches!(v, Value::String(None)) || matches!(v, Value::String(Some(s)) if s.trim().is_empty());
    let mut row: sender::ActiveModel = account.clone().into();
    let mut filled = false;
    for column in PROFILE_TEXT {
        let theirs = anonymous.get(column);
        if empty(&account.get(column)) && !empty(&theirs) {
            row.set(column, theirs);
            filled = true;
        }
    }
    if !filled {
        return Ok(account.clone());
    }
    row.updated_at = Set(now);
    Ok(row.update(db).await?)
}

/// The account's customer for an anonymous one: the same e-mail, else the same company;
/// else the anonymous customer itself, moved over (its code kept when free) with its
/// counter reset, so its invoices are numbered afresh from 1.
async fn customer_in_account(
    db: &impl ConnectionTrait,
    account: &Sender,
    from: customer::Model,
) -> Result<customer::Model, Error> {
    let emails: Vec<String> = [&from.contact_email, &from.ap_email].into_iter().flatten().cloned().collect();
    let same_email = Condition::any()
        .add(customer::Column::ContactEmail.is_in(emails.clone()))
        .add(customer::Column::ApEmail.is_in(emails));
    for matching in [same_email, Condition::all().add(customer::Column::CompanyKey.eq(from.company_key.clone()))] {
        let found = customer::Entity::find()
            .filter(customer::Column::SenderId.eq(account.id))
            .filter(matching)
            .order_by_asc(customer::Column::Id)
            .one(db)
            .await?;
        if let Some(found) = found {
            return Ok(found);
        }
    }
    let code = free_code(db, account.id, &from.code).await?;
    let mut moved: customer::ActiveModel = from.clone().into();
    moved.sender_id = Set(account.id);
    moved.code = Set(code);
    let moved = moved.update(db).await?;
    invoice_counter::Entity::update_many()
        .col_expr(invoice_counter::Column::LastSeq, Expr::value(0))
        .filter(invoice_counter::Column::CustomerId.eq(moved.id))
        .exec(db)
        .await?;
    Ok(moved)
}

/// Moves the anonymous customer's invoices to `into`, numbered in its sequence in their order.
async fn move_invoices(
    store: &Store,
    db: &impl ConnectionTrait,
    account: &Sender,
    from: &customer::Model,
    into: &customer::Model,
) -> Result<Vec<ClaimedInvoice>, Error> {
    let invoices = invoice::Entity::find()
        .filter(invoice::Column::CustomerId.eq(from.id))
        .order_by_asc(invoice::Column::Seq)
        .all(db)
        .await?;
    let mut claimed = Vec::with_capacity(invoices.len());
    for current in invoices {
        let seq = next_seq(db, into.id).await?;
        let previous_number = current.number.clone();
        let mut row: invoice::ActiveModel = current.clone().into();
        row.sender_id = Set(account.id);
        row.customer_id = Set(into.id);
        row.seq = Set(seq);
        row.number = Set(domain::code::invoice_number(&into.code, seq));
        let saved = row.update(db).await?;
        let dto = crate::invoices::load(store, db, saved.clone()).await?;
        let happened = Happened::Claimed { previous_number: previous_number.clone() };
        let change = Change { happened, actor: Actor::Sender, sender: account, row: &saved, invoice: &dto };
        effects::record(store, db, change).await?;
        claimed.push(ClaimedInvoice { number: saved.number, previous_number });
    }
    Ok(claimed)
}

/// Payments, Checkout sessions and events of invoices that `anonymous` no longer owns move
/// to the invoices' owner (they carry the sender beside the invoice, and the anonymous
/// sender's deletion cascades).
pub(crate) async fn rows_follow_invoices(db: &impl ConnectionTrait, anonymous: i64) -> Result<(), Error> {
    for table in ::migrations::owners::FOLLOWING_INVOICES {
        let sql = ::migrations::owners::follow_invoice_owner(table, Some(anonymous));
        db.execute(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await?;
    }
    Ok(())
}

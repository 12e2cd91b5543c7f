//! The timer of a recurring invoice: each run makes at most one occurrence (the next date,
//! once its time has come) and sets the timer to the date after it, in one transaction with
//! the job's outcome. Dates missed while the server was down are due at once, so they are
//! made one run after another, in order; the unique (template, date) row and the template's
//! row lock keep each date to one invoice, however many workers run.

use super::template::{language_of, occurrence_body};
use super::{Row, Tick, next_date, schedule_of, status_of};
use crate::entities::{customer, recurring_invoice, recurring_occurrence};
use crate::events::Actor;
use crate::jobs::{self, Job, Outcome};
use crate::senders::Sender;
use crate::{Error, Store, zone};
use chrono::{DateTime, Days, NaiveDate, Utc};
use domain::recurring::RecurringStatus;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

/// Runs a recurring invoice's timer. False when the lease was lost (nothing written).
pub async fn run(store: &Store, job: &Job) -> Result<bool, Error> {
    jobs::run_once(store, job, async |txn, Tick { recurring_invoice_id }| {
        make_due(store, txn, recurring_invoice_id).await
    })
    .await
}

fn at(sender: &Sender, date: NaiveDate) -> DateTime<Utc> {
    zone::at_local(zone::of(&sender.time_zone), date, sender.send_hour.clamp(0, 23) as u32)
}

async fn make_due(store: &Store, txn: &DatabaseTransaction, id: i64) -> Result<Outcome, Error> {
    let query = recurring_invoice::Entity::find_by_id(id);
    let Some(row) = crate::locking::for_update(query, txn).one(txn).await? else { return Ok(Outcome::Done) };
    if status_of(&row)? != RecurringStatus::Active {
        // Resuming sets a new timer.
        return Ok(Outcome::Done);
    }
    let sender = crate::senders::get(txn, row.sender_id).await?;
    let Some(date) = next_date(txn, &row).await? else { return end(store, txn, row).await };
    if at(&sender, date) > store.now() {
        return Ok(Outcome::Next(at(&sender, date)));
    }
    let skipped = recurring_occurrence::Entity::find()
        .filter(recurring_occurrence::Column::RecurringInvoiceId.eq(id))
        .filter(recurring_occurrence::Column::IssueDate.eq(date))
        .one(txn)
        .await?
        .is_some();
    if !skipped {
        make(store, txn, &sender, &row, date).await?;
    }
    let mut active: recurring_invoice::ActiveModel = row.into();
    active.last_date = Set(Some(date));
    let row = active.update(txn).await?;
    match next_date(txn, &row).await? {
        Some(next) => Ok(Outcome::Next(at(&sender, next))),
        None => end(store, txn, row).await,
    }
}

/// The schedule ran out: the recurring invoice has ended, its timer with it.
async fn end(store: &Store, txn: &DatabaseTransaction, row: Row) -> Result<Outcome, Error> {
    let mut active: recurring_invoice::ActiveModel = row.into();
    active.status = Set(RecurringStatus::Ended.as_str().into());
    active.updated_at = Set(store.now());
    active.update(txn).await?;
    Ok(Outcome::Done)
}

/// Makes the occurrence on `date`: the invoice (sent when the template says so and it can
/// be; otherwise left a draft for the sender) and its row.
async fn make(
    store: &Store,
    txn: &DatabaseTransaction,
    sender: &Sender,
    row: &Row,
    date: NaiveDate,
) -> Result<(), Error> {
    let schedule = schedule_of(row)?;
    let template: serde_json::Value =
        serde_json::from_str(&row.template).map_err(|e| crate::error::corrupt("recurring template", e))?;
    let customer = customer::Entity::find_by_id(row.customer_id).one(txn).await?;
    let language = language_of(&template, customer.as_ref().and_then(|c| c.language.as_deref()));
    let due = date.checked_add_days(Days::new(row.due_days.max(0) as u64)).unwrap_or(date);
    let body = occurrence_body(&template, &schedule, date, due, language);
    let input = serde_json::from_value(body).map_err(|e| crate::error::corrupt("recurring template", e))?;
    let invoice = crate::invoices::create_from(store, txn, sender, input, Actor::System, Some(row.id)).await?;
    recurring_occurrence::ActiveModel {
        recurring_invoice_id: Set(row.id),
        issue_date: Set(date),
        invoice_id: Set(Some(invoice_id(txn, sender.id, &invoice.id).await?)),
        skipped: Set(false),
        created_at: Set(store.now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    if row.auto_send {
        // A send that is refused (no address, an e-invoice the recipient's format rejects)
        // leaves the occurrence a draft for the sender to fix and send.
        let attempt = txn.begin().await?;
        match crate::invoices::send_in(store, &attempt, sender, &invoice.id, Actor::System).await {
            Ok(_) => attempt.commit().await?,
            Err(e) if e.is_clients() => {
                tracing::warn!(invoice = %invoice.id, error = %e, "recurring invoice left as a draft: it could not be sent");
                attempt.rollback().await?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

async fn invoice_id(db: &impl ConnectionTrait, sender_id: i64, number: &str) -> Result<i64, Error> {
    Ok(crate::invoices::find_owned_invoice(db, sender_id, number, false).await?.id)
}

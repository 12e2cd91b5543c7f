//! Recurring invoices (issue 27): a template (an InvoiceCreate body without dates) with a
//! schedule. Each has one timer, a keyed job (`recurring:{id}`) due when its next date
//! comes (the date at the sender's hour in their time zone); [`occurrences::run`] makes
//! that occurrence — a normal invoice in the customer's sequence, a draft or sent — and
//! sets the timer to the next date, in one transaction. An occurrence is a row unique per
//! template and date, so no date is made twice, whoever runs the job how often.

pub mod occurrences;
mod template;

use crate::cursor::PageRequest;
use crate::entities::{customer, recurring_invoice, recurring_occurrence};
use crate::jobs::{self, KIND_RECURRING};
use crate::senders::Sender;
use crate::{Error, Store, zone};
use chrono::{Days, NaiveDate};
use domain::dto::Page;
use domain::recurring::{MAX_DUE_DAYS, Occurrence, RecurringInput, RecurringInvoice, RecurringStatus, UPCOMING};
use domain::schedule::Schedule;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

pub type Row = recurring_invoice::Model;

/// The timer's work.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Tick {
    pub recurring_invoice_id: i64,
}

fn timer_key(id: i64) -> String {
    format!("recurring:{id}")
}

fn require_account(sender: &Sender) -> Result<(), Error> {
    if sender.anonymous {
        return Err(Error::Forbidden { message: "recurring invoices need an account: sign in first".into() });
    }
    Ok(())
}

fn due_days(value: u32) -> Result<i32, Error> {
    if value > MAX_DUE_DAYS {
        return Err(Error::invalid("due_days", format!("due_days must be 0 to {MAX_DUE_DAYS}")));
    }
    Ok(value as i32)
}

/// Makes a recurring invoice from a template or an existing invoice; its first date is
/// scheduled at once.
pub async fn create(store: &Store, sender: &Sender, input: RecurringInput) -> Result<RecurringInvoice, Error> {
    require_account(sender)?;
    let schedule =
        input.schedule.ok_or_else(|| Error::invalid("schedule", "schedule is required"))?.checked("schedule")?;
    let due_days = due_days(input.due_days.unwrap_or(sender.payment_terms_days.max(0) as u32))?;
    let txn = store.db.begin().await?;
    let source = match (input.from_invoice, input.template) {
        (Some(number), None) => template::of_invoice(store, &txn, sender, &number).await?,
        (None, Some(template)) => template,
        (Some(_), Some(_)) => return Err(Error::invalid("from_invoice", "give from_invoice or template, not both")),
        (None, None) => return Err(Error::invalid("template", "give a template or from_invoice (an invoice number)")),
    };
    let (template, customer_id) = template::checked(store, &txn, sender, source).await?;
    let now = store.now();
    let row = recurring_invoice::ActiveModel {
        sender_id: Set(sender.id),
        customer_id: Set(customer_id),
        template: Set(template.to_string()),
        schedule: Set(to_json(&schedule)?),
        auto_send: Set(input.auto_send.unwrap_or(false)),
        due_days: Set(due_days),
        status: Set(RecurringStatus::Active.as_str().into()),
        last_date: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    set_timer(store, &txn, sender, &row).await?;
    txn.commit().await?;
    get(store, sender, row.id).await
}

/// A template with the content of one of the sender's invoices (to replace a template's).
pub async fn template_of_invoice(store: &Store, sender: &Sender, number: &str) -> Result<serde_json::Value, Error> {
    template::of_invoice(store, store.reader(), sender, number).await
}

/// Changes the template, schedule, delivery or due days: future occurrences only.
pub async fn update(store: &Store, sender: &Sender, id: i64, input: RecurringInput) -> Result<RecurringInvoice, Error> {
    if input.from_invoice.is_some() {
        return Err(Error::invalid("from_invoice", "from_invoice is for creating; change the template instead"));
    }
    let txn = store.db.begin().await?;
    let current = find_owned(&txn, sender.id, id, true).await?;
    let mut row: recurring_invoice::ActiveModel = current.clone().into();
    if let Some(template) = input.template {
        let (template, customer_id) = template::checked(store, &txn, sender, template).await?;
        row.template = Set(template.to_string());
        row.customer_id = Set(customer_id);
    }
    if let Some(schedule) = input.schedule {
        row.schedule = Set(to_json(&schedule.checked("schedule")?)?);
        // A schedule that ran out may have dates again.
        if current.status == RecurringStatus::Ended.as_str() {
            row.status = Set(RecurringStatus::Active.as_str().into());
        }
    }
    if let Some(auto_send) = input.auto_send {
        row.auto_send = Set(auto_send);
    }
    if let Some(days) = input.due_days {
        row.due_days = Set(due_days(days)?);
    }
    row.updated_at = Set(store.now());
    let saved = row.update(&txn).await?;
    set_timer(store, &txn, sender, &saved).await?;
    txn.commit().await?;
    get(store, sender, id).await
}

/// Pauses (no occurrence is made) or resumes (dates that passed meanwhile are made then,
/// once each, in order).
pub async fn set_paused(store: &Store, sender: &Sender, id: i64, paused: bool) -> Result<RecurringInvoice, Error> {
    let txn = store.db.begin().await?;
    let current = find_owned(&txn, sender.id, id, true).await?;
    let status = status_of(&current)?;
    let next = match (status, paused) {
        (RecurringStatus::Ended, _) => {
            return Err(Error::conflict("status", "this recurring invoice has ended: change its schedule to go on"));
        }
        (_, true) => RecurringStatus::Paused,
        (_, false) => RecurringStatus::Active,
    };
    let mut row: recurring_invoice::ActiveModel = current.into();
    row.status = Set(next.as_str().into());
    row.updated_at = Set(store.now());
    let saved = row.update(&txn).await?;
    set_timer(store, &txn, sender, &saved).await?;
    txn.commit().await?;
    get(store, sender, id).await
}

/// Skips a coming date (no invoice is made for it) or takes the skip back.
pub async fn skip(
    store: &Store,
    sender: &Sender,
    id: i64,
    date: NaiveDate,
    skipped: bool,
) -> Result<RecurringInvoice, Error> {
    let txn = store.db.begin().await?;
    let current = find_owned(&txn, sender.id, id, true).await?;
    let schedule = schedule_of(&current)?;
    let is_coming =
        current.last_date.is_none_or(|last| date > last) && schedule.next_after(date.pred_opt()) == Some(date);
    if !is_coming {
        return Err(Error::invalid("date", "not a coming date of this schedule (see upcoming)"));
    }
    let existing = occurrence_on(&txn, id, date).await?;
    match (existing, skipped) {
        (None, true) => {
            recurring_occurrence::ActiveModel {
                recurring_invoice_id: Set(id),
                issue_date: Set(date),
                invoice_id: Set(None),
                skipped: Set(true),
                created_at: Set(store.now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        (Some(o), false) if o.skipped => {
            recurring_occurrence::Entity::delete_by_id(o.id).exec(&txn).await?;
        }
        _ => {}
    }
    txn.commit().await?;
    get(store, sender, id).await
}

/// Stops a recurring invoice for good: the template goes, its invoices stay (they keep its id).
pub async fn delete(store: &Store, sender: &Sender, id: i64) -> Result<(), Error> {
    let txn = store.db.begin().await?;
    find_owned(&txn, sender.id, id, true).await?;
    recurring_invoice::Entity::delete_by_id(id).exec(&txn).await?;
    // Its timer finds no template and ends.
    txn.commit().await?;
    Ok(())
}

pub async fn get(store: &Store, sender: &Sender, id: i64) -> Result<RecurringInvoice, Error> {
    let row = find_owned(store.reader(), sender.id, id, false).await?;
    to_dto(store.reader(), sender, row).await
}

/// The sender's recurring invoices, newest first.
pub async fn list(store: &Store, sender: &Sender, page: PageRequest) -> Result<Page<RecurringInvoice>, Error> {
    let db = store.reader();
    let query = recurring_invoice::Entity::find().filter(recurring_invoice::Column::SenderId.eq(sender.id));
    let rows = page.select(query, recurring_invoice::Column::Id).all(db).await?;
    let (rows, next_cursor) = page.finish(rows, |r| r.id);
    let mut data = Vec::with_capacity(rows.len());
    for row in rows {
        data.push(to_dto(db, sender, row).await?);
    }
    Ok(Page { data, next_cursor })
}

pub(crate) async fn find_owned(
    db: &impl ConnectionTrait,
    sender_id: i64,
    id: i64,
    for_update: bool,
) -> Result<Row, Error> {
    let query = recurring_invoice::Entity::find_by_id(id).filter(recurring_invoice::Column::SenderId.eq(sender_id));
    let query = if for_update { crate::locking::for_update(query, db) } else { query };
    query.one(db).await?.ok_or(Error::not_found("recurring invoice"))
}

fn to_json<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| crate::error::corrupt("recurring invoice", e))
}

pub(crate) fn schedule_of(row: &Row) -> Result<Schedule, Error> {
    serde_json::from_str(&row.schedule).map_err(|e| crate::error::corrupt("recurring schedule", e))
}

pub(crate) fn status_of(row: &Row) -> Result<RecurringStatus, Error> {
    RecurringStatus::parse(&row.status).ok_or_else(|| crate::error::corrupt("recurring status", &row.status))
}

async fn occurrence_on(
    db: &impl ConnectionTrait,
    id: i64,
    date: NaiveDate,
) -> Result<Option<recurring_occurrence::Model>, Error> {
    Ok(recurring_occurrence::Entity::find()
        .filter(recurring_occurrence::Column::RecurringInvoiceId.eq(id))
        .filter(recurring_occurrence::Column::IssueDate.eq(date))
        .one(db)
        .await?)
}

/// The next date still to happen: after the last one made or skipped, within the end date
/// and the count (made and skipped dates count).
pub(crate) async fn next_date(db: &impl ConnectionTrait, row: &Row) -> Result<Option<NaiveDate>, Error> {
    let schedule = schedule_of(row)?;
    if let (Some(limit), Some(last)) = (schedule.count, row.last_date) {
        let happened = recurring_occurrence::Entity::find()
            .filter(recurring_occurrence::Column::RecurringInvoiceId.eq(row.id))
            .filter(recurring_occurrence::Column::IssueDate.lte(last))
            .count(db)
            .await?;
        if happened >= u64::from(limit) {
            return Ok(None);
        }
    }
    Ok(schedule.next_after(row.last_date))
}

/// Sets the template's timer to its next date (an active one with dates left).
async fn set_timer(store: &Store, txn: &impl ConnectionTrait, sender: &Sender, row: &Row) -> Result<(), Error> {
    if status_of(row)? != RecurringStatus::Active {
        return Ok(());
    }
    let Some(date) = next_date(txn, row).await? else { return Ok(()) };
    let at = zone::at_local(zone::of(&sender.time_zone), date, sender.send_hour.clamp(0, 23) as u32);
    let work = Tick { recurring_invoice_id: row.id };
    jobs::ensure(store, txn, &timer_key(row.id), KIND_RECURRING, Some(sender.id), &work, at).await
}

/// The API's view: the schedule, what happened (newest first) and what comes.
async fn to_dto(db: &impl ConnectionTrait, sender: &Sender, row: Row) -> Result<RecurringInvoice, Error> {
    let schedule = schedule_of(&row)?;
    let tz = zone::of(&sender.time_zone);
    let hour = sender.send_hour.clamp(0, 23) as u32;
    let occurrence = |date: NaiveDate, skipped: bool, invoice_number: Option<String>| {
        let (period_start, period_end) = schedule.period(date);
        Occurrence {
            issue_date: date,
            due_date: date.checked_add_days(Days::new(row.due_days.max(0) as u64)).unwrap_or(date),
            period_start,
            period_end,
            at: zone::at_local(tz, date, hour),
            skipped,
            invoice_number,
        }
    };
    let past = recurring_occurrence::Entity::find()
        .filter(recurring_occurrence::Column::RecurringInvoiceId.eq(row.id))
        .order_by_desc(recurring_occurrence::Column::IssueDate)
        .all(db)
        .await?;
    let numbers = crate::invoices::numbers_of(db, past.iter().filter_map(|o| o.invoice_id).collect()).await?;
    let number_of = |id: Option<i64>| id.and_then(|id| numbers.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()));
    let last = row.last_date;
    let history = past
        .iter()
        .filter(|o| last.is_some_and(|l| o.issue_date <= l))
        .take(24)
        .map(|o| occurrence(o.issue_date, o.skipped, number_of(o.invoice_id)))
        .collect();
    let mut upcoming = Vec::new();
    if status_of(&row)? != RecurringStatus::Ended {
        let made = past.iter().filter(|o| last.is_some_and(|l| o.issue_date <= l)).count() as u32;
        let mut after = last;
        while upcoming.len() < UPCOMING {
            if schedule.count.is_some_and(|c| made + upcoming.len() as u32 >= c) {
                break;
            }
            let Some(date) = schedule.next_after(after) else { break };
            let skipped = past.iter().any(|o| o.issue_date == date && o.skipped);
            upcoming.push(occurrence(date, skipped, None));
            after = Some(date);
        }
    }
    let customer = customer::Entity::find_by_id(row.customer_id).one(db).await?;
    let template = serde_json::from_str(&row.template).map_err(|e| crate::error::corrupt("recurring template", e))?;
    Ok(RecurringInvoice {
        id: row.id,
        customer_id: row.customer_id,
        customer: customer.map(|c| c.company).unwrap_or_default(),
        status: status_of(&row)?,
        schedule,
        auto_send: row.auto_send,
        due_days: row.due_days.max(0) as u32,
        time_zone: sender.time_zone.clone(),
        send_hour: hour,
        template,
        history,
        upcoming,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

//! Payment reminders (issue 27). Each sent invoice with money owed has one timer, a keyed
//! job (`reminder:{invoice}`) due at its next step: the step's day (the due date plus the
//! step's days) at the sender's hour in their time zone. Whatever changes the invoice
//! (`effects::record`) moves the timer; the job re-reads everything when it runs. A step
//! goes out once per invoice: its `invoice_reminders` row (unique per invoice and step) is
//! written in the transaction that queues the mail and finishes the job, so a second
//! instance, a replayed job or a restart cannot send it again.
//!
//! A changed due date moves the steps not yet sent; a step already sent never goes again.
//! When several steps are due at once (after downtime, or a due date moved back), only the
//! latest goes out and the earlier ones are recorded as passed over.

use crate::effects::{self, Change, Happened};
use crate::entities::{invoice, invoice_reminder, sender};
use crate::events::Actor;
use crate::invoices::{self, find_owned_invoice, status_of};
use crate::jobs::{self, Job, KIND_REMINDER, Outcome};
use crate::senders::Sender;
use crate::{Error, Store, zone};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Language;
use domain::Status;
use domain::dto::Invoice;
use domain::reminders::{self as rules, ReminderPolicy, ReminderSettings, StepText, Tone};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};

/// A reminder: a step of the sender's policy (days from the due date) or one sent by hand
/// on a (local) day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Policy(i32),
    Manual(NaiveDate),
}

impl Step {
    /// Its key in `invoice_reminders`: "7", "-3", "manual:2027-03-01".
    pub fn key(self) -> String {
        match self {
            Step::Policy(days) => days.to_string(),
            Step::Manual(day) => format!("manual:{day}"),
        }
    }

    /// Days from the due date (negative: before it).
    pub fn days_from_due(self, due: NaiveDate) -> i64 {
        match self {
            Step::Policy(days) => days.into(),
            Step::Manual(day) => (day - due).num_days(),
        }
    }
}

/// The job's work.
#[derive(Debug, Serialize, Deserialize)]
struct Remind {
    invoice_id: i64,
}

fn timer_key(invoice_id: i64) -> String {
    format!("reminder:{invoice_id}")
}

/// The sender's policy (the default one until they change it).
pub fn policy_of(sender: &Sender) -> ReminderPolicy {
    sender.reminder_policy.as_deref().and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default()
}

/// The sender's reminder settings, every step's words filled in (their own or the default).
pub fn settings_of(sender: &Sender) -> ReminderSettings {
    let mut policy = policy_of(sender);
    for step in &mut policy.steps {
        for language in Language::ALL {
            if step.texts.get(language).is_none() {
                step.texts.set(language, Some(default_words(language, Tone::of(step.days))));
            }
        }
    }
    ReminderSettings {
        enabled: policy.enabled,
        time_zone: sender.time_zone.clone(),
        send_hour: sender.send_hour.clamp(0, 23) as u32,
        steps: policy.steps,
    }
}

/// Saves the sender's reminder settings (words equal to the defaults are kept as "default",
/// so they follow improvements to them); every pending reminder and recurring timer of the
/// sender re-reads them.
pub async fn save_settings(
    store: &Store,
    sender_id: i64,
    settings: ReminderSettings,
) -> Result<ReminderSettings, Error> {
    zone::parse(&settings.time_zone, "time_zone")?;
    if settings.send_hour > 23 {
        return Err(Error::invalid("send_hour", "send_hour is an hour of the day, 0 to 23"));
    }
    let mut policy = ReminderPolicy { enabled: settings.enabled, steps: settings.steps }.checked()?;
    for step in &mut policy.steps {
        for language in Language::ALL {
            if step.texts.get(language) == Some(&default_words(language, Tone::of(step.days))) {
                step.texts.set(language, None);
            }
        }
    }
    let json = serde_json::to_string(&policy).map_err(|e| crate::error::corrupt("reminder policy", e))?;
    let txn = store.db.begin().await?;
    let mut row: sender::ActiveModel = crate::senders::get(&txn, sender_id).await?.into();
    row.time_zone = Set(settings.time_zone.trim().to_string());
    row.send_hour = Set(settings.send_hour as i32);
    row.reminder_policy = Set(Some(json));
    row.updated_at = Set(store.now());
    let saved = row.update(&txn).await?;
    jobs::wake_all(store, &txn, KIND_REMINDER, sender_id).await?;
    jobs::wake_all(store, &txn, jobs::KIND_RECURRING, sender_id).await?;
    txn.commit().await?;
    store.key_cache().forget_sender(sender_id);
    Ok(settings_of(&saved))
}

/// The default words of a reminder of `tone` in `language`, with the placeholders left in.
fn default_words(language: Language, tone: Tone) -> StepText {
    let args = [
        ("number", "{number}"),
        ("amount", "{amount}"),
        ("due_date", "{due_date}"),
        ("days", "{days}"),
        ("sender", "{sender}"),
    ];
    StepText {
        subject: i18n::text_with(language, &format!("reminder-{}-subject", tone.key()), &args),
        body: i18n::text_with(language, &format!("reminder-{}-body", tone.key()), &args),
    }
}

/// A reminder's subject and body for `invoice`, in its language, placeholders filled in.
fn words(sender: &Sender, policy: &ReminderPolicy, step: Step, invoice: &Invoice) -> (String, String) {
    let l = invoice.language;
    let days = step.days_from_due(invoice.due_date);
    // By hand: the words of the latest step whose day has come (or the first step's).
    let policy_step = match step {
        Step::Policy(d) => policy.step(d),
        Step::Manual(_) => policy.steps.iter().rev().find(|s| i64::from(s.days) <= days),
    };
    let text = policy_step
        .and_then(|s| s.texts.get(l).cloned())
        .unwrap_or_else(|| default_words(l, Tone::of(days.clamp(-60, 365) as i32)));
    let who = crate::senders::card(sender).company;
    let fill = |t: &str| {
        t.replace("{number}", &invoice.id)
            .replace("{amount}", &i18n::money(l, invoice.balance_due_cents, &invoice.currency))
            .replace("{due_date}", &i18n::date(l, invoice.due_date))
            .replace("{days}", &days.unsigned_abs().to_string())
            .replace("{sender}", &who)
    };
    (fill(&text.subject), fill(&text.body))
}

/// Whether this invoice gets reminders now (state, balance, its own switch, an account).
fn remindable(sender: &Sender, row: &invoice::Model) -> bool {
    let status = status_of(row).ok();
    !sender.anonymous && status.is_some_and(|s| rules::is_remindable(s, row.balance_due_cents, row.reminders_enabled))
}

/// The steps already sent or passed over.
async fn steps_done(db: &impl ConnectionTrait, invoice_id: i64) -> Result<Vec<i32>, Error> {
    let rows =
        invoice_reminder::Entity::find().filter(invoice_reminder::Column::InvoiceId.eq(invoice_id)).all(db).await?;
    Ok(rows.iter().filter_map(|r| r.step.parse().ok()).collect())
}

/// The steps still ahead of a remindable invoice, with the instant each is due.
async fn ahead(
    db: &impl ConnectionTrait,
    sender: &Sender,
    row: &invoice::Model,
) -> Result<Vec<(i32, DateTime<Utc>)>, Error> {
    let tz = zone::of(&sender.time_zone);
    let sent_on = zone::local_date(tz, row.sent_at.unwrap_or(row.updated_at));
    let done = steps_done(db, row.id).await?;
    let hour = sender.send_hour.clamp(0, 23) as u32;
    Ok(rules::steps_ahead(&policy_of(sender), row.due_date, sent_on, &done)
        .into_iter()
        .map(|(days, date)| (days, zone::at_local(tz, date, hour)))
        .collect())
}

/// Sets the invoice's reminder timer to its next step (called with every change to an
/// invoice, in its transaction). An invoice that gets none keeps whatever timer it has:
/// the job finds nothing to send and ends.
pub(crate) async fn schedule_in(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    row: &invoice::Model,
) -> Result<(), Error> {
    if !remindable(sender, row) {
        return Ok(());
    }
    if let Some((_, at)) = ahead(txn, sender, row).await?.first() {
        let work = Remind { invoice_id: row.id };
        jobs::ensure(store, txn, &timer_key(row.id), KIND_REMINDER, Some(sender.id), &work, *at).await?;
    }
    Ok(())
}

/// Runs a reminder job: sends the step that is due (if the invoice still gets one), records
/// it, and sets the timer to the next step, in one transaction. False when the lease was lost.
pub async fn run(store: &Store, job: &Job) -> Result<bool, Error> {
    jobs::run_once(store, job, async |txn, Remind { invoice_id }| remind_due(store, txn, invoice_id).await).await
}

async fn remind_due(store: &Store, txn: &sea_orm::DatabaseTransaction, invoice_id: i64) -> Result<Outcome, Error> {
    let query = invoice::Entity::find_by_id(invoice_id);
    let Some(row) = crate::locking::for_update(query, txn).one(txn).await? else { return Ok(Outcome::Done) };
    let sender = crate::senders::get(txn, row.sender_id).await?;
    if !remindable(&sender, &row) {
        return Ok(Outcome::Done);
    }
    let now = store.now();
    let steps = ahead(txn, &sender, &row).await?;
    let (due, later): (Vec<_>, Vec<_>) = steps.into_iter().partition(|(_, at)| *at <= now);
    let next = match later.first() {
        Some((_, at)) => Outcome::Next(*at),
        None => Outcome::Done,
    };
    let Some(((latest, _), passed_over)) = due.split_last() else { return Ok(next) };
    for (days, _) in passed_over {
        mark(store, txn, row.id, Step::Policy(*days), false).await?;
    }
    send_in(store, txn, &sender, row, Step::Policy(*latest), Actor::System).await?;
    Ok(next)
}

/// Records the step for the invoice (the unique key: a second one is an error and rolls
/// the caller back).
async fn mark(store: &Store, db: &impl ConnectionTrait, invoice_id: i64, step: Step, sent: bool) -> Result<(), Error> {
    invoice_reminder::ActiveModel {
        invoice_id: Set(invoice_id),
        step: Set(step.key()),
        sent: Set(sent),
        created_at: Set(store.now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Sends `step`'s reminder for the (locked) invoice: its row, the event, webhooks and mail.
async fn send_in(
    store: &Store,
    txn: &impl ConnectionTrait,
    sender: &Sender,
    row: invoice::Model,
    step: Step,
    actor: Actor,
) -> Result<Invoice, Error> {
    mark(store, txn, row.id, step, true).await?;
    let invoice = invoices::load(store, txn, row.clone()).await?;
    let (subject, body) = words(sender, &policy_of(sender), step, &invoice);
    let happened = Happened::ReminderSent { step, subject, body };
    effects::record(store, txn, Change { happened, actor, sender, row: &row, invoice: &invoice }).await?;
    Ok(invoice)
}

/// "Send a reminder now" on an invoice that gets reminders: at most one a day (the sender's
/// day), whatever the policy says.
pub async fn send_now(store: &Store, sender: &Sender, number: &str, actor: Actor) -> Result<Invoice, Error> {
    let txn = store.db.begin().await?;
    let invoice = send_now_in(store, &txn, sender, number, actor).await?;
    txn.commit().await?;
    Ok(crate::einvoices::judged(sender, invoice))
}

/// What `send_now` would do, nothing stored (rolled back): with a rehearsing store
/// (`Store::rehearsing`), the reminder it would mail.
pub async fn preview_send_now(store: &Store, sender: &Sender, number: &str, actor: Actor) -> Result<Invoice, Error> {
    let txn = store.db.begin().await?;
    let would = send_now_in(store, &txn, sender, number, actor).await;
    txn.rollback().await?;
    Ok(crate::einvoices::judged(sender, would?))
}

async fn send_now_in(
    store: &Store,
    txn: &sea_orm::DatabaseTransaction,
    sender: &Sender,
    number: &str,
    actor: Actor,
) -> Result<Invoice, Error> {
    let row = find_owned_invoice(txn, sender.id, number, true).await?;
    let status = status_of(&row)?;
    if sender.anonymous || !rules::is_remindable(status, row.balance_due_cents, true) {
        return Err(Error::conflict(
            "status",
            format!(
                "invoice is {status}: reminders go only for sent invoices with a balance due whose recipient is not waiting for changes"
            ),
        ));
    }
    let today = zone::local_date(zone::of(&sender.time_zone), store.now());
    let step = Step::Manual(today);
    let already = invoice_reminder::Entity::find()
        .filter(invoice_reminder::Column::InvoiceId.eq(row.id))
        .filter(invoice_reminder::Column::Step.eq(step.key()))
        .one(txn)
        .await?;
    if already.is_some() {
        return Err(Error::RateLimited {
            message: "a reminder for this invoice already went out today; try again tomorrow".into(),
            retry_after_secs: seconds_to_tomorrow(store, sender),
            standing: None,
        });
    }
    send_in(store, txn, sender, row, step, actor).await
}

fn seconds_to_tomorrow(store: &Store, sender: &Sender) -> u64 {
    let tz = zone::of(&sender.time_zone);
    let today = zone::local_date(tz, store.now());
    let tomorrow = zone::at_local(tz, today.succ_opt().unwrap_or(today), 0);
    (tomorrow - store.now()).num_seconds().max(1) as u64
}

/// Turns automatic reminders on or off for one invoice.
pub async fn set_enabled(store: &Store, sender: &Sender, number: &str, on: bool) -> Result<Invoice, Error> {
    let txn = store.db.begin().await?;
    let row = find_owned_invoice(&txn, sender.id, number, true).await?;
    let mut active: invoice::ActiveModel = row.into();
    active.reminders_enabled = Set(on);
    active.updated_at = Set(store.now());
    let saved = active.update(&txn).await?;
    schedule_in(store, &txn, sender, &saved).await?;
    txn.commit().await?;
    invoices::get_judged(store, sender, number).await
}

/// Gives every invoice that gets reminders but has no timer one (invoices sent before
/// reminders existed, or whose timer failed for good): the steps whose time has already
/// passed are recorded as passed over, so adopting them sends no burst of late reminders.
/// Run at start; idempotent (an invoice with a pending timer is left alone). How many it
/// adopted.
pub async fn adopt_open_invoices(store: &Store) -> Result<u64, Error> {
    let sent = [Status::Sent, Status::Viewed, Status::Updated, Status::Approved].map(Status::as_str);
    let mut after = 0;
    let mut adopted = 0;
    loop {
        let batch = invoice::Entity::find()
            .filter(invoice::Column::Id.gt(after))
            .filter(invoice::Column::Status.is_in(sent))
            .filter(invoice::Column::BalanceDueCents.gt(0))
            .filter(invoice::Column::RemindersEnabled.eq(true))
            .order_by_asc(invoice::Column::Id)
            .limit(500)
            .all(store.reader())
            .await?;
        let Some(last) = batch.last() else { return Ok(adopted) };
        after = last.id;
        for row in batch {
            let txn = store.db.begin().await?;
            if jobs::pending_key(&txn, &timer_key(row.id)).await? {
                continue;
            }
            let sender = crate::senders::get(&txn, row.sender_id).await?;
            if !remindable(&sender, &row) {
                continue;
            }
            for (days, at) in ahead(&txn, &sender, &row).await? {
                if at <= store.now() {
                    mark(store, &txn, row.id, Step::Policy(days), false).await?;
                }
            }
            schedule_in(store, &txn, &sender, &row).await?;
            txn.commit().await?;
            adopted += 1;
        }
    }
}

/// An invoice's reminders: what went (step, day, sent or passed over) and the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Reminders {
    pub enabled: bool,
    pub sent: Vec<(String, DateTime<Utc>, bool)>,
    /// The next step's days from the due date and when it goes, if the invoice gets one.
    pub next: Option<(i32, DateTime<Utc>)>,
}

pub async fn of_invoice(store: &Store, sender: &Sender, number: &str) -> Result<Reminders, Error> {
    let db = store.reader();
    let row = find_owned_invoice(db, sender.id, number, false).await?;
    let mut rows =
        invoice_reminder::Entity::find().filter(invoice_reminder::Column::InvoiceId.eq(row.id)).all(db).await?;
    rows.sort_by_key(|r| r.id);
    let next = match remindable(sender, &row) {
        true => ahead(db, sender, &row).await?.first().copied(),
        false => None,
    };
    Ok(Reminders {
        enabled: row.reminders_enabled,
        sent: rows.into_iter().map(|r| (r.step, r.created_at, r.sent)).collect(),
        next,
    })
}

//! Recurring invoices and payment reminders on the injected clock (issue 27), on SQLite and
//! PostgreSQL: a year of monthly templates in Berlin and New York runs in seconds — twelve
//! invoices each, numbers in sequence, month ends and summer time right — with reminders
//! going out once per step and never for a paid invoice; two instances on one PostgreSQL
//! make each occurrence and each reminder once; the reminder mail reaches a real SMTP
//! server in the customer's language, with the amount, the Pay link and the EPC QR code.

use chrono::{DateTime, Duration, Utc};
use data::clock::Clock;
use data::entities::{invoice, invoice_event, invoice_reminder};
use data::events::Actor;
use data::jobs::{self, KIND_RECURRING, KIND_REMINDER};
use data::testkit::{Backend, TestDb};
use data::{Store, on_both_databases, recurring, reminders, senders};
use domain::recurring::{RecurringInput, RecurringStatus};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::collections::BTreeMap;

mod support;

fn input<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("test JSON")
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("test instant")
}

/// A sender with a profile (bank details: reminders carry the EPC QR code) in `zone`.
async fn sender_in(store: &Store, email: &str, zone: &str) -> senders::Sender {
    let me = senders::ensure(&store.db, store.now(), email, Some("Studio Nord")).await.unwrap();
    let mut form = senders::profile_form(&me);
    form.iban = "DE89370400440532013000".into();
    form.account_name = "Studio Nord".into();
    form.default_currency = "EUR".into();
    senders::update_profile(store, me.id, &form).await.unwrap();
    let mut settings = reminders::settings_of(&senders::get(&store.db, me.id).await.unwrap());
    settings.time_zone = zone.into();
    reminders::save_settings(store, me.id, settings).await.unwrap();
    senders::get(&store.db, me.id).await.unwrap()
}

/// Runs every timer as it falls due until `until`, on all `stores` at once each step (two
/// instances racing for the same jobs when there are two).
async fn run_until(stores: &[Store], until: DateTime<Utc>) -> usize {
    let store = &stores[0];
    let mut steps = 0;
    loop {
        let mut next = None;
        for kind in [KIND_RECURRING, KIND_REMINDER] {
            if let Some(at) = jobs::next_due(store, kind).await.unwrap() {
                next = Some(next.map_or(at, |n: DateTime<Utc>| n.min(at)));
            }
        }
        let Some(at) = next.filter(|at| *at <= until) else { return steps };
        store.clock().advance_to(at);
        let runs = stores.iter().map(server::schedules::run_due);
        for ran in futures::future::join_all(runs).await {
            ran.expect("a round of timers");
        }
        steps += 1;
        assert!(steps < 2_000, "the timers settle");
    }
}

async fn invoices_of(store: &Store, sender_id: i64) -> Vec<invoice::Model> {
    invoice::Entity::find()
        .filter(invoice::Column::SenderId.eq(sender_id))
        .order_by_asc(invoice::Column::Id)
        .all(&store.db)
        .await
        .unwrap()
}

/// Every reminder event, as (invoice number, step).
async fn reminders_sent(store: &Store, rows: &[invoice::Model]) -> Vec<(String, String)> {
    let mut sent = Vec::new();
    for row in rows {
        let events = invoice_event::Entity::find()
            .filter(invoice_event::Column::InvoiceId.eq(row.id))
            .filter(invoice_event::Column::EventType.eq("invoice.reminder_sent"))
            .all(&store.db)
            .await
            .unwrap();
        for e in events {
            let data: Value = serde_json::from_str(&e.data).unwrap();
            sent.push((row.number.clone(), data["step"].as_str().unwrap_or_default().to_string()));
        }
    }
    sent
}

fn monthly(start: &str, day: u32, send: bool) -> RecurringInput {
    input(json!({
        "template": {
            "recipient": {"company": "Acme GmbH", "email": "buchhaltung@acme.test"},
            "currency": "EUR", "language": "de",
            "line_items": [{"description": "Betreuung {period}", "unit_price_cents": 100_000, "tax": {"rate": 19}}],
            "terms_text": "Leistungszeitraum {period_start} bis {period_end}"
        },
        "schedule": {"every": 1, "unit": "month", "day": day, "start_date": start, "count": 12},
        "auto_send": send,
        "due_days": 14
    }))
}

/// The year both tests run: a Berlin template on the 31st, sent at once, and a New York
/// template on the 1st, left as drafts; the Berlin invoice of March is paid at once.
async fn a_year(stores: &[Store]) -> (senders::Sender, senders::Sender) {
    let store = &stores[0];
    let berlin = sender_in(store, "nord@studio.test", "Europe/Berlin").await;
    let new_york = sender_in(store, "ny@studio.test", "America/New_York").await;
    let b = recurring::create(store, &berlin, monthly("2027-01-31", 31, true)).await.unwrap();
    let n = recurring::create(store, &new_york, monthly("2027-01-01", 1, false)).await.unwrap();
    assert_eq!(
        b.upcoming.iter().map(|o| o.issue_date.to_string()).collect::<Vec<_>>()[..3],
        ["2027-01-31", "2027-02-28", "2027-03-31"]
    );
    assert_eq!(b.upcoming[0].at, utc("2027-01-31T08:00:00Z"), "09:00 in Berlin in winter");

    // Until the March invoice exists, then pay it at once.
    run_until(stores, utc("2027-03-31T07:00:00Z")).await;
    let march = invoices_of(store, berlin.id).await.pop().expect("the March invoice");
    assert_eq!(march.issue_date.to_string(), "2027-03-31");
    let pay = input(json!({"amount_cents": march.total_cents, "method": "bank_transfer"}));
    data::payments::record(store, &berlin, &march.number, pay, Actor::Sender).await.unwrap();
    run_until(stores, utc("2028-03-31T00:00:00Z")).await;

    for (who, id) in [(&berlin, b.id), (&new_york, n.id)] {
        let done = recurring::get(store, who, id).await.unwrap();
        assert_eq!(done.status, RecurringStatus::Ended, "count reached");
        assert_eq!(done.history.len(), 12);
        assert!(done.upcoming.is_empty());
    }
    assert!(jobs::pending(&store.db, KIND_RECURRING).await.unwrap().is_empty(), "no timer left");
    (berlin, new_york)
}

async fn check_the_year(store: &Store, berlin: &senders::Sender, new_york: &senders::Sender) {
    let rows = invoices_of(store, berlin.id).await;
    let numbers: Vec<_> = rows.iter().map(|r| r.number.as_str()).collect();
    let expected: Vec<String> = (1..=12).map(|i| format!("ACME-{i:04}")).collect();
    assert_eq!(numbers, expected, "twelve invoices, numbers in sequence");
    let dates: Vec<_> = rows.iter().map(|r| r.issue_date.to_string()).collect();
    assert_eq!(
        dates,
        [
            "2027-01-31",
            "2027-02-28",
            "2027-03-31",
            "2027-04-30",
            "2027-05-31",
            "2027-06-30",
            "2027-07-31",
            "2027-08-31",
            "2027-09-30",
            "2027-10-31",
            "2027-11-30",
            "2027-12-31"
        ]
    );
    // Made at 09:00 in Berlin: 08:00 UTC in winter, 07:00 UTC in summer (from March 28
    // to October 31, 2027, when summer time ends at 03:00 that morning).
    let hours: Vec<_> = rows.iter().map(|r| r.created_at.format("%H:%M").to_string()).collect();
    let mut summer = vec!["08:00"; 2];
    summer.extend(["07:00"; 7]);
    summer.extend(["08:00"; 3]);
    assert_eq!(hours, summer);
    assert!(rows.iter().all(|r| r.status != "draft"), "sent at once");
    assert!(rows.iter().all(|r| r.due_date == r.issue_date + Duration::days(14)));
    assert!(rows.iter().all(|r| r.recurring_invoice_id.is_some()));
    let lines = data::invoices::get(store, berlin.id, "ACME-0002").await.unwrap();
    assert_eq!(lines.line_items[0].description, "Betreuung 28. Februar 2027 – 30. März 2027");
    assert_eq!(lines.terms_text.as_deref(), Some("Leistungszeitraum 28. Februar 2027 bis 30. März 2027"));

    let ny = invoices_of(store, new_york.id).await;
    assert_eq!(ny.len(), 12);
    assert!(ny.iter().all(|r| r.status == "draft"), "drafts for review");
    // 09:00 in New York: 14:00 UTC in winter, 13:00 UTC from March 14 to November 7, 2027.
    let hours: Vec<_> = ny.iter().map(|r| (r.issue_date.to_string(), r.created_at.format("%H").to_string())).collect();
    for (date, hour) in &hours {
        let summer = date.as_str() >= "2027-04-01" && date.as_str() <= "2027-11-01";
        assert_eq!(hour, if summer { "13" } else { "14" }, "{date}");
    }
    let jan = data::invoices::get(store, new_york.id, &ny[0].number).await.unwrap();
    assert_eq!(jan.line_items[0].description, "Betreuung Januar 2027", "a calendar month says its name");

    // Reminders: each step at most once per invoice, none for the paid one.
    let sent = reminders_sent(store, &rows).await;
    let mut per_step: BTreeMap<(String, String), usize> = BTreeMap::new();
    for key in &sent {
        *per_step.entry(key.clone()).or_default() += 1;
    }
    assert!(per_step.values().all(|n| *n == 1), "a step went out twice: {per_step:?}");
    assert!(!sent.iter().any(|(n, _)| n == "ACME-0003"), "the paid invoice got no reminder: {sent:?}");
    let first: Vec<_> = sent.iter().filter(|(n, _)| n == "ACME-0001").map(|(_, s)| s.as_str()).collect();
    assert_eq!(first, ["-3", "0", "7", "14", "30"], "the default steps, in order");
    let rows_kept = invoice_reminder::Entity::find().all(&store.db).await.unwrap();
    assert_eq!(rows_kept.iter().filter(|r| r.sent).count(), sent.len(), "one row per reminder");
    let mails = jobs::pending(&store.db, data::jobs::KIND_MAIL).await.unwrap();
    let reminder_mails = mails
        .iter()
        .filter(|j| matches!(data::mail::of(store, j).map(|e| e.mail), Ok(data::mail::Mail::PaymentReminder(_))))
        .count();
    assert_eq!(reminder_mails, sent.len(), "one mail per reminder");
    // Drafts get none.
    assert!(reminders_sent(store, &ny).await.is_empty());
}

async fn a_year_of_monthly_invoices_with_reminders(db: TestDb) {
    let store = db.store().await.with_clock(Clock::stopped(utc("2027-01-01T00:00:00Z")));
    let (berlin, new_york) = a_year(std::slice::from_ref(&store)).await;
    check_the_year(&store, &berlin, &new_york).await;
}
on_both_databases!(a_year_of_monthly_invoices_with_reminders);

/// Two instances (two connection pools, one database, one clock) run the same year.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_postgres_make_each_occurrence_and_reminder_once() {
    let Some(db) = TestDb::new(Backend::Postgres).await else { return };
    let clock = Clock::stopped(utc("2027-01-01T00:00:00Z"));
    let one = db.store().await.with_clock(clock.clone());
    let two = db.store().await.with_clock(clock);
    let (berlin, new_york) = a_year(&[one.clone(), two]).await;
    check_the_year(&one, &berlin, &new_york).await;
}

/// Invoices sent before reminders existed (no timer) are adopted at start: the steps whose
/// time has passed are passed over (no burst of late reminders), the rest go as usual.
async fn open_invoices_without_a_timer_are_adopted_without_a_burst(db: TestDb) {
    let store = db.store().await.with_clock(Clock::stopped(utc("2027-03-01T10:00:00Z")));
    let me = sender_in(&store, "old@studio.test", "Europe/Berlin").await;
    let body = input(json!({"recipient": {"company": "Acme GmbH", "email": "ap@acme.test"}, "currency": "EUR",
        "due_date": "2027-03-15", "line_items": [{"description": "Beratung", "unit_price_cents": 100_000}]}));
    let made = data::invoices::create(&store, &me, body, Actor::Sender).await.unwrap();
    data::invoices::send(&store, &me, &made.id, Actor::Sender).await.unwrap();
    // As before this version: no timer.
    use sea_orm::ConnectionTrait;
    store.db.execute_unprepared("DELETE FROM jobs WHERE kind = 'reminder'").await.unwrap();
    store.clock().advance_to(utc("2027-03-24T12:00:00Z"));
    assert_eq!(reminders::adopt_open_invoices(&store).await.unwrap(), 1);
    assert_eq!(reminders::adopt_open_invoices(&store).await.unwrap(), 0, "once");
    run_until(std::slice::from_ref(&store), utc("2027-06-01T00:00:00Z")).await;
    let rows = invoices_of(&store, me.id).await;
    assert_eq!(
        reminders_sent(&store, &rows).await,
        [("ACME-0001".to_string(), "14".to_string()), ("ACME-0001".to_string(), "30".to_string())]
    );
    let passed: Vec<_> = invoice_reminder::Entity::find().all(&store.db).await.unwrap();
    let passed: Vec<_> = passed.iter().filter(|r| !r.sent).map(|r| r.step.as_str()).collect();
    assert_eq!(passed, ["-3", "0", "7"]);
}
on_both_databases!(open_invoices_without_a_timer_are_adopted_without_a_burst);

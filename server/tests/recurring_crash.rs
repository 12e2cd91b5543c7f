//! A recurring invoice's missed dates with the real binary (issue 27): 40 weekly dates in the
//! past are made after a start, one after another, each invoice sent; the server is killed
//! with SIGKILL in the middle of the batch, restarted, and in the end every date has exactly
//! one invoice, numbered without a gap, in order, each sent — nothing lost, nothing doubled.

mod support;

use chrono::Duration as Days;
use data::entities::{invoice, recurring_occurrence};
use data::testkit::TestDb;
use domain::recurring::RecurringInput;
use sea_orm::{EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::json;
use std::time::{Duration, Instant};
use support::process::Server;
use support::receiver::free_port;
use support::smtp::{sink_python, start_sink};

const DATES: u32 = 40;

async fn made(store: &data::Store) -> u64 {
    recurring_occurrence::Entity::find().count(&store.db).await.unwrap()
}

async fn a_killed_batch_of_missed_dates_loses_and_doubles_nothing(db: TestDb) {
    let Some(python) = sink_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let smtp_port = free_port();
    let _sink = start_sink(&python, smtp_port, &dir.path().join("mail"));
    let store = db.store().await;
    let me = data::senders::ensure(&store.db, store.now(), "me@x.test", Some("My Studio")).await.unwrap();
    let start = (store.now() - Days::weeks(i64::from(DATES) + 2)).date_naive();
    let input: RecurringInput = serde_json::from_value(json!({
        "template": {"recipient": {"company": "Acme", "email": "ap@acme.test"},
                     "line_items": [{"description": "Week of {period_start}", "unit_price_cents": 50_000}]},
        "schedule": {"every": 1, "unit": "week", "start_date": start, "count": DATES},
        "auto_send": true, "due_days": 7
    }))
    .unwrap();
    let recurring = data::recurring::create(&store, &me, input).await.unwrap();
    let env = vec![
        ("DATABASE_URL", db.url.clone()),
        ("SECRET_KEY", "test-secret".to_string()),
        ("SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}")),
    ];
    let log = dir.path().join("server.log");
    let mut first = Server::start(dir.path(), &env, &log).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    while made(&store).await < 5 {
        assert!(
            Instant::now() < deadline,
            "the first dates were not made: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill9();
    let at_kill = made(&store).await;
    assert!(at_kill < u64::from(DATES), "killed in the middle of the batch ({at_kill} made)");

    // The restarted server takes the timer up once the dead one's lease has run out.
    let _second = Server::start(dir.path(), &env, &log).await;
    let deadline = Instant::now() + Duration::from_secs(180);
    while made(&store).await < u64::from(DATES) {
        assert!(Instant::now() < deadline, "not all dates made: {}", std::fs::read_to_string(&log).unwrap_or_default());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let done = data::recurring::get(&store, &me, recurring.id).await.unwrap();
    assert_eq!(done.status, domain::recurring::RecurringStatus::Ended);
    let rows = invoice::Entity::find().order_by_asc(invoice::Column::Seq).all(&store.db).await.unwrap();
    let numbers: Vec<String> = rows.iter().map(|r| r.number.clone()).collect();
    let expected: Vec<String> = (1..=DATES).map(|i| format!("ACME-{i:04}")).collect();
    assert_eq!(numbers, expected, "one invoice per date, numbered without a gap ({at_kill} made before the kill)");
    let dates: Vec<_> = rows.iter().map(|r| r.issue_date).collect();
    assert!(dates.windows(2).all(|w| w[1] - w[0] == Days::weeks(1)), "in order, a week apart: {dates:?}");
    assert!(rows.iter().all(|r| r.status == "sent" && r.recurring_invoice_id == Some(recurring.id)), "each sent");
    let occurrences = recurring_occurrence::Entity::find().all(&store.db).await.unwrap();
    assert_eq!(occurrences.len(), DATES as usize);
    assert!(occurrences.iter().all(|o| o.invoice_id.is_some() && !o.skipped));
}
data::on_both_databases!(a_killed_batch_of_missed_dates_loses_and_doubles_nothing);

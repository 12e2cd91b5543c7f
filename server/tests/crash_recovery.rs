//! The job queue's promises, with the real binary: killed with SIGKILL while 200 invoices are
//! created and sent (a webhook subscribed, mail going to a real SMTP server), it delivers every
//! `invoice.created` webhook and every mail within a minute of its restart, at least once, and
//! exactly once what was queued while it ran normally; two instances on one PostgreSQL deliver
//! each job once.

mod support;

use data::testkit::{Backend, TestDb};
use futures::StreamExt;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::guide_invoice;
use support::process::Server;
use support::receiver::{Receiver, free_port};
use support::smtp::{Sink, mails_in, sink_python, start_sink, subject};

const INVOICES: usize = 200;
/// More than a claim's lease (30 s) plus a poll: the promise is "within a minute".
const RECOVERY: Duration = Duration::from_secs(60);

struct World {
    db: TestDb,
    dir: tempfile::TempDir,
    rx: Receiver,
    hook_url: String,
    key: String,
    env: Vec<(&'static str, String)>,
    _sink: Sink,
}

impl World {
    async fn new(db: TestDb) -> Option<World> {
        let python = sink_python()?;
        let dir = tempfile::tempdir().expect("dir");
        let smtp_port = free_port();
        std::fs::create_dir(dir.path().join("mail")).expect("mail dir");
        let sink = start_sink(&python, smtp_port, &dir.path().join("mail"));
        let rx = Receiver::default();
        let hook_url = rx.start().await;
        let key = {
            let store = db.store().await;
            let sender =
                data::senders::ensure(&store.db, store.now(), "me@x.test", Some("My Studio")).await.expect("sender");
            data::api_keys::create(&store, sender.id, "load", domain::KeyScope::Full).await.expect("key").secret
        };
        let env = vec![
            ("DATABASE_URL", db.url.clone()),
            ("SECRET_KEY", "test-secret".to_string()),
            ("SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}")),
            ("MAIL_FROM", "My Studio <billing@studio.test>".to_string()),
            ("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true".to_string()),
        ];
        Some(World { db, dir, rx, hook_url, key, env, _sink: sink })
    }

    async fn server(&self) -> Server {
        Server::start(self.dir.path(), &self.env, &self.dir.path().join("server.log")).await
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// Invoice number → status, read through the API.
    async fn invoices(&self, base: &str) -> BTreeMap<String, String> {
        let client = reqwest::Client::new();
        let mut all = BTreeMap::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut url = format!("{base}/api/v1/invoices?limit=100");
            if let Some(c) = &cursor {
                url.push_str(&format!("&cursor={c}"));
            }
            let page: Value = client.get(url).bearer_auth(&self.key).send().await.unwrap().json().await.unwrap();
            for inv in page["data"].as_array().expect("data") {
                all.insert(inv["id"].as_str().unwrap().to_string(), inv["status"].as_str().unwrap().to_string());
            }
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => return all,
            }
        }
    }

    /// How often each invoice's `invoice.created` webhook and invoice mail arrived.
    fn arrivals(&self) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
        let mut hooks = BTreeMap::new();
        for got in self.rx.received() {
            if got.body["type"] == "invoice.created" {
                let number = got.body["data"]["invoice"]["id"].as_str().unwrap_or_default().to_string();
                *hooks.entry(number).or_default() += 1;
            }
        }
        let mut mails = BTreeMap::new();
        for mail in mails_in(&self.dir.path().join("mail")) {
            // "Invoice ACME-0001 from My Studio ($2,500.00)"
            if let Some(number) = subject(&mail).split_whitespace().nth(1) {
                *mails.entry(number.to_string()).or_default() += 1;
            }
        }
        (hooks, mails)
    }

    /// Waits until every invoice in `expected` (all when None) has its webhook and, when
    /// sent, its mail (at least once), and nothing is due; Err(what is missing) when that
    /// takes longer than `within`.
    async fn delivered(&self, base: &str, expected: Option<&BTreeSet<String>>, within: Duration) -> Result<(), String> {
        let store = self.db.store().await;
        let deadline = Instant::now() + within;
        loop {
            let invoices = self.invoices(base).await;
            let (hooks, mails) = self.arrivals();
            let wanted = |n: &String| expected.is_none_or(|e| e.contains(n));
            let unhooked: Vec<_> = invoices.keys().filter(|n| wanted(n) && !hooks.contains_key(*n)).collect();
            let unmailed: Vec<_> = invoices
                .iter()
                .filter(|(n, s)| wanted(n) && *s == "sent" && !mails.contains_key(*n))
                .map(|(n, _)| n)
                .collect();
            let due = data::jobs::pending(&store.db, data::jobs::KIND_MAIL).await.unwrap().len()
                + data::jobs::pending(&store.db, data::jobs::KIND_WEBHOOK).await.unwrap().len();
            if unhooked.is_empty() && unmailed.is_empty() && (expected.is_some() || due == 0) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "after {within:?}: no webhook for {unhooked:?}, no mail for {unmailed:?}, {due} jobs unfinished"
                ));
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

/// Creates an invoice and sends it; false when the server did not answer both.
async fn create_and_send(base: &str, key: &str) -> bool {
    let client = reqwest::Client::new();
    let Ok(created) =
        client.post(format!("{base}/api/v1/invoices")).bearer_auth(key).json(&guide_invoice()).send().await
    else {
        return false;
    };
    let Ok(invoice) = created.json::<Value>().await else { return false };
    let Some(number) = invoice["id"].as_str() else { return false };
    let sent = client.post(format!("{base}/api/v1/invoices/{number}/send")).bearer_auth(key).json(&json!({})).send();
    sent.await.is_ok_and(|r| r.status() == 200)
}

/// Runs `count` create-and-sends, four at a time; returns how many were answered.
async fn load(base: &str, key: &str, count: usize, answered: &AtomicUsize) -> usize {
    futures::stream::iter(0..count)
        .map(|_| async move {
            let ok = create_and_send(base, key).await;
            if ok {
                answered.fetch_add(1, Ordering::SeqCst);
            }
            ok
        })
        .buffer_unordered(4)
        .filter(|ok| std::future::ready(*ok))
        .count()
        .await
}

async fn subscribe(base: &str, key: &str, url: &str) {
    let client = reqwest::Client::new();
    let hook = json!({"url": url, "event_types": ["invoice.created"]});
    let res = client.post(format!("{base}/api/v1/webhooks")).bearer_auth(key).json(&hook).send().await.unwrap();
    assert_eq!(res.status(), 201);
}

fn kill9(pid: u32) {
    let status = std::process::Command::new("kill").args(["-9", &pid.to_string()]).status().expect("kill");
    assert!(status.success());
}

async fn a_killed_server_delivers_everything_after_its_restart(db: TestDb) {
    let Some(w) = World::new(db).await else { return };
    let mut first = w.server().await;
    subscribe(&first.base, &w.key, &w.hook_url).await;

    // Killed half-way through the load: requests in flight are cut off, jobs in flight lost
    // with their claims.
    let answered = Arc::new(AtomicUsize::new(0));
    let pid = first.pid();
    let watcher = {
        let answered = answered.clone();
        tokio::spawn(async move {
            while answered.load(Ordering::SeqCst) < INVOICES / 2 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            kill9(pid);
        })
    };
    let before = load(&first.base, &w.key, INVOICES, &answered).await;
    watcher.await.unwrap();
    first.kill9();
    assert!((INVOICES / 2..INVOICES).contains(&before), "killed mid-load ({before} answered)");

    let second = w.server().await;
    let restarted = Instant::now();
    let at_restart: BTreeSet<String> = w.invoices(&second.base).await.into_keys().collect();
    let recovered = w.delivered(&second.base, Some(&at_restart), RECOVERY).await;
    let recovery = restarted.elapsed();
    recovered.unwrap_or_else(|missing| panic!("not delivered within a minute of the restart: {missing}\n{}", w.log()));

    // Normal operation again: the rest of the 200.
    let after = INVOICES - at_restart.len();
    assert_eq!(load(&second.base, &w.key, after, &AtomicUsize::new(0)).await, after);
    let normal: BTreeSet<String> =
        w.invoices(&second.base).await.into_keys().filter(|n| !at_restart.contains(n)).collect();
    // Not a timing promise: the generous bound only keeps a broken queue from hanging the test.
    let settled = w.delivered(&second.base, None, Duration::from_secs(300)).await;
    settled.unwrap_or_else(|missing| panic!("{missing}\n{}", w.log()));
    eprintln!("{before} answered before the kill; what they queued was delivered {recovery:?} after the restart");
    let (hooks, mails) = w.arrivals();
    let invoices = w.invoices(&second.base).await;
    assert_eq!(invoices.len(), INVOICES);
    for number in &normal {
        assert_eq!((hooks.get(number), mails.get(number)), (Some(&1), Some(&1)), "{number}: exactly once");
    }
    // Only what was in flight at the kill may come twice: a claim's batch of each queue.
    let twice = |counts: &BTreeMap<String, usize>| counts.values().map(|n| n - 1).sum::<usize>();
    assert!(twice(&hooks) <= 20 && twice(&mails) <= 10, "doubles: {} webhooks, {} mails", twice(&hooks), twice(&mails));
}
data::on_both_databases!(a_killed_server_delivers_everything_after_its_restart);

/// PostgreSQL only: SQLite is one process's database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_deliver_each_job_once() {
    let Some(db) = TestDb::new(Backend::Postgres).await else { return };
    let Some(w) = World::new(db).await else { return };
    let (one, two) = (w.server().await, w.server().await);
    subscribe(&one.base, &w.key, &w.hook_url).await;
    let half = INVOICES / 4;
    let answered = AtomicUsize::new(0);
    let (a, b) = tokio::join!(load(&one.base, &w.key, half, &answered), load(&two.base, &w.key, half, &answered));
    assert_eq!(a + b, 2 * half);
    let settled = w.delivered(&one.base, None, Duration::from_secs(300)).await;
    settled.unwrap_or_else(|missing| panic!("{missing}\n{}", w.log()));
    let (hooks, mails) = w.arrivals();
    assert_eq!((hooks.len(), mails.len()), (2 * half, 2 * half));
    assert!(hooks.values().chain(mails.values()).all(|n| *n == 1), "each exactly once: {hooks:?} {mails:?}");
}

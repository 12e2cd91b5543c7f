//! The command line's view of the job queue: `jupiter jobs` lists what is still to run,
//! `jupiter jobs --failed` what was given up on and why; `api-key create --scope` mints read-only keys.

use data::jobs::{self, KIND_MAIL, Lease, Outcome};
use data::mail::{Envelope, Mail};
use data::testkit::{Backend, TestDb};
use std::process::Command;

fn jupiter(db: &TestDb, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_jupiter"))
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env("SECRET_KEY", "test-secret")
        .output()
        .expect("run jupiter");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

#[tokio::test]
async fn the_jobs_command_shows_what_waits_and_what_failed() {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    let store = db.store().await;
    let mail = |to: &str| Envelope {
        to: vec![to.into()],
        cc: vec![],
        reply_to: None,
        mail: Mail::SignIn { link: "http://invoices.test/signin/verify?token=x".into(), minutes: 15 },
    };
    let failing = data::mail::queue(&store, &store.db, None, &mail("gone@x.test")).await.unwrap();
    let claimed = jobs::claim(&store, KIND_MAIL, 1, chrono::Duration::seconds(30)).await.unwrap();
    let why = Outcome::Failed("550 mailbox does not exist".into());
    assert!(jobs::finish(&store, &store.db, Lease::of(&claimed[0]), &why).await.unwrap());
    let waiting = data::mail::queue(&store, &store.db, None, &mail("me@x.test")).await.unwrap();

    let pending = jupiter(&db, &["jobs"]);
    assert!(pending.lines().any(|l| l.starts_with(&format!("{}\tmail\t0\t", waiting.id))), "{pending}");
    assert!(!pending.contains("550"), "{pending}");
    let failed = jupiter(&db, &["jobs", "--failed"]);
    let line = failed.lines().find(|l| l.starts_with(&format!("{}\tmail\t1\t", failing.id))).expect("listed");
    assert!(line.ends_with("550 mailbox does not exist"), "{failed}");
}

#[tokio::test]
async fn the_cli_mints_read_only_keys() {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    let secret = jupiter(&db, &["api-key", "create", "--email", "agent@x.test", "--scope", "read_only"]);
    let secret = secret.lines().last().expect("the key").trim().to_string();
    let store = db.store().await;
    let caller = data::api_keys::authenticate(&store, &secret).await.unwrap().expect("a live key");
    assert_eq!(caller.scope, domain::KeyScope::ReadOnly);
    let full = jupiter(&db, &["api-key", "create", "--email", "agent@x.test"]);
    let full = data::api_keys::authenticate(&store, full.lines().last().unwrap().trim()).await.unwrap().unwrap();
    assert_eq!(full.scope, domain::KeyScope::Full, "full unless asked");
    let refused = Command::new(env!("CARGO_BIN_EXE_jupiter"))
        .args(["api-key", "create", "--email", "agent@x.test", "--scope", "admin"])
        .env("DATABASE_URL", &db.url)
        .output()
        .unwrap();
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("full or read_only"));
}

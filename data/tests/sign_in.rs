//! Sign-in links, sessions, flash values and the job queue, on SQLite and PostgreSQL.

use chrono::{Duration, SubsecRound, Utc};
use data::entities::{session, sign_in_token};
use data::jobs::{self, KIND_MAIL, Lease, Outcome};
use data::mail;
use data::mail::{Envelope, Mail};
use data::testkit::TestDb;
use data::{Error, flash, on_both_databases, sessions, sign_in};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

/// The link of the newest sign-in mail queued.
async fn mailed_link(store: &data::Store) -> String {
    let jobs = jobs::pending(&store.db, KIND_MAIL).await.unwrap();
    match mail::of(store, jobs.last().expect("a mail")).unwrap().mail {
        Mail::SignIn { link, .. } => link,
        other => panic!("not a sign-in mail: {other:?}"),
    }
}

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().split('&').next().unwrap().to_string()
}

async fn a_mailed_link_signs_in_once(db: TestDb) {
    let store = db.store().await;
    sign_in::request(&store, "New.Person@Example.test", Some("/invoices"), None).await.unwrap();
    let link = mailed_link(&store).await;
    assert!(link.starts_with("http://invoices.test/signin/verify?token="), "{link}");
    assert!(!link.contains("next="), "where to go next stays with the token: {link}");
    let token = token_of(&link);

    // Only the hash is stored, and the queued mail is sealed.
    let row = sign_in_token::Entity::find().one(&store.db).await.unwrap().unwrap();
    assert_ne!(row.token_hash, token);
    assert_eq!(row.next_path.as_deref(), Some("/invoices"));
    let queued = jobs::pending(&store.db, KIND_MAIL).await.unwrap();
    assert!(!queued[0].payload.contains(&token) && !queued[0].payload.contains("signin"), "{}", queued[0].payload);

    // Looking does not spend it; using it does, and creates the sender.
    assert_eq!(sign_in::peek(&store, &token).await.unwrap(), "new.person@example.test");
    let signed = sign_in::complete(&store, &token, None, None).await.unwrap();
    assert_eq!(signed.sender.email.as_deref(), Some("new.person@example.test"));
    assert_eq!(signed.next.as_deref(), Some("/invoices"));
    assert!(!format!("{signed:?}").contains(&signed.secret.0), "the secret never shows in Debug");
    let again = sign_in::complete(&store, &token, None, None).await.unwrap_err();
    assert_eq!(again.field(), Some("token"));
    assert!(sign_in::peek(&store, &token).await.is_err());

    let (_, who) = sessions::resolve(&store, &signed.secret.0).await.unwrap().expect("live session");
    assert_eq!(who.id, signed.sender.id);
    let stored = session::Entity::find().one(&store.db).await.unwrap().unwrap();
    assert_ne!(stored.id_hash, signed.secret.0, "session ids are stored hashed");

    // Signing in again rotates: the previous session ends.
    sign_in::request(&store, "new.person@example.test", None, None).await.unwrap();
    let second =
        sign_in::complete(&store, &token_of(&mailed_link(&store).await), Some(&signed.secret.0), None).await.unwrap();
    assert!(sessions::resolve(&store, &signed.secret.0).await.unwrap().is_none());
    assert!(sessions::resolve(&store, &second.secret.0).await.unwrap().is_some());
    assert_eq!(second.sender.id, signed.sender.id, "same sender, no duplicate");

    sessions::end(&store.db, &second.secret.0).await.unwrap();
    assert!(sessions::resolve(&store, &second.secret.0).await.unwrap().is_none());
}
on_both_databases!(a_mailed_link_signs_in_once);

async fn links_expire_and_are_rate_limited(db: TestDb) {
    // The limits count in fixed windows of the store's clock, which stands still here.
    let store = db.store().await.with_clock(data::clock::Clock::stopped(Utc::now()));
    assert_eq!(sign_in::request(&store, "not-an-email", None, None).await.unwrap_err().field(), Some("email"));
    sign_in::request(&store, "a@x.test", Some("https://evil.test/"), None).await.unwrap();
    let link = mailed_link(&store).await;
    let row = sign_in_token::Entity::find().one(&store.db).await.unwrap().unwrap();
    assert_eq!(row.next_path, None, "off-site next paths are dropped");

    let mut expired: sign_in_token::ActiveModel = row.into();
    expired.expires_at = Set(Utc::now() - Duration::seconds(1));
    expired.update(&store.db).await.unwrap();
    assert!(sign_in::complete(&store, &token_of(&link), None, None).await.is_err());

    for _ in 0..4 {
        sign_in::request(&store, "a@x.test", None, None).await.unwrap();
    }
    let limited = sign_in::request(&store, "A@x.test", None, None).await.unwrap_err();
    assert!(matches!(limited, Error::RateLimited { .. }), "{limited:?}");
    assert!(limited.to_string().starts_with("too many sign-in links for this address: at most 5 per 15 minutes;"));

    // One client asking for links to many addresses: ten a minute.
    for n in 0..10 {
        sign_in::request(&store, &format!("p{n}@x.test"), None, Some("203.0.113.9".parse().unwrap())).await.unwrap();
    }
    let limited = sign_in::request(&store, "p10@x.test", None, Some("203.0.113.9".parse().unwrap())).await.unwrap_err();
    let Error::RateLimited { standing: Some(standing), .. } = limited else { panic!("{limited:?}") };
    assert!(standing.current.starts_with(r#""min";r=0;"#), "{standing:?}");
    sign_in::request(&store, "p10@x.test", None, Some("198.51.100.7".parse().unwrap())).await.unwrap();
}
on_both_databases!(links_expire_and_are_rate_limited);

async fn idle_sessions_end(db: TestDb) {
    let store = db.store().await;
    let sender = data::senders::ensure(&store.db, store.now(), "me@x.test", None).await.unwrap();
    let (secret, row) = sessions::start(&store.db, store.now(), sender.id).await.unwrap();
    let mut idle: session::ActiveModel = row.into();
    idle.last_seen_at = Set(Utc::now() - sessions::IDLE_TIMEOUT - Duration::seconds(1));
    idle.update(&store.db).await.unwrap();
    assert!(sessions::resolve(&store, &secret.0).await.unwrap().is_none());
}
on_both_databases!(idle_sessions_end);

async fn flash_values_are_read_once(db: TestDb) {
    let store = db.store().await;
    let sender = data::senders::ensure(&store.db, store.now(), "me@x.test", None).await.unwrap();
    let (_, s) = sessions::start(&store.db, store.now(), sender.id).await.unwrap();
    let (_, other) = sessions::start(&store.db, store.now(), sender.id).await.unwrap();
    flash::put(&store, s.id, "new_key", "first").await.unwrap();
    flash::put(&store, s.id, "new_key", "jk_live_second").await.unwrap();
    let stored = data::entities::flash::Entity::find().one(&store.db).await.unwrap().unwrap();
    assert!(!stored.value.contains("second"), "kept sealed: {}", stored.value);
    assert_eq!(flash::take(&store, other.id, "new_key").await.unwrap(), None, "per session");
    assert_eq!(flash::take(&store, s.id, "new_key").await.unwrap().as_deref(), Some("jk_live_second"));
    assert_eq!(flash::take(&store, s.id, "new_key").await.unwrap(), None);
}
on_both_databases!(flash_values_are_read_once);

async fn jobs_are_claimed_once_retried_and_fenced(db: TestDb) {
    let store = db.store().await.with_clock(data::clock::Clock::adjustable());
    let lease = Duration::seconds(30);
    let job = Envelope {
        to: vec!["a@x.test".into()],
        cc: vec![],
        reply_to: None,
        mail: Mail::SignIn { link: "http://x.test/signin".into(), minutes: 15 },
    };
    let queued = mail::queue(&store, &store.db, None, &job).await.unwrap();

    let claimed = jobs::claim(&store, KIND_MAIL, 10, lease).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(mail::of(&store, &claimed[0]).unwrap(), job);
    let first = Lease::of(&claimed[0]);
    assert_eq!(first.attempt, 1);
    assert!(jobs::claim(&store, KIND_MAIL, 10, lease).await.unwrap().is_empty(), "leased to its worker");
    store.clock().advance(Duration::seconds(20));
    assert_eq!(jobs::renew(&store, &[first], lease).await.unwrap(), 1);
    store.clock().advance(Duration::seconds(20));
    assert!(jobs::claim(&store, KIND_MAIL, 10, lease).await.unwrap().is_empty(), "renewed: still held");

    // The first worker stalls past its lease; a second takes the job over.
    store.clock().advance(Duration::seconds(31));
    let again = jobs::claim(&store, KIND_MAIL, 10, lease).await.unwrap();
    let second = Lease::of(&again[0]);
    assert_eq!(second.attempt, 2);
    // Whole seconds: PostgreSQL keeps microseconds.
    let retry_at = (store.now() + Duration::seconds(60)).trunc_subsecs(0);
    assert!(jobs::finish(&store, &store.db, second, &Outcome::RetryAt(retry_at, "smtp down".into())).await.unwrap());
    // The first worker's late result changes nothing, and neither does its renewal.
    assert!(!jobs::finish(&store, &store.db, first, &Outcome::Done).await.unwrap(), "fenced off");
    assert_eq!(jobs::renew(&store, &[first], lease).await.unwrap(), 0);
    let row = jobs::get(&store.db, queued.id).await.unwrap();
    assert_eq!((row.done_at, row.last_error.as_deref(), row.run_at), (None, Some("smtp down"), retry_at));

    assert!(jobs::claim(&store, KIND_MAIL, 10, lease).await.unwrap().is_empty(), "not due before its retry");
    store.clock().advance(Duration::seconds(61));
    let third = Lease::of(&jobs::claim(&store, KIND_MAIL, 10, lease).await.unwrap()[0]);
    assert!(jobs::finish(&store, &store.db, third, &Outcome::Done).await.unwrap());
    let done = jobs::get(&store.db, queued.id).await.unwrap();
    assert!(done.done_at.is_some() && done.last_error.is_none() && done.leased_until.is_none());
    assert_eq!(done.payload, "", "a sent mail's content (and any link in it) is wiped");
    assert_eq!(done.attempts, 3);
    assert!(!jobs::finish(&store, &store.db, third, &Outcome::Failed("late".into())).await.unwrap(), "finished once");
    assert!(jobs::pending(&store.db, KIND_MAIL).await.unwrap().is_empty());

    let gone = mail::queue(&store, &store.db, None, &job).await.unwrap();
    let lease_of_gone = Lease::of(&jobs::claim(&store, KIND_MAIL, 10, lease).await.unwrap()[0]);
    jobs::finish(&store, &store.db, lease_of_gone, &Outcome::Failed("mailbox does not exist".into())).await.unwrap();
    let given_up = jobs::get(&store.db, gone.id).await.unwrap();
    assert!(given_up.failed_at.is_some() && given_up.payload.is_empty());
    let listed = jobs::failed(&store.db, 10).await.unwrap();
    assert_eq!((listed.len(), listed[0].last_error.as_deref()), (1, Some("mailbox does not exist")), "visible");
    store.clock().advance(Duration::days(1));
    assert!(jobs::claim(&store, KIND_MAIL, 10, lease).await.unwrap().is_empty());

    assert_eq!(jobs::prune(&store, Duration::days(30)).await.unwrap(), 0, "kept for 30 days");
    store.clock().advance(Duration::days(30));
    assert_eq!(jobs::prune(&store, Duration::days(30)).await.unwrap(), 2, "then the done and the failed go");
    assert!(jobs::get(&store.db, gone.id).await.is_err());
}
on_both_databases!(jobs_are_claimed_once_retried_and_fenced);

async fn a_link_confirmed_many_times_at_once_signs_in_once(db: TestDb) {
    let store = db.store().await;
    sign_in::request(&store, "race@x.test", None, None).await.unwrap();
    let token = token_of(&mailed_link(&store).await);
    let tries = (0..10).map(|_| {
        let (store, token) = (store.clone(), token.clone());
        tokio::spawn(async move { sign_in::complete(&store, &token, None, None).await })
    });
    let mut signed_in = 0;
    for t in tries {
        match t.await.expect("no panic") {
            Ok(_) => signed_in += 1,
            Err(e) => assert_eq!(e.field(), Some("token"), "{e:?}"),
        }
    }
    assert_eq!(signed_in, 1, "one link, one session");
    assert_eq!(session::Entity::find().all(&store.db).await.unwrap().len(), 1);
}
on_both_databases!(a_link_confirmed_many_times_at_once_signs_in_once);

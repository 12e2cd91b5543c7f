//! Invoices made without an account: the session a browser gets, what such an invoice may do
//! (no mail from us), claiming at sign-in (customers matched, numbers in the account's
//! sequence, links unchanged, once), and the end of an unclaimed session — on SQLite and
//! PostgreSQL.

use chrono::{Duration, TimeZone, Utc};
use data::anonymous::{self, Claim, ClaimedInvoice};
use data::entities::{anonymous_session, invoice, job, sender};
use data::events::Actor;
use data::jobs::{self, KIND_ANONYMOUS_EXPIRY};
use data::shared::Visitor;
use data::testkit::TestDb;
use data::{Error, Store, customers, invoices, on_both_databases, senders, shared};
use domain::Status;
use domain::dto::InvoiceInput;
use domain::profile::SenderDetails;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn invoice_for(company: &str, email: &str) -> InvoiceInput {
    serde_json::from_value(serde_json::json!({
        "due_date": "2031-02-01",
        "recipient": {"company": company, "email": email},
        "line_items": [{"description": "Design", "quantity": 2, "unit_price_cents": 125_000}],
    }))
    .expect("test invoice")
}

fn from_studio() -> SenderDetails {
    SenderDetails {
        company: "Pixel & Co".into(),
        email: "hello@pixel.test".into(),
        iban: "DE89 3704 0044 0532 0130 00".into(),
        city: "Berlin".into(),
        ..Default::default()
    }
}

async fn store_at(db: &TestDb) -> Store {
    let at = Utc.with_ymd_and_hms(2031, 1, 10, 9, 0, 0).unwrap();
    db.store().await.with_clock(data::clock::Clock::stopped(at))
}

async fn mail_jobs(store: &Store) -> u64 {
    job::Entity::find().filter(job::Column::Kind.eq(jobs::KIND_MAIL)).count(&store.db).await.unwrap()
}

async fn a_browser_keeps_one_session_and_we_send_no_mail_for_it(db: TestDb) {
    let store = store_at(&db).await;
    let first =
        anonymous::create(&store, None, &from_studio(), invoice_for("Acme Corp", "ap@acme.test")).await.unwrap();
    assert_eq!(first.invoice.id, "ACME-0001");
    assert_eq!(first.invoice.status, Status::Sent, "issued at once: its link is what its maker hands over");
    assert_eq!(first.invoice.total_cents, 250_000);
    assert!(first.secret.0.len() >= 43, "at least 256 bits, base64url");
    assert_eq!(first.expires_at, store.now() + Duration::days(30));
    let again =
        anonymous::create(&store, Some(&first.secret.0), &from_studio(), invoice_for("ACME corp", "ap@acme.test"))
            .await
            .unwrap();
    assert_eq!((again.invoice.id.as_str(), again.secret.0.as_str()), ("ACME-0002", first.secret.0.as_str()));
    let stranger = anonymous::create(&store, Some("made-up"), &from_studio(), invoice_for("Acme Corp", "ap@acme.test"))
        .await
        .unwrap();
    assert_ne!(stranger.secret.0, first.secret.0, "an unknown cookie starts a new session");
    assert_eq!(stranger.invoice.id, "ACME-0001", "its own numbering");

    let browser = anonymous::browser(&store, &first.secret.0).await.unwrap().expect("live");
    assert!(browser.sender.anonymous);
    assert_eq!(browser.sender.email.as_deref(), Some("hello@pixel.test"));
    assert_eq!(browser.sender.iban.as_deref(), Some("DE89370400440532013000"));
    let card = data::senders::card(&browser.sender);
    assert_eq!((card.company.as_str(), card.email.as_deref()), ("Pixel & Co", Some("hello@pixel.test")));
    assert!(data::testkit::text_columns_containing(&store, &first.secret.0).await.is_empty(), "stored hashed");
    let (mine, _) = anonymous::invoice(&store, &first.secret.0, "acme-0002").await.unwrap();
    assert_eq!(mine.id, "ACME-0002");
    let theirs = anonymous::invoice(&store, &stranger.secret.0, "ACME-0002").await.unwrap_err();
    assert!(matches!(theirs, Error::NotFound { .. }), "another browser's invoice is not found");

    // The recipient acts as on any invoice; its maker proved no address, so nobody is mailed.
    let token = first.invoice.share_token.clone();
    let visitor = Visitor { ip: Some("203.0.113.5".into()), user_agent: None, sender_id: None };
    shared::view(&store, &token, &visitor).await.unwrap();
    let approved = shared::approve(&store, &token, "Ada Client", None, &visitor).await.unwrap();
    assert_eq!(approved.invoice.status, Status::Approved);
    let forward = shared::forward(&store, &token, "boss@acme.test", "", &visitor).await.unwrap_err();
    assert!(matches!(&forward, Error::Conflict { .. }) && forward.field() == Some("email"), "{forward:?}");
    assert_eq!(mail_jobs(&store).await, 0, "no mail for an anonymous invoice");

    let bad = anonymous::create(&store, None, &SenderDetails::default(), invoice_for("Acme", "ap@acme.test"))
        .await
        .unwrap_err();
    assert_eq!(bad.field(), Some("sender.company"));
    let sessions = anonymous_session::Entity::find().count(&store.db).await.unwrap();
    assert_eq!(sessions, 2, "a refused invoice leaves nothing behind");
}
on_both_databases!(a_browser_keeps_one_session_and_we_send_no_mail_for_it);

async fn signing_in_claims_the_browsers_invoices_once(db: TestDb) {
    let store = store_at(&db).await;
    // The account already invoices Acme (by company) and has another customer whose code is GLOBEX.
    let account = senders::ensure(&store.db, store.now(), "me@pixel.test", Some("Pixel Studio")).await.unwrap();
    for _ in 0..2 {
        invoices::create(&store, &account, invoice_for("ACME Corp", "billing@acme.test"), Actor::Api).await.unwrap();
    }
    let globex =
        customers::create(&store, account.id, serde_json::from_str(r#"{"company":"Globex Partners"}"#).unwrap())
            .await
            .unwrap();
    assert_eq!(globex.code, "GLOBEX");

    let made = anonymous::create(&store, None, &from_studio(), invoice_for("Acme Corp", "ap@acme.test")).await.unwrap();
    let secret = made.secret.0.clone();
    let globex_inc = |n: &str| invoice_for("Globex Inc", &format!("{n}@globex.test"));
    anonymous::create(&store, Some(&secret), &from_studio(), globex_inc("ap")).await.unwrap();
    anonymous::create(&store, Some(&secret), &from_studio(), globex_inc("ap")).await.unwrap();
    anonymous::create(&store, Some(&secret), &from_studio(), invoice_for("Initech", "it@initech.test")).await.unwrap();

    let claim = anonymous::claim(&store, &secret, &account).await.unwrap();
    let numbers = |now: &str, was: &str| ClaimedInvoice { number: now.into(), previous_number: was.into() };
    assert_eq!(
        claim,
        Claim::Claimed(vec![
            numbers("ACME-0003", "ACME-0001"),
            numbers("GLOBEX2-0001", "GLOBEX-0001"),
            numbers("GLOBEX2-0002", "GLOBEX-0002"),
            numbers("INITECH-0001", "INITECH-0001"),
        ]),
        "Acme joins the existing customer (next in its sequence); Globex Inc is new but GLOBEX is taken; \
         Initech keeps its number"
    );
    assert!(claim.notice().unwrap().contains("ACME-0003 (was ACME-0001)"));

    // The link is unchanged and shows the new number; the invoice is the account's, with its history.
    let via_link = shared::get(&store, &made.invoice.share_token).await.unwrap();
    assert_eq!((via_link.invoice.id.as_str(), via_link.sender.id), ("ACME-0003", account.id));
    let timeline: Vec<(String, String)> = invoices::timeline(&store, account.id, "ACME-0003")
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.event_type, e.actor))
        .collect();
    let expected = [("invoice.created", "anonymous"), ("invoice.sent", "anonymous"), ("invoice.claimed", "sender")];
    assert_eq!(timeline, expected.map(|(t, a)| (t.to_string(), a.to_string())));
    let page = invoices::list(&store, account.id, &Default::default(), first_page()).await.unwrap();
    assert_eq!(page.data.len(), 6);
    let acme_customers = customers::list(&store, account.id, first_page())
        .await
        .unwrap()
        .data
        .into_iter()
        .filter(|c| c.code.starts_with("ACME"));
    assert_eq!(acme_customers.count(), 1, "matched, not duplicated");

    // Empty profile fields are filled from the anonymous "From"; the account's own stay.
    let account = senders::get(&store.db, account.id).await.unwrap();
    assert_eq!(account.company.as_deref(), Some("Pixel Studio"));
    assert_eq!((account.iban.as_deref(), account.city.as_deref()), (Some("DE89370400440532013000"), Some("Berlin")));
    assert_eq!(account.email.as_deref(), Some("me@pixel.test"));

    // Once: again by the same account, or by another, nothing moves and it says so.
    assert_eq!(anonymous::claim(&store, &secret, &account).await.unwrap(), Claim::AlreadyClaimed { by_you: true });
    let other = senders::ensure(&store.db, store.now(), "other@x.test", Some("Other")).await.unwrap();
    assert_eq!(anonymous::claim(&store, &secret, &other).await.unwrap(), Claim::AlreadyClaimed { by_you: false });
    assert_eq!(anonymous::claim(&store, "never-issued", &other).await.unwrap(), Claim::Nothing);
    assert!(anonymous::browser(&store, &secret).await.unwrap().is_none(), "a claimed session makes no more invoices");
    let fresh =
        anonymous::create(&store, Some(&secret), &from_studio(), invoice_for("Acme", "a@acme.test")).await.unwrap();
    assert_ne!(fresh.secret.0, secret);

    // The next invoice the account makes for Acme follows the claimed one: gapless.
    let next = invoices::create(&store, &account, invoice_for("Acme Corp", "x@acme.test"), Actor::Api).await.unwrap();
    assert_eq!(next.id, "ACME-0004");
}
on_both_databases!(signing_in_claims_the_browsers_invoices_once);

async fn expire_due(store: &Store) -> usize {
    let due = jobs::claim(store, KIND_ANONYMOUS_EXPIRY, 10, Duration::seconds(60)).await.unwrap();
    for job in &due {
        assert!(anonymous::expire(store, job).await.unwrap());
    }
    due.len()
}

async fn unclaimed_invoices_are_deleted_thirty_days_after_the_latest(db: TestDb) {
    let store = store_at(&db).await;
    let made = anonymous::create(&store, None, &from_studio(), invoice_for("Acme Corp", "ap@acme.test")).await.unwrap();
    let kept = anonymous::create(&store, None, &from_studio(), invoice_for("Keep Ltd", "k@keep.test")).await.unwrap();
    let account = senders::ensure(&store.db, store.now(), "me@pixel.test", None).await.unwrap();
    anonymous::claim(&store, &kept.secret.0, &account).await.unwrap();
    assert_eq!(expire_due(&store).await, 0, "nothing is due yet");

    // A new invoice on day 29 extends the session to day 59.
    store.clock().advance(Duration::days(29));
    anonymous::create(&store, Some(&made.secret.0), &from_studio(), invoice_for("Acme Corp", "ap@acme.test"))
        .await
        .unwrap();
    store.clock().advance(Duration::days(2));
    assert_eq!(expire_due(&store).await, 1, "the claimed session's job runs on day 30");
    assert!(shared::get(&store, &kept.invoice.share_token).await.is_ok(), "claimed invoices stay");
    assert!(shared::get(&store, &made.invoice.share_token).await.is_ok(), "extended: not yet");

    store.clock().advance(Duration::days(28));
    assert_eq!(expire_due(&store).await, 1);
    assert!(matches!(shared::get(&store, &made.invoice.share_token).await, Err(Error::NotFound { .. })));
    let anonymous_senders = sender::Entity::find().filter(sender::Column::Anonymous.eq(true)).count(&store.db).await;
    assert_eq!(anonymous_senders.unwrap(), 0, "both anonymous senders are gone");
    assert_eq!(invoice::Entity::find().count(&store.db).await.unwrap(), 1, "only the claimed invoice is left");
    assert_eq!(anonymous_session::Entity::find().count(&store.db).await.unwrap(), 0);
    assert_eq!(expire_due(&store).await, 0);
}
on_both_databases!(unclaimed_invoices_are_deleted_thirty_days_after_the_latest);

async fn an_account_email_stays_unique_while_anonymous_ones_repeat(db: TestDb) {
    let store = store_at(&db).await;
    let account = senders::ensure(&store.db, store.now(), "hello@pixel.test", None).await.unwrap();
    // Two browsers type the account's own address as their "From": no clash, no sign-in as them.
    anonymous::create(&store, None, &from_studio(), invoice_for("Acme", "a@acme.test")).await.unwrap();
    anonymous::create(&store, None, &from_studio(), invoice_for("Acme", "a@acme.test")).await.unwrap();
    let found = senders::find_by_email(&store.db, "HELLO@pixel.test").await.unwrap().expect("the account");
    assert_eq!(found.id, account.id);
    assert_eq!(senders::ensure(&store.db, store.now(), "hello@pixel.test", None).await.unwrap().id, account.id);
}
on_both_databases!(an_account_email_stays_unique_while_anonymous_ones_repeat);

fn first_page() -> data::cursor::PageRequest {
    data::cursor::PageRequest::parse(Some(100), None).unwrap()
}

/// A card payment and its Checkout session `session` on `invoice_id`, kept under
/// `sender_id` as claims before m0014 left them (under the anonymous sender).
async fn paid_by_card_under(store: &Store, invoice_id: i64, sender_id: i64, session: &str) {
    use data::entities::{checkout_session, payment};
    use sea_orm::{ActiveModelTrait, Set};
    let now = store.now();
    payment::ActiveModel {
        invoice_id: Set(invoice_id),
        sender_id: Set(sender_id),
        amount_cents: Set(1_000),
        currency: Set("USD".into()),
        method: Set("card".into()),
        paid_on: Set(now.date_naive()),
        recorded_by: Set("recipient".into()),
        stripe_checkout_session_id: Set(Some(session.into())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&store.db)
    .await
    .unwrap();
    checkout_session::ActiveModel {
        invoice_id: Set(invoice_id),
        sender_id: Set(sender_id),
        stripe_session_id: Set(session.into()),
        url: Set(format!("https://checkout.stripe.com/c/pay/{session}")),
        amount_cents: Set(1_000),
        currency: Set("USD".into()),
        status: Set("complete".into()),
        stripe_account: Set("deployment".into()),
        expires_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&store.db)
    .await
    .unwrap();
}

/// (payments, checkout sessions) kept under `sender_id`.
async fn kept_under(store: &Store, sender_id: i64) -> (u64, u64) {
    use data::entities::{checkout_session, payment};
    let payments = payment::Entity::find().filter(payment::Column::SenderId.eq(sender_id)).count(&store.db).await;
    let sessions = checkout_session::Entity::find()
        .filter(checkout_session::Column::SenderId.eq(sender_id))
        .count(&store.db)
        .await;
    (payments.unwrap(), sessions.unwrap())
}

/// An invoice made without an account and claimed by `account`: (its id, its anonymous sender).
async fn claimed_by(store: &Store, account: &senders::Sender, customer: &str) -> (i64, i64) {
    let made = anonymous::create(store, None, &from_studio(), invoice_for(customer, "ap@x.test")).await.unwrap();
    let session = anonymous_session::Entity::find()
        .filter(anonymous_session::Column::SecretHash.eq(data::secrets::sha256_hex(&made.secret.0)))
        .one(&store.db)
        .await
        .unwrap()
        .expect("the session");
    anonymous::claim(store, &made.secret.0, account).await.unwrap();
    let row = invoice::Entity::find()
        .filter(invoice::Column::SenderId.eq(account.id))
        .filter(invoice::Column::ShareTokenHash.eq(data::secrets::sha256_hex(&made.invoice.share_token)))
        .one(&store.db)
        .await
        .unwrap()
        .expect("the claimed invoice");
    (row.id, session.sender_id)
}

async fn rows_an_earlier_claim_left_behind_are_repaired_and_never_expired(db: TestDb) {
    let store = store_at(&db).await;
    let account = senders::ensure(&store.db, store.now(), "me@pixel.test", None).await.unwrap();
    let (invoice_id, anonymous_id) = claimed_by(&store, &account, "Acme").await;
    paid_by_card_under(&store, invoice_id, anonymous_id, "cs_test_before_fix").await;
    assert_eq!(kept_under(&store, anonymous_id).await, (1, 1), "left behind, as before the fix");

    // The repair migration hands them to the invoice's owner.
    use migrations::MigratorTrait;
    let since_m0014 = migrations::Migrator::migrations().len() as u32 - 13;
    migrations::Migrator::down(&store.db, Some(since_m0014)).await.unwrap();
    migrations::Migrator::up(&store.db, None).await.unwrap();
    assert_eq!(kept_under(&store, anonymous_id).await, (0, 0));
    assert_eq!(kept_under(&store, account.id).await, (1, 1));

    // Where no repair ran, the anonymous sender's expiry moves them before it deletes.
    let (invoice_id, anonymous_id) = claimed_by(&store, &account, "Globex").await;
    paid_by_card_under(&store, invoice_id, anonymous_id, "cs_test_unrepaired").await;
    store.clock().advance(Duration::days(31));
    assert_eq!(expire_due(&store).await, 2);
    assert_eq!(kept_under(&store, account.id).await, (2, 2), "both invoices' payments and sessions are kept");
    assert_eq!(sender::Entity::find().filter(sender::Column::Anonymous.eq(true)).count(&store.db).await.unwrap(), 0);
}
on_both_databases!(rows_an_earlier_claim_left_behind_are_repaired_and_never_expired);

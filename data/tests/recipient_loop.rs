//! The share link's loop: view → request changes → updated (with what changed) → approve →
//! locked; forwarding with its daily limit; the mails each step queues. SQLite and PostgreSQL.

use data::events::Actor;
use data::mail::Envelope;
use data::shared::{self, FORWARDS_PER_DAY, Visitor};
use data::testkit::TestDb;
use data::{Error, Store, events, invoices, on_both_databases, senders};
use domain::Status;
use domain::dto::InvoiceInput;

fn json<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("test JSON")
}

fn client() -> Visitor {
    Visitor { ip: Some("203.0.113.7".into()), user_agent: Some("Mail client".into()), sender_id: None }
}

/// Mails queued so far: (template, first recipient).
async fn mails(store: &Store) -> Vec<(String, String)> {
    data::jobs::pending(&store.db, data::jobs::KIND_MAIL)
        .await
        .unwrap()
        .iter()
        .map(|j| data::mail::of(store, j).unwrap())
        .map(|m: Envelope| (m.mail.template().to_string(), m.to[0].clone()))
        .collect()
}

async fn sent_invoice(store: &Store, po_required: bool) -> (senders::Sender, String, String) {
    let sender = senders::ensure(&store.db, store.now(), "me@studio.test", Some("Studio Nova")).await.unwrap();
    let customer = data::customers::create(
        store,
        sender.id,
        json(serde_json::json!({"company": "Acme", "contact": {"email": "ap@acme.test"}, "po_required": po_required})),
    )
    .await
    .unwrap();
    let input: InvoiceInput = json(serde_json::json!({
        "customer_id": customer.id, "due_date": "2026-12-31",
        "line_items": [{"description": "Design", "unit_price_cents": 300000}, {"description": "Hosting", "unit_price_cents": 1000}]
    }));
    let inv = invoices::create(store, &sender, input, Actor::Sender).await.unwrap();
    let inv = invoices::send(store, &sender, &inv.id, Actor::Sender).await.unwrap();
    (sender, inv.id, inv.share_token)
}

async fn the_change_and_approval_loop(db: TestDb) {
    let store = db.store().await;
    let (sender, number, token) = sent_invoice(&store, false).await;

    // The sender looking at their own link does not count as a view.
    let own = Visitor { sender_id: Some(sender.id), ..Visitor::default() };
    assert_eq!(shared::view(&store, &token, &own).await.unwrap().invoice.status, Status::Sent);
    let seen = shared::view(&store, &token, &client()).await.unwrap();
    assert_eq!(seen.invoice.status, Status::Viewed);
    assert!(seen.changes.is_none());
    shared::view(&store, &token, &client()).await.unwrap();

    let empty = shared::request_changes(&store, &token, "  ", &client()).await.unwrap_err();
    assert_eq!(empty.field(), Some("message"));
    let asked = shared::request_changes(&store, &token, "Please split the design line into two phases", &client())
        .await
        .unwrap();
    assert_eq!(asked.invoice.status, Status::ChangeRequested);

    // The sender edits: the invoice becomes "updated" and the recipient is told.
    let patch: InvoiceInput = json(serde_json::json!({"line_items": [
        {"description": "Design, phase 1", "unit_price_cents": 150000},
        {"description": "Design, phase 2", "unit_price_cents": 160000},
        {"description": "Hosting", "unit_price_cents": 1000}
    ]}));
    let updated = invoices::update(&store, sender.id, &number, patch, Actor::Sender).await.unwrap();
    assert_eq!(updated.status, Status::Updated);

    // The recipient sees exactly what changed since the version they saw.
    let again = shared::view(&store, &token, &client()).await.unwrap();
    let changes = again.changes.expect("a diff");
    assert_eq!(changes.removed.iter().map(|l| l.description.as_str()).collect::<Vec<_>>(), ["Design"]);
    assert_eq!(changes.added.len(), 2);
    assert_eq!((changes.total_before, changes.total_after), (301_000, 311_000));
    assert_eq!(again.invoice.status, Status::Updated, "a later view keeps the state");
    assert!(shared::view(&store, &token, &client()).await.unwrap().changes.is_some(), "a reload still shows it");

    let nameless = shared::approve(&store, &token, "", None, &client()).await.unwrap_err();
    assert_eq!(nameless.field(), Some("name"));
    let approved = shared::approve(&store, &token, "Wile E. Coyote", None, &client()).await.unwrap();
    assert_eq!(approved.invoice.status, Status::Approved);
    assert_eq!(approved.approved_by.as_deref(), Some("Wile E. Coyote"));
    assert!(approved.approved_at.is_some());

    // Approved is locked, for the sender and the recipient alike.
    let late: InvoiceInput = json(serde_json::json!({"po_number": "X"}));
    assert!(matches!(
        invoices::update(&store, sender.id, &number, late, Actor::Sender).await,
        Err(Error::Conflict { .. })
    ));
    assert!(matches!(shared::request_changes(&store, &token, "more", &client()).await, Err(Error::Conflict { .. })));

    let paid: InvoiceInput = json(serde_json::json!({"status": "paid"}));
    invoices::update(&store, sender.id, &number, paid, Actor::Sender).await.unwrap();

    let types: Vec<String> =
        invoices::timeline(&store, sender.id, &number).await.unwrap().into_iter().map(|e| e.event_type).collect();
    assert_eq!(
        types,
        [
            events::CREATED,
            events::SENT,
            events::VIEWED,
            events::CHANGE_REQUESTED,
            events::EDITED,
            events::APPROVED,
            events::PAID
        ]
    );
    let events = invoices::timeline(&store, sender.id, &number).await.unwrap();
    assert_eq!(events[2].actor, "recipient");
    assert!(events[3].data.contains("two phases"));
    assert!(events[5].data.contains("203.0.113.7"), "the approver's IP is recorded");

    assert_eq!(
        mails(&store).await,
        [
            ("invoice_sent".to_string(), "ap@acme.test".to_string()),
            ("change_requested".into(), "me@studio.test".into()),
            ("invoice_updated".into(), "ap@acme.test".into()),
            ("approved".into(), "me@studio.test".into()),
            ("payment_receipt".into(), "ap@acme.test".into()),
        ]
    );
}
on_both_databases!(the_change_and_approval_loop);

async fn a_po_number_is_required_when_the_customer_says_so(db: TestDb) {
    let store = db.store().await;
    let (_, _, token) = sent_invoice(&store, true).await;
    let refused = shared::approve(&store, &token, "Ann", None, &client()).await.unwrap_err();
    assert_eq!(refused.field(), Some("po_number"));
    assert_eq!(shared::get(&store, &token).await.unwrap().invoice.status, Status::Sent);
    let ok = shared::approve(&store, &token, "Ann", Some("PO-77"), &client()).await.unwrap();
    assert_eq!((ok.invoice.status, ok.invoice.po_number.as_deref()), (Status::Approved, Some("PO-77")));
}
on_both_databases!(a_po_number_is_required_when_the_customer_says_so);

async fn forwards_are_mailed_and_limited(db: TestDb) {
    // The limit counts in fixed days of the store's clock, which stands still here.
    let store = db.store().await.with_clock(data::clock::Clock::stopped(chrono::Utc::now()));
    let (_, _, token) = sent_invoice(&store, false).await;
    assert_eq!(shared::forward(&store, &token, "nope", "", &client()).await.unwrap_err().field(), Some("email"));
    for _ in 0..FORWARDS_PER_DAY {
        shared::forward(&store, &token, "payables@acme.test", "For payment", &client()).await.unwrap();
    }
    let limited = shared::forward(&store, &token, "payables@acme.test", "", &client()).await.unwrap_err();
    let Error::RateLimited { standing: Some(standing), .. } = &limited else { panic!("{limited:?}") };
    assert!(standing.policy == r#""day";q=10;w=86400"# && standing.current.starts_with(r#""day";r=0;"#));
    let forwarded: Vec<_> = mails(&store).await.into_iter().filter(|(t, _)| t == "invoice_forwarded").collect();
    assert_eq!(forwarded.len(), FORWARDS_PER_DAY as usize);
    assert_eq!(forwarded[0].1, "payables@acme.test");
}
on_both_databases!(forwards_are_mailed_and_limited);

async fn unknown_tokens_find_nothing(db: TestDb) {
    let store = db.store().await;
    let (_, _, token) = sent_invoice(&store, false).await;
    for bad in ["", "short", "AAAAAAAAAAAAAAAAAAAAAA", "../../etc/passwd-aaaaaaaaaaa", &format!("{token}x")] {
        assert!(matches!(shared::view(&store, bad, &client()).await, Err(Error::NotFound { .. })), "{bad}");
    }
}
on_both_databases!(unknown_tokens_find_nothing);

async fn a_view_of_a_deleted_invoice_does_not_hold_up_the_others(db: TestDb) {
    use data::entities::{invoice, invoice_view};
    use sea_orm::{EntityTrait, PaginatorTrait};
    let store = db.store().await;
    let (_, _, kept) = sent_invoice(&store, false).await;
    let (_, _, gone) = sent_invoice(&store, false).await;
    // First views are written at once; the second of each waits for the batch.
    for token in [&kept, &gone, &kept, &gone] {
        shared::view(&store, token, &client()).await.unwrap();
    }
    use sea_orm::{ColumnTrait, QueryFilter};
    let gone_row = invoice::Entity::find()
        .filter(invoice::Column::ShareTokenHash.eq(data::secrets::sha256_hex(&gone)))
        .one(&store.db)
        .await
        .unwrap()
        .unwrap();
    invoice::Entity::delete_by_id(gone_row.id).exec(&store.db).await.unwrap();
    let before = invoice_view::Entity::find().count(&store.db).await.unwrap();
    assert_eq!(shared::record_pending_views(&store).await.unwrap(), 1, "the kept invoice's view is written");
    assert_eq!(invoice_view::Entity::find().count(&store.db).await.unwrap(), before + 1);
    assert_eq!(shared::record_pending_views(&store).await.unwrap(), 0, "nothing left pending, nothing retried");
}
on_both_databases!(a_view_of_a_deleted_invoice_does_not_hold_up_the_others);

async fn every_timestamp_comes_from_the_stores_clock(db: TestDb) {
    use chrono::TimeZone;
    // Before the test invoice's due date (2026-12-31), so the issue date defaults to today.
    let at = chrono::Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap();
    let store = db.store().await.with_clock(data::clock::Clock::stopped(at));
    let (sender, number, token) = sent_invoice(&store, false).await;
    assert_eq!(sender.created_at, at, "the sender");
    shared::view(&store, &token, &client()).await.unwrap();
    shared::approve(&store, &token, "Ann Buyer", None, &client()).await.unwrap();
    let invoice = invoices::get(&store, sender.id, &number).await.unwrap();
    assert_eq!(invoice.issue_date, at.date_naive(), "the issue date's default");
    assert_eq!((invoice.created_at, invoice.updated_at, invoice.sent_at), (at, at, Some(at)));
    let row = shared::get(&store, &token).await.unwrap();
    assert_eq!(row.approved_at, Some(at), "approved");
    let events = invoices::timeline(&store, sender.id, &number).await.unwrap();
    assert!(events.len() >= 4 && events.iter().all(|e| e.created_at == at), "{events:?}");
    let customer = data::customers::list(&store, sender.id, data::cursor::PageRequest::parse(None, None).unwrap());
    assert!(customer.await.unwrap().data.iter().all(|c| c.created_at == at), "customers");
    let (_, session) = data::sessions::start(&store.db, store.now(), sender.id).await.unwrap();
    assert_eq!(session.created_at, at, "sessions");
    let key = data::api_keys::create(&store, sender.id, "k", domain::KeyScope::Full).await.unwrap();
    assert_eq!(key.key.created_at, at, "API keys");
}
on_both_databases!(every_timestamp_comes_from_the_stores_clock);

//! Service tests, each run on SQLite and on PostgreSQL.

use data::cursor::PageRequest;
use data::entities::invoice;
use data::events::Actor;
use data::testkit::TestDb;
use data::{Error, Store, api_keys, customers, events, invoices, on_both_databases, senders};
use domain::Status;
use domain::dto::{CustomerInput, InvoiceInput};
use sea_orm::EntityTrait;

fn json<T: serde::de::DeserializeOwned>(text: &str) -> T {
    serde_json::from_str(text).expect("test JSON")
}

fn acme_invoice() -> InvoiceInput {
    json(
        r#"{"due_date":"2026-06-01","recipient":{"company":"Acme Corp","email":"ap@acme.com"},
            "line_items":[{"description":"Design","quantity":1.5,"unit_price_cents":10000},
                          {"description":"Build","quantity":2,"unit_price_cents":2500,"discount":{"type":"percent","value":10}}],
            "discount":{"type":"flat","value_cents":500},"tax":{"label":"VAT","rate":20}}"#,
    )
}

async fn studio(store: &Store, email: &str) -> senders::Sender {
    senders::ensure(&store.db, store.now(), email, Some("My Studio")).await.unwrap()
}

async fn customers_get_unique_codes_and_stay_private(db: TestDb) {
    let store = db.store().await;
    let me = studio(&store, "me@x.test").await;
    let other = studio(&store, "other@x.test").await;
    let first = customers::create(&store, me.id, json(r#"{"company":"Acme Corp"}"#)).await.unwrap();
    let second = customers::create(&store, me.id, json(r#"{"company":"ACME Industries"}"#)).await.unwrap();
    let theirs = customers::create(&store, other.id, json(r#"{"company":"Acme"}"#)).await.unwrap();
    assert_eq!((first.code.as_str(), second.code.as_str(), theirs.code.as_str()), ("ACME", "ACME2", "ACME"));

    let missing = customers::create(&store, me.id, CustomerInput::default()).await.unwrap_err();
    assert!(matches!(missing, Error::Invalid { .. }) && missing.field() == Some("company"));
    assert!(matches!(customers::get(&store, other.id, first.id).await, Err(Error::NotFound { .. })));

    let page = customers::list(&store, me.id, PageRequest::parse(Some(1), None).unwrap()).await.unwrap();
    assert_eq!(page.data[0].id, second.id);
    let cursor = page.next_cursor.expect("a second page");
    let page = customers::list(&store, me.id, PageRequest::parse(Some(1), Some(&cursor)).unwrap()).await.unwrap();
    assert_eq!(page.data[0].id, first.id);
    assert_eq!(page.next_cursor, None);
}
on_both_databases!(customers_get_unique_codes_and_stay_private);

async fn customer_updates_keep_the_code(db: TestDb) {
    let store = db.store().await;
    let me = studio(&store, "me@x.test").await;
    let other = studio(&store, "other@x.test").await;
    let c = customers::create(&store, me.id, json(r#"{"company":"Acme Corp"}"#)).await.unwrap();
    let renamed =
        customers::update(&store, me.id, c.id, json(r#"{"company":"Globex","po_required":true}"#)).await.unwrap();
    assert_eq!((renamed.code.as_str(), renamed.company.as_str(), renamed.po_required), ("ACME", "Globex", true));
    let bad = customers::update(&store, me.id, c.id, json(r#"{"company":" "}"#)).await.unwrap_err();
    assert_eq!(bad.field(), Some("company"));
    let theirs = customers::update(&store, other.id, c.id, json(r#"{"company":"Hijack"}"#)).await;
    assert!(matches!(theirs, Err(Error::NotFound { .. })));
    assert_eq!(customers::get(&store, me.id, c.id).await.unwrap().company, "Globex");
    // A renamed customer is found by its new name when invoicing.
    let mut inv = acme_invoice();
    inv.recipient.as_mut().unwrap().company = Some("GLOBEX".into());
    assert_eq!(invoices::create(&store, &me, inv, Actor::Api).await.unwrap().id, "ACME-0001");
}
on_both_databases!(customer_updates_keep_the_code);

async fn invoices_are_numbered_per_customer_with_stored_totals(db: TestDb) {
    let store = db.store().await;
    let me = studio(&store, "me@x.test").await;
    let a = invoices::create(&store, &me, acme_invoice(), Actor::Api).await.unwrap();
    // 1.5 × 100.00 = 150.00; 2 × 25.00 = 50.00 − 10% = 45.00; subtotal 195.00; −5.00 = 190.00; VAT 38.00
    assert_eq!((a.id.as_str(), a.status), ("ACME-0001", Status::Draft));
    assert_eq!(a.line_items[1].line_total_cents, 4_500);
    assert_eq!((a.subtotal_cents, a.discount_cents), (19_500, 500));
    assert_eq!(a.tax.as_ref().unwrap().amount_cents, 3_800);
    assert_eq!(a.total_cents, 22_800);
    assert!(a.share_url.ends_with(&format!("/i/{}", a.share_token)));

    // The same company (any case) is the same customer; a new one gets its own sequence.
    let mut again = acme_invoice();
    again.recipient.as_mut().unwrap().company = Some("acme corp".into());
    let b = invoices::create(&store, &me, again, Actor::Api).await.unwrap();
    assert_eq!((b.id.as_str(), b.customer_id), ("ACME-0002", a.customer_id));
    let globex: InvoiceInput = json(
        r#"{"due_date":"2026-06-01","recipient":{"email":"billing@globex.io"},"line_items":[{"description":"x","unit_price_cents":1}]}"#,
    );
    assert_eq!(invoices::create(&store, &me, globex, Actor::Api).await.unwrap().id, "GLOBEX-0001");

    // The token is stored only hashed and sealed, never as given.
    let row = invoice::Entity::find().one(&store.db).await.unwrap().unwrap();
    assert_ne!(row.share_token_hash, a.share_token);
    assert!(!row.share_token_sealed.contains(&a.share_token));

    let created = events::for_invoice(&store.db, row.id).await.unwrap();
    assert_eq!(created.iter().map(|e| e.event_type.as_str()).collect::<Vec<_>>(), vec![events::CREATED]);
    assert_eq!(created[0].actor, "api");
}
on_both_databases!(invoices_are_numbered_per_customer_with_stored_totals);

async fn an_incomplete_profile_cannot_invoice(db: TestDb) {
    let store = db.store().await;
    let bare = senders::ensure(&store.db, store.now(), "bare@x.test", None).await.unwrap();
    let err = invoices::create(&store, &bare, acme_invoice(), Actor::Api).await.unwrap_err();
    assert!(matches!(err, Error::ProfileIncomplete { .. }), "{err:?}");
    let page =
        invoices::list(&store, bare.id, &Default::default(), PageRequest::parse(None, None).unwrap()).await.unwrap();
    assert!(page.data.is_empty());
}
on_both_databases!(an_incomplete_profile_cannot_invoice);

async fn patches_follow_the_state_machine(db: TestDb) {
    let store = db.store().await;
    let me = studio(&store, "me@x.test").await;
    let inv = invoices::create(&store, &me, acme_invoice(), Actor::Api).await.unwrap();
    let patch = |text: &str| json::<InvoiceInput>(text);

    let edited = invoices::update(&store, me.id, &inv.id, patch(r#"{"tax":null,"po_number":"PO-7"}"#), Actor::Api)
        .await
        .unwrap();
    assert_eq!((edited.status, edited.total_cents, edited.po_number.as_deref()), (Status::Draft, 19_000, Some("PO-7")));

    let sent = invoices::update(&store, me.id, "acme-0001", patch(r#"{"status":"sent"}"#), Actor::Api).await.unwrap();
    assert_eq!(sent.status, Status::Sent);
    assert!(sent.sent_at.is_some());

    // A content change after sending makes it "updated".
    let updated =
        invoices::update(&store, me.id, &inv.id, patch(r#"{"footer_note":"Thanks!"}"#), Actor::Api).await.unwrap();
    assert_eq!(updated.status, Status::Updated);

    // Only sent / paid / cancelled may be set by a sender.
    let refused = invoices::update(&store, me.id, &inv.id, patch(r#"{"status":"approved"}"#), Actor::Api).await;
    assert!(matches!(refused, Err(Error::Conflict { .. })));

    let paid = invoices::update(&store, me.id, &inv.id, patch(r#"{"status":"paid"}"#), Actor::Api).await.unwrap();
    assert_eq!(paid.status, Status::Paid);
    assert!(paid.paid_at.is_some());

    // Paid is locked: content changes are refused and nothing changes…
    let locked = invoices::update(&store, me.id, &inv.id, patch(r#"{"po_number":"PO-8"}"#), Actor::Api).await;
    assert!(matches!(locked, Err(Error::Conflict { .. })));
    let cancel = invoices::update(&store, me.id, &inv.id, patch(r#"{"status":"cancelled"}"#), Actor::Api).await;
    assert!(matches!(cancel, Err(Error::Conflict { .. })));
    let now = invoices::get(&store, me.id, &inv.id).await.unwrap();
    assert_eq!((now.status, now.po_number.as_deref()), (Status::Paid, Some("PO-7")));

    // …but echoing back the unchanged invoice is not a change.
    let echo = serde_json::to_string(&now).unwrap();
    assert!(invoices::update(&store, me.id, &inv.id, patch(&echo), Actor::Api).await.is_ok());

    let row = invoice::Entity::find().one(&store.db).await.unwrap().unwrap();
    let types: Vec<String> =
        events::for_invoice(&store.db, row.id).await.unwrap().into_iter().map(|e| e.event_type).collect();
    assert_eq!(types, vec![events::CREATED, events::EDITED, events::SENT, events::EDITED, events::PAID]);

    // Another sender sees nothing.
    let other = studio(&store, "other@x.test").await;
    assert!(matches!(invoices::get(&store, other.id, &inv.id).await, Err(Error::NotFound { .. })));
    let stolen = invoices::update(&store, other.id, &inv.id, patch(r#"{"status":"cancelled"}"#), Actor::Api).await;
    assert!(matches!(stolen, Err(Error::NotFound { .. })));
}
on_both_databases!(patches_follow_the_state_machine);

async fn api_keys_authenticate_until_revoked(db: TestDb) {
    let store = db.store().await;
    let me = studio(&store, "me@x.test").await;
    let minted = api_keys::create(&store, me.id, "laptop", domain::KeyScope::Full).await.unwrap();
    assert!(!format!("{minted:?}").contains(&minted.secret));
    assert_ne!(minted.key.key_hash, minted.secret);
    let who = api_keys::authenticate(&store, &minted.secret).await.unwrap().expect("valid key");
    assert_eq!((who.sender.id, who.scope), (me.id, domain::KeyScope::Full));
    assert!(api_keys::list(&store.db, me.id).await.unwrap()[0].last_used_at.is_some());

    let other = studio(&store, "other@x.test").await;
    assert!(matches!(api_keys::revoke(&store, other.id, minted.key.id).await, Err(Error::NotFound { .. })));
    api_keys::revoke(&store, me.id, minted.key.id).await.unwrap();
    assert!(api_keys::authenticate(&store, &minted.secret).await.unwrap().is_none());
}
on_both_databases!(api_keys_authenticate_until_revoked);

//! Migrations that rebuild a table keep what it held: m0011 (anonymous senders) rebuilds
//! `senders` on SQLite; a sender's rows and everything that refers to it survive, and foreign
//! keys still hold afterwards — on SQLite and PostgreSQL.

use data::testkit::TestDb;
use data::{customers, on_both_databases, senders};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database};

async fn senders_survive_the_anonymous_migration(db: TestDb) {
    let conn = Database::connect(&db.url).await.unwrap();
    Migrator::up(&conn, Some(10)).await.unwrap();
    conn.execute_unprepared(
        "INSERT INTO senders (email, company, iban, default_currency, payment_terms_days, created_at, updated_at) \
         VALUES ('old@studio.test', 'Old Studio', 'DE89370400440532013000', 'EUR', 14, '2030-01-01 00:00:00+00:00', '2030-01-01 00:00:00+00:00')",
    )
    .await
    .unwrap();
    conn.close().await.unwrap();

    let store = db.store().await;
    let old = senders::find_by_email(&store.db, "old@studio.test").await.unwrap().expect("kept");
    assert_eq!(
        (old.company.as_deref(), old.default_currency.as_str(), old.anonymous),
        (Some("Old Studio"), "EUR", false)
    );
    assert_eq!(old.iban.as_deref(), Some("DE89370400440532013000"));
    let customer = customers::create(&store, old.id, serde_json::from_str(r#"{"company":"Acme"}"#).unwrap()).await;
    assert!(customer.is_ok(), "rows still refer to the rebuilt table");
    let orphan = store
        .db
        .execute_unprepared(
            "INSERT INTO customers (sender_id, code, company, company_key, created_at, updated_at) \
             VALUES (999999, 'X', 'X', 'x', '2030-01-01 00:00:00+00:00', '2030-01-01 00:00:00+00:00')",
        )
        .await;
    assert!(orphan.is_err(), "foreign keys are enforced again");
    let twin = senders::ensure(&store.db, store.now(), "OLD@studio.test", None).await.unwrap();
    assert_eq!(twin.id, old.id, "one account per address");
}
on_both_databases!(senders_survive_the_anonymous_migration);

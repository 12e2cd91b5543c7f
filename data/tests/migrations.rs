//! Migrations keep what the database held: m0011 (anonymous senders) rebuilds `senders` on
//! SQLite, and a sender's rows and everything that refers to it survive, foreign keys holding
//! afterwards; m0015 (VAT per line) keeps every stored total — on SQLite and PostgreSQL.

use data::events::Actor;
use data::testkit::TestDb;
use data::{customers, invoices, on_both_databases, senders};
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

/// (number, subtotal, discount, tax, total, balance) of every invoice, as stored.
async fn stored_totals(conn: &impl ConnectionTrait) -> Vec<(String, i64, i64, i64, i64, i64)> {
    let rows = conn
        .query_all(sea_orm::Statement::from_string(
            conn.get_database_backend(),
            "SELECT number, subtotal_cents, discount_cents, tax_cents, total_cents, balance_due_cents \
             FROM invoices ORDER BY id",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            let c = |name: &str| r.try_get::<i64>("", name).unwrap();
            let number = r.try_get::<String>("", "number").unwrap();
            (number, c("subtotal_cents"), c("discount_cents"), c("tax_cents"), c("total_cents"), c("balance_due_cents"))
        })
        .collect()
}

/// A database the code before VAT per line made (its rows, tests/fixtures) keeps every stored
/// total through m0015; each invoice's one rate becomes its one breakdown line, and the new
/// totals function, run again by an edit, computes the very same cents.
async fn stored_totals_survive_vat_per_line(db: TestDb) {
    let conn = Database::connect(&db.url).await.unwrap();
    Migrator::up(&conn, Some(14)).await.unwrap();
    for statement in include_str!("fixtures/invoices-before-vat.sql").lines().filter(|l| l.starts_with("INSERT")) {
        conn.execute_unprepared(statement).await.unwrap();
    }
    if db.backend == data::testkit::Backend::Postgres {
        for table in ["senders", "customers", "invoices", "line_items"] {
            let reset =
                format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))");
            conn.execute_unprepared(&reset).await.unwrap();
        }
    }
    let before = stored_totals(&conn).await;
    assert_eq!(before.len(), 71);
    conn.close().await.unwrap();

    let store = db.store().await;
    assert_eq!(stored_totals(&store.db).await, before, "m0015 changes no stored total");
    let me = senders::find_by_email(&store.db, "seed@studio.test").await.unwrap().expect("kept");
    for (number, subtotal, discount, tax, total, _) in &before {
        let inv = invoices::get(&store, me.id, number).await.unwrap();
        let [group] = inv.tax_breakdown.as_slice() else { panic!("{number}: one rate, one breakdown line") };
        assert_eq!((group.taxable_cents, group.tax_cents, group.gross_cents), (subtotal - discount, *tax, *total));
        let rate = inv.tax.as_ref().map(|t| t.rate).unwrap_or_default();
        assert_eq!(group.rate, rate.normalize(), "{number}");
        let code = if rate.is_zero() { "Z" } else { "S" };
        assert_eq!(group.category_code, code, "{number}");
        let edit = serde_json::from_str(r#"{"footer_note":"Recomputed by the VAT totals"}"#).unwrap();
        let again = invoices::update(&store, me.id, number, edit, Actor::Api).await.unwrap();
        assert_eq!(
            (again.subtotal_cents, again.discount_cents, again.tax_cents, again.total_cents, again.tax_breakdown),
            (*subtotal, *discount, *tax, *total, inv.tax_breakdown),
            "{number}: the new totals function computes what the old one stored"
        );
    }
}
on_both_databases!(stored_totals_survive_vat_per_line);

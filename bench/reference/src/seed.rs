//! Adds CUSTOMERS customers ("Seed Company 0001" …, codes SEED1 …) and INVOICES invoices to a
//! sender by SQL, copies of the sender's newest invoice and its lines, spread over the
//! customers and the statuses draft, sent, viewed, paid. (Seeding 1M invoices through the
//! API would take the benchmark an hour.)

use crate::db::{Db, connect};
use sea_orm::sqlx;

pub async fn run(url: &str, sender: i64, invoices: i64, customers: i64) -> Result<(), crate::Failure> {
    let db = connect(url).await?;
    let pad = |x: &str| match db {
        Db::Sqlite { .. } => format!("printf('%04d', {x})"),
        Db::Postgres(_) => format!("CASE WHEN {x} < 10000 THEN lpad(({x})::text, 4, '0') ELSE ({x})::text END"),
    };
    let template =
        format!("(SELECT max(id) FROM invoices WHERE sender_id = {sender} AND share_token_hash NOT LIKE 'seed-%')");
    let statements = [
        format!(
            "WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < {customers}) \
             INSERT INTO customers (sender_id, code, company, company_key, contact_email, cc_emails, po_required, created_at, updated_at) \
             SELECT t.sender_id, 'SEED' || j, 'Seed Company ' || {p}, 'seed company ' || {p}, 'ap' || j || '@seed.test', t.cc_emails, t.po_required, t.created_at, t.updated_at \
             FROM k, customers t WHERE t.id = (SELECT customer_id FROM invoices WHERE id = {template})",
            p = pad("j")
        ),
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {invoices} - 1), \
             first(c) AS (SELECT min(id) FROM customers WHERE sender_id = {sender} AND code LIKE 'SEED%') \
             INSERT INTO invoices (sender_id, customer_id, number, seq, status, currency, issue_date, due_date, recipient, discount, \
               tax_label, tax_rate, subtotal_cents, discount_cents, tax_cents, total_cents, share_token_hash, share_token_sealed, version, created_at, updated_at) \
             SELECT t.sender_id, first.c + (i % {customers}), 'SEED' || (1 + i % {customers}) || '-' || {p}, 1 + i / {customers}, \
               CASE i % 4 WHEN 0 THEN 'draft' WHEN 1 THEN 'sent' WHEN 2 THEN 'viewed' ELSE 'paid' END, t.currency, t.issue_date, t.due_date, \
               t.recipient, t.discount, t.tax_label, t.tax_rate, t.subtotal_cents, t.discount_cents, t.tax_cents, t.total_cents, \
               'seed-' || t.sender_id || '-' || i, t.share_token_sealed, 1, t.created_at, t.updated_at \
             FROM n, first, invoices t WHERE t.id = {template}",
            p = pad(&format!("1 + i / {customers}"))
        ),
        format!(
            "INSERT INTO line_items (invoice_id, position, description, quantity, unit_price_cents, discount, discount_cents, line_total_cents) \
             SELECT i.id, l.position, l.description, l.quantity, l.unit_price_cents, l.discount, l.discount_cents, l.line_total_cents \
             FROM invoices i, line_items l WHERE i.sender_id = {sender} AND i.share_token_hash LIKE 'seed-%' AND l.invoice_id = {template}"
        ),
        // The seeded customers' counters, so an invoice created for one of them numbers on.
        format!(
            "INSERT INTO invoice_counters (customer_id, last_seq) SELECT customer_id, max(seq) FROM invoices \
             WHERE sender_id = {sender} AND share_token_hash LIKE 'seed-%' GROUP BY customer_id"
        ),
    ];
    for sql in statements {
        match &db {
            Db::Sqlite { writer, .. } => {
                sqlx::query(&sql).execute(writer).await?;
            }
            Db::Postgres(pool) => {
                sqlx::query(&sql).execute(pool).await?;
            }
        }
    }
    // Leave the database as it would settle by itself, so the measurements that follow do
    // not run beside that work: PostgreSQL's autovacuum would vacuum and analyse the new rows
    // within a minute (SQLite gathers no statistics unless asked, and JupiterInvoice does not
    // ask); SQLite's WAL would be checkpointed back into the database file.
    match &db {
        Db::Postgres(pool) => {
            sqlx::query("VACUUM ANALYZE").execute(pool).await?;
            // …and its checkpointer would write the new rows out over the next minutes.
            sqlx::query("CHECKPOINT").execute(pool).await?;
        }
        Db::Sqlite { writer, .. } => {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(writer).await?;
        }
    }
    Ok(())
}

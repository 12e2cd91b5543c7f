//! Credit notes and the archive in the data layer, on SQLite and PostgreSQL: concurrent
//! credit notes on one invoice never exceed it and keep the series gapless; a send whose
//! documents cannot be kept does not happen; the chain names changed bytes, a removed entry
//! and a cut-off end; an edited sent invoice keeps each version it showed.

use data::archive;
use data::events::Actor;
use data::testkit::TestDb;
use data::{Error, Store, credit_notes, invoices, on_both_databases, senders};
use domain::Status;
use domain::credit_note::CreditNoteInput;
use domain::dto::{Invoice, InvoiceInput};
use sea_orm::ConnectionTrait;
use serde_json::json;
use std::sync::Arc;

fn input<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("test JSON")
}

async fn sender(store: &Store) -> senders::Sender {
    senders::ensure(&store.db, store.now(), "me@studio.test", Some("Studio Nova")).await.unwrap()
}

/// A sent invoice of `quantity` days at 333.33 with 19 % VAT and a 10 % discount.
async fn sent(store: &Store, me: &senders::Sender, quantity: u32) -> Invoice {
    let body: InvoiceInput = input(json!({
        "recipient": {"company": "Acme", "email": "ap@acme.test"}, "due_date": "2031-01-31",
        "discount": {"type": "percent", "value": 10},
        "line_items": [{"description": "Day", "quantity": quantity, "unit_price_cents": 33_333, "tax": {"rate": 19}}]
    }));
    let made = invoices::create(store, me, body, Actor::Sender).await.unwrap();
    invoices::send(store, me, &made.id, Actor::Sender).await.unwrap()
}

fn one_day() -> CreditNoteInput {
    input(json!({"reason": "a day not worked", "lines": [{"line": 0, "quantity": 1}]}))
}

async fn concurrent_credit_notes_never_exceed_the_invoice(db: TestDb) {
    let store = db.store().await;
    let me = sender(&store).await;
    let inv = sent(&store, &me, 5).await;
    let tries: Vec<_> = (0..8)
        .map(|_| {
            let (store, me, number) = (store.clone(), me.clone(), inv.id.clone());
            tokio::spawn(async move { credit_notes::create(&store, &me, &number, one_day(), Actor::Api).await })
        })
        .collect();
    let mut issued = Vec::new();
    for t in tries {
        match t.await.unwrap() {
            Ok(note) => issued.push(note),
            Err(Error::Conflict { field, .. }) => {
                assert!(matches!(field.as_deref(), Some("lines[0].quantity" | "lines" | "status")))
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(issued.len(), 5, "five days, five notes");
    let mut numbers: Vec<_> = issued.iter().map(|n| n.id.clone()).collect();
    numbers.sort();
    assert_eq!(numbers, ["CN-0001", "CN-0002", "CN-0003", "CN-0004", "CN-0005"], "gapless");
    let after = invoices::get(&store, me.id, &inv.id).await.unwrap();
    let credited: i64 = issued.iter().map(|n| n.total_cents).sum();
    assert_eq!((after.credited_cents, credited), (inv.total_cents, inv.total_cents), "to the cent");
    assert_eq!(after.status, Status::Cancelled, "credited in full");
}
on_both_databases!(concurrent_credit_notes_never_exceed_the_invoice);

/// A renderer that cannot make PDFs (a full disk, a broken template).
#[derive(Debug)]
struct Broken;

impl archive::Renderer for Broken {
    fn pdf<'a>(
        &'a self,
        _: archive::Document<'a>,
        _: &'a senders::Sender,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<u8>, String>> + Send + 'a>> {
        Box::pin(async { Err("no space left on device".to_string()) })
    }
}

async fn a_send_whose_documents_cannot_be_kept_does_not_happen(db: TestDb) {
    let store = db.store().await;
    let me = sender(&store).await;
    let body: InvoiceInput = input(json!({
        "recipient": {"company": "Acme", "email": "ap@acme.test"}, "due_date": "2031-01-31",
        "line_items": [{"description": "Day", "unit_price_cents": 10_000}]
    }));
    let draft = invoices::create(&store, &me, body, Actor::Sender).await.unwrap();
    let failing = store.clone().with_renderer(Arc::new(Broken));
    let refused = invoices::send(&failing, &me, &draft.id, Actor::Sender).await.unwrap_err();
    assert!(matches!(refused, Error::Unavailable { .. }), "{refused}");
    assert!(refused.to_string().contains("was not sent"), "{refused}");
    let still = invoices::get(&store, me.id, &draft.id).await.unwrap();
    assert_eq!(still.status, Status::Draft);
    assert!(data::jobs::pending(&store.db, data::jobs::KIND_MAIL).await.unwrap().is_empty(), "no mail");
    assert!(archive::of_document(&store, me.id, archive::INVOICE, &draft.id).await.unwrap().is_empty());
    invoices::send(&store, &me, &draft.id, Actor::Sender).await.unwrap();
    assert_eq!(archive::of_document(&store, me.id, archive::INVOICE, &draft.id).await.unwrap().len(), 1);
}
on_both_databases!(a_send_whose_documents_cannot_be_kept_does_not_happen);

async fn the_chain_names_what_was_changed_removed_or_cut_off(db: TestDb) {
    let store = db.store().await;
    let me = sender(&store).await;
    let inv = sent(&store, &me, 3).await;
    // The client is shown an edit: version 2 is kept beside version 1.
    let edit: InvoiceInput = input(json!({"po_number": "PO-7"}));
    invoices::update(&store, me.id, &inv.id, edit, Actor::Sender).await.unwrap();
    credit_notes::create(&store, &me, &inv.id, one_day(), Actor::Sender).await.unwrap();
    let kept = archive::of_document(&store, me.id, archive::INVOICE, &inv.id).await.unwrap();
    assert_eq!(kept.iter().map(|k| k.version).collect::<Vec<_>>(), [1, 2]);
    assert_ne!(kept[0].bytes, kept[1].bytes);
    let intact = archive::verify(&store, None).await.unwrap().expect("intact");
    assert_eq!((intact.chains, intact.entries), (1, 3));

    let changed_bytes = match store.db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => "UPDATE archive_entries SET content = '\\x00'::bytea WHERE seq = 2",
        _ => "UPDATE archive_entries SET content = X'00' WHERE seq = 2",
    };
    let original = archive::by_seq(&store, me.id, 2).await.unwrap();
    store.db.execute_unprepared(changed_bytes).await.unwrap();
    let broken = archive::verify(&store, None).await.unwrap().expect_err("broken");
    assert_eq!((broken.seq, broken.number.as_str()), (2, inv.id.as_str()), "{broken}");

    // Put back (as compressed bytes of the original), then remove the middle entry.
    let restore = {
        use std::io::Write;
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        d.write_all(&original.bytes).unwrap();
        d.finish().unwrap()
    };
    let hex: String = restore.iter().map(|b| format!("{b:02x}")).collect();
    let put_back = match store.db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            format!("UPDATE archive_entries SET content = '\\x{hex}'::bytea WHERE seq = 2")
        }
        _ => format!("UPDATE archive_entries SET content = X'{hex}' WHERE seq = 2"),
    };
    store.db.execute_unprepared(&put_back).await.unwrap();
    archive::verify(&store, None).await.unwrap().expect("intact again");
    store.db.execute_unprepared("DELETE FROM archive_entries WHERE seq = 3").await.unwrap();
    let cut = archive::verify(&store, None).await.unwrap().expect_err("cut off");
    assert!(cut.problem.contains("entries were removed"), "{cut}");
    store.db.execute_unprepared("DELETE FROM archive_entries WHERE seq = 1").await.unwrap();
    let gap = archive::verify(&store, None).await.unwrap().expect_err("a gap");
    assert_eq!(gap.seq, 2, "{gap}");
    assert!(gap.problem.contains("entry 1 before it is missing"), "{gap}");
}
on_both_databases!(the_chain_names_what_was_changed_removed_or_cut_off);

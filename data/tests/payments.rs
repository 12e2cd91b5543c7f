//! Payments: partial and full, refunds, what they lock and unlock, their effects, and the
//! overview (outstanding, overdue, paid lately; the overdue filter; orders by due date and
//! amount with keyset pages). SQLite and PostgreSQL.

use chrono::{NaiveDate, TimeZone, Utc};
use data::clock::Clock;
use data::cursor::PageRequest;
use data::events::Actor;
use data::invoices::overview::{CurrencyTotals, Sort};
use data::invoices::{self, ListFilter};
use data::testkit::TestDb;
use data::{Error, Store, events, on_both_databases, payments, senders};
use domain::Status;
use domain::dto::{Invoice, InvoiceInput};
use domain::payment::PaymentInput;
use serde_json::json;

fn input<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("test JSON")
}

/// 2026-11-24, noon: the tests' today.
fn clock() -> Clock {
    Clock::stopped(Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap())
}

async fn sender(store: &Store) -> senders::Sender {
    senders::ensure(&store.db, store.now(), "me@studio.test", Some("Studio Nova")).await.unwrap()
}

async fn invoice(store: &Store, sender: &senders::Sender, cents: i64, due: &str, currency: &str) -> Invoice {
    let body: InvoiceInput = input(json!({
        "recipient": {"company": "Acme", "email": "ap@acme.test"}, "currency": currency,
        "issue_date": "2026-10-01", "due_date": due,
        "line_items": [{"description": "Design", "unit_price_cents": cents}]
    }));
    let made = invoices::create(store, sender, body, Actor::Sender).await.unwrap();
    invoices::update(store, sender.id, &made.id, input(json!({"status": "sent"})), Actor::Sender).await.unwrap()
}

fn pay(cents: i64, method: &str) -> PaymentInput {
    input(json!({"amount_cents": cents, "method": method, "reference": "TRX-1", "paid_on": "2026-11-20"}))
}

async fn mails(store: &Store) -> Vec<(String, String)> {
    data::jobs::pending(&store.db, data::jobs::KIND_MAIL)
        .await
        .unwrap()
        .iter()
        .map(|j| data::mail::of(store, j).unwrap())
        .map(|m| (m.mail.template().to_string(), m.to[0].clone()))
        .collect()
}

fn conflict_on(e: Error) -> String {
    match e {
        Error::Conflict { field, .. } => field.unwrap_or_default(),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

async fn a_partial_payment_leaves_a_balance_and_the_rest_settles_it(db: TestDb) {
    let store = db.store().await.with_clock(clock());
    let me = sender(&store).await;
    let inv = invoice(&store, &me, 250_000, "2026-12-31", "USD").await;
    assert_eq!((inv.amount_paid_cents, inv.balance_due_cents), (0, 250_000));

    let half = payments::record(&store, &me, &inv.id, pay(125_000, "bank_transfer"), Actor::Sender).await.unwrap();
    assert_eq!((half.amount_cents, half.currency.as_str(), half.reference.as_deref()), (125_000, "USD", Some("TRX-1")));
    assert_eq!(half.paid_on, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
    let now = invoices::get(&store, me.id, &inv.id).await.unwrap();
    assert_eq!((now.status, now.amount_paid_cents, now.balance_due_cents), (Status::Sent, 125_000, 125_000));
    assert!(now.paid_at.is_none());

    // More than the balance is refused and changes nothing.
    let refused = payments::record(&store, &me, &inv.id, pay(125_001, "cash"), Actor::Sender).await.unwrap_err();
    assert_eq!(conflict_on(refused), "amount_cents");
    assert_eq!(payments::list(&store, me.id, &inv.id).await.unwrap().data.len(), 1);

    payments::record(&store, &me, &inv.id, pay(125_000, "cash"), Actor::Api).await.unwrap();
    let paid = invoices::get(&store, me.id, &inv.id).await.unwrap();
    assert_eq!((paid.status, paid.amount_paid_cents, paid.balance_due_cents), (Status::Paid, 250_000, 0));
    assert!(paid.paid_at.is_some());
    // Paid is locked: no edit, no more money.
    let edit = input(json!({"po_number": "PO-9"}));
    assert_eq!(conflict_on(invoices::update(&store, me.id, &inv.id, edit, Actor::Sender).await.unwrap_err()), "status");
    let more = payments::record(&store, &me, &inv.id, pay(1, "cash"), Actor::Sender).await.unwrap_err();
    assert_eq!(conflict_on(more), "amount_cents");

    let types: Vec<_> =
        invoices::timeline(&store, me.id, &inv.id).await.unwrap().into_iter().map(|e| e.event_type).collect();
    assert_eq!(types, [events::CREATED, events::SENT, events::PAYMENT_RECEIVED, events::PAID]);
    // A receipt for each payment to the recipient; the sender recorded them, so no notice.
    assert_eq!(
        mails(&store).await,
        [("payment_receipt".into(), "ap@acme.test".into()), ("payment_receipt".into(), "ap@acme.test".into())]
    );
    let listed = payments::list(&store, me.id, &inv.id).await.unwrap().data;
    assert_eq!(listed.iter().map(|p| p.recorded_by.as_str()).collect::<Vec<_>>(), ["sender", "api"]);
}
on_both_databases!(a_partial_payment_leaves_a_balance_and_the_rest_settles_it);

async fn hand_recorded_payments_are_checked(db: TestDb) {
    let store = db.store().await.with_clock(clock());
    let me = sender(&store).await;
    let inv = invoice(&store, &me, 10_000, "2026-12-31", "EUR").await;
    let field = |e: Error| e.field().map(str::to_string);
    let mut future = pay(100, "cash");
    future.paid_on = NaiveDate::from_ymd_opt(2026, 11, 25);
    let refused = payments::record(&store, &me, &inv.id, future, Actor::Sender).await.unwrap_err();
    assert_eq!(field(refused).as_deref(), Some("paid_on"));
    let card = payments::record(&store, &me, &inv.id, pay(100, "card"), Actor::Sender).await.unwrap_err();
    assert_eq!(field(card).as_deref(), Some("method"));
    let zero = payments::record(&store, &me, &inv.id, pay(0, "cash"), Actor::Sender).await.unwrap_err();
    assert_eq!(field(zero).as_deref(), Some("amount_cents"));

    // A draft takes no payment; another sender's invoice is not found.
    let draft = invoices::create(
        &store,
        &me,
        input(json!({"recipient": {"company": "B"}, "due_date": "2026-12-31",
            "line_items": [{"description": "x", "unit_price_cents": 100}]})),
        Actor::Sender,
    )
    .await
    .unwrap();
    let refused = payments::record(&store, &me, &draft.id, pay(100, "cash"), Actor::Sender).await.unwrap_err();
    assert!(refused.to_string().contains("draft"), "{refused}");
    let other = senders::ensure(&store.db, store.now(), "other@x.test", Some("Other")).await.unwrap();
    let theirs = payments::record(&store, &other, &inv.id, pay(100, "cash"), Actor::Sender).await.unwrap_err();
    assert!(matches!(theirs, Error::NotFound { .. }));
    assert!(matches!(payments::list(&store, other.id, &inv.id).await.unwrap_err(), Error::NotFound { .. }));
    assert!(payments::list(&store, me.id, &inv.id).await.unwrap().data.is_empty());
}
on_both_databases!(hand_recorded_payments_are_checked);

/// Cancelling an issued invoice issues its cancellation (a credit note of everything): what
/// was paid on it is then owed back, and the refund brings that to zero.
async fn cancelling_a_paid_in_part_invoice_leaves_a_refund_due(db: TestDb) {
    let store = db.store().await.with_clock(clock());
    let me = sender(&store).await;
    let inv = invoice(&store, &me, 10_000, "2026-12-31", "USD").await;
    payments::record(&store, &me, &inv.id, pay(4_000, "bank_transfer"), Actor::Sender).await.unwrap();

    // An edit cannot take the total below what was paid.
    let shrink = input(json!({"line_items": [{"description": "Design", "unit_price_cents": 3_999}]}));
    let refused = invoices::update(&store, me.id, &inv.id, shrink, Actor::Sender).await.unwrap_err();
    assert_eq!(conflict_on(refused), "line_items");
    let grow = input(json!({"line_items": [{"description": "Design", "unit_price_cents": 12_000}]}));
    let grown = invoices::update(&store, me.id, &inv.id, grow, Actor::Sender).await.unwrap();
    assert_eq!((grown.status, grown.balance_due_cents), (Status::Updated, 8_000));

    let cancel = || input(json!({"status": "cancelled"}));
    let cancelled = invoices::update(&store, me.id, &inv.id, cancel(), Actor::Sender).await.unwrap();
    assert_eq!(
        (cancelled.status, cancelled.credited_cents, cancelled.balance_due_cents, cancelled.refund_due_cents),
        (Status::Cancelled, 12_000, 0, 4_000)
    );
    let notes =
        data::credit_notes::list(&store, me.id, Some(&inv.id), data::cursor::PageRequest::parse(None, None).unwrap())
            .await
            .unwrap()
            .data;
    assert_eq!((notes.len(), notes[0].total_cents), (1, 12_000));
    assert_eq!(notes[0].kind, domain::credit_note::CreditNoteKind::Cancellation);

    let too_much = payments::record(&store, &me, &inv.id, pay(-4_001, "bank_transfer"), Actor::Sender).await;
    assert_eq!(conflict_on(too_much.unwrap_err()), "amount_cents");
    let more = payments::record(&store, &me, &inv.id, pay(1, "bank_transfer"), Actor::Sender).await;
    assert_eq!(conflict_on(more.unwrap_err()), "amount_cents", "a cancelled invoice takes no payments");
    payments::record(&store, &me, &inv.id, pay(-4_000, "bank_transfer"), Actor::Sender).await.unwrap();
    let after = invoices::get(&store, me.id, &inv.id).await.unwrap();
    assert_eq!((after.status, after.amount_paid_cents, after.refund_due_cents), (Status::Cancelled, 0, 0));
    let types: Vec<_> =
        invoices::timeline(&store, me.id, &inv.id).await.unwrap().into_iter().map(|e| e.event_type).collect();
    assert_eq!(
        types,
        [
            events::CREATED,
            events::SENT,
            events::PAYMENT_RECEIVED,
            events::EDITED,
            events::CREDIT_NOTE_CREATED,
            events::CANCELLED,
            events::PAYMENT_REFUNDED,
        ]
    );
}
on_both_databases!(cancelling_a_paid_in_part_invoice_leaves_a_refund_due);

async fn marking_paid_records_a_payment_of_the_balance(db: TestDb) {
    let store = db.store().await.with_clock(clock());
    let me = sender(&store).await;
    let inv = invoice(&store, &me, 10_000, "2026-12-31", "USD").await;
    payments::record(&store, &me, &inv.id, pay(2_500, "cash"), Actor::Sender).await.unwrap();
    let paid = invoices::update(&store, me.id, &inv.id, input(json!({"status": "paid"})), Actor::Api).await.unwrap();
    assert_eq!((paid.status, paid.amount_paid_cents, paid.balance_due_cents), (Status::Paid, 10_000, 0));
    let listed = payments::list(&store, me.id, &inv.id).await.unwrap().data;
    assert_eq!(listed.iter().map(|p| p.amount_cents).collect::<Vec<_>>(), [2_500, 7_500]);
    assert_eq!(listed[1].method, domain::PaymentMethod::Other);

    // A draft still cannot be marked paid: the life cycle's answer, on `status`.
    let draft = invoices::create(
        &store,
        &me,
        input(json!({"recipient": {"company": "B"}, "due_date": "2026-12-31",
            "line_items": [{"description": "x", "unit_price_cents": 100}]})),
        Actor::Sender,
    )
    .await
    .unwrap();
    let refused =
        invoices::update(&store, me.id, &draft.id, input(json!({"status": "paid"})), Actor::Api).await.unwrap_err();
    assert_eq!(conflict_on(refused), "status");
}
on_both_databases!(marking_paid_records_a_payment_of_the_balance);

async fn the_overview_adds_up_per_currency(db: TestDb) {
    let store = db.store().await.with_clock(clock());
    let me = sender(&store).await;
    let late = invoice(&store, &me, 30_000, "2026-11-01", "USD").await;
    let part_late = invoice(&store, &me, 20_000, "2026-11-10", "USD").await;
    invoice(&store, &me, 10_000, "2026-12-31", "USD").await;
    let euro = invoice(&store, &me, 5_000, "2026-11-23", "EUR").await;
    let settled = invoice(&store, &me, 7_000, "2026-11-02", "USD").await;
    payments::record(&store, &me, &part_late.id, pay(5_000, "cash"), Actor::Sender).await.unwrap();
    invoices::update(&store, me.id, &settled.id, input(json!({"status": "paid"})), Actor::Sender).await.unwrap();
    // An old payment counts as outstanding-reducing, not as paid lately.
    let mut old = pay(1_000, "cash");
    old.paid_on = NaiveDate::from_ymd_opt(2026, 9, 1);
    payments::record(&store, &me, &euro.id, old, Actor::Sender).await.unwrap();
    // Drafts and other senders' invoices are nobody's outstanding here.
    invoices::create(
        &store,
        &me,
        input(json!({"recipient": {"company": "B"}, "due_date": "2026-01-01",
            "line_items": [{"description": "x", "unit_price_cents": 999}]})),
        Actor::Sender,
    )
    .await
    .unwrap();
    let other = senders::ensure(&store.db, store.now(), "other@x.test", Some("Other")).await.unwrap();
    invoice(&store, &other, 99_999, "2026-11-01", "USD").await;

    let totals = invoices::overview::totals(&store, me.id).await.unwrap();
    assert_eq!(
        totals,
        [
            CurrencyTotals {
                currency: "EUR".into(),
                outstanding_cents: 4_000,
                outstanding_count: 1,
                overdue_cents: 4_000,
                overdue_count: 1,
                paid_30_days_cents: 0,
            },
            CurrencyTotals {
                currency: "USD".into(),
                outstanding_cents: 30_000 + 15_000 + 10_000,
                outstanding_count: 3,
                overdue_cents: 45_000,
                overdue_count: 2,
                paid_30_days_cents: 5_000 + 7_000,
            },
        ]
    );

    // The overdue filter lists exactly those, in the order asked for.
    let overdue = ListFilter { overdue: true, sort: Sort::DueDate, ..Default::default() };
    let page = invoices::list(&store, me.id, &overdue, PageRequest::parse(None, None).unwrap()).await.unwrap();
    let numbers: Vec<_> = page.data.iter().map(|i| i.id.clone()).collect();
    assert_eq!(numbers, [late.id.clone(), part_late.id.clone(), euro.id.clone()]);
}
on_both_databases!(the_overview_adds_up_per_currency);

async fn lists_sort_by_due_date_and_amount_page_by_page(db: TestDb) {
    let store = db.store().await.with_clock(clock());
    let me = sender(&store).await;
    // Ties on both keys, so the id must break them the same way on every page.
    let specs =
        [(500, "2026-12-03"), (100, "2026-12-01"), (500, "2026-12-01"), (300, "2026-12-02"), (100, "2026-12-03")];
    let mut made = Vec::new();
    for (cents, due) in specs {
        made.push(invoice(&store, &me, cents, due, "USD").await);
    }
    for sort in Sort::ALL {
        // Creation order is id order: the tie-breaker.
        let mut expected: Vec<(usize, &Invoice)> = made.iter().enumerate().collect();
        match sort {
            Sort::Newest => expected.reverse(),
            Sort::DueDate => expected.sort_by_key(|(n, i)| (i.due_date, *n)),
            Sort::DueDateDesc => expected.sort_by_key(|(n, i)| std::cmp::Reverse((i.due_date, *n))),
            Sort::Amount => expected.sort_by_key(|(n, i)| (i.total_cents, *n)),
            Sort::AmountDesc => expected.sort_by_key(|(n, i)| std::cmp::Reverse((i.total_cents, *n))),
            Sort::Oldest => {}
            Sort::Number => expected.sort_by_key(|(_, i)| i.id.clone()),
            Sort::NumberDesc => expected.sort_by_key(|(_, i)| std::cmp::Reverse(i.id.clone())),
        }
        let filter = ListFilter { sort, ..Default::default() };
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = PageRequest::parse(Some(2), cursor.as_deref()).unwrap();
            let got = invoices::list(&store, me.id, &filter, page).await.unwrap();
            seen.extend(got.data.iter().map(|i| i.id.clone()));
            match got.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        let want: Vec<_> = expected.iter().map(|(_, i)| i.id.clone()).collect();
        assert_eq!(seen, want, "{sort:?}");
    }
    let both = ListFilter { sort: Sort::AmountDesc, search: Some("acme".into()), ..Default::default() };
    let refused = invoices::list(&store, me.id, &both, PageRequest::parse(None, None).unwrap()).await.unwrap_err();
    assert_eq!(refused.field(), Some("sort"));
}
on_both_databases!(lists_sort_by_due_date_and_amount_page_by_page);

async fn pay_is_offered_only_while_the_invoice_stands(db: TestDb) {
    let store = db.store().await.with_clock(clock());
    let me = sender(&store).await;
    let inv = invoice(&store, &me, 10_000, "2026-12-31", "USD").await;
    let token = inv.share_token.clone();
    use data::payments::checkout::NoPay;
    let payable = |store: Store, token: String| async move {
        data::payments::checkout::payable(&store, &token, true).await.unwrap().map(|p| p.amount_cents)
    };
    assert_eq!(payable(store.clone(), token.clone()).await, Ok(10_000));
    assert_eq!(
        data::payments::checkout::payable(&store, &token, false).await.unwrap().map(|p| p.amount_cents),
        Err(NoPay::NoAccount),
        "no account, no Pay"
    );
    let client = data::shared::Visitor::default();
    data::shared::request_changes(&store, &token, "Split the line", &client).await.unwrap();
    assert_eq!(payable(store.clone(), token.clone()).await, Err(NoPay::NothingDue), "not while changes are asked for");
    let edit = input(json!({"line_items": [{"description": "Design", "unit_price_cents": 9_000}]}));
    invoices::update(&store, me.id, &inv.id, edit, Actor::Sender).await.unwrap();
    assert_eq!(payable(store.clone(), token.clone()).await, Ok(9_000), "updated: the new balance");
}
on_both_databases!(pay_is_offered_only_while_the_invoice_stands);

//! Every filter and order of the invoice list, paged three at a time, gives exactly what
//! filtering and sorting all the sender's invoices gives: no gap, no repeat, the same order —
//! also when each page may read only four invoices per range and stops short.

use chrono::{NaiveDate, TimeZone, Utc};
use data::cursor::PageRequest;
use data::events::Actor;
use data::invoices::{DateRange, ListFilter};
use data::testkit::TestDb;
use data::{Store, customers, invoices, on_both_databases, senders};
use domain::Status;
use domain::dto::Invoice;
use domain::sort::Sort;
use serde_json::json;
use std::cmp::Ordering;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 15).unwrap()
}

fn day(offset: i64) -> NaiveDate {
    today() + chrono::Duration::days(offset)
}

/// Three customers, 30 invoices: due dates and amounts that repeat (ties broken by id),
/// two currencies, issue dates over two months, every sender status.
async fn seeded(store: &Store) -> (senders::Sender, Vec<i64>) {
    let sender = senders::ensure(&store.db, store.now(), "lists@studio.test", Some("Studio")).await.unwrap();
    let mut customer_ids = Vec::new();
    for name in ["Acme", "Beta", "Corvid"] {
        let input = serde_json::from_value(json!({"company": name, "contact": {"email": "ap@c.test"}})).unwrap();
        customer_ids.push(customers::create(store, sender.id, input).await.unwrap().id);
    }
    for n in 0..30i64 {
        let input = serde_json::from_value(json!({
            "customer_id": customer_ids[(n % 3) as usize],
            "currency": if n % 4 == 0 { "EUR" } else { "USD" },
            "issue_date": day(-25 - (n % 10) * 3),
            "due_date": day(10 - (n % 7) * 5),
            "line_items": [{"description": "Work", "unit_price_cents": 1000 * (1 + n % 5)}],
        }))
        .unwrap();
        let invoice = invoices::create(store, &sender, input, Actor::Sender).await.unwrap();
        let status = ["draft", "sent", "sent", "paid", "cancelled", "sent"][(n % 6) as usize];
        let steps = match status {
            "draft" => vec![],
            "sent" => vec!["sent"],
            other => vec!["sent", other],
        };
        for step in steps {
            let patch = serde_json::from_value(json!({"status": step})).unwrap();
            invoices::update(store, sender.id, &invoice.id, patch, Actor::Sender).await.unwrap();
        }
    }
    (sender, customer_ids)
}

/// What the filter keeps, in its order: the meaning the pages must have.
fn expected(all: &[Invoice], filter: &ListFilter, ids: &[i64]) -> Vec<String> {
    let within = |d: NaiveDate, r: DateRange| r.from.is_none_or(|f| d >= f) && r.to.is_none_or(|t| d <= t);
    let mut kept: Vec<(&Invoice, i64)> = all
        .iter()
        .filter(|i| filter.statuses.is_empty() || filter.statuses.contains(&i.status))
        .filter(|i| filter.customer_id.is_none_or(|c| i.customer_id == Some(c)))
        .filter(|i| filter.currency.as_deref().is_none_or(|c| i.currency == c))
        .filter(|i| within(i.issue_date, filter.issued) && within(i.due_date, filter.due))
        .filter(|i| {
            !filter.overdue
                || (Status::OUTSTANDING.contains(&i.status) && i.balance_due_cents > 0 && i.due_date < today())
        })
        .map(|i| (i, ids[all.iter().position(|a| a.id == i.id).unwrap()]))
        .collect();
    let sort = if filter.overdue && filter.sort == Sort::Newest { Sort::DueDate } else { filter.sort };
    let by = |a: &(&Invoice, i64), b: &(&Invoice, i64)| -> Ordering {
        match sort {
            Sort::Newest => b.1.cmp(&a.1),
            Sort::Oldest => a.1.cmp(&b.1),
            Sort::DueDate => a.0.due_date.cmp(&b.0.due_date).then(a.1.cmp(&b.1)),
            Sort::DueDateDesc => b.0.due_date.cmp(&a.0.due_date).then(b.1.cmp(&a.1)),
            Sort::Amount => a.0.total_cents.cmp(&b.0.total_cents).then(a.1.cmp(&b.1)),
            Sort::AmountDesc => b.0.total_cents.cmp(&a.0.total_cents).then(b.1.cmp(&a.1)),
            Sort::Number => a.0.id.cmp(&b.0.id),
            Sort::NumberDesc => b.0.id.cmp(&a.0.id),
        }
    };
    kept.sort_by(by);
    kept.into_iter().map(|(i, _)| i.id.clone()).collect()
}

/// Every page of `filter`, three at a time, and how many pages came back short of three with
/// a cursor (the scan stopped before finding three).
async fn pages(store: &Store, sender_id: i64, filter: &ListFilter) -> (Vec<String>, usize) {
    let (mut seen, mut cursor, mut short) = (Vec::new(), None::<String>, 0);
    for _ in 0..60 {
        let page = PageRequest::parse(Some(3), cursor.as_deref()).unwrap();
        let got = invoices::list(store, sender_id, filter, page).await.unwrap();
        short += usize::from(got.data.len() < 3 && got.next_cursor.is_some());
        seen.extend(got.data.into_iter().map(|i| i.id));
        match got.next_cursor {
            Some(c) => cursor = Some(c),
            None => return (seen, short),
        }
    }
    panic!("the pages of {filter:?} do not end");
}

async fn paged(store: &Store, sender_id: i64, filter: &ListFilter) -> Vec<String> {
    pages(store, sender_id, filter).await.0
}

async fn every_filter_pages_like_a_full_sort(db: TestDb) {
    let at = Utc.from_utc_datetime(&today().and_hms_opt(12, 0, 0).unwrap());
    let store = db.store().await.with_clock(data::clock::Clock::stopped(at));
    let (sender, customer_ids) = seeded(&store).await;
    // Creation order is id order: the oldest-first list of everything gives the ids' ranks.
    let all = paged(&store, sender.id, &ListFilter { sort: Sort::Oldest, ..Default::default() }).await;
    assert_eq!(all.len(), 30);
    let mut everything = Vec::new();
    for number in &all {
        everything.push(invoices::get(&store, sender.id, number).await.unwrap());
    }
    let ranks: Vec<i64> = (0..30).collect();

    let narrowing = [
        ListFilter::default(),
        ListFilter { statuses: vec![Status::Sent], ..Default::default() },
        ListFilter { statuses: vec![Status::Sent, Status::Paid, Status::Draft], ..Default::default() },
        ListFilter { customer_id: Some(customer_ids[1]), ..Default::default() },
        ListFilter {
            customer_id: Some(customer_ids[2]),
            statuses: vec![Status::Sent, Status::Cancelled],
            ..Default::default()
        },
        ListFilter { currency: Some("EUR".into()), ..Default::default() },
        ListFilter { issued: DateRange { from: Some(day(-30)), to: Some(day(-10)) }, ..Default::default() },
        ListFilter {
            due: DateRange { from: Some(day(-10)), to: Some(day(5)) },
            statuses: vec![Status::Sent],
            ..Default::default()
        },
    ];
    let (mut checked, mut short) = (0, 0);
    for base in &narrowing {
        for sort in Sort::ALL {
            let filter = ListFilter { sort, ..base.clone() };
            let want = expected(&everything, &filter, &ranks);
            assert_eq!(paged(&store, sender.id, &filter).await, want, "{filter:?}");
            checked += usize::from(!want.is_empty());
            // A scan of four rows per range: pages stop short where the filters skip rows,
            // and following their cursors still gives every match once, in order.
            let stingy = ListFilter { scan_limit: Some(4), ..filter };
            let (seen, stopped) = pages(&store, sender.id, &stingy).await;
            assert_eq!(seen, want, "{stingy:?}");
            short += stopped;
        }
    }
    assert!(checked >= narrowing.len() * Sort::ALL.len() - 1, "the filters keep something to compare");
    assert!(short > 10, "short pages were met and followed ({short})");
    for overdue in [
        ListFilter { overdue: true, ..Default::default() },
        ListFilter { overdue: true, sort: Sort::DueDateDesc, ..Default::default() },
        ListFilter {
            overdue: true,
            statuses: vec![Status::Sent, Status::Paid],
            currency: Some("USD".into()),
            ..Default::default()
        },
    ] {
        let want = expected(&everything, &overdue, &ranks);
        assert!(!want.is_empty());
        assert_eq!(paged(&store, sender.id, &overdue).await, want, "{overdue:?}");
        let stingy = ListFilter { scan_limit: Some(4), ..overdue };
        assert_eq!(paged(&store, sender.id, &stingy).await, want, "{stingy:?}");
    }
    let nothing = ListFilter { overdue: true, statuses: vec![Status::Paid], ..Default::default() };
    assert!(paged(&store, sender.id, &nothing).await.is_empty(), "nothing paid is overdue");
    let amount = ListFilter { overdue: true, sort: Sort::Amount, ..Default::default() };
    let refused = invoices::list(&store, sender.id, &amount, PageRequest::parse(None, None).unwrap()).await;
    assert_eq!(refused.unwrap_err().field(), Some("sort"));

    // expand=customer: each invoice its own customer, read for the whole page at once.
    let mut page =
        invoices::list(&store, sender.id, &ListFilter::default(), PageRequest::parse(Some(6), None).unwrap())
            .await
            .unwrap();
    customers::expand_on(&store, sender.id, &mut page.data).await.unwrap();
    for invoice in &page.data {
        let customer = invoice.customer.as_ref().expect("expanded");
        assert_eq!(Some(customer.id), invoice.customer_id);
        assert!(invoice.id.starts_with(&customer.code), "{} of {}", invoice.id, customer.code);
    }
}
on_both_databases!(every_filter_pages_like_a_full_sort);

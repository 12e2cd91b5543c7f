//! Every list and read the product makes is served by an index: the statements each use case
//! runs are recorded and explained (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN), and a
//! full table scan or a sort fails the test. Also: how many round trips a read makes, and
//! that opening a share link writes nothing in the request after the first view.

use data::cursor::PageRequest;
use data::events::Actor;
use data::invoices::overview::Sort;
use data::invoices::{DateRange, ListFilter};
use data::shared::{self, Visitor};
use data::testkit::{Statements, TestDb, plan, rows_read, unindexed};
use data::webhooks::targets::{TargetPolicy, Targets};
use data::webhooks::{log, subscriptions};
use data::{Store, api_keys, customers, invoices, on_both_databases, senders};
use domain::Status;
use domain::dto::InvoiceInput;

fn json<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("test JSON")
}

fn visitor() -> Visitor {
    Visitor { ip: Some("203.0.113.9".into()), user_agent: Some("Browser".into()), sender_id: None }
}

/// A sender with `customers` customers ("Company N Co"), two invoices each, the first sent.
async fn seeded(store: &Store, customers: usize) -> (senders::Sender, Vec<i64>, String, String) {
    let sender = senders::ensure(&store.db, store.now(), "plans@studio.test", Some("Studio")).await.unwrap();
    let mut ids = Vec::new();
    let (mut number, mut token) = (String::new(), String::new());
    for n in 0..customers {
        let c = customers::create(
            store,
            sender.id,
            json(
                serde_json::json!({"company": format!("Company{n} Co"), "contact": {"email": format!("ap{n}@c.test")}}),
            ),
        )
        .await
        .unwrap();
        ids.push(c.id);
        for _ in 0..2 {
            let input: InvoiceInput = json(serde_json::json!({
                "customer_id": c.id, "due_date": "2026-12-31", "line_items": [{"description": "Work", "unit_price_cents": 1000}]
            }));
            let inv = invoices::create(store, &sender, input, Actor::Sender).await.unwrap();
            (number, token) = (inv.id, inv.share_token);
        }
        invoices::send(store, &sender, &number, Actor::Sender).await.unwrap();
    }
    (sender, ids, number, token)
}

async fn customer_of(store: &Store, sender_id: i64) -> i64 {
    let page = customers::list(store, sender_id, PageRequest::parse(Some(1), None).unwrap()).await.unwrap();
    page.data[0].id
}

async fn every_list_and_read_is_served_by_an_index(db: TestDb) {
    let statements = Statements::default();
    let store = statements.observe(db.store().await);
    let (sender, customer_ids, number, token) = seeded(&store, 20).await;
    let sub = subscriptions::create(
        &store,
        sender.id,
        json(serde_json::json!({"url": "http://127.0.0.1:9/hook"})),
        &Targets::without_dns(TargetPolicy { allow_private: true }),
    )
    .await
    .unwrap();
    invoices::update(&store, sender.id, &number, json(serde_json::json!({"status": "paid"})), Actor::Sender)
        .await
        .unwrap();
    let key = api_keys::create(&store, sender.id, "plans", domain::KeyScope::Full).await.unwrap();
    let (session, _) = data::sessions::start(&store.db, store.now(), sender.id).await.unwrap();
    shared::view(&store, &token, &visitor()).await.unwrap();
    statements.take();

    let first = PageRequest::parse(Some(2), None).unwrap();
    let later = PageRequest::parse(Some(2), Some(&data::cursor::encode(i64::MAX / 2))).unwrap();
    let filters = [
        ListFilter::default(),
        ListFilter { statuses: vec![Status::Sent], ..ListFilter::default() },
        ListFilter { customer_id: Some(customer_ids[3]), ..ListFilter::default() },
        ListFilter { search: Some("company3 co".into()), ..ListFilter::default() },
        ListFilter { search: Some("COMPANY".into()), statuses: vec![Status::Sent], ..ListFilter::default() },
        ListFilter { search: Some(number.clone()), ..ListFilter::default() },
        ListFilter {
            search: Some(format!("{}-00", number.split('-').next().unwrap_or_default())),
            ..ListFilter::default()
        },
    ];
    for page in [first, later] {
        for filter in &filters {
            invoices::list(&store, sender.id, filter, page).await.unwrap();
        }
        customers::list(&store, sender.id, page).await.unwrap();
        data::events::feed(&store, sender.id, None, page).await.unwrap();
        data::events::feed(&store, sender.id, Some("invoice.sent"), page).await.unwrap();
        let (deliveries, _) = log::list(&store, sender.id, sub.id, page).await.unwrap();
        if let Some(d) = deliveries.first() {
            log::get(&store, sender.id, sub.id, d.id).await.unwrap();
        }
    }
    // The overview's totals; every order over the sender's range, one status's, several
    // statuses', a customer's (with and without statuses), overdue, and the narrowing filters,
    // page by page; and the customers of a page (expand=customer).
    invoices::overview::totals(&store, sender.id).await.unwrap();
    let day = |d: &str| Some(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
    let ranges = ListFilter {
        currency: Some("USD".into()),
        issued: DateRange { from: day("2020-01-01"), to: day("2030-12-31") },
        due: DateRange { from: day("2020-01-01"), to: day("2030-12-31") },
        ..ListFilter::default()
    };
    let partitions = [
        ListFilter::default(),
        ListFilter { statuses: vec![Status::Sent], ..ListFilter::default() },
        ListFilter { statuses: vec![Status::Sent, Status::Draft, Status::Paid], ..ListFilter::default() },
        ListFilter { customer_id: Some(customer_ids[3]), ..ListFilter::default() },
        ListFilter { customer_id: Some(customer_ids[3]), statuses: vec![Status::Sent], ..ListFilter::default() },
        ranges.clone(),
        ListFilter { statuses: vec![Status::Draft], ..ranges },
    ];
    let mut combinations: Vec<ListFilter> =
        partitions.iter().flat_map(|p| Sort::ALL.map(|sort| ListFilter { sort, ..p.clone() })).collect();
    combinations.push(ListFilter { overdue: true, ..ListFilter::default() });
    combinations.push(ListFilter { overdue: true, sort: Sort::DueDateDesc, ..ListFilter::default() });
    combinations.push(ListFilter { overdue: true, statuses: vec![Status::Sent], ..ListFilter::default() });
    for filter in &combinations {
        let mut page = invoices::list(&store, sender.id, filter, first).await.unwrap();
        if let Some(cursor) = page.next_cursor.clone() {
            let next = PageRequest::parse(Some(2), Some(&cursor)).unwrap();
            invoices::list(&store, sender.id, filter, next).await.unwrap();
        }
        customers::expand_on(&store, sender.id, &mut page.data).await.unwrap();
    }
    data::payments::list(&store, sender.id, &number).await.unwrap();
    invoices::get(&store, sender.id, &number).await.unwrap();
    invoices::timeline(&store, sender.id, &number).await.unwrap();
    customers::get(&store, sender.id, customer_ids[0]).await.unwrap();
    api_keys::list(&store.db, sender.id).await.unwrap();
    api_keys::authenticate(&store, &key.secret).await.unwrap().expect("key");
    subscriptions::list(&store, sender.id).await.unwrap();
    data::sessions::resolve(&store, &session.0).await.unwrap().expect("session");
    shared::view(&store, &token, &visitor()).await.unwrap();
    shared::get(&store, &token).await.unwrap();

    let selects: Vec<_> = statements.take().into_iter().filter(|s| s.sql.trim_start().starts_with("SELECT")).collect();
    assert!(selects.len() > 40, "the use cases above ran their queries ({})", selects.len());
    let mut bad = Vec::new();
    for statement in &selects {
        let plan = plan(&store, statement).await;
        let found = unindexed(&statement.sql, &plan);
        if !found.is_empty() {
            bad.push(format!("{}\n  {}", statement.sql, plan.join("\n  ")));
        }
    }
    assert!(bad.is_empty(), "queries that scan or sort:\n{}", bad.join("\n\n"));
}
on_both_databases!(every_list_and_read_is_served_by_an_index);

async fn search_finds_numbers_and_companies(db: TestDb) {
    let store = db.store().await;
    let (sender, _, number, _) = seeded(&store, 20).await;
    let found = |q: &str| {
        let filter = ListFilter { search: Some(q.into()), ..ListFilter::default() };
        let store = store.clone();
        async move {
            let page = invoices::list(&store, sender.id, &filter, PageRequest::parse(Some(100), None).unwrap()).await;
            page.unwrap().data.into_iter().map(|i| i.id).collect::<Vec<_>>()
        }
    };
    // "Company1 Co" and "Company10 Co" … "Company19 Co": eleven customers, two invoices each.
    assert_eq!(found("company1").await.len(), 22);
    assert_eq!(found(" CO ").await.len(), 40, "every company contains it: the broad path");
    assert_eq!(found(&number).await, vec![number.clone()], "a whole number");
    let code = number.split('-').next().unwrap().to_string();
    assert_eq!(found(&format!("{}-", code.to_lowercase())).await.len(), 2, "a number's beginning, any case");
    assert_eq!(found(&code[..code.len() - 1]).await.len() % 2, 0, "a code's beginning");
    assert!(found("50%").await.is_empty(), "wildcards match literally");
    let all = found("company").await;
    let mut newest_first = all.clone();
    newest_first.sort_by_key(|n| std::cmp::Reverse(n.clone()));
    assert_eq!(all.len(), 40);
    // Pages of a search follow on without gaps or repeats.
    let filter = ListFilter { search: Some("company".into()), ..ListFilter::default() };
    let (mut seen, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let page = PageRequest::parse(Some(7), cursor.as_deref()).unwrap();
        let got = invoices::list(&store, sender.id, &filter, page).await.unwrap();
        seen.extend(got.data.into_iter().map(|i| i.id));
        match got.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, all);
}
on_both_databases!(search_finds_numbers_and_companies);

/// The customer's first invoice (through the use case) and copies numbered up to `count`
/// (by SQL, like the benchmark's seed: creating thousands through the use case is slow).
async fn customer_with_invoices(store: &Store, count: i64) -> (senders::Sender, String) {
    use data::entities::invoice;
    use sea_orm::{ActiveValue::NotSet, EntityTrait, Set};
    let (sender, _, number, _) = seeded(store, 1).await;
    let template = invoice::Entity::find().one(&store.db).await.unwrap().expect("an invoice");
    let code = number.split('-').next().unwrap().to_string();
    let copies: Vec<invoice::ActiveModel> = (3..=count)
        .map(|seq| {
            let mut copy: invoice::ActiveModel = template.clone().into();
            copy.id = NotSet;
            copy.seq = Set(seq);
            copy.number = Set(domain::code::invoice_number(&code, seq));
            copy.share_token_hash = Set(format!("scale-{seq}"));
            copy
        })
        .collect();
    for chunk in copies.chunks(500) {
        invoice::Entity::insert_many(chunk.to_vec()).exec(&store.db).await.unwrap();
    }
    (sender, code)
}

/// An old number prefix on a customer with 12,000 invoices: the search reads its matches
/// only (counted on PostgreSQL, whose EXPLAIN ANALYZE reports rows read; on SQLite every
/// statement is an index range with no filter beyond it), and pages through the prefix's
/// four- and five-digit numbers newest first without gaps or repeats.
async fn a_number_search_reads_its_matches_only(db: TestDb) {
    let statements = Statements::default();
    let store = statements.observe(db.store().await);
    let (sender, code) = customer_with_invoices(&store, 12_000).await;
    let search = |q: String, cursor: Option<String>| {
        let (store, filter) = (store.clone(), ListFilter { search: Some(q), ..ListFilter::default() });
        async move {
            let page = PageRequest::parse(Some(25), cursor.as_deref()).unwrap();
            invoices::list(&store, sender.id, &filter, page).await.unwrap()
        }
    };

    for prefix in ["1", "00", "11", ""] {
        let expected: Vec<String> = (1..=12_000)
            .rev()
            .map(|seq| domain::code::invoice_number(&code, seq))
            .filter(|n| n.starts_with(&format!("{code}-{prefix}")))
            .take(200)
            .collect();
        let (mut seen, mut cursor) = (Vec::new(), None);
        while seen.len() < expected.len() {
            let page = search(format!("{}-{prefix}", code.to_lowercase()), cursor).await;
            seen.extend(page.data.into_iter().map(|i| i.id));
            cursor = page.next_cursor;
            if cursor.is_none() {
                break;
            }
        }
        seen.truncate(200);
        assert_eq!(seen, expected, "prefix {prefix:?}");
    }

    statements.take();
    let page = search(format!("{code}-00"), None).await;
    assert_eq!(page.data.len(), 25);
    assert_eq!(page.data[0].id, format!("{code}-0099"), "the newest invoice with an old prefix");
    let deeper = search(format!("{code}-00"), page.next_cursor).await;
    assert_eq!(deeper.data[0].id, format!("{code}-0074"));
    let selects: Vec<_> = statements.take().into_iter().filter(|s| s.sql.starts_with("SELECT")).collect();
    let mut read = 0;
    for statement in &selects {
        let plan = plan(&store, statement).await;
        assert!(unindexed(&statement.sql, &plan).is_empty(), "{}\n{plan:?}", statement.sql);
        assert!(!statement.sql.contains("LIKE"), "every row a range reads is a match: {}", statement.sql);
        read += rows_read(&store, statement).await.unwrap_or(0);
    }
    if store.backend() == sea_orm::DatabaseBackend::Postgres {
        // Two pages of 25 (each fetching one more), their lines, the customer and its newest sequence.
        assert!(read <= 2 * 26 + 2 * 26 + 4, "rows read for two pages: {read}");
    }
}
on_both_databases!(a_number_search_reads_its_matches_only);

async fn reads_take_one_query_each(db: TestDb) {
    let statements = Statements::default();
    let store = statements.observe(db.store().await);
    let (sender, _, number, token) = seeded(&store, 1).await;
    let key = api_keys::create(&store, sender.id, "reads", domain::KeyScope::Full).await.unwrap();
    shared::view(&store, &token, &visitor()).await.unwrap();
    statements.take();

    invoices::get(&store, sender.id, &number).await.unwrap();
    assert_eq!(statements.take_sql().len(), 1, "the invoice with its lines");
    api_keys::authenticate(&store, &key.secret).await.unwrap().expect("key");
    let first = statements.take_sql();
    assert_eq!(first.iter().filter(|s| s.starts_with("SELECT")).count(), 1, "key and sender together: {first:?}");
    api_keys::authenticate(&store, &key.secret).await.unwrap().expect("key");
    assert!(statements.take_sql().is_empty(), "a key checked a moment ago is not looked up again");

    // A create for a known customer, between BEGIN and COMMIT: the customer, the counter bump,
    // the invoice, its lines, its event (each write returning its row), the sender's webhooks.
    let input: InvoiceInput = json(serde_json::json!({
        "customer_id": customer_of(&store, sender.id).await, "due_date": "2026-12-31",
        "line_items": [{"description": "A", "unit_price_cents": 1}, {"description": "B", "unit_price_cents": 2}]
    }));
    statements.take();
    invoices::create(&store, &sender, input, Actor::Api).await.unwrap();
    let sql = statements.take_sql();
    assert_eq!(sql.len(), 6, "{sql:#?}");

    // A repeat view of the link is only reads; the view is written after the response.
    let again = shared::view(&store, &token, &visitor()).await.unwrap();
    assert_eq!(again.invoice.status, Status::Viewed);
    let sql = statements.take_sql();
    assert!(sql.iter().all(|s| s.starts_with("SELECT")), "no write while answering: {sql:?}");
    assert_eq!(sql.len(), 3, "invoice with lines, sender, customer with the version seen before: {sql:#?}");
    assert_eq!(shared::record_pending_views(&store).await.unwrap(), 1);
    assert!(statements.take_sql().iter().any(|s| s.starts_with("INSERT INTO \"invoice_views\"")));
    assert_eq!(shared::record_pending_views(&store).await.unwrap(), 0, "written once");
}
on_both_databases!(reads_take_one_query_each);

async fn a_revoked_key_stops_within_the_cache_bound(db: TestDb) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let store = db.store().await.with_clock(data::clock::Clock::adjustable());
    let sender = senders::ensure(&store.db, store.now(), "keys@studio.test", Some("Studio")).await.unwrap();
    let (a, b) = (
        api_keys::create(&store, sender.id, "a", domain::KeyScope::Full).await.unwrap(),
        api_keys::create(&store, sender.id, "b", domain::KeyScope::Full).await.unwrap(),
    );
    assert!(api_keys::authenticate(&store, &a.secret).await.unwrap().is_some());
    assert!(api_keys::authenticate(&store, &b.secret).await.unwrap().is_some());

    // Revoked here: refused at once.
    api_keys::revoke(&store, sender.id, a.key.id).await.unwrap();
    assert!(api_keys::authenticate(&store, &a.secret).await.unwrap().is_none());

    // Revoked by another process sharing the database: refused once the bound has passed.
    data::entities::api_key::Entity::update_many()
        .col_expr(data::entities::api_key::Column::RevokedAt, Expr::value(Some(chrono::Utc::now())))
        .filter(data::entities::api_key::Column::Id.eq(b.key.id))
        .exec(&store.db)
        .await
        .unwrap();
    assert!(api_keys::authenticate(&store, &b.secret).await.unwrap().is_some(), "still trusted for a moment");
    store.clock().advance(api_keys::TRUSTED_FOR);
    assert!(api_keys::authenticate(&store, &b.secret).await.unwrap().is_none(), "refused after the bound");
}
on_both_databases!(a_revoked_key_stops_within_the_cache_bound);

async fn concurrent_reads_and_writes_on_the_split_connections(db: TestDb) {
    let store = db.store().await;
    let (sender, ids, _, _) = seeded(&store, 1).await;
    let mut tasks = Vec::new();
    for n in 0..40 {
        let (store, sender) = (store.clone(), sender.clone());
        let customer = ids[0];
        tasks.push(tokio::spawn(async move {
            if n % 2 == 0 {
                let input: InvoiceInput = json(serde_json::json!({
                    "customer_id": customer, "due_date": "2026-12-31", "line_items": [{"description": "Work", "unit_price_cents": 1000}]
                }));
                invoices::create(&store, &sender, input, Actor::Sender).await.map(|_| ())
            } else {
                let page = PageRequest::parse(Some(100), None).unwrap();
                invoices::list(&store, sender.id, &ListFilter::default(), page).await.map(|_| ())
            }
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let page = invoices::list(&store, sender.id, &ListFilter::default(), PageRequest::parse(Some(100), None).unwrap())
        .await
        .unwrap();
    let mut numbers: Vec<_> = page.data.iter().map(|i| i.id.clone()).collect();
    numbers.sort();
    let code = numbers[0].split('-').next().unwrap().to_string();
    let expected: Vec<_> = (1..=22).map(|n| domain::code::invoice_number(&code, n)).collect();
    assert_eq!(numbers, expected, "gapless numbers while reads go on beside the writes");
}
on_both_databases!(concurrent_reads_and_writes_on_the_split_connections);

//! /api/v1/invoices/{number}/payments: a partial payment shows the balance on the invoice,
//! the rest makes it paid; every refusal is a 4xx with its field and changes nothing; the
//! list filters overdue invoices and sorts by due date and amount — on SQLite and PostgreSQL.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use reqwest::Method;
use serde_json::json;
use support::TestApp;

fn invoice(cents: i64, due: &str) -> serde_json::Value {
    json!({"recipient": {"company": "Acme", "email": "ap@acme.test"}, "issue_date": "2020-01-01", "due_date": due,
        "line_items": [{"description": "Design", "unit_price_cents": cents}]})
}

async fn a_payment_lowers_the_balance_and_the_last_one_settles(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@studio.test", Some("Studio")).await;
    let (status, made) = app.post(&key, "/api/v1/invoices", invoice(250_000, "2031-01-31")).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!((made["amount_paid_cents"].as_i64(), made["balance_due_cents"].as_i64()), (Some(0), Some(250_000)));
    let pay = "/api/v1/invoices/ACME-0001/payments";

    // A draft takes no payment.
    let (status, refused) = app.post(&key, pay, json!({"amount_cents": 100, "method": "cash"})).await;
    assert_eq!((status, refused["field"].as_str()), (409, Some("amount_cents")), "{refused}");
    assert_eq!(app.patch(&key, "/api/v1/invoices/ACME-0001", json!({"status": "sent"})).await.0, 200);

    let half =
        json!({"amount_cents": 125_000, "method": "bank_transfer", "reference": "SEPA 42", "paid_on": "2026-11-20"});
    let (status, payment) = app.post(&key, pay, half).await;
    assert_eq!(status, 201, "{payment}");
    assert_eq!(payment["amount_cents"], 125_000);
    assert_eq!(
        (payment["method"].as_str(), payment["invoice_id"].as_str()),
        (Some("bank_transfer"), Some("ACME-0001"))
    );
    assert_eq!((payment["paid_on"].as_str(), payment["currency"].as_str()), (Some("2026-11-20"), Some("USD")));
    let (_, now) = app.get(&key, "/api/v1/invoices/ACME-0001").await;
    assert_eq!((now["status"].as_str(), now["balance_due_cents"].as_i64()), (Some("sent"), Some(125_000)));

    // Refusals: each names its field, and nothing changes.
    let refusals = [
        (json!({"amount_cents": 125_001, "method": "cash"}), 409, "amount_cents"),
        (json!({"amount_cents": 0, "method": "cash"}), 400, "amount_cents"),
        (json!({"amount_cents": 100, "method": "card"}), 400, "method"),
        (json!({"amount_cents": 100, "method": "cash", "paid_on": "2999-01-01"}), 400, "paid_on"),
        (json!({"amount_cents": "100", "method": "cash"}), 400, "amount_cents"),
        (json!({"method": "cash"}), 400, "amount_cents"),
        (json!({"amount_cents": 100, "method": "cash", "tip": 1}), 400, "tip"),
        (json!({"amount_cents": -125_001, "method": "cash"}), 409, "amount_cents"),
    ];
    for (body, code, field) in refusals {
        let (status, error) = app.post(&key, pay, body.clone()).await;
        assert_eq!((status, error["field"].as_str()), (code, Some(field)), "{body} → {error}");
        assert!(error["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    let (_, listed) = app.get(&key, pay).await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1, "{listed}");

    let (status, _) = app.post(&key, pay, json!({"amount_cents": 125_000, "method": "cash"})).await;
    assert_eq!(status, 201);
    let (_, paid) = app.get(&key, "/api/v1/invoices/ACME-0001").await;
    assert_eq!((paid["status"].as_str(), paid["balance_due_cents"].as_i64()), (Some("paid"), Some(0)));
    assert_eq!(paid["amount_paid_cents"], 250_000);
    assert!(paid["paid_at"].is_string());

    // Another sender's key finds nothing there.
    let other = app.key("other@x.test", Some("Other")).await;
    assert_eq!(app.get(&other, pay).await.0, 404);
    assert_eq!(app.post(&other, pay, json!({"amount_cents": 1, "method": "cash"})).await.0, 404);
    let (status, _) = app.json(Method::POST, None, pay, Some(json!({"amount_cents": 1, "method": "cash"}))).await;
    assert_eq!(status, 401);
}
on_both_databases!(a_payment_lowers_the_balance_and_the_last_one_settles);

async fn marking_paid_still_works_and_records_the_balance(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@studio.test", Some("Studio")).await;
    app.post(&key, "/api/v1/invoices", invoice(10_000, "2031-01-31")).await;
    app.patch(&key, "/api/v1/invoices/ACME-0001", json!({"status": "sent"})).await;
    app.post(&key, "/api/v1/invoices/ACME-0001/payments", json!({"amount_cents": 4_000, "method": "cash"})).await;
    let (status, paid) = app.patch(&key, "/api/v1/invoices/ACME-0001", json!({"status": "paid"})).await;
    assert_eq!((status, paid["status"].as_str(), paid["balance_due_cents"].as_i64()), (200, Some("paid"), Some(0)));
    let (_, listed) = app.get(&key, "/api/v1/invoices/ACME-0001/payments").await;
    let amounts: Vec<_> = listed["data"].as_array().unwrap().iter().map(|p| p["amount_cents"].as_i64()).collect();
    assert_eq!(amounts, [Some(4_000), Some(6_000)]);
}
on_both_databases!(marking_paid_still_works_and_records_the_balance);

async fn the_list_filters_overdue_and_sorts(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@studio.test", Some("Studio")).await;
    for (cents, due) in [(300, "2020-03-01"), (100, "2031-01-01"), (200, "2020-02-01")] {
        let (_, made) = app.post(&key, "/api/v1/invoices", invoice(cents, due)).await;
        let path = format!("/api/v1/invoices/{}", made["id"].as_str().unwrap());
        app.patch(&key, &path, json!({"status": "sent"})).await;
    }
    let numbers = |page: &serde_json::Value| -> Vec<String> {
        page["data"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
    };
    let (_, overdue) = app.get(&key, "/api/v1/invoices?overdue=true&sort=due_date").await;
    assert_eq!(numbers(&overdue), ["ACME-0003", "ACME-0001"]);
    let (_, by_amount) = app.get(&key, "/api/v1/invoices?sort=-amount&limit=2").await;
    assert_eq!(numbers(&by_amount), ["ACME-0001", "ACME-0003"]);
    let cursor = by_amount["next_cursor"].as_str().unwrap();
    let (_, rest) = app.get(&key, &format!("/api/v1/invoices?sort=-amount&limit=2&cursor={cursor}")).await;
    assert_eq!(numbers(&rest), ["ACME-0002"]);
    // Any 11 characters are a cursor; one naming no row of ours is past the end.
    let (status, past) = app.get(&key, "/api/v1/invoices?sort=due_date&cursor=M_ouO2zyD5y").await;
    assert_eq!((status, past["data"].as_array().map(Vec::len)), (200, Some(0)), "{past}");
    for (query, field) in [("sort=fastest", "sort"), ("overdue=yes", "overdue"), ("sort=amount&q=acme", "sort")] {
        let (status, error) = app.get(&key, &format!("/api/v1/invoices?{query}")).await;
        assert_eq!((status, error["field"].as_str()), (400, Some(field)), "{query}");
    }
}
on_both_databases!(the_list_filters_overdue_and_sorts);

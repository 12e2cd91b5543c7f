//! The per-client limits over HTTP, behind a trusted proxy (TRUST_PROXY), on a stopped clock
//! so a window never ends mid-test: the real sign-in limit (10 links a minute per client)
//! and the anonymous-invoice limit (5 a minute), with IPv6 clients counted per /64 and IPv4
//! clients per address — on SQLite and PostgreSQL.

mod support;

use chrono::{TimeZone, Utc};
use data::on_both_databases;
use data::testkit::TestDb;
use serde_json::json;
use support::TestApp;

/// 2031-01-10 09:00:05, standing still.
async fn app(db: TestDb) -> TestApp {
    let at = Utc.with_ymd_and_hms(2031, 1, 10, 9, 0, 5).unwrap();
    TestApp::start_with_clock(db, data::clock::Clock::stopped(at), |s| {
        s.with_trusted_proxies("127.0.0.1".parse().expect("proxies"))
    })
    .await
}

/// Asks for a sign-in link as a browser's plain form does, from `client` (as our proxy saw it).
async fn sign_in_from(app: &TestApp, client: &str, email: &str) -> u16 {
    let res = app
        .client
        .post(format!("{}/fn/request_sign_in", app.base))
        .header("accept", "application/json")
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", client)
        .form(&[("email", email)])
        .send()
        .await
        .expect("request");
    res.status().as_u16()
}

async fn anonymous_invoice_from(app: &TestApp, client: &str) -> u16 {
    let body = json!({
        "sender": {"company": "Pixel & Co"},
        "recipient": {"company": "Acme Corp", "email": "ap@acme.test"},
        "due_date": "2031-02-01",
        "line_items": [{"description": "Design", "quantity": 1, "unit_price_cents": 1000}]
    });
    let res = app
        .client
        .post(format!("{}/api/v1/invoices/anonymous", app.base))
        .header("x-forwarded-for", client)
        .json(&body)
        .send()
        .await
        .expect("request");
    res.status().as_u16()
}

async fn sign_in_links_are_limited_per_client_network(db: TestDb) {
    let app = app(db).await;
    // Ten addresses of one /64 are one client: ten links, then 429.
    for n in 1..=10 {
        let status = sign_in_from(&app, &format!("2001:db8:aa:1::{n:x}"), &format!("p{n}@x.test")).await;
        assert!(status < 400, "link {n}: {status}");
    }
    assert_eq!(sign_in_from(&app, "2001:db8:aa:1:ffff::1", "p11@x.test").await, 429, "the 11th from the same /64");
    // The next /64 is another client.
    assert!(sign_in_from(&app, "2001:db8:aa:2::1", "p12@x.test").await < 400, "another /64");
    // IPv4 clients are counted per address.
    for n in 1..=10 {
        assert!(sign_in_from(&app, "203.0.113.9", &format!("v{n}@x.test")).await < 400);
    }
    assert_eq!(sign_in_from(&app, "203.0.113.9", "v11@x.test").await, 429);
    assert!(sign_in_from(&app, "203.0.113.10", "v12@x.test").await < 400, "the neighbouring address");
}
on_both_databases!(sign_in_links_are_limited_per_client_network);

async fn anonymous_invoices_are_limited_per_client_network(db: TestDb) {
    let app = app(db).await;
    for n in 1..=5 {
        assert_eq!(anonymous_invoice_from(&app, &format!("2001:db8:bb:7:{n}::1")).await, 201, "invoice {n}");
    }
    assert_eq!(anonymous_invoice_from(&app, "2001:db8:bb:7:99::1").await, 429, "the 6th from one /64");
    assert_eq!(anonymous_invoice_from(&app, "2001:db8:bb:8::1").await, 201, "another /64");
}
on_both_databases!(anonymous_invoices_are_limited_per_client_network);

//! What a request costs the database, seen from outside: an API read is one query once
//! its key was checked, opening a share link again writes nothing while answering, and the
//! OpenAPI document is the same bytes every time.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use reqwest::Method;
use support::{TestApp, guide_invoice};

async fn an_api_read_is_one_query(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("reads@studio.test", Some("Studio")).await;
    let (status, created) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    assert_eq!(status, 201, "{created}");
    let path = format!("/api/v1/invoices/{}", created["id"].as_str().expect("number"));
    assert_eq!(app.get(&key, &path).await.0, 200);
    app.statements.take();

    let (status, body) = app.get(&key, &path).await;
    assert_eq!((status, &body["id"]), (200, &created["id"]));
    let sql = app.statements.take_sql();
    assert_eq!(sql.len(), 1, "the invoice with its lines, the key checked a moment ago: {sql:#?}");
}
on_both_databases!(an_api_read_is_one_query);

async fn opening_a_link_again_writes_after_the_answer(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("views@studio.test", Some("Studio")).await;
    let (_, created) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    let number = created["id"].as_str().expect("number").to_string();
    let (status, sent) = app.post(&key, &format!("/api/v1/invoices/{number}/send"), serde_json::json!({})).await;
    assert_eq!(status, 200, "{sent}");
    let page = format!("{}/i/{}", app.base, sent["share_token"].as_str().expect("token"));

    // The first view moves sent → viewed in the request, as before.
    assert_eq!(app.client.get(&page).send().await.expect("page").status(), 200);
    assert_eq!(app.get(&key, &format!("/api/v1/invoices/{number}")).await.1["status"], "viewed");
    app.statements.take();

    let res = app.client.get(&page).send().await.expect("page");
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains(&number));
    let writes: Vec<_> = app.statements.take_sql().into_iter().filter(|s| !s.starts_with("SELECT")).collect();
    assert!(writes.is_empty(), "nothing written while answering: {writes:#?}");
    assert_eq!(data::shared::record_pending_views(&app.store).await.expect("write views"), 1);
    let sender = data::senders::find_by_email(&app.store.db, "views@studio.test").await.expect("db").expect("sender");
    let timeline = data::invoices::timeline(&app.store, sender.id, &number).await.expect("timeline");
    let viewed = timeline.iter().filter(|e| e.event_type == data::events::VIEWED).count();
    assert_eq!(viewed, 1, "one viewed event, however often the link is opened: {timeline:?}");
}
on_both_databases!(opening_a_link_again_writes_after_the_answer);

async fn the_openapi_document_is_built_once(db: TestDb) {
    let app = TestApp::start(db).await;
    let first = app.call(Method::GET, None, "/api/openapi.json", None).await;
    assert_eq!(first.headers()["content-type"], "application/json");
    let first = first.bytes().await.expect("body");
    let again = app.call(Method::GET, None, "/.well-known/openapi.json", None).await.bytes().await.expect("body");
    assert_eq!(first, again);
    let doc: serde_json::Value = serde_json::from_slice(&first).expect("JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(app.statements.take_sql().iter().all(|s| !s.contains("invoices")), "no database work");
}
on_both_databases!(the_openapi_document_is_built_once);

//! The web app over HTTP: pages need a session, forms refuse cross-site posts, and server
//! functions see only the signed-in sender's data — on SQLite and PostgreSQL.

mod support;

use data::events::Actor;
use data::on_both_databases;
use data::testkit::TestDb;
use serde_json::json;
use support::{TestApp, guide_invoice};

async fn sender_pages_send_visitors_to_sign_in(db: TestDb) {
    let app = TestApp::start(db).await;
    for (path, next) in
        [("/invoices", "%2Finvoices"), ("/customers/7?tab=a", "%2Fcustomers%2F7%3Ftab%3Da"), ("/keys", "%2Fkeys")]
    {
        let res = app.client.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(res.status(), 303, "{path}");
        assert_eq!(res.headers()["location"], format!("/signin?next={next}"));
    }
    // A stale or forged cookie is no session.
    let res =
        app.client.get(format!("{}/invoices", app.base)).header("cookie", "ji_session=forged").send().await.unwrap();
    assert_eq!(res.status(), 303);

    let cookie = app.session_cookie("me@x.test", Some("My Studio")).await;
    let res = app.client.get(format!("{}/invoices", app.base)).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("New invoice"));
    // Public pages stay public.
    let res = app.client.get(format!("{}/signin", app.base)).send().await.unwrap();
    assert_eq!(res.status(), 200);
}
on_both_databases!(sender_pages_send_visitors_to_sign_in);

async fn cross_site_form_posts_are_refused(db: TestDb) {
    let app = TestApp::start(db).await;
    let cookie = app.session_cookie("me@x.test", Some("My Studio")).await;
    let post = |headers: Vec<(&'static str, String)>| {
        let mut req =
            app.client.post(format!("{}/fn/mint_key", app.base)).header("cookie", &cookie).form(&[("name", "stolen")]);
        for (k, v) in headers {
            req = req.header(k, v);
        }
        req.send()
    };
    let res = post(vec![("sec-fetch-site", "cross-site".into())]).await.unwrap();
    assert_eq!(res.status(), 403);
    let res = post(vec![("origin", "https://evil.test".into())]).await.unwrap();
    assert_eq!(res.status(), 403);
    let sender = data::senders::find_by_email(&app.store.db, "me@x.test").await.unwrap().unwrap();
    assert!(data::api_keys::list(&app.store.db, sender.id).await.unwrap().is_empty(), "no key was minted");

    let host = app.base.trim_start_matches("http://").to_string();
    let res = post(vec![("origin", format!("http://{host}")), ("accept", "application/json".into())]).await.unwrap();
    assert_eq!(res.status(), 200, "a same-origin post works");
    // The bearer API is not cookie-authenticated, so it needs no such check.
    let key = app.key("me@x.test", None).await;
    let res = app
        .client
        .get(format!("{}/api/v1/invoices", app.base))
        .bearer_auth(&key)
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}
on_both_databases!(cross_site_form_posts_are_refused);

async fn server_functions_see_only_their_senders_data(db: TestDb) {
    let app = TestApp::start(db).await;
    let theirs = app.key("them@x.test", Some("Their Firm")).await;
    let (_, their_invoice) = app.post(&theirs, "/api/v1/invoices", guide_invoice()).await;
    let their_customer = their_invoice["customer_id"].as_i64().unwrap().to_string();
    let mine = app.session_cookie("me@x.test", Some("My Studio")).await;

    let (status, anonymous) = app.server_fn(None, "list_invoices", &[]).await;
    assert_eq!((status, anonymous["kind"].as_str()), (401, Some("Unauthorized")), "{anonymous}");

    let (_, listed) = app.server_fn(Some(&mine), "list_invoices", &[]).await;
    assert_eq!(listed["rows"], json!([]), "{listed}");
    for (name, form) in [
        ("load_invoice", vec![("number", "ACME-0001")]),
        ("invoice_action", vec![("number", "ACME-0001"), ("action", "cancelled")]),
        ("load_customer", vec![("id", their_customer.as_str())]),
    ] {
        let (status, body) = app.server_fn(Some(&mine), name, &form).await;
        assert_eq!((status, body["kind"].as_str()), (404, Some("NotFound")), "{name}: {body}");
    }
    let (_, body) = app
        .server_fn(Some(&mine), "save_customer", &[("id", their_customer.as_str()), ("customer[company]", "Hijacked")])
        .await;
    assert_eq!(body["kind"], "NotFound", "{body}");
    let them = data::senders::find_by_email(&app.store.db, "them@x.test").await.unwrap().unwrap();
    let untouched = data::invoices::get(&app.store, them.id, "ACME-0001").await.unwrap();
    assert_eq!(untouched.status, domain::Status::Draft);
    assert_eq!(
        data::customers::get(&app.store, them.id, their_invoice["customer_id"].as_i64().unwrap())
            .await
            .unwrap()
            .company,
        "Acme Corp"
    );
    let their_key = data::api_keys::list(&app.store.db, them.id).await.unwrap()[0].id.to_string();
    let (_, body) = app.server_fn(Some(&mine), "revoke_key", &[("id", their_key.as_str())]).await;
    assert_eq!(body["kind"], "NotFound");
    let (status, _) = app.get(&theirs, "/api/v1/invoices").await;
    assert_eq!(status, 200, "their key still works");
}
on_both_databases!(server_functions_see_only_their_senders_data);

async fn forms_work_as_plain_posts(db: TestDb) {
    let app = TestApp::start(db).await;
    let cookie = app.session_cookie("me@x.test", Some("My Studio")).await;
    let plain = |name: &str, form: Vec<(&'static str, &'static str)>| {
        app.client
            .post(format!("{}/fn/{name}", app.base))
            .header("cookie", &cookie)
            .header("accept", "text/html")
            .header("referer", format!("{}/somewhere", app.base))
            .form(&form)
            .send()
    };
    // A key minted without JavaScript is handed to the next page, once.
    let res = plain("mint_key", vec![("name", "plain")]).await.unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/keys");
    let (_, first) = app.server_fn(Some(&cookie), "take_new_key", &[]).await;
    assert!(first.as_str().is_some_and(|k| k.starts_with("jk_live_")), "{first}");
    let (_, second) = app.server_fn(Some(&cookie), "take_new_key", &[]).await;
    assert_eq!(second, serde_json::Value::Null);

    // "Update totals" keeps the form for the editor, saves nothing.
    let res = plain(
        "save_invoice",
        vec![
            ("number", ""),
            ("intent", "recalculate"),
            ("invoice[recipient_company]", "Globex"),
            ("invoice[lines][0][description]", "Work"),
            ("invoice[lines][0][unit_price]", "12.50"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(res.headers()["location"], "/invoices/new");
    let (_, editor) = app.server_fn(Some(&cookie), "load_editor", &[]).await;
    assert_eq!(editor["form"]["lines"][0]["unit_price"], "12.50", "{editor}");
    let (_, listed) = app.server_fn(Some(&cookie), "list_invoices", &[]).await;
    assert_eq!(listed["rows"], json!([]));

    // Saving creates it and shows its page.
    let res = plain(
        "save_invoice",
        vec![
            ("number", ""),
            ("invoice[recipient_company]", "Globex"),
            ("invoice[due_date]", "2026-12-31"),
            ("invoice[lines][0][description]", "Work"),
            ("invoice[lines][0][quantity]", "2"),
            ("invoice[lines][0][unit_price]", "12.50"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(res.headers()["location"], "/invoices/GLOBEX-0001");
    let sender = data::senders::find_by_email(&app.store.db, "me@x.test").await.unwrap().unwrap();
    let inv = data::invoices::get(&app.store, sender.id, "GLOBEX-0001").await.unwrap();
    assert_eq!(inv.total_cents, 2500);
    // The editor of a sent invoice saves an "updated" invoice.
    data::invoices::update(
        &app.store,
        sender.id,
        "GLOBEX-0001",
        serde_json::from_value(json!({"status": "sent"})).unwrap(),
        Actor::Api,
    )
    .await
    .unwrap();
    let res = plain(
        "save_invoice",
        vec![
            ("number", "GLOBEX-0001"),
            ("invoice[recipient_company]", "Globex"),
            ("invoice[due_date]", "2026-12-31"),
            ("invoice[lines][0][description]", "Work"),
            ("invoice[lines][0][quantity]", "3"),
            ("invoice[lines][0][unit_price]", "12.50"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(res.headers()["location"], "/invoices/GLOBEX-0001");
    let inv = data::invoices::get(&app.store, sender.id, "GLOBEX-0001").await.unwrap();
    assert_eq!((inv.total_cents, inv.status), (3750, domain::Status::Updated));
}
on_both_databases!(forms_work_as_plain_posts);

async fn the_webhooks_page_functions_act_for_their_sender_only(db: TestDb) {
    let app = TestApp::start_with(db, data::webhooks::targets::TargetPolicy { allow_private: true }).await;
    let mine = app.session_cookie("me@x.test", Some("My Studio")).await;
    // Ticked boxes post their own index: the gaps of unticked ones must not matter.
    let (status, added) = app
        .server_fn(
            Some(&mine),
            "add_webhook",
            &[
                ("webhook[url]", "http://127.0.0.1:9/hooks"),
                ("webhook[event_types][1]", "invoice.sent"),
                ("webhook[event_types][7]", "invoice.paid"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{added}");
    assert!(added["secret"].as_str().unwrap().starts_with("whsec_"));
    let me = data::senders::find_by_email(&app.store.db, "me@x.test").await.unwrap().unwrap();
    let hooks = data::webhooks::subscriptions::list(&app.store, me.id).await.unwrap();
    assert_eq!(hooks[0].event_types, vec!["invoice.sent", "invoice.paid"]);
    let id = hooks[0].id.to_string();

    let (status, refused) =
        app.server_fn(Some(&mine), "add_webhook", &[("webhook[url]", "http://93.184.216.34/hooks")]).await;
    assert_eq!((refused["kind"].as_str(), refused["field"].as_str()), (Some("Invalid"), Some("url")), "{refused}");
    assert_eq!(status, 400, "a client's mistake is a 4xx from a server function as from the API");

    let theirs = app.session_cookie("them@x.test", Some("Their Firm")).await;
    for (name, form) in [
        ("change_webhook", vec![("id", id.as_str()), ("action", "pause")]),
        ("change_webhook", vec![("id", id.as_str()), ("action", "delete")]),
        ("change_webhook", vec![("id", id.as_str()), ("action", "rotate")]),
        ("redeliver_webhook", vec![("id", id.as_str()), ("delivery_id", "1")]),
    ] {
        let (_, body) = app.server_fn(Some(&theirs), name, &form).await;
        assert_eq!(body["kind"], "NotFound", "{name}: {body}");
    }
    let (_, page) = app.server_fn(Some(&theirs), "load_webhooks", &[]).await;
    assert_eq!(page["rows"], json!([]));
    let (_, anonymous) = app.server_fn(None, "load_webhooks", &[]).await;
    assert_eq!(anonymous["kind"], "Unauthorized");
    let still = data::webhooks::subscriptions::get(&app.store, me.id, hooks[0].id).await.unwrap();
    assert!(still.active, "their clicks changed nothing");

    let (_, paused) = app.server_fn(Some(&mine), "change_webhook", &[("id", id.as_str()), ("action", "pause")]).await;
    assert_eq!(paused, json!(null));
    let (_, page) = app.server_fn(Some(&mine), "load_webhooks", &[]).await;
    assert_eq!(page["rows"][0]["hook"]["active"], false);
}
on_both_databases!(the_webhooks_page_functions_act_for_their_sender_only);

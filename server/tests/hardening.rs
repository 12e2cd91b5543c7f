//! A server that holds under hostile input: body limits, timeouts and panics answered with the
//! error shape, security headers, redirects only to this site, the client's address behind a
//! trusted proxy, a bounded PDF pool, and no secret stored in the clear — on SQLite and
//! PostgreSQL.

mod support;

use data::on_both_databases;
use data::testkit::{TestDb, text_columns_containing};
use reqwest::Method;
use serde_json::{Value, json};
use server::mail::{MailWorker, RetryPolicy, Transport};
use std::sync::Arc;
use support::{TestApp, guide_invoice};

async fn invoices_stored(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    data::entities::invoice::Entity::find().count(&app.store.db).await.unwrap()
}

/// A plain HTML form post (no JavaScript) to a server function.
async fn form_post(app: &TestApp, cookie: Option<&str>, name: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.post_form(cookie, name, "text/html", form).await
}

/// Sends `head` and then `body` on a raw connection and stops writing (as a client would
/// that waits for an early answer), then reads the whole answer.
async fn raw_exchange(app: &TestApp, head: &str, body: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut conn = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://")).await.unwrap();
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

async fn oversized_bodies_get_413_with_the_error_shape(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    // Declared too large: refused from the headers alone, before any of it is read.
    let head = format!(
        "POST /api/v1/invoices HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        2 * 1024 * 1024
    );
    let answer = raw_exchange(&app, &head, b"").await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert!(body["error"].as_str().unwrap().contains("1 MiB") && body["field"].is_null(), "{body}");

    // Signed out, five MiB to a server function: 413, not a 500.
    let head = format!(
        "POST /fn/request_sign_in HTTP/1.1\r\nHost: x\r\nSec-Fetch-Site: same-origin\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        5 * 1024 * 1024
    );
    assert!(raw_exchange(&app, &head, b"email=a%40x.test&next=").await.starts_with("HTTP/1.1 413"));

    // No Content-Length (chunked): the limit holds while reading.
    let head = format!(
        "POST /api/v1/invoices HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let chunk = [format!("{:x}\r\n", 64 * 1024).into_bytes(), vec![b' '; 64 * 1024], b"\r\n".to_vec()].concat();
    let body: Vec<u8> = chunk.iter().copied().cycle().take(chunk.len() * 17).collect();
    let answer = raw_exchange(&app, &head, &body).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // Within the limit, the same route reads the body as usual.
    let (status, _) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    assert_eq!(status, 201);
    assert_eq!(invoices_stored(&app).await, 1, "only the request within the limit stored anything");
}
on_both_databases!(oversized_bodies_get_413_with_the_error_shape);

async fn extreme_numbers_get_a_400_never_a_dropped_connection(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    let cookie = app.session_cookie("me@x.test", Some("My Studio")).await;
    for number in ["79228162514264337593543950335", "1e308", "-1e308", "18446744073709551616", "0.1e-320"] {
        for (field, line) in [
            ("quantity", format!("\"quantity\":{number},\"unit_price_cents\":1")),
            ("unit_price_cents", format!("\"quantity\":1,\"unit_price_cents\":{number}")),
        ] {
            let body = format!(
                "{{\"due_date\":\"2026-12-31\",\"recipient\":{{\"company\":\"Acme\"}},\
                 \"line_items\":[{{\"description\":\"x\",{line}}}]}}"
            );
            let res = app
                .client
                .post(format!("{}/api/v1/invoices", app.base))
                .bearer_auth(&key)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .expect("an answer, not a dropped connection");
            assert_eq!(res.status(), 400, "{body}");
            let err: Value = res.json().await.unwrap();
            assert_eq!(err["field"], format!("line_items[0].{field}"), "{body}: {err}");
        }
    }
    // The editor posted without JavaScript with a price beyond Decimal's range: "Update totals"
    // and Save both answer (a redirect back to the form with the error), no panic.
    for intent in ["recalculate", "save"] {
        let res = form_post(
            &app,
            Some(&cookie),
            "save_invoice",
            &[
                ("intent", intent),
                ("invoice[recipient_company]", "Acme"),
                ("invoice[due_date]", "2026-12-31"),
                ("invoice[lines][0][description]", "Work"),
                ("invoice[lines][0][quantity]", "2"),
                ("invoice[lines][0][unit_price]", "79228162514264337593543950335"),
            ],
        )
        .await;
        assert!(res.status().is_redirection() || res.status().is_client_error(), "{intent}: {}", res.status());
        // The editor shows the kept form and its totals again: an answer, with the error.
        let page = app.client.get(format!("{}/invoices/new", app.base)).header("cookie", &cookie).send().await;
        let page = page.expect("the editor answers");
        assert_eq!(page.status(), 200, "{intent}");
        assert!(page.text().await.unwrap().contains("enter an amount like 1250.00"), "{intent}: the error is shown");
    }
    assert_eq!(invoices_stored(&app).await, 0, "nothing was stored");
}
on_both_databases!(extreme_numbers_get_a_400_never_a_dropped_connection);

async fn pages_carry_security_headers(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    let (_, invoice) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    let res = app.client.get(format!("{}/signin", app.base)).send().await.unwrap();
    let h = res.headers().clone();
    let html = res.text().await.unwrap();
    let csp = h.get("content-security-policy").unwrap_or_else(|| panic!("no CSP: {h:?} {html}")).to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce in the policy");
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the policy's nonce");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert!(h.get("strict-transport-security").is_none(), "http: no HSTS");

    // The share link is the recipient's credential: its page never sends it on as a Referer.
    let shared = app.client.get(invoice["share_url"].as_str().unwrap().replace("http://invoices.test", &app.base));
    let res = shared.send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    let pdf = app.client.get(format!("{}/i/{}/pdf", app.base, invoice["share_token"].as_str().unwrap()));
    assert_eq!(pdf.send().await.unwrap().headers()["referrer-policy"], "no-referrer");
    // The API answers JSON with nosniff too.
    let res = app.call(Method::GET, Some(&key), "/api/v1/invoices", None).await;
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
}
on_both_databases!(pages_carry_security_headers);

async fn share_page_forms_return_to_the_page_without_a_referer(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    let (_, invoice) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    let number = invoice["id"].as_str().unwrap();
    app.patch(&key, &format!("/api/v1/invoices/{number}"), json!({"status": "sent"})).await;
    let token = invoice["share_token"].as_str().unwrap();
    // The page sends no Referer (no-referrer): a refused post still comes back to it, with the error.
    let res = form_post(&app, None, "approve_invoice", &[("token", token), ("name", "   ")]).await;
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.starts_with(&format!("/i/{token}?")) && back.contains("__err="), "{back}");
    let res = form_post(&app, None, "approve_invoice", &[("token", token), ("name", "Road Runner")]).await;
    assert_eq!(res.headers()["location"], format!("/i/{token}?done=approved"));
}
on_both_databases!(share_page_forms_return_to_the_page_without_a_referer);

async fn https_deployments_send_hsts(db: TestDb) {
    let app = TestApp::start_with_state(db, |mut s| {
        s.web.secure_cookies = true;
        s
    })
    .await;
    let res = app.client.get(format!("{}/", app.base)).send().await.unwrap();
    assert_eq!(res.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
}
on_both_databases!(https_deployments_send_hsts);

async fn sign_in_returns_only_to_this_site_and_decodes_next_once(db: TestDb) {
    let app = TestApp::start(db).await;
    // The page keeps `next` as given once decoded: %2561 stays %61.
    let page = app
        .client
        .get(format!("{}/signin?next=%2Finvoices%2F%2561b%3Fx%3D%252F", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("value=\"/invoices/%61b?x=%2F\""), "{page}");

    for (next, expected) in [
        ("/invoices/%61b?x=%2F", "/invoices/%61b?x=%2F"),
        ("/\t/evil.test", "/invoices"),
        ("//evil.test", "/invoices"),
        ("/\\evil.test", "/invoices"),
        ("https://evil.test/", "/invoices"),
    ] {
        let res = form_post(&app, None, "request_sign_in", &[("email", "me@x.test"), ("next", next)]).await;
        assert_eq!(res.status(), 302, "{next:?}");
        let jobs = data::jobs::pending(&app.store.db, data::jobs::KIND_MAIL).await.unwrap();
        let link = sign_in_link(&app.store, jobs.last().unwrap());
        let token = link.split("token=").nth(1).unwrap().to_string();
        let res = form_post(&app, None, "complete_sign_in", &[("token", &token)]).await;
        assert_eq!(res.headers()["location"], expected, "{next:?}");
    }
}
on_both_databases!(sign_in_returns_only_to_this_site_and_decodes_next_once);

async fn the_client_address_comes_from_a_trusted_proxy_only(db: TestDb) {
    for (trust, expected) in [(None, "127.0.0.1"), (Some("127.0.0.1"), "203.0.113.9")] {
        let db = TestDb::new(db.backend).await.expect("db");
        let app = TestApp::start_with_state(db, |s| match trust {
            Some(t) => s.with_trusted_proxies(t.parse().unwrap()),
            None => s,
        })
        .await;
        let key = app.key("me@x.test", Some("My Studio")).await;
        let (_, invoice) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
        let number = invoice["id"].as_str().unwrap().to_string();
        app.patch(&key, &format!("/api/v1/invoices/{number}"), json!({"status": "sent"})).await;
        let url = format!("{}/i/{}", app.base, invoice["share_token"].as_str().unwrap());
        let res = app.client.get(url).header("x-forwarded-for", "198.51.100.1, 203.0.113.9").send().await.unwrap();
        assert_eq!(res.status(), 200);
        use sea_orm::EntityTrait;
        let views: Vec<String> = data::entities::invoice_view::Entity::find()
            .all(&app.store.db)
            .await
            .unwrap()
            .into_iter()
            .filter_map(|v| v.ip)
            .collect();
        assert_eq!(views, vec![expected.to_string()], "trust {trust:?}");
    }
}
on_both_databases!(the_client_address_comes_from_a_trusted_proxy_only);

async fn a_saturated_pdf_pool_answers_503_with_retry_after(db: TestDb) {
    let app = TestApp::start_with_state(db, |s| {
        s.with_pdf_pool(server::pdf::PdfPool::with_slots(0).waiting(std::time::Duration::ZERO))
    })
    .await;
    let key = app.key("me@x.test", Some("My Studio")).await;
    let (_, invoice) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    let res = app
        .call(Method::GET, Some(&key), &format!("/api/v1/invoices/{}/pdf", invoice["id"].as_str().unwrap()), None)
        .await;
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers()["retry-after"], "5");
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("try again"), "{body}");
}
on_both_databases!(a_saturated_pdf_pool_answers_503_with_retry_after);

/// Every flow that handles a secret leaves none of it in the clear in any text column.
async fn no_secret_is_stored_in_the_clear(db: TestDb) {
    let app = TestApp::start_with(db, data::webhooks::targets::TargetPolicy { allow_private: true }).await;
    let store = app.store.clone();
    let leaks = async |secret: &str, what: &str| {
        let found = text_columns_containing(&store, secret).await;
        assert!(found.is_empty(), "the {what} is stored in the clear in {found:?}");
    };
    let mail_dir = tempfile::tempdir().unwrap();
    let mail = MailWorker {
        store: store.clone(),
        transport: Arc::new(Transport::from_url(None, mail_dir.path().to_path_buf()).unwrap()),
        pdf: Arc::new(server::pdf::PdfPool::default()),
        from: "x@x.test".into(),
        retry: RetryPolicy::default(),
        poll_every: std::time::Duration::from_millis(10),
    };

    // Sign-in: the link waits sealed in the queue, is wiped once sent, and the session id is hashed.
    form_post(&app, None, "request_sign_in", &[("email", "me@x.test"), ("next", "/keys")]).await;
    let job = data::jobs::pending(&store.db, data::jobs::KIND_MAIL).await.unwrap().pop().unwrap();
    let link = sign_in_link(&store, &job);
    let token = link.split("token=").nth(1).unwrap().to_string();
    leaks(&token, "sign-in token (queued)").await;
    assert_eq!(mail.deliver_due().await.unwrap(), 1);
    leaks(&token, "sign-in token (sent)").await;
    let res = form_post(&app, None, "complete_sign_in", &[("token", &token)]).await;
    let cookie = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let session_id = cookie.split_once('=').unwrap().1.to_string();
    leaks(&session_id, "session id").await;

    // A key minted on the page without JavaScript waits sealed for the next page load.
    let res = form_post(&app, Some(&cookie), "mint_key", &[("name", "CI")]).await;
    assert!(res.status().is_redirection());
    let (_, shown) = app.server_fn(Some(&cookie), "take_new_key", &[]).await;
    let key = shown.as_str().expect("the key, once").to_string();
    assert!(key.starts_with("jk_live_"));
    leaks(&key, "API key").await;
    leaks(&key[8..], "API key body").await;

    // Webhook create: the signing secret is sealed.
    data::senders::ensure(&store.db, store.now(), "me@x.test", Some("My Studio")).await.unwrap();
    let rx = support::receiver::Receiver::default();
    let url = rx.start().await;
    let (status, hook) = app.post(&key, "/api/v1/webhooks", json!({"url": url})).await;
    assert_eq!(status, 201, "{hook}");
    let whsec = hook["secret"].as_str().unwrap().to_string();
    leaks(&whsec, "webhook secret").await;
    leaks(whsec.trim_start_matches("whsec_"), "webhook secret body").await;

    // Send: the share token is in the invoice row sealed, in the mail and the webhook body sealed,
    // and in no version snapshot.
    let (_, invoice) = app.post(&key, "/api/v1/invoices", guide_invoice()).await;
    let number = invoice["id"].as_str().unwrap();
    let (status, sent) = app.post(&key, &format!("/api/v1/invoices/{number}/send"), json!({})).await;
    assert_eq!(status, 200, "{sent}");
    let share = sent["share_token"].as_str().unwrap().to_string();
    leaks(&share, "share token").await;
    mail.deliver_due().await.unwrap();
    leaks(&share, "share token (after the mail went out)").await;
}
on_both_databases!(no_secret_is_stored_in_the_clear);

fn sign_in_link(store: &data::Store, job: &data::jobs::Job) -> String {
    match data::mail::of(store, job).unwrap().mail {
        data::mail::Mail::SignIn { link, .. } => link,
        other => panic!("not a sign-in mail: {other:?}"),
    }
}

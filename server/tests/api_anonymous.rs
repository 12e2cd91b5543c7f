//! POST /api/v1/invoices/anonymous over HTTP: the contract (201, the cookie and its flags,
//! every refusal with its field), the per-client limit exactly at its boundary with the IETF
//! RateLimit headers (refused and honeypot requests counted), Turnstile against the stand-in,
//! and a sign-in in the same "browser" claiming it — on SQLite and PostgreSQL.

mod support;

use chrono::{TimeZone, Utc};
use data::on_both_databases;
use data::testkit::TestDb;
use reqwest::Response;
use serde_json::{Value, json};
use std::sync::Arc;
use support::TestApp;
use support::turnstile::{DUMMY_TOKEN, FAILS, PASSES, Siteverify};

const PATH: &str = "/api/v1/invoices/anonymous";
const POLICY: &str = r#""min";q=5;w=60, "hour";q=30;w=3600, "day";q=100;w=86400"#;

fn body() -> Value {
    json!({
        "sender": {"company": "Pixel & Co", "email": "hello@pixel.test", "iban": "DE89 3704 0044 0532 0130 00"},
        "recipient": {"company": "Acme Corp", "email": "ap@acme.test"},
        "due_date": "2031-02-01",
        "line_items": [{"description": "Design", "quantity": 2, "unit_price_cents": 125000}],
        "tax": {"label": "VAT", "rate": 20},
        "website": ""
    })
}

/// 2031-01-10 09:00:19, standing still: the minute's window ends in 41 s.
async fn app(db: TestDb) -> TestApp {
    let at = Utc.with_ymd_and_hms(2031, 1, 10, 9, 0, 19).unwrap();
    TestApp::start_with_clock(db, data::clock::Clock::stopped(at), |s| s).await
}

async fn post(app: &TestApp, cookie: Option<&str>, body: &Value) -> Response {
    let mut req = app.client.post(format!("{}{PATH}", app.base)).json(body);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.send().await.expect("request")
}

fn header(res: &Response, name: &str) -> String {
    res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

async fn refusal(res: Response) -> (u16, Value) {
    let status = res.status().as_u16();
    (status, res.json().await.expect("JSON error"))
}

async fn anonymous_invoices(app: &TestApp) -> i64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    data::entities::invoice::Entity::find().count(&app.store.db).await.unwrap() as i64
}

async fn the_endpoint_makes_an_invoice_and_a_session_without_a_key(db: TestDb) {
    let app = app(db).await;
    let res = post(&app, None, &body()).await;
    assert_eq!(res.status().as_u16(), 201);
    assert_eq!(header(&res, "ratelimit-policy"), POLICY, "the headers come with a success too");
    assert_eq!(header(&res, "ratelimit"), r#""min";r=4;t=41"#);
    let cookie = header(&res, "set-cookie");
    assert!(cookie.starts_with("ji_anon_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http here; Secure on https");
    let secret = cookie.split(';').next().unwrap().trim_start_matches("ji_anon_session=").to_string();
    assert!(secret.len() >= 43, "≥ 256 random bits");
    let invoice: Value = res.json().await.unwrap();
    assert_eq!(invoice["id"], "ACME-0001");
    assert_eq!(invoice["status"], "sent", "issued: its link is what its maker sends");
    assert_eq!((invoice["subtotal_cents"].as_i64(), invoice["total_cents"].as_i64()), (Some(250_000), Some(300_000)));
    let share_url = invoice["share_url"].as_str().unwrap().to_string();
    let share_path = &share_url[share_url.find("/i/").expect("a share link")..];
    let share_url = format!("{}{share_path}", app.base);

    // The same "browser" (the cookie sent back) keeps one session and one numbering.
    let again = post(&app, Some(&format!("ji_anon_session={secret}")), &body()).await;
    assert_eq!(again.status().as_u16(), 201);
    assert_eq!(header(&again, "set-cookie").split(';').next().unwrap(), format!("ji_anon_session={secret}"));
    assert_eq!(again.json::<Value>().await.unwrap()["id"], "ACME-0002");

    // The recipient's link works like any other, PDF included.
    let page = app.client.get(&share_url).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let pdf = app.client.get(format!("{share_url}/pdf")).send().await.unwrap();
    assert_eq!((pdf.status().as_u16(), header(&pdf, "content-type")), (200, "application/pdf".into()));

    // A sign-in in that browser claims both, clears the cookie and says so on the list.
    let token = app.sign_in_token("me@pixel.test").await;
    let anonymous = format!("ji_anon_session={secret}");
    let signed = app.post_form(Some(&anonymous), "complete_sign_in", "text/html", &[("token", &token)]).await;
    assert_eq!((signed.status().as_u16(), header(&signed, "location")), (302, "/invoices".into()));
    let set: Vec<String> =
        signed.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert!(set.iter().any(|c| c.starts_with("ji_anon_session=;") && c.contains("Max-Age=0")), "{set:?}");
    let session = set.iter().find(|c| c.starts_with("ji_session=")).expect("signed in").split(';').next().unwrap();
    let (status, list) = app.server_fn(Some(session), "list_invoices", &[]).await;
    assert_eq!(status, 200, "{list}");
    let numbers: Vec<&str> = list["rows"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["ACME-0002", "ACME-0001"], "numbers kept: Acme is new to this account");
    assert!(list["notice"].as_str().unwrap().contains("now in your account"), "{list}");
    assert_eq!(app.client.get(&share_url).send().await.unwrap().status().as_u16(), 200, "the link still works");

    // Signing in again with the old cookie: nothing moves, and the list says so.
    let token = app.sign_in_token("someone@else.test").await;
    let other = app.post_form(Some(&anonymous), "complete_sign_in", "text/html", &[("token", &token)]).await;
    let set: Vec<String> =
        other.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let session = set.iter().find(|c| c.starts_with("ji_session=")).unwrap().split(';').next().unwrap();
    let (_, list) = app.server_fn(Some(session), "list_invoices", &[]).await;
    assert_eq!(list["rows"].as_array().unwrap().len(), 0);
    assert!(list["notice"].as_str().unwrap().contains("already claimed by another account"), "{list}");
}
on_both_databases!(the_endpoint_makes_an_invoice_and_a_session_without_a_key);

async fn every_refusal_names_its_field_and_stores_nothing(db: TestDb) {
    let app = app(db).await;
    let mut honeypot = body();
    honeypot["website"] = json!("http://spam.test");
    let cases = [
        (honeypot, 400, "website"),
        (
            json!({"recipient": {"company": "A"}, "due_date": "2031-02-01", "line_items": [{"description": "x", "unit_price_cents": 1}]}),
            400,
            "sender",
        ),
        (
            {
                let mut b = body();
                b["sender"]["company"] = json!("");
                b
            },
            400,
            "sender.company",
        ),
        (
            {
                let mut b = body();
                b["sender"]["iban"] = json!("DE00 0000");
                b
            },
            400,
            "sender.iban",
        ),
        (
            {
                let mut b = body();
                b["sender"]["fax"] = json!("123");
                b
            },
            400,
            "sender.fax",
        ),
        (
            {
                let mut b = body();
                b["line_items"] = json!([]);
                b
            },
            400,
            "line_items",
        ),
    ];
    for (body, status, field) in cases {
        app.store.clock().advance(chrono::Duration::seconds(60));
        let (got, error) = refusal(post(&app, None, &body).await).await;
        assert_eq!((got, error["field"].as_str()), (status, Some(field)), "{error}");
        assert!(error["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    assert_eq!(anonymous_invoices(&app).await, 0, "nothing stored");
    let not_json = app.client.post(format!("{}{PATH}", app.base)).body("company=x").send().await.unwrap();
    assert_eq!(not_json.status().as_u16(), 415);
}
on_both_databases!(every_refusal_names_its_field_and_stores_nothing);

async fn the_sixth_request_in_a_minute_is_refused_with_the_headers(db: TestDb) {
    let app = app(db).await;
    let mut honeypot = body();
    honeypot["website"] = json!("filled by a bot");
    assert_eq!(post(&app, None, &honeypot).await.status().as_u16(), 400, "counted though refused");
    for left in (0..4).rev() {
        let res = post(&app, None, &body()).await;
        assert_eq!(res.status().as_u16(), 201);
        assert_eq!(header(&res, "ratelimit"), format!("\"min\";r={left};t=41"));
    }
    let res = post(&app, None, &body()).await;
    assert_eq!(res.status().as_u16(), 429);
    assert_eq!(header(&res, "retry-after"), "41");
    assert_eq!(header(&res, "ratelimit-policy"), POLICY);
    assert_eq!(header(&res, "ratelimit"), r#""min";r=0;t=41"#);
    let (_, error) = refusal(res).await;
    assert!(error["error"].as_str().unwrap().contains("at most 5 per minute"), "{error}");
    assert_eq!(anonymous_invoices(&app).await, 4);

    app.store.clock().advance(chrono::Duration::seconds(41));
    assert_eq!(post(&app, None, &body()).await.status().as_u16(), 201, "the next minute");
}
on_both_databases!(the_sixth_request_in_a_minute_is_refused_with_the_headers);

async fn turnstile_guards_the_endpoint_when_configured(db: TestDb) {
    let stand_in = Siteverify::default();
    let url = stand_in.start().await;
    let at = Utc.with_ymd_and_hms(2031, 1, 10, 9, 0, 0).unwrap();
    let check = |secret: &str| Arc::new(server::turnstile::Turnstile::new(secret, &url).unwrap());
    let app = TestApp::start_with_clock(db, data::clock::Clock::stopped(at), |s| {
        s.with_human_check(check(PASSES), Some("1x00000000000000000000AA".into()))
    })
    .await;
    let (status, error) = refusal(post(&app, None, &body()).await).await;
    assert_eq!((status, error["field"].as_str()), (401, Some("cf_turnstile_response")));
    let mut invalid = body();
    invalid["line_items"] = json!([]);
    invalid["cf_turnstile_response"] = json!(DUMMY_TOKEN);
    assert_eq!(post(&app, None, &invalid).await.status().as_u16(), 400);
    assert!(stand_in.asked().is_empty(), "a token is not spent on a request refused anyway");
    let mut good = body();
    good["cf_turnstile_response"] = json!(DUMMY_TOKEN);
    assert_eq!(post(&app, None, &good).await.status().as_u16(), 201);
    assert_eq!(stand_in.asked()[0]["remoteip"], "127.0.0.1");

    let refusing = TestApp::start_with_clock(
        TestDb::new(data::testkit::Backend::Sqlite).await.unwrap(),
        data::clock::Clock::stopped(at),
        |s| s.with_human_check(check(FAILS), None),
    )
    .await;
    let (status, error) = refusal(post(&refusing, None, &good).await).await;
    assert_eq!((status, error["field"].as_str()), (401, Some("cf_turnstile_response")));
    assert_eq!(anonymous_invoices(&refusing).await, 0);
}
on_both_databases!(turnstile_guards_the_endpoint_when_configured);

async fn pdf_downloads_by_link_are_limited_per_client(db: TestDb) {
    let app = app(db).await;
    let made: Value = post(&app, None, &body()).await.json().await.unwrap();
    let pdf = format!("{}/i/{}/pdf", app.base, made["share_token"].as_str().unwrap());
    let guess = format!("{}/i/AAAAAAAAAAAAAAAAAAAAAA/pdf", app.base);
    assert_eq!(app.client.get(&guess).send().await.unwrap().status().as_u16(), 404, "a guess counts too");
    for _ in 0..29 {
        assert_eq!(app.client.get(&pdf).send().await.unwrap().status().as_u16(), 200);
    }
    let refused = app.client.get(&pdf).send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 429, "the 31st in a minute");
    assert_eq!(header(&refused, "retry-after"), "41");
    assert_eq!(header(&refused, "ratelimit-policy"), r#""min";q=30;w=60, "hour";q=300;w=3600"#);
    let key = app.key("me@x.test", Some("Studio")).await;
    let by_key = app.client.get(format!("{}/api/v1/invoices/ACME-0001/pdf", app.base)).bearer_auth(key).send().await;
    assert_eq!(
        by_key.unwrap().status().as_u16(),
        404,
        "API-key downloads are not counted here (another sender's number)"
    );
    app.store.clock().advance(chrono::Duration::seconds(41));
    assert_eq!(app.client.get(&pdf).send().await.unwrap().status().as_u16(), 200, "the next minute");
}
on_both_databases!(pdf_downloads_by_link_are_limited_per_client);

async fn the_widget_loads_on_new_only_and_only_when_configured(db: TestDb) {
    let check = Arc::new(server::turnstile::Turnstile::new(PASSES, "http://127.0.0.1:9/siteverify").unwrap());
    let configured = TestApp::start_with_state(db, |s| s.with_human_check(check, Some("0x4AAA-site-key".into()))).await;
    let page = configured.client.get(format!("{}/new", configured.base)).send().await.unwrap();
    let csp = header(&page, "content-security-policy");
    assert!(csp.contains("script-src 'self'") && csp.contains("https://challenges.cloudflare.com"), "{csp}");
    assert!(csp.contains("frame-src https://challenges.cloudflare.com"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"data-sitekey="0x4AAA-site-key""#), "the widget");
    assert!(html.contains(r#"data-response-field-name="cf_turnstile_response""#));
    assert!(html.contains("https://challenges.cloudflare.com/turnstile/v0/api.js"));
    assert!(html.contains(r#"name="website""#), "the honeypot");
    let home = configured.client.get(format!("{}/", configured.base)).send().await.unwrap();
    assert!(!header(&home, "content-security-policy").contains("cloudflare"), "no other page talks to Cloudflare");

    let plain = TestApp::start(TestDb::new(data::testkit::Backend::Sqlite).await.unwrap()).await;
    let page = plain.client.get(format!("{}/new", plain.base)).send().await.unwrap();
    assert!(!header(&page, "content-security-policy").contains("cloudflare"));
    let html = page.text().await.unwrap();
    assert!(!html.contains("challenges.cloudflare.com") && html.contains(r#"name="sender[company]""#), "no widget");
}
on_both_databases!(the_widget_loads_on_new_only_and_only_when_configured);

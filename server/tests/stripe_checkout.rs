//! Paying online through Stripe Checkout, against the stand-in (Stripe's wire format, events
//! signed by Stripe's own library): the Pay button, the 303 to Checkout and the session's
//! form, reuse while open, the signed webhook recording the payment once (replays, a bad or
//! stale signature, an amount that does not match), the return page confirming by retrieval
//! when the webhook is late, partial payments, and a sender's own keys — SQLite and PostgreSQL.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use reqwest::Method;
use serde_json::json;
use support::TestApp;
use support::stripe::StandIn;

const DEPLOY_KEY: &str = "sk_test_deployment";
const DEPLOY_SECRET: &str = "whsec_deployment";

/// The app with the deployment's Stripe account at the stand-in, and a sent invoice of $2,500.
async fn start(db: TestDb) -> Option<(TestApp, StandIn, String, String)> {
    start_on(db, data::clock::Clock::adjustable()).await
}

/// As `start`, with the store on `clock`.
async fn start_on(db: TestDb, clock: data::clock::Clock) -> Option<(TestApp, StandIn, String, String)> {
    let python = support::smtp::sink_python()?;
    let standin = StandIn::start(&python);
    let base = standin.base.clone();
    let app = TestApp::start_with_clock(db, clock, |s| {
        s.with_stripe(&base, Some(DEPLOY_KEY.into()), Some(DEPLOY_SECRET.into()))
    })
    .await;
    standin.send_events_to(&format!("{}/stripe/webhook", app.base), DEPLOY_SECRET).await;
    let key = app.key("me@studio.test", Some("Studio Nova")).await;
    let (_, token) = sent_invoice(&app, &key, "USD", 250_000).await;
    Some((app, standin, key, token))
}

/// A sent invoice to Acme of one line at `unit_price_cents` in `currency`: its number and link.
async fn sent_invoice(app: &TestApp, key: &str, currency: &str, unit_price_cents: i64) -> (String, String) {
    let body = json!({"recipient": {"company": "Acme", "email": "ap@acme.test"}, "due_date": "2031-01-31",
        "currency": currency, "line_items": [{"description": "Design", "unit_price_cents": unit_price_cents}]});
    let (status, made) = app.post(key, "/api/v1/invoices", body).await;
    assert_eq!(status, 201, "{made}");
    let number = made["id"].as_str().expect("number").to_string();
    app.patch(key, &format!("/api/v1/invoices/{number}"), json!({"status": "sent"})).await;
    (number, made["share_token"].as_str().expect("token").to_string())
}

/// Presses Pay on the share page: the Location it answers.
async fn press_pay(app: &TestApp, token: &str) -> (u16, String) {
    let res = app
        .client
        .post(format!("{}/i/{token}/pay", app.base))
        .header("sec-fetch-site", "same-origin")
        .header("accept", "text/html")
        .send()
        .await
        .expect("pay");
    let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (res.status().as_u16(), location)
}

async fn page(app: &TestApp, path: &str) -> String {
    app.client.get(format!("{}{path}", app.base)).send().await.expect("page").text().await.expect("html")
}

async fn invoice(app: &TestApp, key: &str) -> serde_json::Value {
    app.get(key, "/api/v1/invoices/ACME-0001").await.1
}

async fn mail_templates(app: &TestApp) -> Vec<(String, String)> {
    data::jobs::pending(&app.store.db, data::jobs::KIND_MAIL)
        .await
        .unwrap()
        .iter()
        .map(|j| data::mail::of(&app.store, j).unwrap())
        .map(|m| (m.mail.template().to_string(), m.to[0].clone()))
        .collect()
}

async fn paying_in_full_records_one_card_payment(db: TestDb) {
    let Some((app, standin, key, token)) = start(db).await else { return };
    let html = page(&app, &format!("/i/{token}")).await;
    assert!(html.contains("Pay $2,500.00"), "the share page offers Pay");
    assert!(html.contains(&format!("action=\"/i/{token}/pay\"")), "as a plain form post");

    let (status, location) = press_pay(&app, &token).await;
    assert_eq!(status, 303);
    assert!(location.starts_with(&format!("{}/checkout/cs_test_", standin.base)), "{location}");
    let sessions = standin.sessions().await;
    assert_eq!(sessions.len(), 1);
    let s = &sessions[0];
    assert_eq!(s["key"], DEPLOY_KEY);
    let form = &s["form"];
    assert_eq!(
        (form["mode"].as_str(), form["line_items[0][price_data][unit_amount]"].as_str()),
        (Some("payment"), Some("250000"))
    );
    assert_eq!(form["line_items[0][price_data][currency]"], "usd");
    assert_eq!(form["metadata[invoice_number]"], "ACME-0001");
    assert!(form["client_reference_id"].is_string());
    let link = app.store.share_url(&token);
    assert_eq!(form["success_url"], format!("{link}?payment=success&session_id={{CHECKOUT_SESSION_ID}}"));
    assert_eq!(form["cancel_url"], format!("{link}?payment=cancelled"));
    assert_eq!(form["customer_email"], "ap@acme.test");
    // Pressing Pay again while the session is open sends the payer back to it.
    assert_eq!(press_pay(&app, &token).await.1, location);
    assert_eq!(standin.sessions().await.len(), 1);

    let session = s["id"].as_str().unwrap();
    let (event, delivered) = standin.pay(session, true, None).await;
    assert_eq!(delivered, Some(200));
    let paid = invoice(&app, &key).await;
    assert_eq!((paid["status"].as_str(), paid["balance_due_cents"].as_i64()), (Some("paid"), Some(0)));
    let (_, payments) = app.get(&key, "/api/v1/invoices/ACME-0001/payments").await;
    let p = &payments["data"][0];
    assert_eq!((p["method"].as_str(), p["amount_cents"].as_i64()), (Some("card"), Some(250_000)));
    assert_eq!(
        (p["stripe_checkout_session_id"].as_str(), p["recorded_by"].as_str()),
        (Some(session), Some("recipient"))
    );
    assert!(p["stripe_payment_intent_id"].as_str().is_some_and(|pi| pi.starts_with("pi_test_")));
    let mails = mail_templates(&app).await;
    assert!(mails.contains(&("payment_receipt".into(), "ap@acme.test".into())), "{mails:?}");
    assert!(mails.contains(&("payment_received".into(), "me@studio.test".into())), "{mails:?}");

    // A replayed event is answered and changes nothing.
    let (status, body) = standin.deliver(&event, "good").await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("already_recorded")));
    let (_, payments) = app.get(&key, "/api/v1/invoices/ACME-0001/payments").await;
    assert_eq!(payments["data"].as_array().unwrap().len(), 1);

    // The payer's return shows it received; no more Pay button.
    let back = page(&app, &format!("/i/{token}?payment=success&session_id={session}")).await;
    assert!(back.contains("Payment received"), "the return page confirms it");
    assert!(!back.contains("Pay $"), "nothing left to pay");
}
on_both_databases!(paying_in_full_records_one_card_payment);

async fn a_bad_or_stale_signature_changes_nothing(db: TestDb) {
    let Some((app, standin, key, token)) = start(db).await else { return };
    press_pay(&app, &token).await;
    let session = standin.sessions().await[0]["id"].as_str().unwrap().to_string();
    let (event, _) = standin.pay(&session, false, None).await;
    for signature in ["bad", "stale"] {
        let (status, body) = standin.deliver(&event, signature).await;
        assert_eq!((status, body["field"].as_str()), (400, Some("Stripe-Signature")), "{signature}: {body}");
        assert_eq!(invoice(&app, &key).await["balance_due_cents"], 250_000, "{signature}");
    }
    // Unsigned or unparseable bodies are refused the same way.
    let res = app.client.post(format!("{}/stripe/webhook", app.base)).body("{}").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 400);
    let (status, _) = standin.deliver(&event, "good").await;
    assert_eq!(status, 200, "the genuine event still counts");
    assert_eq!(invoice(&app, &key).await["status"], "paid");
}
on_both_databases!(a_bad_or_stale_signature_changes_nothing);

async fn a_late_webhook_is_confirmed_by_retrieving_the_session(db: TestDb) {
    let Some((app, standin, key, token)) = start(db).await else { return };
    press_pay(&app, &token).await;
    let session = standin.sessions().await[0]["id"].as_str().unwrap().to_string();
    // Back before Stripe has the money: processing, nothing recorded.
    let early = page(&app, &format!("/i/{token}?payment=success&session_id={session}")).await;
    assert!(early.contains("Your payment is processing"), "not paid yet at Stripe either");
    assert_eq!(invoice(&app, &key).await["balance_due_cents"], 250_000);
    // Another link's session, or none of ours: nothing confirmed.
    let foreign = page(&app, &format!("/i/{token}?payment=success&session_id=cs_test_nope")).await;
    assert!(foreign.contains("could not confirm"));
    let (event, _) = standin.pay(&session, false, None).await;
    assert_eq!(invoice(&app, &key).await["balance_due_cents"], 250_000, "no webhook yet");
    let back = page(&app, &format!("/i/{token}?payment=success&session_id={session}")).await;
    assert!(back.contains("Payment received"), "retrieved from Stripe on return");
    assert_eq!(invoice(&app, &key).await["status"], "paid");
    let (status, body) = standin.deliver(&event, "good").await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("already_recorded")), "the late webhook adds nothing");
    let (_, payments) = app.get(&key, "/api/v1/invoices/ACME-0001/payments").await;
    assert_eq!(payments["data"].as_array().unwrap().len(), 1);
    // A cancelled checkout says so and charges nothing.
    let cancelled = page(&app, &format!("/i/{token}?payment=cancelled")).await;
    assert!(cancelled.contains("Payment cancelled"));
}
on_both_databases!(a_late_webhook_is_confirmed_by_retrieving_the_session);

async fn a_partial_payment_leaves_the_rest_to_pay_online(db: TestDb) {
    let Some((app, standin, key, token)) = start(db).await else { return };
    // An open session for the whole amount, then half is paid by bank transfer.
    press_pay(&app, &token).await;
    let body = json!({"amount_cents": 125_000, "method": "bank_transfer", "reference": "SEPA 1"});
    assert_eq!(app.post(&key, "/api/v1/invoices/ACME-0001/payments", body).await.0, 201);
    let html = page(&app, &format!("/i/{token}")).await;
    assert!(html.contains("Pay $1,250.00") && html.contains("Balance due"), "the page offers the rest");
    let (_, location) = press_pay(&app, &token).await;
    let sessions = standin.sessions().await;
    assert_eq!(sessions.len(), 2, "a new session for the new balance");
    let rest = sessions.iter().find(|s| location.ends_with(s["id"].as_str().unwrap())).expect("the new one");
    assert_eq!(rest["amount_total"], 125_000);
    standin.pay(rest["id"].as_str().unwrap(), true, None).await;
    let paid = invoice(&app, &key).await;
    assert_eq!((paid["status"].as_str(), paid["amount_paid_cents"].as_i64()), (Some("paid"), Some(250_000)));
    // The old session, paid after all, is a problem for the sender, not a second payment.
    let old = sessions.iter().find(|s| s["amount_total"] == 250_000).unwrap()["id"].as_str().unwrap().to_string();
    let (_, status) = standin.pay(&old, true, None).await;
    assert_eq!(status, Some(200));
    assert_eq!(invoice(&app, &key).await["amount_paid_cents"], 250_000);
    assert!(mail_templates(&app).await.contains(&("payment_problem".into(), "me@studio.test".into())));
}
on_both_databases!(a_partial_payment_leaves_the_rest_to_pay_online);

async fn a_delayed_method_counts_when_its_payment_succeeds(db: TestDb) {
    let Some((app, standin, key, token)) = start(db).await else { return };
    press_pay(&app, &token).await;
    let session = standin.sessions().await[0]["id"].as_str().unwrap().to_string();
    // Completed, but a bank debit's money is not there yet.
    let (event, status) = standin.event(&session, json!({"paid": false})).await;
    assert_eq!(status, Some(200));
    assert_eq!(standin.deliver(&event, "good").await.1["outcome"], "already_recorded", "seen once");
    assert_eq!(invoice(&app, &key).await["status"], "sent");
    let succeeded = json!({"type": "checkout.session.async_payment_succeeded", "paid": true});
    let (_, status) = standin.event(&session, succeeded).await;
    assert_eq!(status, Some(200));
    assert_eq!(invoice(&app, &key).await["status"], "paid");
}
on_both_databases!(a_delayed_method_counts_when_its_payment_succeeds);

async fn the_profile_keeps_a_senders_own_keys(db: TestDb) {
    let Some((app, _standin, _key, _token)) = start(db).await else { return };
    let cookie = app.session_cookie("me@studio.test", None).await;
    let (status, settings) = app.server_fn(Some(&cookie), "load_payment_settings", &[]).await;
    assert_eq!(status, 200, "{settings}");
    assert_eq!((settings["own_keys"].as_bool(), settings["deployment_account"].as_bool()), (Some(false), Some(true)));
    let sender = data::senders::find_by_email(&app.store.db, "me@studio.test").await.unwrap().unwrap();
    assert_eq!(settings["webhook_url"], format!("{}/stripe/webhook/{}", app.store.public_url(), sender.id));
    let bad = [("secret_key", "pk_live_publishable"), ("webhook_secret", "whsec_x")];
    let (status, error) = app.server_fn(Some(&cookie), "save_stripe_keys", &bad).await;
    assert_eq!((status, error["field"].as_str()), (400, Some("stripe_secret_key")), "{error}");
    let good = [("secret_key", "rk_test_mine"), ("webhook_secret", "whsec_mine")];
    assert_eq!(app.server_fn(Some(&cookie), "save_stripe_keys", &good).await.0, 200);
    assert_eq!(app.server_fn(Some(&cookie), "load_payment_settings", &[]).await.1["own_keys"], true);
    assert_eq!(
        data::payments::checkout::webhook_secret_of(&app.store, sender.id).await.unwrap().as_deref(),
        Some("whsec_mine")
    );
    assert_eq!(app.server_fn(Some(&cookie), "save_stripe_keys", &[("forget", "1")]).await.0, 200);
    assert_eq!(app.server_fn(Some(&cookie), "load_payment_settings", &[]).await.1["own_keys"], false);
    assert_eq!(app.server_fn(None, "load_payment_settings", &[]).await.0, 401, "signed-in only");
}
on_both_databases!(the_profile_keeps_a_senders_own_keys);

async fn an_amount_that_does_not_match_is_a_problem_not_a_payment(db: TestDb) {
    let Some((app, standin, key, token)) = start(db).await else { return };
    press_pay(&app, &token).await;
    let session = standin.sessions().await[0]["id"].as_str().unwrap().to_string();
    let (_, status) = standin.pay(&session, true, Some(100)).await;
    assert_eq!(status, Some(200));
    let inv = invoice(&app, &key).await;
    assert_eq!((inv["status"].as_str(), inv["amount_paid_cents"].as_i64()), (Some("sent"), Some(0)));
    let me = data::senders::find_by_email(&app.store.db, "me@studio.test").await.unwrap().unwrap();
    let events = data::invoices::timeline(&app.store, me.id, "ACME-0001").await.unwrap();
    let problem = events.iter().find(|e| e.event_type == "invoice.payment_problem").expect("a problem event");
    assert!(problem.data.contains(&session), "{}", problem.data);
    assert!(mail_templates(&app).await.contains(&("payment_problem".into(), "me@studio.test".into())));
}
on_both_databases!(an_amount_that_does_not_match_is_a_problem_not_a_payment);

async fn a_sender_with_their_own_keys_is_paid_on_their_account(db: TestDb) {
    let Some((app, standin, key, token)) = start(db).await else { return };
    let sender = data::senders::find_by_email(&app.store.db, "me@studio.test").await.unwrap().unwrap();
    let keys = Some(("rk_test_own".to_string(), "whsec_own".to_string()));
    data::payments::checkout::set_keys(&app.store, sender.id, keys).await.unwrap();
    assert!(data::testkit::text_columns_containing(&app.store, "rk_test_own").await.is_empty(), "sealed at rest");
    press_pay(&app, &token).await;
    let s = &standin.sessions().await[0];
    assert_eq!(s["key"], "rk_test_own", "the sender's key opened it");
    let session = s["id"].as_str().unwrap().to_string();

    // Signed with the deployment's secret at the deployment's endpoint: not its session.
    let (event, status) = standin.pay(&session, true, None).await;
    assert_eq!(status, Some(200));
    assert_eq!(invoice(&app, &key).await["status"], "sent");
    // At the sender's endpoint with the sender's secret, it counts.
    standin.send_events_to(&format!("{}/stripe/webhook/{}", app.base, sender.id), "whsec_own").await;
    let (status, body) = standin.deliver(&event, "good").await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("recorded")), "{body}");
    assert_eq!(invoice(&app, &key).await["status"], "paid");
    let unknown = app.call(Method::POST, None, "/stripe/webhook/999999", None).await;
    assert_eq!(unknown.status().as_u16(), 404);
}
on_both_databases!(a_sender_with_their_own_keys_is_paid_on_their_account);

async fn without_any_key_there_is_no_pay_button(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("me@studio.test", Some("Studio Nova")).await;
    let body = json!({"recipient": {"company": "Acme"}, "due_date": "2031-01-31",
        "line_items": [{"description": "Design", "unit_price_cents": 250000}]});
    let (_, made) = app.post(&key, "/api/v1/invoices", body).await;
    app.patch(&key, "/api/v1/invoices/ACME-0001", json!({"status": "sent"})).await;
    let token = made["share_token"].as_str().unwrap();
    assert!(!page(&app, &format!("/i/{token}")).await.contains("Pay $"));
    let (status, location) = press_pay(&app, token).await;
    assert_eq!((status, location), (303, format!("/i/{token}?payment=unavailable")));
    assert_eq!(app.call(Method::POST, None, "/stripe/webhook", None).await.status().as_u16(), 404);
}
on_both_databases!(without_any_key_there_is_no_pay_button);

/// The number of events of `event_type` on the invoice `number` of me@studio.test.
async fn events_of(app: &TestApp, number: &str, event_type: &str) -> usize {
    let me = data::senders::find_by_email(&app.store.db, "me@studio.test").await.unwrap().unwrap();
    let events = data::invoices::timeline(&app.store, me.id, number).await.unwrap();
    events.iter().filter(|e| e.event_type == event_type).count()
}

async fn amounts_go_to_stripe_in_stripes_units(db: TestDb) {
    let Some((app, standin, key, _)) = start(db).await else { return };
    // (currency, our amount in ISO minor units, Stripe's unit_amount)
    let cases = [
        ("ISK", 5_000, 500_000), // 5,000 kr: ISO has no decimals, Stripe writes two
        ("JPY", 1_000, 1_000),
        ("KWD", 5_120, 5_120), // three decimals ending in 0
        ("HUF", 12_345, 12_345),
        ("TWD", 99_950, 99_950),
        ("UGX", 50_000, 50_000),
    ];
    for (currency, ours, theirs) in cases {
        let (number, token) = sent_invoice(&app, &key, currency, ours).await;
        assert!(page(&app, &format!("/i/{token}")).await.contains("data-testid=\"pay\""), "{currency}: Pay");
        let (status, location) = press_pay(&app, &token).await;
        assert_eq!(status, 303, "{currency}");
        let sessions = standin.sessions().await;
        let s = sessions.iter().find(|s| location.ends_with(s["id"].as_str().unwrap())).expect("its session");
        assert_eq!(s["form"]["line_items[0][price_data][unit_amount]"], theirs.to_string(), "{currency}");
        // Stripe's amount_total, in its units, settles exactly our amount.
        assert_eq!(standin.pay(s["id"].as_str().unwrap(), true, None).await.1, Some(200));
        let inv = app.get(&key, &format!("/api/v1/invoices/{number}")).await.1;
        assert_eq!(
            (inv["status"].as_str(), inv["amount_paid_cents"].as_i64()),
            (Some("paid"), Some(ours)),
            "{currency}"
        );
    }
    // Stripe reporting 5,000 of its ISK units (50 kr) for a 5,000 kr session is not a payment.
    let (number, token) = sent_invoice(&app, &key, "ISK", 5_000).await;
    let (_, location) = press_pay(&app, &token).await;
    let session = location.rsplit('/').next().unwrap().to_string();
    assert_eq!(standin.pay(&session, true, Some(5_000)).await.1, Some(200));
    let inv = app.get(&key, &format!("/api/v1/invoices/{number}")).await.1;
    assert_eq!((inv["status"].as_str(), inv["amount_paid_cents"].as_i64()), (Some("sent"), Some(0)));
    assert_eq!(events_of(&app, &number, "invoice.payment_problem").await, 1);
}
on_both_databases!(amounts_go_to_stripe_in_stripes_units);

async fn an_amount_stripe_cannot_charge_exactly_is_not_offered(db: TestDb) {
    let Some((app, standin, key, _)) = start(db).await else { return };
    // 5.125 KWD: Stripe takes three-decimal amounts ending in 0 only.
    let (number, token) = sent_invoice(&app, &key, "KWD", 5_125).await;
    let html = page(&app, &format!("/i/{token}")).await;
    assert!(!html.contains("data-testid=\"pay\""), "no Pay button");
    // The payer reads what to do, in the invoice's language; the exact reason is the sender's.
    assert!(html.contains("data-testid=\"pay-unavailable\"") && html.contains("cannot be paid by card"), "{html}");
    assert!(!html.contains("must end in 0"), "Stripe's rule is not the payer's business");
    let (status, location) = press_pay(&app, &token).await;
    assert_eq!((status, location), (303, format!("/i/{token}?payment=not-online")));
    assert!(page(&app, &format!("/i/{token}?payment=not-online")).await.contains("cannot be paid by card"));
    assert!(standin.sessions().await.is_empty(), "nothing asked of Stripe");
    let cookie = app.session_cookie("me@studio.test", None).await;
    let res = app.client.get(format!("{}/invoices/{number}", app.base)).header("cookie", cookie).send().await.unwrap();
    let sender_page = res.text().await.unwrap();
    assert!(sender_page.contains("No Pay button for your client") && sender_page.contains("must end in 0"));
}
on_both_databases!(an_amount_stripe_cannot_charge_exactly_is_not_offered);

async fn a_session_belongs_to_the_account_that_opened_it(db: TestDb) {
    let Some((app, standin, key, first)) = start(db).await else { return };
    let (second_number, second) = sent_invoice(&app, &key, "USD", 40_000).await;
    let (_, on_deployment) = press_pay(&app, &first).await;
    let (_, also_on_deployment) = press_pay(&app, &second).await;
    // The sender pastes their own keys while both sessions are open.
    let sender = data::senders::find_by_email(&app.store.db, "me@studio.test").await.unwrap().unwrap();
    let keys = Some(("rk_test_own".to_string(), "whsec_own".to_string()));
    data::payments::checkout::set_keys(&app.store, sender.id, keys).await.unwrap();
    // Pay now opens a session on the sender's account: the deployment's is not reused.
    let (_, on_own) = press_pay(&app, &first).await;
    assert_ne!(on_own, on_deployment);
    let sessions = standin.sessions().await;
    let own = sessions.iter().find(|s| on_own.ends_with(s["id"].as_str().unwrap())).unwrap();
    assert_eq!(own["key"], "rk_test_own");
    // The deployment session is still the deployment's: its webhook records the payment.
    let d1 = on_deployment.rsplit('/').next().unwrap();
    let (event, _) = standin.pay(d1, false, None).await;
    let (status, body) = standin.deliver(&event, "good").await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("recorded")), "{body}");
    assert_eq!(invoice(&app, &key).await["status"], "paid");
    // And the payer's return asks the deployment's account (the sender's would not know it).
    let d2 = also_on_deployment.rsplit('/').next().unwrap();
    standin.pay(d2, false, None).await;
    let back = page(&app, &format!("/i/{second}?payment=success&session_id={d2}")).await;
    assert!(back.contains("Payment received"), "retrieved on the account that opened it");
    assert_eq!(app.get(&key, &format!("/api/v1/invoices/{second_number}")).await.1["status"], "paid");
}
on_both_databases!(a_session_belongs_to_the_account_that_opened_it);

async fn a_payment_that_does_not_match_is_a_problem_once(db: TestDb) {
    // A stopped clock: the return page's retrieval limit counts in one window.
    let clock = data::clock::Clock::stopped(chrono::Utc::now());
    let Some((app, standin, key, token)) = start_on(db, clock).await else { return };
    let (_, location) = press_pay(&app, &token).await;
    let session = location.rsplit('/').next().unwrap().to_string();
    let (event, _) = standin.pay(&session, false, Some(100)).await;
    for _ in 0..4 {
        let back = page(&app, &format!("/i/{token}?payment=success&session_id={session}")).await;
        assert!(back.contains("does not match this invoice") && back.contains("do not pay again"), "told plainly");
    }
    assert_eq!(invoice(&app, &key).await["amount_paid_cents"], 0);
    assert_eq!(events_of(&app, "ACME-0001", "invoice.payment_problem").await, 1, "one problem, however many reloads");
    let problems = mail_templates(&app).await.into_iter().filter(|(t, _)| t == "payment_problem").count();
    assert_eq!(problems, 1, "one mail to the sender");
    let asked = standin.sessions().await[0]["retrievals"].as_i64();
    assert_eq!(asked, Some(1), "Stripe asked once; then the session's state answers");
    // The webhook arriving afterwards adds nothing.
    let (status, body) = standin.deliver(&event, "good").await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("already_recorded")));
    assert_eq!(events_of(&app, "ACME-0001", "invoice.payment_problem").await, 1);

    // A session still unpaid at Stripe: reloads ask Stripe a few times a minute, no more.
    let (_, other) = sent_invoice(&app, &key, "USD", 10_000).await;
    let (_, location) = press_pay(&app, &other).await;
    let unpaid = location.rsplit('/').next().unwrap().to_string();
    for _ in 0..6 {
        let back = page(&app, &format!("/i/{other}?payment=success&session_id={unpaid}")).await;
        assert!(back.contains("Your payment is processing"));
    }
    let sessions = standin.sessions().await;
    let asked = sessions.iter().find(|s| s["id"] == unpaid.as_str()).unwrap()["retrievals"].as_i64();
    assert_eq!(asked, Some(3), "three retrievals a minute");
}
on_both_databases!(a_payment_that_does_not_match_is_a_problem_once);

async fn expired_sessions_are_marked_and_never_offered_again(db: TestDb) {
    let clock = data::clock::Clock::stopped(chrono::Utc::now());
    let Some((app, standin, _key, token)) = start_on(db, clock).await else { return };
    let (_, first) = press_pay(&app, &token).await;
    let first = first.rsplit('/').next().unwrap().to_string();
    let (_, status) = standin.expire(&first, true).await;
    assert_eq!(status, Some(200));
    let back = page(&app, &format!("/i/{token}?payment=success&session_id={first}")).await;
    assert!(back.contains("expired and nothing was charged"), "the payer is told");
    let (_, second) = press_pay(&app, &token).await;
    assert!(!second.ends_with(&first), "a new session, not the expired one");
    // A session past its expires_at (the webhook never came) is marked and not handed out.
    app.store.clock().advance(chrono::Duration::hours(25));
    let (_, third) = press_pay(&app, &token).await;
    assert_ne!(third, second);
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let second_id = second.rsplit('/').next().unwrap().to_string();
    let row = data::entities::checkout_session::Entity::find()
        .filter(data::entities::checkout_session::Column::StripeSessionId.eq(second_id))
        .one(&app.store.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "expired");
}
on_both_databases!(expired_sessions_are_marked_and_never_offered_again);

async fn a_claimed_invoice_keeps_its_payments_and_receipts(db: TestDb) {
    let Some((app, standin, _key, _)) = start(db).await else { return };
    // Two invoices made without an account in one browser; the first paid by card at once,
    // the second's Checkout opened (and left open) before its maker signs in.
    let made = |cookie: Option<String>| {
        let mut req = app.client.post(format!("{}/api/v1/invoices/anonymous", app.base)).json(&json!({
            "sender": {"company": "Pixel & Co"},
            "recipient": {"company": "Globex", "email": "ap@globex.test"},
            "due_date": "2031-02-01",
            "line_items": [{"description": "Design", "unit_price_cents": 30000}]
        }));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send()
    };
    let res = made(None).await.unwrap();
    let secret = res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let paid: serde_json::Value = res.json().await.unwrap();
    let open: serde_json::Value = made(Some(secret.clone())).await.unwrap().json().await.unwrap();
    let (paid_token, open_token) = (paid["share_token"].as_str().unwrap(), open["share_token"].as_str().unwrap());
    let (_, location) = press_pay(&app, paid_token).await;
    standin.pay(location.rsplit('/').next().unwrap(), true, None).await;
    let (_, location) = press_pay(&app, open_token).await;
    let open_session = location.rsplit('/').next().unwrap().to_string();

    let account = data::senders::ensure(&app.store.db, app.store.now(), "me@pixel.test", None).await.unwrap();
    let secret = secret.trim_start_matches("ji_anon_session=");
    let claim = data::anonymous::claim(&app.store, secret, &account).await.unwrap();
    assert!(matches!(claim, data::anonymous::Claim::Claimed(ref c) if c.len() == 2), "{claim:?}");
    // Paying the Checkout opened before the claim: the receipt goes out, the payment is the account's.
    standin.pay(&open_session, true, None).await;
    let mails = mail_templates(&app).await;
    let receipts = mails.iter().filter(|(t, to)| t == "payment_receipt" && to == "ap@globex.test").count();
    assert_eq!(receipts, 1, "{mails:?}");
    assert!(mails.contains(&("payment_received".into(), "me@pixel.test".into())), "{mails:?}");

    // 30 days on, the anonymous sender's expiry runs: nothing of the claimed invoices goes.
    app.store.clock().advance(chrono::Duration::days(31));
    let due = data::jobs::claim(&app.store, data::jobs::KIND_ANONYMOUS_EXPIRY, 10, chrono::Duration::seconds(60))
        .await
        .unwrap();
    assert_eq!(due.len(), 1);
    assert!(data::anonymous::expire(&app.store, &due[0]).await.unwrap());
    let key = app.key("me@pixel.test", None).await;
    for number in ["GLOBEX-0001", "GLOBEX-0002"] {
        let (_, inv) = app.get(&key, &format!("/api/v1/invoices/{number}")).await;
        assert_eq!(
            (inv["status"].as_str(), inv["amount_paid_cents"].as_i64()),
            (Some("paid"), Some(30_000)),
            "{number}"
        );
        let (_, payments) = app.get(&key, &format!("/api/v1/invoices/{number}/payments")).await;
        assert_eq!(payments["data"][0]["amount_cents"], 30_000, "{number}: the card payment is kept");
    }
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let theirs = data::entities::payment::Entity::find()
        .filter(data::entities::payment::Column::SenderId.eq(account.id))
        .count(&app.store.db)
        .await
        .unwrap();
    assert_eq!(theirs, 2, "both payments are counted as the account's");
    let sessions = data::entities::checkout_session::Entity::find()
        .filter(data::entities::checkout_session::Column::SenderId.eq(account.id))
        .count(&app.store.db)
        .await
        .unwrap();
    assert_eq!(sessions, 2, "and their Checkout sessions");
}
on_both_databases!(a_claimed_invoice_keeps_its_payments_and_receipts);

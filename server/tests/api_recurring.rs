//! /api/v1/recurring-invoices, /reminder-settings and an invoice's reminders, as a client
//! sees them (issue 27), on SQLite and PostgreSQL, with the clock stopped: a template from an
//! invoice, its next dates, skip, pause and resume (the dates missed made once each, in
//! order), changes for future occurrences only, stop; the reminder policy and its refusals;
//! "send a reminder now" once a day; reminders off for one invoice; and the reminder mail
//! through a real SMTP server in the customer's language with the Pay link and the EPC QR
//! code.

use chrono::{DateTime, Duration, Utc};
use data::clock::Clock;
use data::jobs::{self, KIND_MAIL};
use data::on_both_databases;
use data::testkit::TestDb;
use reqwest::Method;
use serde_json::{Value, json};
use support::TestApp;
use support::receiver::free_port;
use support::smtp::{parsed, sink_python, start_sink};

mod support;

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("test instant")
}

/// Runs the timers due until `until`, moving the clock to each.
async fn run_until(app: &TestApp, until: DateTime<Utc>) {
    for _ in 0..500 {
        let mut next = None;
        for kind in [jobs::KIND_RECURRING, jobs::KIND_REMINDER] {
            if let Some(at) = jobs::next_due(&app.store, kind).await.unwrap() {
                next = Some(next.map_or(at, |n: DateTime<Utc>| n.min(at)));
            }
        }
        let Some(at) = next.filter(|at| *at <= until) else { return };
        app.store.clock().advance_to(at);
        server::schedules::run_due(&app.store).await.unwrap();
    }
    panic!("the timers do not settle");
}

async fn profile(app: &TestApp, key: &str) {
    let sender = data::api_keys::authenticate(&app.store, key).await.unwrap().unwrap().sender;
    let mut form = data::senders::profile_form(&sender);
    form.iban = "DE89370400440532013000".into();
    form.account_name = "Studio Nord".into();
    form.default_currency = "EUR".into();
    data::senders::update_profile(&app.store, sender.id, &form).await.unwrap();
}

async fn a_recurring_invoice_through_the_api(db: TestDb) {
    let app = TestApp::start_with_clock(db, Clock::stopped(utc("2027-01-10T12:00:00Z")), |s| s).await;
    let key = app.key("nord@studio.test", Some("Studio Nord")).await;
    profile(&app, &key).await;
    let (status, settings) = app.get(&key, "/api/v1/reminder-settings").await;
    assert_eq!(status, 200);
    assert_eq!(settings["time_zone"], "UTC");
    assert_eq!(settings["send_hour"], 9);
    let days: Vec<i64> = settings["steps"].as_array().unwrap().iter().map(|s| s["days"].as_i64().unwrap()).collect();
    assert_eq!(days, [-3, 0, 7, 14, 30], "on by default with sensible steps");
    assert!(settings["steps"][2]["texts"]["de"]["subject"].as_str().unwrap().contains("überfällig"));
    let mut berlin = settings.clone();
    berlin["time_zone"] = json!("Europe/Berlin");
    let (status, saved) = app.json(Method::PUT, Some(&key), "/api/v1/reminder-settings", Some(berlin.clone())).await;
    assert_eq!((status, saved["time_zone"].as_str()), (200, Some("Europe/Berlin")), "{saved}");
    let mut bad = berlin.clone();
    bad["time_zone"] = json!("Europe/Atlantis");
    let (status, err) = app.json(Method::PUT, Some(&key), "/api/v1/reminder-settings", Some(bad)).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("time_zone")), "{err}");
    let mut twice = berlin.clone();
    twice["steps"][1]["days"] = json!(-3);
    let (status, err) = app.json(Method::PUT, Some(&key), "/api/v1/reminder-settings", Some(twice)).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("steps[1].days")), "{err}");

    let (status, source) = app
        .post(
            &key,
            "/api/v1/invoices",
            json!({
                "recipient": {"company": "Acme GmbH", "email": "ap@acme.test"}, "language": "de", "currency": "EUR",
                "due_date": "2027-01-24",
                "line_items": [{"description": "Wartung {period}", "quantity": 1.5, "unit_price_cents": 80_000, "tax": {"rate": 19}}]
            }),
        )
        .await;
    assert_eq!(status, 201, "{source}");
    let schedule = json!({"every": 1, "unit": "month", "day": 1, "start_date": "2027-02-01", "count": 6});
    let body = json!({"from_invoice": source["id"], "schedule": schedule, "auto_send": true, "due_days": 10});
    let (status, made) = app.post(&key, "/api/v1/recurring-invoices", body).await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    let upcoming: Vec<&str> =
        made["upcoming"].as_array().unwrap().iter().map(|o| o["issue_date"].as_str().unwrap()).collect();
    assert_eq!(upcoming, ["2027-02-01", "2027-03-01", "2027-04-01", "2027-05-01", "2027-06-01"]);
    assert_eq!(made["upcoming"][0]["at"], "2027-02-01T08:00:00Z", "09:00 Berlin");
    assert_eq!(made["upcoming"][0]["due_date"], "2027-02-11");
    assert_eq!(made["template"]["line_items"][0]["quantity"], 1.5);
    assert_eq!(made["time_zone"], "Europe/Berlin");

    // Refusals, each naming its field; another sender's is a 404.
    for (body, field) in [
        (json!({"schedule": schedule}), "template"),
        (
            json!({"schedule": {"every": 0, "unit": "month", "start_date": "2027-02-01"}, "from_invoice": source["id"]}),
            "schedule.every",
        ),
        (
            json!({"schedule": {"every": 1, "unit": "week", "day": 9, "start_date": "2027-02-01"}, "from_invoice": source["id"]}),
            "schedule.day",
        ),
        (
            json!({"schedule": schedule, "template": {"line_items": [{"description": "x", "unit_price_cents": 1}], "due_date": "2027-01-01"}}),
            "template.due_date",
        ),
        (
            json!({"schedule": schedule, "template": {"line_items": [{"description": "x", "unit_price_cents": 1}]}}),
            "template.recipient",
        ),
    ] {
        let (status, err) = app.post(&key, "/api/v1/recurring-invoices", body.clone()).await;
        assert_eq!((status, err["field"].as_str()), (400, Some(field)), "{body} → {err}");
    }
    let other = app.key("else@studio.test", Some("Else")).await;
    assert_eq!(app.get(&other, &format!("/api/v1/recurring-invoices/{id}")).await.0, 404);
    let (status, _) = app
        .post(&other, "/api/v1/recurring-invoices", json!({"schedule": schedule, "from_invoice": source["id"]}))
        .await;
    assert_eq!(status, 404, "another sender's invoice");

    // Skip March, run February and March: one invoice (February), sent, in German.
    let (status, skipped) =
        app.post(&key, &format!("/api/v1/recurring-invoices/{id}/skip"), json!({"date": "2027-03-01"})).await;
    assert_eq!((status, skipped["upcoming"][1]["skipped"].as_bool()), (200, Some(true)), "{skipped}");
    let (status, _) =
        app.post(&key, &format!("/api/v1/recurring-invoices/{id}/skip"), json!({"date": "2027-03-02"})).await;
    assert_eq!(status, 400, "not a date of the schedule");
    run_until(&app, utc("2027-03-15T00:00:00Z")).await;
    let (_, list) = app.get(&key, "/api/v1/invoices").await;
    let numbers: Vec<&str> = list["data"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["ACME-0002", "ACME-0001"], "February only: March was skipped");
    let (_, feb) = app.get(&key, "/api/v1/invoices/ACME-0002").await;
    assert_eq!(feb["status"], "sent");
    assert_eq!(feb["recurring_invoice_id"], id);
    assert_eq!(feb["line_items"][0]["description"], "Wartung Februar 2027");
    assert_eq!((feb["issue_date"].as_str(), feb["due_date"].as_str()), (Some("2027-02-01"), Some("2027-02-11")));
    let (_, events) = app.get(&key, "/api/v1/invoices/ACME-0002").await;
    assert_eq!(events["reminders_enabled"], true);

    // Pause over April and May; resume in mid-May: April and May are made at once, in order.
    let (status, paused) = app.post(&key, &format!("/api/v1/recurring-invoices/{id}/pause"), json!({})).await;
    assert_eq!((status, paused["status"].as_str()), (200, Some("paused")));
    app.store.clock().advance_to(utc("2027-05-15T10:00:00Z"));
    server::schedules::run_due(&app.store).await.unwrap();
    assert_eq!(app.get(&key, "/api/v1/invoices").await.1["data"].as_array().unwrap().len(), 2, "nothing while paused");
    // Change the template for future occurrences, then resume.
    let template = json!({"customer_id": source["customer_id"], "currency": "EUR", "language": "de",
        "line_items": [{"description": "Betrieb {period}", "unit_price_cents": 90_000, "tax": {"rate": 19}}]});
    let (status, changed) = app
        .patch(&key, &format!("/api/v1/recurring-invoices/{id}"), json!({"template": template, "auto_send": false}))
        .await;
    assert_eq!(status, 200, "{changed}");
    let (status, resumed) = app.post(&key, &format!("/api/v1/recurring-invoices/{id}/resume"), json!({})).await;
    assert_eq!((status, resumed["status"].as_str()), (200, Some("active")));
    run_until(&app, utc("2027-05-15T10:00:00Z")).await;
    let (_, list) = app.get(&key, "/api/v1/invoices?sort=-created").await;
    let made: Vec<(String, String, String)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().into(),
                i["issue_date"].as_str().unwrap().into(),
                i["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        made[..2],
        [
            ("ACME-0004".to_string(), "2027-05-01".to_string(), "draft".to_string()),
            ("ACME-0003".to_string(), "2027-04-01".to_string(), "draft".to_string()),
        ]
    );
    assert_eq!(
        app.get(&key, "/api/v1/invoices/ACME-0003").await.1["line_items"][0]["description"],
        "Betrieb April 2027"
    );
    assert_eq!(
        app.get(&key, "/api/v1/invoices/ACME-0002").await.1["line_items"][0]["description"],
        "Wartung Februar 2027",
        "made ones stay"
    );
    let (_, now) = app.get(&key, &format!("/api/v1/recurring-invoices/{id}")).await;
    let history: Vec<(&str, bool)> = now["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["issue_date"].as_str().unwrap(), o["skipped"].as_bool().unwrap()))
        .collect();
    assert_eq!(history, [("2027-05-01", false), ("2027-04-01", false), ("2027-03-01", true), ("2027-02-01", false)]);
    assert_eq!(now["upcoming"].as_array().unwrap().len(), 2, "six dates in all");

    // Stop it: gone, its invoices stay.
    let res = app.call(Method::DELETE, Some(&key), &format!("/api/v1/recurring-invoices/{id}"), None).await;
    assert_eq!(res.status(), 204);
    assert_eq!(app.get(&key, &format!("/api/v1/recurring-invoices/{id}")).await.0, 404);
    run_until(&app, utc("2027-08-01T00:00:00Z")).await;
    assert_eq!(app.get(&key, "/api/v1/invoices").await.1["data"].as_array().unwrap().len(), 4);
}
on_both_databases!(a_recurring_invoice_through_the_api);

async fn reminders_by_hand_and_off_and_the_mail_in_german(db: TestDb) {
    let Some(python) = sink_python() else { return };
    let app = TestApp::start_with_clock(db, Clock::stopped(utc("2027-03-01T10:00:00Z")), |s| s).await;
    let key = app.key("nord@studio.test", Some("Studio Nord")).await;
    profile(&app, &key).await;
    let invoice = |company: &str| {
        json!({"recipient": {"company": company, "email": "ap@acme.test"}, "language": "de", "currency": "EUR",
            "due_date": "2027-03-15", "line_items": [{"description": "Beratung", "unit_price_cents": 100_000, "tax": {"rate": 19}}]})
    };
    let (_, draft) = app.post(&key, "/api/v1/invoices", invoice("Acme GmbH")).await;
    let number = draft["id"].as_str().unwrap().to_string();
    let (status, err) = app.post(&key, &format!("/api/v1/invoices/{number}/remind"), json!({})).await;
    assert_eq!((status, err["field"].as_str()), (409, Some("status")), "a draft gets no reminder: {err}");
    app.post(&key, &format!("/api/v1/invoices/{number}/send"), json!({})).await;
    let (status, _) = app.post(&key, &format!("/api/v1/invoices/{number}/remind"), json!({})).await;
    assert_eq!(status, 200);
    let res = app.call(Method::POST, Some(&key), &format!("/api/v1/invoices/{number}/remind"), Some(json!({}))).await;
    assert_eq!(res.status(), 429, "one a day");
    assert!(res.headers().get("retry-after").is_some());
    app.store.clock().advance(Duration::days(1));
    assert_eq!(app.post(&key, &format!("/api/v1/invoices/{number}/remind"), json!({})).await.0, 200, "the next day");

    // Another invoice with reminders off gets none; switched on, its steps go.
    let (_, quiet) = app.post(&key, "/api/v1/invoices", invoice("Beta AG")).await;
    let quiet = quiet["id"].as_str().unwrap().to_string();
    app.post(&key, &format!("/api/v1/invoices/{quiet}/send"), json!({})).await;
    let (status, off) = app
        .json(Method::PUT, Some(&key), &format!("/api/v1/invoices/{quiet}/reminders"), Some(json!({"enabled": false})))
        .await;
    assert_eq!((status, off["reminders_enabled"].as_bool()), (200, Some(false)));
    run_until(&app, utc("2027-03-20T00:00:00Z")).await;
    let events = |n: String| {
        let app = &app;
        let key = key.clone();
        async move {
            let sender = data::api_keys::authenticate(&app.store, &key).await.unwrap().unwrap().sender;
            let timeline = data::invoices::timeline(&app.store, sender.id, &n).await.unwrap();
            timeline
                .into_iter()
                .filter(|e| e.event_type == "invoice.reminder_sent")
                .map(|e| serde_json::from_str::<Value>(&e.data).unwrap()["step"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(events(quiet.clone()).await, Vec::<String>::new(), "off: none");
    let first = events(number.clone()).await;
    assert_eq!(first.len(), 4, "two by hand, then the due-date steps -3 and 0: {first:?}");
    assert!(first[0].starts_with("manual:2027-03-01") && first[2] == "-3" && first[3] == "0", "{first:?}");

    // Paid: no further reminder.
    let (_, inv) = app.get(&key, &format!("/api/v1/invoices/{number}")).await;
    let pay = json!({"amount_cents": inv["balance_due_cents"], "method": "bank_transfer"});
    assert_eq!(app.post(&key, &format!("/api/v1/invoices/{number}/payments"), pay).await.0, 201);
    run_until(&app, utc("2027-05-01T00:00:00Z")).await;
    assert_eq!(events(number.clone()).await.len(), 4, "nothing after payment");
    let (status, _) = app.post(&key, &format!("/api/v1/invoices/{number}/remind"), json!({})).await;
    assert_eq!(status, 409, "paid");

    // The mail: through a real SMTP server, in German, with the amount, the link and the QR code.
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _sink = start_sink(&python, port, dir.path());
    let smtp = server::mail::Transport::from_url(Some(&format!("smtp://127.0.0.1:{port}")), "unused".into()).unwrap();
    let worker = server::mail::MailWorker {
        store: app.store.clone(),
        transport: std::sync::Arc::new(smtp),
        pdf: std::sync::Arc::new(server::pdf::PdfPool::default()),
        from: "Studio Nord <billing@studio.test>".into(),
        retry: server::mail::RetryPolicy::default(),
        poll_every: std::time::Duration::from_millis(10),
    };
    while !jobs::pending(&app.store.db, KIND_MAIL).await.unwrap().is_empty() {
        worker.deliver_due().await.unwrap();
    }
    let mails = parsed(&python, dir.path());
    let subjects: Vec<&str> = mails.iter().map(|m| m["subject"].as_str().unwrap()).collect();
    let due_day = mails
        .iter()
        .find(|m| m["subject"] == "Rechnung ACME-0001 ist heute fällig")
        .unwrap_or_else(|| panic!("{subjects:?}"));
    assert_eq!(
        subjects.iter().filter(|s| s.contains("Rechnung ACME-0001 ist am 15. März 2027 fällig")).count(),
        3,
        "two by hand, one step: {subjects:?}"
    );
    assert_eq!(due_day["to"], "ap@acme.test");
    let text = due_day["text"].as_str().unwrap();
    assert!(text.contains("die Rechnung ACME-0001 von Studio Nord über 1.190,00\u{a0}€ ist heute fällig"), "{text}");
    assert!(
        text.contains("Offener Betrag: 1.190,00\u{a0}€") && text.contains("Jetzt bezahlen: http://invoices.test/i/"),
        "{text}"
    );
    let html = due_day["html"].as_str().unwrap();
    assert!(html.contains("#pay\"") && html.contains("cid:epc-qr"), "the Pay button and the QR image: {html}");
    let parts = due_day["parts"].as_array().unwrap();
    assert!(parts.iter().any(|p| p[0] == "image/png" && p[1] == "<epc-qr>"), "the EPC QR code inline: {parts:?}");
    assert!(parts.iter().any(|p| p[0] == "multipart/related"), "{parts:?}");
}
on_both_databases!(reminders_by_hand_and_off_and_the_mail_in_german);

//! Every event type reaches the timeline, the webhook payload and, where DEFINITIONS names
//! one, a mail: an invoice is taken through its whole life (and a second one cancelled) with
//! a webhook subscribed to everything, then each definition is checked against what was written.

use data::cursor::PageRequest;
use data::effects::DEFINITIONS;
use data::events::Actor;
use data::payments::{self, checkout};
use data::shared::{self, Visitor};
use data::testkit::TestDb;
use data::webhooks::targets::{TargetPolicy, Targets};
use data::webhooks::{log, subscriptions};
use data::{customers, invoices, on_both_databases, senders};
use domain::dto::InvoiceInput;

fn json<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("test JSON")
}

/// The client pays the link's balance through Checkout (the session's amount plus `off`:
/// anything but 0 does not match it).
async fn pay_online(store: &data::Store, token: &str, off: Option<i64>) {
    let payable = checkout::payable(store, token, true).await.unwrap().expect("payable");
    let session = format!("cs_test_{}", payable.invoice_id);
    let opened = checkout::Opened {
        stripe_session_id: session.clone(),
        url: "https://checkout.test/pay".into(),
        expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
    };
    checkout::remember(store, &payable, &opened).await.unwrap();
    let done = checkout::Completed {
        event_id: Some(format!("evt_{session}")),
        event_type: "checkout.session.completed".into(),
        session_id: session,
        paid: true,
        expired: false,
        amount_total: Some(payable.stripe_amount + off.unwrap_or(0)),
        currency: Some(payable.currency.to_lowercase()),
        payment_intent: Some("pi_test_1".into()),
    };
    checkout::complete(store, &checkout::Account::Deployment, done).await.unwrap();
}

fn recipient() -> Visitor {
    Visitor { ip: Some("203.0.113.5".into()), user_agent: Some("Mail client".into()), sender_id: None }
}

async fn every_event_type_has_its_effects(db: TestDb) {
    let store = db.store().await;
    let sender = senders::ensure(&store.db, store.now(), "me@studio.test", Some("Studio Nova")).await.unwrap();
    let hook = json(serde_json::json!({"url": "http://127.0.0.1:9/hook"}));
    let sub =
        subscriptions::create(&store, sender.id, hook, &Targets::without_dns(TargetPolicy { allow_private: true }))
            .await
            .unwrap();
    let customer = customers::create(
        &store,
        sender.id,
        json(serde_json::json!({"company": "Acme", "contact": {"email": "ap@acme.test"}})),
    )
    .await
    .unwrap();
    let input = || -> InvoiceInput {
        json(serde_json::json!({
            "customer_id": customer.id, "due_date": "2026-12-31",
            "line_items": [{"description": "Design", "unit_price_cents": 300000}]
        }))
    };
    let edit = |cents: i64| -> InvoiceInput {
        json(serde_json::json!({"line_items": [{"description": "Design", "unit_price_cents": cents}]}))
    };

    // created, sent, viewed, forwarded, change requested, edited, approved, paid; cancelled;
    // claimed (made without an account, then signed in).
    let inv = invoices::create(&store, &sender, input(), Actor::Sender).await.unwrap();
    let (number, token) = (inv.id.clone(), inv.share_token.clone());
    invoices::send(&store, &sender, &number, Actor::Sender).await.unwrap();
    shared::view(&store, &token, &recipient()).await.unwrap();
    shared::forward(&store, &token, "boss@acme.test", "for you", &recipient()).await.unwrap();
    shared::request_changes(&store, &token, "Please split the design line", &recipient()).await.unwrap();
    invoices::update(&store, sender.id, &number, edit(250000), Actor::Sender).await.unwrap();
    shared::approve(&store, &token, "Ann Buyer", None, &recipient()).await.unwrap();
    // Half by bank transfer, the rest online (Stripe Checkout); the second invoice gets a
    // payment that does not match its session, a payment, a refund, and is cancelled (which
    // issues its cancellation, a credit note).
    let pay = |cents: i64| json(serde_json::json!({"amount_cents": cents, "method": "bank_transfer"}));
    payments::record(&store, &sender, &number, pay(125_000), Actor::Sender).await.unwrap();
    pay_online(&store, &token, None).await;
    let other = invoices::create(&store, &sender, input(), Actor::Sender).await.unwrap();
    invoices::update(&store, sender.id, &other.id, json(serde_json::json!({"status": "sent"})), Actor::Sender)
        .await
        .unwrap();
    // A payment reminder, sent by hand.
    data::reminders::send_now(&store, &sender, &other.id, Actor::Sender).await.unwrap();
    pay_online(&store, &other.share_token, Some(1)).await;
    payments::record(&store, &sender, &other.id, pay(100), Actor::Sender).await.unwrap();
    payments::record(&store, &sender, &other.id, pay(-100), Actor::Sender).await.unwrap();
    invoices::update(&store, sender.id, &other.id, json(serde_json::json!({"status": "cancelled"})), Actor::Sender)
        .await
        .unwrap();

    let anonymous_input = json(serde_json::json!({
        "recipient": {"company": "Acme"}, "due_date": "2026-12-31",
        "line_items": [{"description": "Logo", "unit_price_cents": 90000}]
    }));
    let from = domain::profile::SenderDetails { company: "Studio Nova".into(), ..Default::default() };
    let made = data::anonymous::create(&store, None, &from, anonymous_input).await.unwrap();
    let claimed = match data::anonymous::claim(&store, &made.secret.0, &sender).await.unwrap() {
        data::anonymous::Claim::Claimed(invoices) => invoices[0].number.clone(),
        other => panic!("{other:?}"),
    };

    let mut timeline = invoices::timeline(&store, sender.id, &number).await.unwrap();
    timeline.extend(invoices::timeline(&store, sender.id, &other.id).await.unwrap());
    timeline.extend(invoices::timeline(&store, sender.id, &claimed).await.unwrap());
    let (deliveries, _) =
        log::list(&store, sender.id, sub.id, PageRequest::parse(Some(100), None).unwrap()).await.unwrap();
    let mails: Vec<_> = data::jobs::pending(&store.db, data::jobs::KIND_MAIL)
        .await
        .unwrap()
        .iter()
        .map(|job| data::mail::of(&store, job).unwrap())
        .collect();

    for (event_type, mail) in DEFINITIONS {
        assert!(timeline.iter().any(|e| e.event_type == event_type), "{event_type} in the timeline");
        let delivery = deliveries.iter().find(|d| d.event_type == event_type).expect(event_type);
        let posted = log::get(&store, sender.id, sub.id, delivery.id).await.unwrap().payload.expect("a body");
        assert_eq!(posted["type"], event_type);
        let about = posted["data"]["invoice"]["id"].as_str().unwrap().to_string();
        assert!([&number, &other.id, &claimed].contains(&&about), "{about}");
        assert!(posted["data"]["details"].get("ip").is_none(), "the recipient's address stays home: {posted}");
        for template in mail {
            assert!(mails.iter().any(|m| m.mail.template() == *template), "{event_type}: {template}");
        }
    }
    let templates: Vec<_> = mails.iter().map(|m| (m.mail.template(), m.to[0].as_str())).collect();
    assert_eq!(
        templates,
        [
            ("invoice_sent", "ap@acme.test"),
            ("invoice_forwarded", "boss@acme.test"),
            ("change_requested", "me@studio.test"),
            ("invoice_updated", "ap@acme.test"),
            ("approved", "me@studio.test"),
            ("payment_receipt", "ap@acme.test"),
            ("payment_receipt", "ap@acme.test"),
            ("payment_received", "me@studio.test"),
            ("payment_reminder", "ap@acme.test"),
            ("payment_problem", "me@studio.test"),
            ("payment_receipt", "ap@acme.test"),
            ("credit_note_issued", "ap@acme.test"),
        ],
        "the mails each event defines, none for the others; the sender hears only of what they did not do"
    );
    let forwarded = mails.iter().find(|m| m.mail.template() == "invoice_forwarded").unwrap();
    assert_eq!(
        (forwarded.to.as_slice(), forwarded.reply_to.as_deref()),
        (&["boss@acme.test".to_string()][..], Some("me@studio.test"))
    );
}
on_both_databases!(every_event_type_has_its_effects);

//! Mail goes through the job queue to a real SMTP server (Python's aiosmtpd, started here):
//! queued while SMTP is down, delivered once it is back, with the share link, To and Cc.

use data::events::Actor;
use data::on_both_databases;
use data::testkit::TestDb;
use server::mail::{MailWorker, RetryPolicy, Transport};
use std::sync::Arc;
use support::receiver::free_port;
use support::smtp::{mails_in, sink_python, start_sink};

mod support;

fn worker(store: &data::Store, transport: Transport, retry: RetryPolicy) -> MailWorker {
    MailWorker {
        store: store.clone(),
        transport: Arc::new(transport),
        pdf: Arc::new(server::pdf::PdfPool::default()),
        from: "Studio Nova <billing@studio.test>".into(),
        retry,
        poll_every: std::time::Duration::from_millis(10),
    }
}

/// A mail worker sending to SMTP on `port` of this machine.
fn smtp_worker(store: &data::Store, port: u16, retry: RetryPolicy) -> MailWorker {
    let smtp = Transport::from_url(Some(&format!("smtp://127.0.0.1:{port}")), "unused".into()).unwrap();
    worker(store, smtp, retry)
}

/// A mail worker writing .eml files to `dir` (no SMTP configured).
fn file_worker(store: &data::Store, dir: std::path::PathBuf) -> MailWorker {
    worker(store, Transport::from_url(None, dir).unwrap(), RetryPolicy::default())
}

async fn mail_waits_for_smtp_and_goes_out_when_it_is_back(db: TestDb) {
    let Some(python) = sink_python() else { return };
    let store = db.store().await.with_clock(data::clock::Clock::adjustable());
    let sender = data::senders::ensure(&store.db, store.now(), "me@x.test", Some("Studio Nova")).await.unwrap();
    let input: domain::dto::InvoiceInput = serde_json::from_value(serde_json::json!({
        "due_date": "2026-12-31",
        "recipient": {"company": "Acme", "email": "ap@acme.test", "cc_emails": ["boss@acme.test"]},
        "line_items": [{"description": "Design", "unit_price_cents": 250000}]
    }))
    .unwrap();
    let invoice = data::invoices::create(&store, &sender, input, Actor::Sender).await.unwrap();
    let sent = data::invoices::send(&store, &sender, &invoice.id, Actor::Sender).await.unwrap();
    assert_eq!(sent.status, domain::Status::Sent);

    let port = free_port();
    let worker = smtp_worker(&store, port, RetryPolicy { base: chrono::Duration::hours(1), ..Default::default() });

    // SMTP is down: the mail stays queued, with the reason.
    assert_eq!(worker.deliver_due().await.unwrap(), 1);
    let queued = data::jobs::pending(&store.db, data::jobs::KIND_MAIL).await.unwrap();
    assert_eq!(queued.len(), 1, "nothing is lost");
    assert_eq!(queued[0].attempts, 1);
    assert!(queued[0].last_error.is_some());

    // SMTP is back: the retry delivers it.
    let dir = tempfile::tempdir().unwrap();
    let _sink = start_sink(&python, port, dir.path());
    assert_eq!(worker.deliver_due().await.unwrap(), 0, "not before its retry is due");
    store.clock().advance(chrono::Duration::hours(2));
    assert_eq!(worker.deliver_due().await.unwrap(), 1);
    assert!(data::jobs::pending(&store.db, data::jobs::KIND_MAIL).await.unwrap().is_empty());
    let mails = mails_in(dir.path());
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.contains("X-Envelope-To: ap@acme.test, boss@acme.test"), "{mail}");
    assert!(mail.contains("Cc: boss@acme.test"), "{mail}");
    assert!(mail.contains("Reply-To: me@x.test"), "{mail}");
    assert!(mail.contains(&sent.share_url), "the mail carries the share link");
    assert!(mail.contains("Subject: Invoice ACME-0001 from Studio Nova ($2,500.00)"), "{mail}");
    assert!(mail.contains("text/html") && mail.contains("text/plain"), "both parts");
    assert!(
        mail.contains("Content-Type: application/pdf") && mail.contains("filename=\"ACME-0001.pdf\""),
        "the PDF is attached"
    );
}
on_both_databases!(mail_waits_for_smtp_and_goes_out_when_it_is_back);

async fn without_smtp_mail_is_written_as_files(db: TestDb) {
    let store = db.store().await;
    data::sign_in::request(&store, "me@x.test", None, None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let worker = file_worker(&store, dir.path().join("mail"));
    assert_eq!(worker.deliver_due().await.unwrap(), 1);
    let mails = mails_in(&dir.path().join("mail"));
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: me@x.test") && mails[0].contains("/signin/verify?token="));
}
on_both_databases!(without_smtp_mail_is_written_as_files);

async fn an_invoice_without_an_address_cannot_be_sent(db: TestDb) {
    let store = db.store().await;
    let sender = data::senders::ensure(&store.db, store.now(), "me@x.test", Some("Studio Nova")).await.unwrap();
    let input: domain::dto::InvoiceInput = serde_json::from_value(serde_json::json!({
        "due_date": "2026-12-31", "recipient": {"company": "No Mail Ltd"},
        "line_items": [{"description": "x", "unit_price_cents": 1}]
    }))
    .unwrap();
    let invoice = data::invoices::create(&store, &sender, input, Actor::Sender).await.unwrap();
    let err = data::invoices::send(&store, &sender, &invoice.id, Actor::Sender).await.unwrap_err();
    assert_eq!(err.field(), Some("recipient.email"));
    let still = data::invoices::get(&store, sender.id, &invoice.id).await.unwrap();
    assert_eq!(still.status, domain::Status::Draft, "nothing changed");
    assert!(data::jobs::pending(&store.db, data::jobs::KIND_MAIL).await.unwrap().is_empty(), "and nothing was queued");
    // Sending twice is refused too.
    let mut ok: domain::dto::InvoiceInput = Default::default();
    ok.recipient = Some(domain::dto::Recipient { email: Some("ap@nomail.test".into()), ..Default::default() });
    data::invoices::update(&store, sender.id, &invoice.id, ok, Actor::Sender).await.unwrap();
    data::invoices::send(&store, &sender, &invoice.id, Actor::Sender).await.unwrap();
    assert!(matches!(
        data::invoices::send(&store, &sender, &invoice.id, Actor::Sender).await,
        Err(data::Error::Conflict { .. })
    ));
}
on_both_databases!(an_invoice_without_an_address_cannot_be_sent);

async fn an_smtp_outage_loses_no_mail_and_doubles_none(db: TestDb) {
    let Some(python) = sink_python() else { return };
    let store = db.store().await.with_clock(data::clock::Clock::adjustable());
    let sender = data::senders::ensure(&store.db, store.now(), "me@x.test", Some("Studio Nova")).await.unwrap();
    for _ in 0..25 {
        let input: domain::dto::InvoiceInput = serde_json::from_value(serde_json::json!({
            "due_date": "2026-12-31",
            "recipient": {"company": "Acme", "email": "ap@acme.test"},
            "line_items": [{"description": "Design", "unit_price_cents": 1000}]
        }))
        .unwrap();
        let invoice = data::invoices::create(&store, &sender, input, Actor::Sender).await.unwrap();
        data::invoices::send(&store, &sender, &invoice.id, Actor::Sender).await.unwrap();
    }
    let port = free_port();
    let worker = smtp_worker(&store, port, RetryPolicy::default());
    // SMTP stays down through several rounds of retries.
    for _ in 0..4 {
        while worker.deliver_due().await.unwrap() > 0 {}
        store.clock().advance(chrono::Duration::minutes(10));
    }
    let queued = data::jobs::pending(&store.db, data::jobs::KIND_MAIL).await.unwrap();
    assert_eq!(queued.len(), 25, "every mail is still queued");
    assert!(queued.iter().all(|j| j.attempts == 4), "each tried once a round");

    let dir = tempfile::tempdir().unwrap();
    let _sink = start_sink(&python, port, dir.path());
    store.clock().advance(chrono::Duration::hours(1));
    while worker.deliver_due().await.unwrap() > 0 {}
    store.clock().advance(chrono::Duration::days(2));
    assert_eq!(worker.deliver_due().await.unwrap(), 0, "nothing left to send, nothing sent again");
    let mut subjects: Vec<String> =
        mails_in(dir.path()).iter().map(|m| support::smtp::subject(m).to_string()).collect();
    subjects.sort();
    let expected: Vec<String> = (1..=25).map(|n| format!("Invoice ACME-{n:04} from Studio Nova ($10.00)")).collect();
    assert_eq!(subjects, expected, "each mail exactly once");
}
on_both_databases!(an_smtp_outage_loses_no_mail_and_doubles_none);

async fn a_mail_job_that_no_longer_parses_fails_once_and_says_why(db: TestDb) {
    let store = db.store().await.with_clock(data::clock::Clock::adjustable());
    // As queued by an older or newer release that knew another template.
    let unknown = serde_json::json!({"template": "invoice_reminder", "vars": {}, "to": ["ap@acme.test"]});
    let job = data::jobs::enqueue(&store, &store.db, data::jobs::KIND_MAIL, None, &unknown, store.now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let worker = file_worker(&store, dir.path().to_path_buf());
    assert_eq!(worker.deliver_due().await.unwrap(), 1);
    let failed = data::jobs::get(&store.db, job.id).await.unwrap();
    assert!(failed.failed_at.is_some(), "given up at once");
    assert!(failed.last_error.as_deref().unwrap_or_default().contains("invoice_reminder"), "{:?}", failed.last_error);
    store.clock().advance(chrono::Duration::days(2));
    assert_eq!(worker.deliver_due().await.unwrap(), 0, "not retried");
    assert!(mails_in(dir.path()).is_empty());
}
on_both_databases!(a_mail_job_that_no_longer_parses_fails_once_and_says_why);

/// A customer who receives XRechnung gets it in the invoice mail, beside the (Factur-X) PDF.
async fn an_xrechnung_customer_gets_the_xml_in_the_mail(db: TestDb) {
    let store = db.store().await;
    let sender = data::senders::ensure(&store.db, store.now(), "rechnung@nord.test", None).await.unwrap();
    let profile = support::documents::german_profile();
    let sender = data::senders::update_profile(&store, sender.id, &profile).await.unwrap();
    let customer = serde_json::from_value(serde_json::json!({
        "company": "Stadt Musterhausen", "contact": {"email": "rechnung@musterhausen.test"},
        "address": {"line1": "Rathausplatz 1", "city": "Musterhausen", "postal_code": "12345", "country": "DE"},
        "e_invoice_format": "xrechnung-cii", "buyer_reference": "991-01234-56"
    }))
    .unwrap();
    let customer = data::customers::create(&store, sender.id, customer).await.unwrap();
    let input: domain::dto::InvoiceInput = serde_json::from_value(serde_json::json!({
        "customer_id": customer.id, "due_date": "2031-01-31",
        "line_items": [{"description": "Beratung", "quantity": 2, "unit_price_cents": 50000, "tax": {"rate": 19}}]
    }))
    .unwrap();
    let invoice = data::invoices::create(&store, &sender, input, Actor::Sender).await.unwrap();
    data::invoices::send(&store, &sender, &invoice.id, Actor::Sender).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(file_worker(&store, dir.path().to_path_buf()).deliver_due().await.unwrap(), 1);
    let mails = mails_in(dir.path());
    let mail = &mails[0];
    assert!(mail.contains("filename=\"STADT-0001.pdf\""), "the PDF is attached");
    assert!(
        mail.contains("Content-Type: application/xml") && mail.contains("filename=\"STADT-0001-xrechnung-cii.xml\""),
        "the XRechnung is attached: {}",
        &mail[..mail.len().min(3000)]
    );
}
on_both_databases!(an_xrechnung_customer_gets_the_xml_in_the_mail);

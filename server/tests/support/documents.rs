//! What the e-invoice and credit note tests share: a German issuer whose profile XRechnung
//! accepts, and the official EN 16931 check (end2end/einvoice_check.py) of a document.

use super::TestApp;
use data::testkit::skip;
use domain::profile::ProfileForm;
use serde_json::Value;

/// The profile of Studio Nord GmbH, Hamburg: everything XRechnung asks of a seller.
pub fn german_profile() -> ProfileForm {
    ProfileForm {
        company: "Studio Nord GmbH".into(),
        address_line1: "Hafenstraße 5".into(),
        city: "Hamburg".into(),
        postal_code: "20457".into(),
        country: "DE".into(),
        vat_id: "DE811907980".into(),
        phone: "+49 40 1234567".into(),
        account_name: "Studio Nord GmbH".into(),
        iban: "DE89370400440532013000".into(),
        swift_code: "COBADEFFXXX".into(),
        default_currency: "EUR".into(),
        ..Default::default()
    }
}

/// An API key of rechnung@studio-nord.test with the German profile.
pub async fn german_issuer(app: &TestApp) -> String {
    let key = app.key("rechnung@studio-nord.test", Some("Studio Nord GmbH")).await;
    let sender =
        data::senders::ensure(&app.store.db, app.store.now(), "rechnung@studio-nord.test", None).await.unwrap();
    data::senders::update_profile(&app.store, sender.id, &german_profile()).await.unwrap();
    key
}

/// The official verdict on `bytes` (saved as `name`), or None where it cannot run.
pub fn official(bytes: &[u8], name: &str) -> Option<Value> {
    let Ok(python) = std::env::var("EINVOICE_CHECK_PYTHON") else {
        skip("EINVOICE_CHECK_PYTHON (a Python with factur-x, saxonche and lxml) is not set");
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end/einvoice_check.py");
    let out = std::process::Command::new(python).arg(script).arg(&path).output().unwrap();
    serde_json::from_slice(&out.stdout).ok().or_else(|| panic!("checker: {}", String::from_utf8_lossy(&out.stderr)))
}

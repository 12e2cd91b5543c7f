//! VAT per line over the API (issue 24): the OpenAPI examples create what they say, the
//! categories that need a buyer VAT id or a reason are refused without it (field named), VAT
//! ids are checked, and a small business charges no VAT — on SQLite and PostgreSQL.

mod support;

use data::on_both_databases;
use data::testkit::TestDb;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use support::TestApp;

fn example(name: &str) -> Value {
    server::api::examples::invoice_examples()
        .into_iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, _, body)| body)
        .expect("example")
}

/// round(amount × rate / 100), half away from zero: BR-CO-17 checked by hand.
fn tax_of(taxable: i64, rate: &Value) -> i64 {
    let rate: Decimal = rate.to_string().parse().unwrap();
    let exact = Decimal::from(taxable) * rate / Decimal::ONE_HUNDRED;
    i64::try_from(exact.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)).unwrap()
}

/// EN 16931's sums: BR-CO-10..15 and each breakdown line's tax (BR-CO-17).
fn assert_en16931_sums(inv: &Value) {
    let cents = |v: &Value| v.as_i64().unwrap();
    let lines: i64 = inv["line_items"].as_array().unwrap().iter().map(|l| cents(&l["line_total_cents"])).sum();
    assert_eq!(lines, cents(&inv["subtotal_cents"]), "BR-CO-10");
    let groups = inv["tax_breakdown"].as_array().unwrap();
    let taxable: i64 = groups.iter().map(|g| cents(&g["taxable_cents"])).sum();
    assert_eq!(taxable, cents(&inv["subtotal_cents"]) - cents(&inv["discount_cents"]), "BR-CO-13");
    assert_eq!(groups.iter().map(|g| cents(&g["tax_cents"])).sum::<i64>(), cents(&inv["tax_cents"]), "BR-CO-14");
    assert_eq!(
        taxable + cents(&inv["tax_cents"]) + cents(&inv["rounding_cents"]),
        cents(&inv["total_cents"]),
        "BR-CO-15/16"
    );
    for g in groups {
        assert_eq!(cents(&g["tax_cents"]), tax_of(cents(&g["taxable_cents"]), &g["rate"]), "BR-CO-17: {g}");
        assert!(cents(&g["rounding_cents"]).abs() <= 1, "{g}");
    }
}

async fn the_openapi_examples_make_what_they_say(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("studio@x.test", Some("Studio Nord")).await;
    for (name, _, body) in server::api::examples::invoice_examples() {
        assert_eq!(server::api::contract::check("InvoiceCreate", &body), Ok(()), "{name} fits the request schema");
    }

    // 7 % and 19 %, gross prices: 1,190.00 less 10 % = 1,071.00 and 3 × 42.80 = 128.40; the 10.00
    // discount splits 893 / 107 (largest remainder); 7 %: 127.33 gross = 119.00 + 8.33 exactly.
    let (status, de) = app.post(&key, "/api/v1/invoices", example("german_7_and_19_percent")).await;
    assert_eq!(status, 201, "{de}");
    assert_en16931_sums(&de);
    assert_eq!(de["prices_include_tax"], true);
    assert_eq!(de["total_cents"], 118_940, "what the gross lines add up to, less the discount");
    let groups = de["tax_breakdown"].as_array().unwrap();
    assert_eq!((groups[0]["category_code"].as_str(), groups[0]["rate"].as_f64()), (Some("S"), Some(19.0)));
    assert_eq!(groups[0]["gross_cents"], 106_207);
    assert_eq!((groups[1]["taxable_cents"].as_i64(), groups[1]["tax_cents"].as_i64()), (Some(11_900), Some(833)));
    assert_eq!(de["line_items"][1]["tax"], json!({"category": "standard", "rate": 7}));
    assert_eq!(de["line_items"][0]["tax"], Value::Null, "the invoice's rate applies");

    let (status, rc) = app.post(&key, "/api/v1/invoices", example("reverse_charge_to_a_french_business")).await;
    assert_eq!(status, 201, "{rc}");
    assert_en16931_sums(&rc);
    assert_eq!((rc["tax_cents"].as_i64(), rc["total_cents"].as_i64()), (Some(0), Some(114_000)));
    let group = &rc["tax_breakdown"][0];
    assert_eq!((group["category_code"].as_str(), group["vatex"].as_str()), (Some("AE"), Some("VATEX-EU-AE")));
    assert!(group["exemption_reason"].as_str().unwrap().contains("Reverse charge"), "{group}");
    assert_eq!(rc["recipient"]["vat_id"], "FR40303265045");

    let (status, small) = app.post(&key, "/api/v1/invoices", example("german_small_business")).await;
    assert_eq!(status, 201, "{small}");
    assert_eq!(small["tax_breakdown"][0]["exemption_reason"], "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet.");
    assert_eq!(small["total_cents"], 90_000);

    let (status, us) = app.post(&key, "/api/v1/invoices", example("us_sales_tax")).await;
    assert_eq!(status, 201, "{us}");
    assert_en16931_sums(&us);
    // 2,500.00 + 180.00 = 2,680.00 × 8.875 % = 237.85
    assert_eq!((us["tax_cents"].as_i64(), us["total_cents"].as_i64()), (Some(23_785), Some(291_785)));
    assert_eq!(us["tax"]["amount_cents"], 23_785, "the seed's tax object keeps its meaning");
}
on_both_databases!(the_openapi_examples_make_what_they_say);

async fn missing_vat_facts_are_refused_with_the_field_named(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("studio@x.test", Some("Studio Nord")).await;
    let mut rc = example("reverse_charge_to_a_french_business");
    rc["recipient"]["vat_id"] = Value::Null;
    let (status, err) = app.post(&key, "/api/v1/invoices", rc.clone()).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("recipient.vat_id")), "{err}");
    rc["recipient"]["vat_id"] = json!("FR40303265046");
    let (status, err) = app.post(&key, "/api/v1/invoices", rc.clone()).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("recipient.vat_id")), "a wrong check digit: {err}");
    let mut exempt = example("german_small_business");
    exempt["line_items"][0]["tax"] = json!({"category": "exempt"});
    let (status, err) = app.post(&key, "/api/v1/invoices", exempt).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("line_items[0].tax.exemption_reason")), "{err}");
    let mut unknown = example("us_sales_tax");
    unknown["line_items"][0]["tax"] = json!({"category": "luxury", "rate": 30});
    let (status, err) = app.post(&key, "/api/v1/invoices", unknown).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("line_items[0].tax.category")), "{err}");
    let (_, list) = app.get(&key, "/api/v1/invoices").await;
    assert_eq!(list["data"], json!([]), "nothing was stored");

    // The customer's VAT id serves an invoice that names the customer.
    let (status, err) =
        app.post(&key, "/api/v1/customers", json!({"company": "Dupont", "vat_id": "FR 403 032 650 46"})).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("vat_id")), "{err}");
    let (status, customer) =
        app.post(&key, "/api/v1/customers", json!({"company": "Dupont", "vat_id": "fr 403 032 650 45"})).await;
    assert_eq!((status, customer["vat_id"].as_str()), (201, Some("FR40303265045")), "{customer}");
    let mut by_customer = example("reverse_charge_to_a_french_business");
    by_customer.as_object_mut().unwrap().remove("recipient");
    by_customer["customer_id"] = customer["id"].clone();
    let (status, inv) = app.post(&key, "/api/v1/invoices", by_customer).await;
    assert_eq!((status, inv["recipient"]["vat_id"].as_str()), (201, Some("FR40303265045")), "{inv}");
}
on_both_databases!(missing_vat_facts_are_refused_with_the_field_named);

async fn a_small_business_charges_no_vat(db: TestDb) {
    let app = TestApp::start(db).await;
    let key = app.key("fotograf@x.test", Some("Foto Klein")).await;
    let me = data::senders::find_by_email(&app.store.db, "fotograf@x.test").await.unwrap().unwrap();
    let mut form = data::senders::profile_form(&me);
    form.country = "Deutschland".into();
    form.small_business = true;
    data::senders::update_profile(&app.store, me.id, &form).await.unwrap();
    let (status, inv) = app.post(&key, "/api/v1/invoices", example("us_sales_tax")).await;
    assert_eq!(status, 201, "{inv}");
    assert_eq!((inv["tax_cents"].as_i64(), inv["total_cents"].as_i64()), (Some(0), Some(268_000)));
    assert_eq!(inv["tax"], Value::Null, "no rate to charge");
    let group = &inv["tax_breakdown"][0];
    assert_eq!(group["category_code"], "E");
    assert!(group["exemption_reason"].as_str().unwrap().contains("§ 19 UStG"), "{group}");
    let (status, patched) = app
        .patch(&key, &format!("/api/v1/invoices/{}", inv["id"].as_str().unwrap()), json!({"tax": {"rate": 19}}))
        .await;
    assert_eq!((status, patched["tax_cents"].as_i64()), (200, Some(0)), "{patched}");
}
on_both_databases!(a_small_business_charges_no_vat);

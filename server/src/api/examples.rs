//! Example bodies of POST /invoices, shown in the OpenAPI document: what VAT per line looks
//! like for the invoices people most often write. Each one is created in a test.

use serde_json::{Value, json};

/// (name, summary, body)
pub fn invoice_examples() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "german_7_and_19_percent",
            "Germany: design work at 19 %, books at 7 %, prices including tax, a line and an invoice discount",
            json!({
                "currency": "EUR", "due_date": "2027-01-31",
                "recipient": {"company": "Buchhandlung Weber GmbH", "email": "rechnung@weber.example",
                              "address": {"line1": "Hauptstraße 5", "postal_code": "10115", "city": "Berlin", "country": "DE"}},
                "prices_include_tax": true,
                "tax": {"label": "USt", "rate": 19},
                "line_items": [
                    {"description": "Umschlaggestaltung", "quantity": 1, "unit_price_cents": 119000,
                     "discount": {"type": "percent", "value": 10}},
                    {"description": "Fachbuch Typografie", "quantity": 3, "unit_price_cents": 4280, "tax": {"rate": 7}}
                ],
                "discount": {"type": "flat", "value_cents": 1000}
            }),
        ),
        (
            "reverse_charge_to_a_french_business",
            "A service to a business in another EU country: reverse charge, the buyer's VAT id required",
            json!({
                "currency": "EUR", "due_date": "2027-01-31",
                "recipient": {"company": "Atelier Dupont SARL", "vat_id": "FR40303265045",
                              "address": {"line1": "12 rue de la Paix", "postal_code": "75002", "city": "Paris", "country": "FR"}},
                "line_items": [
                    {"description": "UX consulting (hours)", "quantity": 12, "unit_price_cents": 9500,
                     "tax": {"category": "reverse_charge"}}
                ]
            }),
        ),
        (
            "german_small_business",
            "A § 19 UStG small business: no VAT, the legal text printed (with the profile's small_business set, every line gets it by itself)",
            json!({
                "currency": "EUR", "due_date": "2027-01-31",
                "recipient": {"company": "Kanzlei Schmidt", "email": "buero@schmidt.example"},
                "line_items": [
                    {"description": "Fotografie, Tagessatz", "quantity": 2, "unit_price_cents": 45000,
                     "tax": {"category": "exempt", "exemption_reason": "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet."}}
                ]
            }),
        ),
        (
            "us_sales_tax",
            "The United States: one sales-tax rate for every line (the invoice's tax)",
            json!({
                "currency": "USD", "due_date": "2027-01-31",
                "recipient": {"company": "Acme Corp", "email": "ap@acme.example"},
                "tax": {"label": "NY sales tax", "rate": 8.875},
                "line_items": [
                    {"description": "Brand identity system", "quantity": 1, "unit_price_cents": 250000},
                    {"description": "Print-ready files", "quantity": 1.5, "unit_price_cents": 12000}
                ]
            }),
        ),
    ]
}

/// The examples as an OpenAPI `examples` object.
pub fn openapi_examples() -> Value {
    let mut all = serde_json::Map::new();
    for (name, summary, value) in invoice_examples() {
        all.insert(name.to_string(), json!({"summary": summary, "value": value}));
    }
    Value::Object(all)
}

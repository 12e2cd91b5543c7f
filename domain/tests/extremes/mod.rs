//! Hostile values for every number a form or an API body can carry, and one function that
//! feeds them through the parsers, validation and totals: it must answer (Ok or a field
//! error), never panic. Shared by the native and the wasm tests.

use domain::forms::InvoiceForm;
use domain::validate::{Defaults, InvoiceContent};

/// Text a person or a script could type where a number belongs.
pub const EXTREME_TEXT: &[&str] = &[
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "79228162514264337593543950336",
    "99999999999999999999999999999999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "1000000000000.01",
    "0.0000000000000000000000000001",
    "0.00000000000000000000000000000000001",
    "123.4567890123456789012345678",
    "-1",
    "-0",
    "0",
    "1e308",
    "1E-7",
    "-1e400",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "0x10",
    "1,5",
    "١٢٣",
    "",
    " ",
    "1.2.3",
    "--1",
    ".",
    "+5",
];

/// JSON numbers (as text) where the API takes integer cents, quantities or percentages.
pub const EXTREME_JSON_NUMBERS: &[&str] = &[
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "1e308",
    "-1e308",
    "1e-320",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "0.1e1",
    "123.4567890123456789012345678",
    "\"NaN\"",
    "\"Infinity\"",
    "\"1e5\"",
    "-0",
    "1.7976931348623157e308",
];

fn defaults() -> Defaults {
    Defaults { currency: "USD".into(), today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date") }
}

/// The editor's form with `value` in the numeric field `field`: totals, the API input and
/// validation all answer.
pub fn feed_form(field: &str, value: &str) {
    let mut fields = vec![
        ("invoice[recipient_company]", "Acme".to_string()),
        ("invoice[due_date]", "2026-12-31".to_string()),
        ("invoice[lines][0][description]", "Work".to_string()),
        ("invoice[lines][0][quantity]", "2".to_string()),
        ("invoice[lines][0][unit_price]", "100".to_string()),
        ("invoice[lines][0][discount_kind]", "percent".to_string()),
        ("invoice[lines][0][discount_value]", "10".to_string()),
        ("invoice[discount_kind]", "flat".to_string()),
        ("invoice[discount_value]", "5".to_string()),
        ("invoice[tax_rate]", "8.875".to_string()),
    ];
    fields.retain(|(name, _)| *name != field);
    fields.push((field, value.to_string()));
    let form = InvoiceForm::from_fields(fields);
    let _ = form.totals();
    if let Ok(input) = form.to_input() {
        let _ = InvoiceContent::from_input(input, &defaults());
    }
}

/// The numeric fields of the form.
pub const FORM_NUMBER_FIELDS: &[&str] = &[
    "invoice[lines][0][quantity]",
    "invoice[lines][0][unit_price]",
    "invoice[lines][0][discount_value]",
    "invoice[discount_value]",
    "invoice[tax_rate]",
];

/// An API body with `number` as the JSON value at `path` ("quantity", "unit_price_cents",
/// "discount_percent", "discount_flat", "tax_rate"): parsed and validated like the API does.
pub fn api_body(path: &str, number: &str) -> String {
    let (mut quantity, mut price, mut line_discount, mut tax) =
        ("1".to_string(), "1000".to_string(), "null".to_string(), "null".to_string());
    match path {
        "quantity" => quantity = number.to_string(),
        "unit_price_cents" => price = number.to_string(),
        "discount_percent" => line_discount = format!("{{\"type\":\"percent\",\"value\":{number}}}"),
        "discount_flat" => line_discount = format!("{{\"type\":\"flat\",\"value_cents\":{number}}}"),
        _ => tax = format!("{{\"rate\":{number}}}"),
    }
    format!(
        "{{\"due_date\":\"2026-12-31\",\"recipient\":{{\"company\":\"Acme\"}},\"tax\":{tax},\
         \"line_items\":[{{\"description\":\"Work\",\"quantity\":{quantity},\"unit_price_cents\":{price},\"discount\":{line_discount}}}]}}"
    )
}

pub const API_NUMBER_PATHS: &[&str] =
    &["quantity", "unit_price_cents", "discount_percent", "discount_flat", "tax_rate"];

/// Parses and validates an API body as the server does.
pub fn feed_api(body: &str) -> Result<(), String> {
    let input: domain::dto::InvoiceInput = serde_json::from_str(body).map_err(|e| e.to_string())?;
    InvoiceContent::from_input(input, &defaults()).map(|_| ()).map_err(|e| e.to_string())
}

/// Every extreme text in every numeric form field.
pub fn sweep_form() {
    for field in FORM_NUMBER_FIELDS {
        for value in EXTREME_TEXT {
            feed_form(field, value);
        }
    }
}

/// Every extreme number in every numeric API field; calls `accepted` with each body the
/// model accepts.
pub fn sweep_api(mut accepted: impl FnMut(&str)) {
    for path in API_NUMBER_PATHS {
        for number in EXTREME_JSON_NUMBERS {
            let body = api_body(path, number);
            if feed_api(&body).is_ok() {
                accepted(&body);
            }
        }
    }
}

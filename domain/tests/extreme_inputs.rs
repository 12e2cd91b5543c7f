#![cfg(not(target_arch = "wasm32"))]
//! No input panics the model: every hostile number in every numeric field of the editor's
//! form and of the API body gets an answer (a value or a field error). Run natively here and
//! in the wasm build by extreme_inputs_wasm.rs (a panic there aborts the editor).

mod extremes;

use extremes::*;
use proptest::prelude::*;

#[test]
fn every_extreme_value_in_every_form_field_is_answered() {
    sweep_form();
}

#[test]
fn every_extreme_number_in_every_api_field_is_answered() {
    // Accepted values stay within the limits.
    sweep_api(|body| {
        let input: domain::dto::InvoiceInput = serde_json::from_str(body).unwrap();
        let line = &input.line_items.unwrap()[0];
        assert!(line.unit_price_cents.unwrap() <= domain::MAX_AMOUNT_CENTS, "{body}");
    });
}

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i128>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        any::<f64>().prop_map(|f| format!("{f:e}")),
        (any::<i64>(), 0u32..40).prop_map(|(m, scale)| {
            let digits = m.unsigned_abs().to_string();
            let sign = if m < 0 { "-" } else { "" };
            format!("{sign}{digits}.{}", "9".repeat(scale as usize))
        }),
        "[-+]?[0-9]{0,40}(\\.[0-9]{0,40})?([eE][-+]?[0-9]{1,4})?",
        prop::sample::select(EXTREME_TEXT).prop_map(str::to_string),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_text_in_any_numeric_form_field_is_answered(
        field in prop::sample::select(FORM_NUMBER_FIELDS),
        value in number_text(),
    ) {
        feed_form(field, &value);
    }

    #[test]
    fn any_json_number_in_any_api_field_is_answered(
        path in prop::sample::select(API_NUMBER_PATHS),
        value in prop_oneof![
            any::<i128>().prop_map(|n| n.to_string()),
            any::<f64>().prop_filter("JSON has no NaN", |f| f.is_finite()).prop_map(|f| format!("{f:e}")),
            "-?[0-9]{1,40}(\\.[0-9]{1,40})?([eE][-+]?[0-9]{1,3})?",
        ],
    ) {
        let _ = feed_api(&api_body(path, &value));
    }
}

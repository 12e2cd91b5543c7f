//! The extreme-input sweep in the wasm build: the browser's editor runs this code with
//! panic=abort, so a panic there would kill the page. Run by scripts/test.sh with
//! wasm-bindgen-test-runner (Node).
#![cfg(target_arch = "wasm32")]

mod extremes;

use extremes::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn every_extreme_value_in_every_form_field_is_answered_in_wasm() {
    sweep_form();
}

#[wasm_bindgen_test]
fn every_extreme_number_in_every_api_field_is_answered_in_wasm() {
    sweep_api(|_| {});
}

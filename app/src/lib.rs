#![recursion_limit = "256"]
//! The Leptos UI: server-rendered pages that hydrate in the browser. Server-only code lives
//! behind the `ssr` feature and reaches the database only through `data` services.

pub mod api;
pub mod components;
pub mod error;
pub mod pages;
pub mod query;
mod root;
#[cfg(feature = "ssr")]
pub mod server;

pub use root::{App, shell};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}

//! The `jupiter` server: configuration, the axum router (Leptos pages + /api/v1 + the
//! OpenAPI document) and the command line.

pub mod anonymous;
pub mod api;
pub mod archive_cli;
pub mod archive_download;
pub mod cli;
pub mod client_ip;
pub mod config;
pub mod connections;
pub mod csrf;
pub mod limits;
pub mod mail;
pub mod maintenance;
pub mod mcp;
pub mod panics;
pub mod pdf;
pub mod schedules;
pub mod security_headers;
pub mod signed_in;
pub mod state;
pub mod stripe;
pub mod turnstile;
pub mod views_worker;
pub mod web;
pub mod webhooks;
pub mod workers;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use security_headers::HeaderPolicy;
use state::AppState;

/// Everything the binary serves, ready for `axum::serve`. Outermost first: security headers
/// on every answer, the client's address, the timeout and panic guard (reading the body
/// included), the body limit, the CSRF guard, the sign-in guard, then the routes.
pub fn router(state: AppState) -> Router {
    let headers = HeaderPolicy { https: state.web.secure_cookies };
    Router::new()
        .route("/i/{token}/pdf", axum::routing::get(pdf::http::by_token))
        .route("/i/{token}/e-invoice", axum::routing::get(api::e_invoices::by_token))
        .route(
            "/i/{token}/credit-notes/{number}/{document}",
            axum::routing::get(archive_download::credit_note_by_token),
        )
        .route("/invoices/archive.zip", axum::routing::get(archive_download::export_zip))
        .route("/i/{token}/pay", axum::routing::post(stripe::pay::pay))
        .route("/stripe/webhook", axum::routing::post(stripe::webhook::deployment))
        .route("/stripe/webhook/{sender}", axum::routing::post(stripe::webhook::of_sender))
        .merge(api::router(&state))
        .merge(mcp::router(state.clone()))
        .merge(web::router(&state))
        .layer(from_fn_with_state(state.clone(), signed_in::guard))
        .layer(from_fn(csrf::guard))
        .layer(from_fn(limits::body_limit))
        .layer(from_fn(limits::timeout_and_panics))
        .layer(from_fn_with_state(state.trusted_proxies.clone(), client_ip::layer))
        .layer(from_fn_with_state(headers, security_headers::layer))
        .with_state(state)
}

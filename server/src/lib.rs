//! The `jupiter` server: configuration, the axum router (Leptos pages + /api/v1 + the
//! OpenAPI document) and the command line.

pub mod api;
pub mod cli;
pub mod config;
pub mod csrf;
pub mod mail;
pub mod pdf;
pub mod signed_in;
pub mod state;
pub mod web;
pub mod webhooks;
pub mod workers;

use axum::Router;
use state::AppState;

/// Everything the binary serves, ready for `axum::serve`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/i/{token}/pdf", axum::routing::get(pdf::http::by_token))
        .merge(api::router())
        .merge(web::router(&state))
        .layer(axum::middleware::from_fn_with_state(state.clone(), signed_in::guard))
        .layer(axum::middleware::from_fn(csrf::guard))
        .with_state(state)
}

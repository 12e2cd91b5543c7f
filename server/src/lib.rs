//! The `jupiter` server: configuration, the axum router (Leptos pages + /api/v1 + the
//! OpenAPI document) and the command line.

pub mod api;
pub mod cli;
pub mod config;
pub mod state;
pub mod web;

use axum::Router;
use state::AppState;

/// Everything the binary serves, ready for `axum::serve`.
pub fn router(state: AppState) -> Router {
    Router::new().merge(api::router()).merge(web::router(&state)).with_state(state)
}

//! The Leptos pages and the static files of the built site.

use crate::state::AppState;
use app::{App, shell};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use std::sync::OnceLock;

/// The app's routes, worked out once per process: while Leptos generates them it suppresses
/// resource loading process-wide (leptos#4773), so a page rendering meanwhile in another server
/// of the same process (tests start many) would wait forever.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: &AppState) -> Router<AppState> {
    let routes = routes();
    let store = state.store.clone();
    let web = state.web;
    let context = move || {
        provide_context(store.clone());
        provide_context(web);
    };
    let options = state.leptos_options.clone();
    Router::new()
        .leptos_routes_with_context(state, routes, context.clone(), move || shell(options.clone()))
        .fallback(file_and_error_handler_with_context::<AppState, _>(context, shell))
}

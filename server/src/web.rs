//! The Leptos pages and the static files of the built site.

use crate::state::AppState;
use app::{App, shell};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};

pub fn router(state: &AppState) -> Router<AppState> {
    let routes = generate_route_list(App);
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

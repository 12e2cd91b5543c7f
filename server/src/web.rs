//! The Leptos pages and the static files of the built site.

use crate::state::AppState;
use app::{App, shell};
use axum::Router;
use axum::body::Body;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
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
    let web = state.web.clone();
    let context = move || {
        provide_context(store.clone());
        provide_context(web.clone());
    };
    let options = state.leptos_options.clone();
    Router::new()
        .leptos_routes_with_context(state, routes, context.clone(), move || shell(options.clone()))
        .fallback(file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(axum::middleware::map_response(server_fn_status))
}

/// A server function's error goes out as a 500 whatever it was (server_fn 0.8 has no say in
/// the status); this gives it the status of its kind, as the REST API would, so a client's
/// mistake is a 4xx. (A form posted without JavaScript is redirected back instead, untouched.)
async fn server_fn_status(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    #[derive(serde::Deserialize)]
    struct Kind {
        kind: domain::ErrorKind,
    }
    if let Ok(Kind { kind }) = serde_json::from_slice::<Kind>(&bytes) {
        parts.status = StatusCode::from_u16(kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

use app::server::WebSettings;
use axum::extract::FromRef;
use data::Store;
use leptos::config::LeptosOptions;

/// Shared by every handler: the data services' handle and Leptos' site options.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub store: Store,
    pub leptos_options: LeptosOptions,
    pub web: WebSettings,
}

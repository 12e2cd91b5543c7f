//! A query parameter of the page's URL, percent-decoded exactly once. (leptos_router's query
//! map decodes twice: `%2561` would become `a`, so a `next` path would not survive as given.)
//! The server reads the request's URI and the browser its location, so both render the same.

/// The first value of `name` in the page's query string.
pub fn query_param(name: &str) -> Option<String> {
    let query = raw_query()?;
    form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

#[cfg(feature = "ssr")]
fn raw_query() -> Option<String> {
    leptos::prelude::use_context::<http::request::Parts>().and_then(|p| p.uri.query().map(str::to_string))
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn raw_query() -> Option<String> {
    web_sys::window()?.location().search().ok()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn raw_query() -> Option<String> {
    None
}

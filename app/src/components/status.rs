use domain::Status;
use leptos::prelude::*;

/// The status as a coloured label, in words.
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let text = status.as_str().replace('_', " ");
    view! { <span class=format!("badge badge-{}", status.as_str())>{text}</span> }
}

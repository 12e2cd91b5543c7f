use domain::Status;
use leptos::prelude::*;

/// The status as a coloured label, in words (`label`: the recipient's words for it; the
/// sender's pages say it in English).
#[component]
pub fn StatusBadge(status: Status, #[prop(optional, into)] label: Option<String>) -> impl IntoView {
    let text = label.unwrap_or_else(|| status.as_str().replace('_', " "));
    view! { <span class=format!("badge badge-{}", status.as_str())>{text}</span> }
}

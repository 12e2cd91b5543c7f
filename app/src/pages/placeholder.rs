use leptos::prelude::*;
use leptos_meta::Title;

/// A page that exists in the navigation but whose feature is still being built.
#[component]
pub fn Placeholder(title: &'static str, text: &'static str) -> impl IntoView {
    view! {
        <Title text=title/>
        <section class="card narrow">
            <h1>{title}</h1>
            <p class="muted">{text}</p>
            <p><a href="/">"Back to the home page"</a></p>
        </section>
    }
}

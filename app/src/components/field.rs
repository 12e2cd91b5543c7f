//! A labelled input with its error, and a button that copies text (shown once hydrated).

use crate::error::AppError;
use leptos::prelude::*;

/// `<label>` + `<input>` named `name` (e.g. `profile[company]`), with the error about
/// `field` under it.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    field: &'static str,
    #[prop(into)] value: String,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{field}-error");
    let invalid = move || error.get().and_then(|e| e.about(field)).is_some().then_some("true");
    view! {
        <label class="field">
            {label}
            <input
                type=kind
                name=name
                value=value
                autocomplete=autocomplete
                required=required
                aria-invalid=invalid
                aria-describedby=error_id
            />
            {hint.map(|h| view! { <span class="hint">{h}</span> })}
        </label>
        <crate::components::form::FieldError error field/>
    }
}

/// Copies `text` to the clipboard. Without JavaScript there is nothing to click: the text
/// stays selectable next to it.
#[component]
pub fn CopyButton(#[prop(into)] text: String, #[prop(default = "Copy")] label: &'static str) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text);
            copied.set(true);
        }
        // The server never runs click handlers.
        #[cfg(not(feature = "hydrate"))]
        let _ = &text;
    };
    view! {
        <Show when=move || hydrated.get()>
            <button type="button" class="button button-small button-secondary" on:click=copy.clone()>
                {move || if copied.get() { "Copied" } else { label }}
            </button>
        </Show>
    }
}

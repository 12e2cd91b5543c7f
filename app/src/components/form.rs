//! Form pieces: the error of one field, and the error not tied to any field.

use crate::error::AppError;
use leptos::prelude::*;

/// The message of `error` when it is about `field`, shown under that field.
#[component]
pub fn FieldError(#[prop(into)] error: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    move || {
        error.get().and_then(|e| e.about(field)).map(|message| {
            view! { <p class="field-error" role="alert" id=format!("{field}-error")>{message}</p> }
        })
    }
}

/// An error that names no field of the form (or a field the form does not show).
#[component]
pub fn FormError(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional)] fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        error
            .get()
            .filter(|e| e.field.as_deref().is_none_or(|f| !fields.contains(&f)))
            .map(|e| view! { <div class="alert alert-error" role="alert">{e.message}</div> })
    }
}

/// The error of the last run of a server action, if it failed.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// Empties the form after its action succeeded (with JavaScript the page stays, and the fields
/// would keep what was just saved).
pub fn reset_on_success<I, O>(action: ServerAction<I>, form: NodeRef<leptos::html::Form>)
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(_))) {
            #[cfg(feature = "hydrate")]
            if let Some(el) = form.get_untracked() {
                el.reset();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = form;
    });
}

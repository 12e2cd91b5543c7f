use crate::api::auth::{CompleteSignIn, RequestSignIn, peek_sign_in};
use crate::components::form::{FieldError, FormError, action_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignIn() -> impl IntoView {
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let next = StoredValue::new(crate::query::query_param("next").unwrap_or_default());
    let action = ServerAction::<RequestSignIn>::new();
    let error = action_error(action);
    view! {
        <Title text="Sign in"/>
        <section class="card narrow">
            <Show
                when=sent
                fallback=move || {
                    view! {
                        <h1>"Sign in"</h1>
                        <p class="muted">"We e-mail you a link that signs you in. No password to remember; a new account is made on first sign-in."</p>
                        <ActionForm action=action attr:class="stack">
                            <input type="hidden" name="next" value=next.get_value()/>
                            <label>
                                "E-mail address"
                                <input type="email" name="email" required autocomplete="email" aria-describedby="email-error"/>
                            </label>
                            <FieldError error field="email"/>
                            <FormError error fields=&["email"]/>
                            <button class="button" type="submit">"E-mail me a sign-in link"</button>
                        </ActionForm>
                    }
                }
            >
                <h1>"Check your inbox"</h1>
                <p>"We sent you a sign-in link. It works once and expires in 15 minutes."</p>
                <p class="muted">"Nothing there? Check the spam folder, or " <a href="/signin">"send another link"</a> "."</p>
            </Show>
        </section>
    }
}

/// The page a sign-in link opens: one click confirms, so mail scanners that open links do
/// not spend them.
#[component]
pub fn VerifySignIn() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let email = Resource::new(token, |t| async move { peek_sign_in(t).await });
    let action = ServerAction::<CompleteSignIn>::new();
    let error = action_error(action);
    view! {
        <Title text="Sign in"/>
        <section class="card narrow">
            <Suspense fallback=|| view! { <p>"Checking your link…"</p> }>
                {move || email.get().map(|result| match result {
                    Ok(address) => view! {
                        <h1>"Sign in"</h1>
                        <p>"Continue as " <strong>{address}</strong> "?"</p>
                        <ActionForm action=action>
                            <input type="hidden" name="token" value=token/>
                            <FormError error/>
                            <button class="button" type="submit">"Sign in"</button>
                        </ActionForm>
                    }.into_any(),
                    Err(e) => view! {
                        <h1>"This link cannot be used"</h1>
                        <p class="muted">{e.message}</p>
                        <p><a class="button" href="/signin">"Get a new link"</a></p>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

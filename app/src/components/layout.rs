use crate::api::auth::{SignOut, whoami};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Header, main column and footer shared by every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let location = use_location();
    // Re-read on every navigation, so signing in or out shows at once.
    let me = Resource::new(move || location.pathname.get(), |_| async { whoami().await.ok().flatten() });
    let sign_out = ServerAction::<SignOut>::new();
    // The share link's page is the sender's document, not our app: no app navigation there.
    let public_document = move || location.pathname.get().starts_with("/i/");
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <nav class="nav" aria-label="Main">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true"></span>
                    "JupiterInvoice"
                </a>
                <Suspense fallback=|| ()>
                    {move || (!public_document()).then(|| me.get().map(|me| match me {
                        Some(me) => view! {
                            <div class="nav-links">
                                <a href="/invoices">"Invoices"</a>
                                <a href="/recurring">"Recurring"</a>
                                <a href="/reminders">"Reminders"</a>
                                <a href="/customers">"Customers"</a>
                                <a href="/keys">"API keys"</a>
                                <a href="/webhooks">"Webhooks"</a>
                                <a href="/profile" title=me.email.clone()>{me.company.clone().unwrap_or_else(|| "Profile".into())}</a>
                                <ActionForm action=sign_out attr:class="inline-form">
                                    <button class="button button-small button-secondary" type="submit">"Sign out"</button>
                                </ActionForm>
                            </div>
                        }.into_any(),
                        None => view! {
                            <div class="nav-links">
                                <a href="/new">"New invoice"</a>
                                <a href="/api/openapi.json">"API"</a>
                                <a class="button button-small" href="/signin">"Sign in"</a>
                            </div>
                        }.into_any(),
                    }))}
                </Suspense>
            </nav>
        </header>
        <main id="main" class="main">{children()}</main>
        <footer class="site-footer">
            <p>"JupiterInvoice — invoices your clients can approve and pay."</p>
        </footer>
    }
}

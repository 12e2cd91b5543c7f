use leptos::prelude::*;

/// Header, main column and footer shared by every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <nav class="nav" aria-label="Main">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true"></span>
                    "JupiterInvoice"
                </a>
                <div class="nav-links">
                    <a href="/new">"New invoice"</a>
                    <a href="/api/openapi.json">"API"</a>
                    <a class="button button-small" href="/signin">"Sign in"</a>
                </div>
            </nav>
        </header>
        <main id="main" class="main">{children()}</main>
        <footer class="site-footer">
            <p>"JupiterInvoice — invoices your clients can approve and pay."</p>
        </footer>
    }
}

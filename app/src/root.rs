use crate::components::layout::Layout;
use crate::pages::customers::{CustomerEditPage, CustomersPage};
use crate::pages::invoice_editor::InvoiceEditorPage;
use crate::pages::invoices::{InvoicePage, InvoicesPage};
use crate::pages::keys::KeysPage;
use crate::pages::new_invoice::{MadeInvoicePage, NewInvoicePage};
use crate::pages::profile::ProfilePage;
use crate::pages::recurring::{RecurringListPage, RecurringPage};
use crate::pages::reminders::RemindersPage;
use crate::pages::shared::SharedInvoicePage;
use crate::pages::signin::{SignIn, VerifySignIn};
use crate::pages::webhooks::WebhooksPage;
use crate::pages::{home::Home, not_found::NotFound};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::send_page_csp();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/jupiter.css"/>
        <Title formatter=|page: String| if page.is_empty() { "JupiterInvoice".to_string() } else { format!("{page} · JupiterInvoice") }/>
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    // Async: every page is complete in its first HTML, so forms and data work
                    // without JavaScript.
                    <Route path=path!("/") view=Home ssr=SsrMode::Async/>
                    <Route path=path!("/signin") view=SignIn ssr=SsrMode::Async/>
                    <Route path=path!("/signin/verify") view=VerifySignIn ssr=SsrMode::Async/>
                    <Route path=path!("/i/:token") view=SharedInvoicePage ssr=SsrMode::Async/>
                    <Route path=path!("/profile") view=ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/keys") view=KeysPage ssr=SsrMode::Async/>
                    <Route path=path!("/webhooks") view=WebhooksPage ssr=SsrMode::Async/>
                    <Route path=path!("/invoices") view=InvoicesPage ssr=SsrMode::Async/>
                    <Route path=path!("/invoices/new") view=InvoiceEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/invoices/:number") view=InvoicePage ssr=SsrMode::Async/>
                    <Route path=path!("/invoices/:number/edit") view=InvoiceEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/recurring") view=RecurringListPage ssr=SsrMode::Async/>
                    <Route path=path!("/recurring/:id") view=RecurringPage ssr=SsrMode::Async/>
                    <Route path=path!("/reminders") view=RemindersPage ssr=SsrMode::Async/>
                    <Route path=path!("/customers") view=CustomersPage ssr=SsrMode::Async/>
                    <Route path=path!("/customers/new") view=CustomerEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/customers/:id") view=CustomerEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/new") view=NewInvoicePage ssr=SsrMode::Async/>
                    <Route path=path!("/new/:number") view=MadeInvoicePage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

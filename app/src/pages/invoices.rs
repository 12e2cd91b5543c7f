use crate::api::invoices::{InvoiceAction, list_invoices, load_invoice};
use crate::components::field::CopyButton;
use crate::components::form::{FormError, action_error};
use crate::components::status::StatusBadge;
use domain::status::ALL_STATUSES;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (q.get("status"), q.get("q"), q.get("cursor"))
    };
    let list = Resource::new(args, |(status, q, cursor)| list_invoices(status, q, cursor));
    let status = move || query.read().get("status").unwrap_or_default();
    let search = move || query.read().get("q").unwrap_or_default();
    view! {
        <Title text="Invoices"/>
        <div class="page-head">
            <h1>"Invoices"</h1>
            <a class="button" href="/invoices/new">"New invoice"</a>
        </div>
        // A GET form: filtering works without JavaScript and the URL can be bookmarked.
        <form method="get" action="/invoices" class="card inline-fields filters">
            <label class="field">
                "Status"
                <select name="status">
                    <option value="" selected=move || status().is_empty()>"All"</option>
                    {ALL_STATUSES.into_iter().map(|s| {
                        let value = s.as_str();
                        view! { <option value=value selected=move || status() == value>{value.replace('_', " ")}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field grow">
                "Search"
                <input type="search" name="q" value=search placeholder="Number or customer"/>
            </label>
            <button class="button button-secondary" type="submit">"Filter"</button>
        </form>
        <div class="card">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <div class="alert alert-error">{e.message}</div> }.into_any(),
                    Ok(list) if list.rows.is_empty() => view! {
                        {list.notice.map(|n| view! { <div class="alert alert-ok" role="status">{n}</div> })}
                        <p class="muted">"No invoices here yet. " <a href="/invoices/new">"Create one"</a> "."</p>
                    }.into_any(),
                    Ok(list) => {
                        let next = list.next_cursor.map(|c| {
                            let mut href = format!("/invoices?cursor={c}");
                            if !status().is_empty() { href.push_str(&format!("&status={}", status())); }
                            if !search().is_empty() { href.push_str(&format!("&q={}", search())); }
                            href
                        });
                        view! {
                            {list.notice.map(|n| view! { <div class="alert alert-ok" role="status">{n}</div> })}
                            <div class="table-wrap">
                                <table class="table">
                                    <thead><tr><th>"Number"</th><th>"Customer"</th><th class="num">"Total"</th><th>"Due"</th><th>"Status"</th></tr></thead>
                                    <tbody>
                                        {list.rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td><a href=format!("/invoices/{}", r.number)>{r.number.clone()}</a></td>
                                                <td>{r.customer}</td>
                                                <td class="num">{r.total}</td>
                                                <td>{r.due_date}</td>
                                                <td><StatusBadge status=r.status/></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next.map(|href| view! { <p><a href=href>"Older invoices →"</a></p> })}
                        }.into_any()
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn InvoicePage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let action = ServerAction::<InvoiceAction>::new();
    let detail = Resource::new(move || (number(), action.version().get()), |(n, _)| load_invoice(n));
    let error = action_error(action);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || detail.get().map(|r| match r {
                Err(e) => view! { <Title text="Invoice"/><div class="alert alert-error">{e.message}</div> }.into_any(),
                Ok(d) => {
                    let inv = d.invoice.clone();
                    let status = inv.status;
                    let button = move |value: &'static str, label: &'static str, class: &'static str| {
                        let number = inv.id.clone();
                        view! {
                            <ActionForm action=action attr:class="inline-form">
                                <input type="hidden" name="number" value=number/>
                                <input type="hidden" name="action" value=value/>
                                <button class=format!("button {class}") type="submit">{label}</button>
                            </ActionForm>
                        }
                    };
                    view! {
                        <Title text=format!("Invoice {}", d.invoice.id)/>
                        <div class="page-head">
                            <h1>{format!("Invoice {}", d.invoice.id)} " " <StatusBadge status/></h1>
                            <div class="actions">
                                <a class="button button-secondary" href=format!("{}/pdf", d.invoice.share_url) download=format!("{}.pdf", d.invoice.id)>"PDF"</a>
                                {(!status.is_locked()).then(|| view! {
                                    <a class="button button-secondary" href=format!("/invoices/{}/edit", d.invoice.id)>"Edit"</a>
                                })}
                                {status.apply(domain::Action::Send).is_ok().then(|| button("send", "Send by e-mail", ""))}
                                {status.apply(domain::Action::MarkPaid).is_ok().then(|| button("paid", "Mark paid", "button-secondary"))}
                                {status.apply(domain::Action::Cancel).is_ok().then(|| button("cancelled", "Cancel invoice", "button-danger"))}
                            </div>
                        </div>
                        <FormError error/>
                        <div class="card share">
                            <label class="field grow">
                                "Share link (anyone with it can view the invoice)"
                                <div class="copy-row">
                                    <input class="mono" readonly value=d.invoice.share_url.clone() data-testid="share-url"/>
                                    <CopyButton text=d.invoice.share_url.clone() label="Copy link"/>
                                </div>
                            </label>
                        </div>
                        <div class="invoice-layout">
                            <crate::components::invoice_doc::InvoiceDocument invoice=d.invoice sender=d.sender/>
                            <aside class="card timeline">
                                <h2>"History"</h2>
                                <ol>
                                    {d.events.into_iter().rev().map(|e| view! {
                                        <li><strong>{e.what}</strong><br/><span class="muted">{format!("{} · by {}", e.when, e.by)}</span></li>
                                    }).collect_view()}
                                </ol>
                            </aside>
                        </div>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

use crate::api::invoices::{
    CreditNoteRow, CreditableLine, InvoiceAction, InvoiceList, IssueCreditNote, ListChoice, PaymentRow, RecordPayment,
    RemindersView, TotalsRow, list_invoices, load_invoice,
};
use crate::components::field::CopyButton;
use crate::components::form::{FieldError, FormError, action_error};
use crate::components::status::StatusBadge;
use domain::sort::Sort;
use domain::status::ALL_STATUSES;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The list's query string with `cursor` (or none), keeping the other choices.
fn list_href(choice: &ListChoice, cursor: Option<&str>) -> String {
    let pairs = [("status", &choice.status), ("q", &choice.q), ("sort", &choice.sort)];
    let mut parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| format!("{k}={}", urlencode(v))))
        .collect();
    if let Some(c) = cursor {
        parts.push(format!("cursor={c}"));
    }
    if parts.is_empty() { "/invoices".into() } else { format!("/invoices?{}", parts.join("&")) }
}

fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let query = use_query_map();
    let choice = move || {
        let q = query.read();
        ListChoice { status: q.get("status"), q: q.get("q"), sort: q.get("sort"), cursor: q.get("cursor") }
    };
    let list = Resource::new(choice, |c| list_invoices(c.status, c.q, c.cursor, c.sort));
    let status = move || choice().status.unwrap_or_default();
    let search = move || choice().q.unwrap_or_default();
    let sort = move || choice().sort.unwrap_or_default();
    view! {
        <Title text="Invoices"/>
        <div class="page-head">
            <h1>"Invoices"</h1>
            <a class="button" href="/invoices/new">"New invoice"</a>
        </div>
        <Suspense fallback=|| ()>
            {move || list.get().and_then(Result::ok).filter(|l| !l.totals.is_empty()).map(|l| view! { <Overview totals=l.totals/> })}
        </Suspense>
        // A GET form: filtering works without JavaScript and the URL can be bookmarked.
        // (Sections are type-erased: debug builds render deep view types on small stacks.)
        {view! {
        <form method="get" action="/invoices" class="card inline-fields filters">
            <label class="field">
                "Status"
                <select name="status">
                    <option value="" selected=move || status().is_empty()>"All"</option>
                    <option value="overdue" selected=move || status() == "overdue">"overdue"</option>
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
            <label class="field">
                "Order"
                <select name="sort">
                    {Sort::ALL.into_iter().map(|s| {
                        let value = s.as_str();
                        let chosen = move || sort() == value || (sort().is_empty() && s == Sort::Newest);
                        view! { <option value=value selected=chosen>{s.label()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button class="button button-secondary" type="submit">"Show"</button>
        </form>
        }.into_any()}
        <div class="card">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <div class="alert alert-error">{e.message}</div> }.into_any(),
                    Ok(list) => view! { <InvoiceTable list next=list_href(&choice(), None)/> }.into_any(),
                })}
            </Suspense>
        </div>
        <ArchiveExport/>
    }
}

/// Every document that went out in a period, as a zip for the accountant (a plain GET form:
/// the browser downloads it, with or without JavaScript).
#[component]
fn ArchiveExport() -> impl IntoView {
    view! {
        <details class="card archive-export">
            <summary>"Export the archive"</summary>
            <p class="muted small">
                "Every invoice and credit note issued in the period, exactly as it went out (PDF and e-invoice), "
                "with index.csv (number, type, date, customer, net and VAT per rate, total, SHA-256) for your accountant."
            </p>
            <form method="get" action="/invoices/archive.zip" class="inline-fields">
                <label class="field">"From" <input type="date" name="from" required/></label>
                <label class="field">"To" <input type="date" name="to" required/></label>
                <button class="button button-secondary" type="submit">"Download zip"</button>
            </form>
        </details>
    }
    .into_any()
}

/// The list's rows and the link to the next page (`base` is this page's href).
#[component]
fn InvoiceTable(list: InvoiceList, next: String) -> impl IntoView {
    let notice = list.notice.clone().map(|n| view! { <div class="alert alert-ok" role="status">{n}</div> });
    if list.rows.is_empty() {
        return view! {
            {notice}
            <p class="muted">"No invoices here. " <a href="/invoices/new">"Create one"</a> "."</p>
        }
        .into_any();
    }
    let next = list
        .next_cursor
        .map(|c| if next.contains('?') { format!("{next}&cursor={c}") } else { format!("{next}?cursor={c}") });
    let rows = list
        .rows
        .into_iter()
        .map(|r| {
            view! {
                <tr class:overdue=r.overdue>
                    <td><a href=format!("/invoices/{}", r.number)>{r.number.clone()}</a></td>
                    <td>{r.customer}</td>
                    <td class="num">{r.total}</td>
                    <td class="num">{r.balance}</td>
                    <td>{r.due_date}{r.overdue.then(|| view! { " " <span class="badge badge-overdue">"overdue"</span> })}</td>
                    <td><StatusBadge status=r.status/></td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        {notice}
        <div class="table-wrap">
            <table class="table">
                <thead><tr><th>"Number"</th><th>"Customer"</th><th class="num">"Total"</th><th class="num">"Balance due"</th><th>"Due"</th><th>"Status"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {next.map(|href| view! { <p><a href=href>"More invoices →"</a></p> })}
    }
    .into_any()
}

/// What the sender is owed and was paid, per currency.
#[component]
fn Overview(totals: Vec<TotalsRow>) -> impl IntoView {
    view! {
        <section class="overview" aria-label="Overview">
            {totals.into_iter().map(|t| view! {
                <div class="card stat">
                    <span class="muted">{format!("Outstanding · {}", t.currency)}</span>
                    <strong data-testid=format!("outstanding-{}", t.currency)>{t.outstanding}</strong>
                    <span class="muted">{format!("{} open", t.outstanding_count)}</span>
                </div>
                <a class={if t.overdue_count > 0 { "card stat stat-overdue" } else { "card stat" }} href="/invoices?status=overdue&sort=due_date">
                    <span class="muted">{format!("Overdue · {}", t.currency)}</span>
                    <strong data-testid=format!("overdue-{}", t.currency)>{t.overdue}</strong>
                    <span class="muted">{format!("{} overdue", t.overdue_count)}</span>
                </a>
                <div class="card stat">
                    <span class="muted">{format!("Paid, last 30 days · {}", t.currency)}</span>
                    <strong data-testid=format!("paid-{}", t.currency)>{t.paid_30_days}</strong>
                </div>
            }).collect_view()}
        </section>
    }
    .into_any()
}

/// Whether the invoice's recipient must receive an e-invoice (sending waits for a valid one).
fn e_invoice_required(inv: &domain::dto::Invoice) -> bool {
    inv.recipient.e_invoice_format.is_some_and(|f| f.is_required())
}

#[component]
pub fn InvoicePage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let action = ServerAction::<InvoiceAction>::new();
    let pay = ServerAction::<RecordPayment>::new();
    let credit = ServerAction::<IssueCreditNote>::new();
    let detail = Resource::new(
        move || (number(), action.version().get(), pay.version().get(), credit.version().get()),
        |(n, ..)| load_invoice(n),
    );
    let error = action_error(action);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || detail.get().map(|r| match r {
                Err(e) => view! { <Title text="Invoice"/><div class="alert alert-error">{e.message}</div> }.into_any(),
                Ok(d) => {
                    let inv = d.invoice.clone();
                    let status = inv.status;
                    let (inv_id, currency) = (inv.id.clone(), inv.currency.clone());
                    let (balance, paid) = (inv.balance_due_cents, inv.amount_paid_cents);
                    let (e_invoice, customer_id) = (inv.e_invoice.clone(), inv.customer_id);
                    let e_invoice_required = e_invoice_required(&inv);
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
                                // Credit notes credit the lines as issued: from then on it is corrected by more of them.
                                {(!status.is_locked() && d.credit_notes.is_empty()).then(|| view! {
                                    <a class="button button-secondary" href=format!("/invoices/{}/edit", d.invoice.id)>"Edit"</a>
                                })}
                                {status.apply(domain::Action::Send).is_ok().then(|| button("send", "Send by e-mail", ""))}
                                {status.apply(domain::Action::MarkPaid).is_ok().then(|| button("paid", "Mark paid in full", "button-secondary"))}
                                {(status != domain::Status::Draft && status.apply(domain::Action::Cancel).is_ok()).then(|| button("cancelled", "Cancel (issues a cancellation)", "button-danger"))}
                                {(status == domain::Status::Draft).then(|| button("delete", "Delete draft", "button-danger"))}
                            </div>
                        </div>
                        <FormError error/>
                        {d.invoice.recurring_invoice_id.map(|id| view! {
                            <p class="muted">"Made by a " <a href=format!("/recurring/{id}")>"recurring invoice"</a> "."</p>
                        })}
                        <div class="card share">
                            <label class="field grow">
                                "Share link (anyone with it can view the invoice)"
                                <div class="copy-row">
                                    <input class="mono" readonly value=d.invoice.share_url.clone() data-testid="share-url"/>
                                    <CopyButton text=d.invoice.share_url.clone() label="Copy link"/>
                                </div>
                            </label>
                        </div>
                        // Type-erased in parts: as one view the page's type is deep enough to
                        // overflow a 2 MiB worker stack when a debug build renders it.
                        {view! { <div class="invoice-layout">
                            <crate::components::invoice_doc::InvoiceDocument doc=d.printed/>
                            {view! { <aside class="side">
                            {e_invoice.map(|verdict| view! {
                                <crate::components::e_invoice::EInvoiceCheck verdict required=e_invoice_required number=inv_id.clone() customer_id/>
                            }.into_any())}
                            <Payments number=inv_id.clone() status currency=currency.clone() balance paid today=d.today.clone() rows=d.payments.clone() action=pay/>
                            <CreditNotes number=inv_id.clone() rows=d.credit_notes.clone() lines=d.creditable.clone() action=credit/>
                            <Reminders number=inv_id.clone() view=d.reminders.clone() action/>
                            <crate::pages::recurring::RepeatInvoice number=inv_id.clone() today=d.today.clone()/>
                            <div class="card timeline">
                                <h2>"History"</h2>
                                <ol>
                                    {d.events.into_iter().rev().map(|e| view! {
                                        <li><strong>{e.what}</strong><br/><span class="muted">{format!("{} · by {}", e.when, e.by)}</span></li>
                                    }).collect_view()}
                                </ol>
                            </div>
                            </aside> }.into_any()}
                        </div> }.into_any()}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The invoice's payments, and the form to record one (or a refund) received by hand.
#[component]
fn Payments(
    number: String,
    status: domain::Status,
    currency: String,
    balance: i64,
    paid: i64,
    today: String,
    rows: Vec<PaymentRow>,
    action: ServerAction<RecordPayment>,
) -> impl IntoView {
    let error = action_error(action);
    let takes_payments = status.accepts_payments() && balance > 0;
    let not_by_card = match domain::payment::online_charge(status, balance, &currency) {
        Err(domain::payment::NotPayableOnline::NotChargeable(why)) => Some(why),
        _ => None,
    };
    let amount = domain::currency::format_plain(balance, &currency);
    let money = move |cents: i64| domain::currency::format_amount(cents, &currency);
    view! {
        <section class="card payments" aria-label="Payments">
            <h2>"Payments"</h2>
            {if rows.is_empty() {
                view! { <p class="muted">"No payments yet."</p> }.into_any()
            } else {
                view! {
                    <table class="table compact">
                        <tbody>
                            {rows.into_iter().map(|p| view! {
                                <tr>
                                    <td>{p.paid_on}</td>
                                    <td class="num">{p.amount}</td>
                                    <td>{p.method}{(!p.reference.is_empty()).then(|| format!(" · {}", p.reference))}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <p data-testid="balance-due"><strong>"Balance due: " {money(balance)}</strong></p>
            {not_by_card.map(|why| view! { <p class="muted small" data-testid="pay-unavailable">"No Pay button for your client: " {why}</p> })}
            {(takes_payments || paid > 0).then(|| view! {
                <details open=takes_payments>
                    <summary>"Record a payment"</summary>
                    <ActionForm action attr:class="stack">
                        <FormError error fields=&["amount_cents", "method", "paid_on", "reference"]/>
                        <input type="hidden" name="number" value=number/>
                        <div class="inline-fields">
                            <label class="field">
                                "Amount"
                                <input name="payment[amount]" inputmode="decimal" required value=amount/>
                            </label>
                            <label class="field">
                                "Kind"
                                <select name="payment[kind]">
                                    <option value="payment" selected=takes_payments>"Payment"</option>
                                    <option value="refund" selected=!takes_payments>"Refund"</option>
                                </select>
                            </label>
                        </div>
                        <FieldError error field="amount_cents"/>
                        <div class="inline-fields">
                            <label class="field">
                                "Method"
                                <select name="payment[method]">
                                    {domain::PaymentMethod::MANUAL.into_iter().map(|m| view! {
                                        <option value=m.as_str()>{m.label()}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            <label class="field">
                                "Date"
                                <input type="date" name="payment[paid_on]" value=today.clone() max=today.clone()/>
                            </label>
                        </div>
                        <FieldError error field="paid_on"/>
                        <label class="field">
                            "Reference (optional)"
                            <input name="payment[reference]" maxlength="200" placeholder="Bank reference, receipt number…"/>
                        </label>
                        <FieldError error field="reference"/>
                        <button class="button" type="submit">"Record"</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
    .into_any()
}

/// The invoice's credit notes, and the form to issue one: a quantity per line, or everything
/// left, with the reason the credit note prints.
#[component]
fn CreditNotes(
    number: String,
    rows: Vec<CreditNoteRow>,
    lines: Vec<CreditableLine>,
    action: ServerAction<IssueCreditNote>,
) -> impl IntoView {
    let error = action_error(action);
    let anything_left = lines.iter().any(|l| l.left != "0");
    if rows.is_empty() && !anything_left {
        return ().into_any();
    }
    view! {
        <section class="card credit-notes" aria-label="Credit notes">
            <h2>"Credit notes"</h2>
            {rows.into_iter().map(|n| view! {
                <p data-testid=format!("credit-note-{}", n.number)>
                    <a href=n.pdf download=format!("{}.pdf", n.number)>{n.number.clone()}</a>
                    {format!(" · {} · {}{} · {}", n.date, n.amount, if n.cancellation { " (cancellation)" } else { "" }, n.reason)}
                </p>
            }).collect_view()}
            {anything_left.then(|| view! {
                <details>
                    <summary>"Issue a credit note"</summary>
                    <ActionForm action attr:class="stack">
                        <FormError error fields=&["reason", "lines"]/>
                        <input type="hidden" name="number" value=number/>
                        <table class="table compact">
                            <tbody>
                                {lines.into_iter().enumerate().map(|(i, l)| view! {
                                    <tr>
                                        <td>{l.description}</td>
                                        <td class="muted small">{format!("{} of {} left", l.left, l.invoiced)}</td>
                                        <td>
                                            <input name=format!("credit[quantities][{i}]") inputmode="decimal" size="5"
                                                aria-label="Quantity to credit" placeholder="0" disabled=l.left == "0"/>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <FieldError error field="lines[0].quantity"/>
                        <label class="field">
                            "Reason (printed on the credit note)"
                            <input name="credit[reason]" maxlength="500" required placeholder="2 licences returned"/>
                        </label>
                        <div class="inline-fields">
                            <button class="button" type="submit">"Credit these quantities"</button>
                            <button class="button button-secondary" type="submit" name="credit[all]" value="true">"Credit everything left"</button>
                        </div>
                    </ActionForm>
                </details>
            })}
        </section>
    }
    .into_any()
}

/// The invoice's payment reminders: what went, what comes next, "send one now" and the
/// switch for this invoice.
#[component]
fn Reminders(number: String, view: RemindersView, action: ServerAction<InvoiceAction>) -> impl IntoView {
    let RemindersView { enabled, remindable, sent, next } = view;
    if !remindable && sent.is_empty() {
        return ().into_any();
    }
    let button = move |value: &'static str, label: &'static str, class: &'static str| {
        let number = number.clone();
        view! {
            <ActionForm action attr:class="inline-form">
                <input type="hidden" name="number" value=number/>
                <input type="hidden" name="action" value=value/>
                <button class=format!("button button-small {class}") type="submit">{label}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="card" aria-label="Reminders" data-testid="reminders">
            <h2>"Reminders"</h2>
            {sent.into_iter().map(|(what, when)| view! { <p>{what}<br/><span class="muted small">{when}</span></p> }).collect_view()}
            {match (remindable, enabled, next) {
                (true, true, Some(next)) => view! { <p class="muted">{format!("Next: {next}")}</p> }.into_any(),
                (true, false, _) => view! { <p class="muted">"Automatic reminders are off for this invoice."</p> }.into_any(),
                _ => ().into_any(),
            }}
            {remindable.then(|| view! {
                <div class="inline-fields">
                    {button("remind", "Send a reminder now", "")}
                    {if enabled { button("reminders-off", "Turn reminders off", "button-secondary") } else { button("reminders-on", "Turn reminders on", "button-secondary") }}
                </div>
            })}
        </section>
    }
    .into_any()
}

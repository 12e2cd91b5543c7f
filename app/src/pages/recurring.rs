//! Recurring invoices (issue 27): the list (/recurring), one recurring invoice with its next
//! dates (/recurring/:id), and "Repeat this invoice" on an invoice's page. Every button is a
//! form, so the pages work without JavaScript.

use crate::api::recurring::{
    MakeRecurring, RecurringAction, RecurringDetail, SaveRecurring, load_recurring, load_recurring_list,
};
use crate::components::form::{FieldError, FormError, action_error};
use domain::forms::RecurringForm;
use domain::recurring::{Occurrence, RecurringInvoice, RecurringStatus};
use domain::schedule::Unit;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// "Every month on day 31, from 2027-01-31, 12 times".
fn schedule_words(r: &RecurringInvoice) -> String {
    let s = &r.schedule;
    let unit = match (s.unit, s.every) {
        (Unit::Week, 1) => "week".to_string(),
        (Unit::Month, 1) => "month".to_string(),
        (Unit::Year, 1) => "year".to_string(),
        (unit, n) => format!("{n} {}s", unit.as_str()),
    };
    let day = match (s.unit, s.day) {
        (Unit::Week, Some(d)) => format!(
            " on {}",
            ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][d.min(7) as usize]
        ),
        (_, Some(31)) => " on the last day".to_string(),
        (_, Some(d)) => format!(" on day {d}"),
        (_, None) => String::new(),
    };
    let mut words = format!("Every {unit}{day}, from {}", s.start_date);
    if let Some(end) = s.end_date {
        words.push_str(&format!(" until {end}"));
    }
    if let Some(count) = s.count {
        words.push_str(&format!(", {count} times"));
    }
    words
}

fn status_badge(status: RecurringStatus) -> impl IntoView {
    let class = match status {
        RecurringStatus::Active => "badge badge-paid",
        RecurringStatus::Paused => "badge badge-draft",
        RecurringStatus::Ended => "badge badge-cancelled",
    };
    view! { <span class=class>{status.as_str()}</span> }
}

#[component]
pub fn RecurringListPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| load_recurring_list());
    view! {
        <Title text="Recurring invoices"/>
        <div class="page-head"><h1>"Recurring invoices"</h1></div>
        <p class="muted">
            "A recurring invoice makes an invoice on each date of its schedule, at your hour in your time zone "
            "(see " <a href="/reminders">"Reminders"</a> "). Start one from an invoice's page: " <em>"Repeat this invoice"</em> "."
        </p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <div class="alert alert-error">{e.message}</div> }.into_any(),
                Ok(rows) if rows.is_empty() => view! { <p class="muted">"No recurring invoices yet."</p> }.into_any(),
                Ok(rows) => view! {
                    <table class="table">
                        <thead><tr><th>"Customer"</th><th>"Schedule"</th><th>"Next"</th><th>"Status"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr>
                                    <td><a href=format!("/recurring/{}", r.id)>{r.customer.clone()}</a></td>
                                    <td>{schedule_words(&r)}</td>
                                    <td>{r.upcoming.iter().find(|o| !o.skipped).map(|o| o.issue_date.to_string()).unwrap_or_else(|| "—".into())}</td>
                                    <td>{status_badge(r.status)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// The schedule's fields, filled from `form` (names under `recurring[…]`).
#[component]
fn ScheduleFields(form: RecurringForm, error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    let unit = form.unit.clone();
    let option = move |value: &'static str, label: &'static str| {
        view! { <option value=value selected=unit == value>{label}</option> }
    };
    view! {
        <div class="inline-fields">
            <label class="field">"Every" <input name="recurring[every]" value=form.every.clone() inputmode="numeric" size="3" required/></label>
            <label class="field">"Unit"
                <select name="recurring[unit]">{option("month", "months")}{option("week", "weeks")}{option("year", "years")}</select>
            </label>
            <label class="field">"On day" <input name="recurring[day]" value=form.day.clone() inputmode="numeric" size="3" placeholder="31"/></label>
        </div>
        <p class="muted small">"Day: 1–31 of the month (31 is the month's last day), or 1 (Monday) to 7 (Sunday) for weeks; empty: the first date's."</p>
        <FieldError error field="schedule.every"/>
        <FieldError error field="schedule.day"/>
        <div class="inline-fields">
            <label class="field">"First date" <input type="date" name="recurring[start_date]" value=form.start_date.clone() required/></label>
            <label class="field">"Until (optional)" <input type="date" name="recurring[end_date]" value=form.end_date.clone()/></label>
            <label class="field">"Times (optional)" <input name="recurring[count]" value=form.count.clone() inputmode="numeric" size="4"/></label>
        </div>
        <FieldError error field="schedule.start_date"/>
        <FieldError error field="schedule.end_date"/>
        <FieldError error field="schedule.count"/>
        <div class="inline-fields">
            <label class="field">"Due after (days)" <input name="recurring[due_days]" value=form.due_days.clone() inputmode="numeric" size="4"/></label>
            <label class="field">"Each invoice"
                <select name="recurring[delivery]">
                    <option value="draft" selected=form.delivery != "send">"is left as a draft to review"</option>
                    <option value="send" selected=form.delivery == "send">"is sent at once"</option>
                </select>
            </label>
        </div>
        <FieldError error field="due_days"/>
    }
}

/// "Repeat this invoice" on an invoice's page.
#[component]
pub fn RepeatInvoice(number: String, today: String) -> impl IntoView {
    let action = ServerAction::<MakeRecurring>::new();
    let error = action_error(action);
    let form = RecurringForm {
        every: "1".into(),
        unit: "month".into(),
        start_date: today,
        delivery: "draft".into(),
        ..Default::default()
    };
    view! {
        <section class="card" aria-label="Repeat this invoice">
            <details>
                <summary>"Repeat this invoice"</summary>
                <p class="muted small">"Its customer, lines, tax, discounts and notes make a new invoice on each date. "
                    <code>"{period}"</code> " in a description becomes the month (\"March 2027\") in the invoice's language."</p>
                <ActionForm action attr:class="stack">
                    <input type="hidden" name="number" value=number/>
                    <ScheduleFields form error/>
                    <FormError error fields=&["schedule.every", "schedule.day", "schedule.start_date", "schedule.end_date", "schedule.count", "due_days"]/>
                    <button class="button" type="submit">"Make it recurring"</button>
                </ActionForm>
            </details>
        </section>
    }
}

fn occurrence_row(
    o: Occurrence,
    at: String,
    id: i64,
    action: ServerAction<RecurringAction>,
    coming: bool,
) -> impl IntoView {
    let invoice = o.invoice_number.clone().map(|n| view! { <a href=format!("/invoices/{n}")>{n.clone()}</a> });
    let (verb, label) = if o.skipped { ("unskip", "Don't skip") } else { ("skip", "Skip") };
    view! {
        <tr class:muted=o.skipped>
            <td>{o.issue_date.to_string()}</td>
            <td>{format!("{} – {}", o.period_start, o.period_end)}</td>
            <td>{o.due_date.to_string()}</td>
            <td>{at}</td>
            <td>
                {invoice}
                {(o.skipped && !coming).then_some("skipped")}
                {coming.then(|| view! {
                    <ActionForm action attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="action" value=verb/>
                        <input type="hidden" name="date" value=o.issue_date.to_string()/>
                        <button class="button button-small button-secondary" type="submit">{label}</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}

#[component]
pub fn RecurringPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|i| i.parse::<i64>().ok()).unwrap_or_default();
    let act = ServerAction::<RecurringAction>::new();
    let save = ServerAction::<SaveRecurring>::new();
    let detail =
        Resource::new(move || (id(), act.version().get(), save.version().get()), |(id, ..)| load_recurring(id));
    let act_error = action_error(act);
    let save_error = action_error(save);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || detail.get().map(|r| match r {
                Err(e) => view! { <Title text="Recurring invoice"/><div class="alert alert-error">{e.message}</div> }.into_any(),
                Ok(RecurringDetail { recurring: r, lines, form, upcoming_at, history_at }) => {
                    let id = r.id;
                    let button = move |value: &'static str, label: &'static str, class: &'static str| view! {
                        <ActionForm action=act attr:class="inline-form">
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="action" value=value/>
                            <button class=format!("button {class}") type="submit">{label}</button>
                        </ActionForm>
                    };
                    view! {
                        <Title text=format!("Recurring invoice for {}", r.customer)/>
                        <div class="page-head">
                            <h1>{format!("Recurring invoice for {}", r.customer)} " " {status_badge(r.status)}</h1>
                            <div class="actions">
                                {(r.status == RecurringStatus::Active).then(|| button("pause", "Pause", "button-secondary"))}
                                {(r.status == RecurringStatus::Paused).then(|| button("resume", "Resume", ""))}
                                {button("delete", "Stop and delete", "button-danger")}
                            </div>
                        </div>
                        <FormError error=act_error/>
                        <p>{schedule_words(&r)} {format!(" · at {:02}:00 {}", r.send_hour, r.time_zone)}
                            {if r.auto_send { " · sent at once" } else { " · left as drafts" }}</p>
                        <div class="invoice-layout">
                            <div>
                                <section class="card">
                                    <h2>"Next"</h2>
                                    {if r.upcoming.is_empty() {
                                        view! { <p class="muted">"No more dates."</p> }.into_any()
                                    } else {
                                        view! { <table class="table compact" data-testid="upcoming">
                                            <thead><tr><th>"Issue date"</th><th>"Period"</th><th>"Due"</th><th>{format!("Made at ({})", r.time_zone)}</th><th></th></tr></thead>
                                            <tbody>{r.upcoming.clone().into_iter().zip(upcoming_at).map(|(o, at)| occurrence_row(o, at, id, act, true)).collect_view()}</tbody>
                                        </table> }.into_any()
                                    }}
                                </section>
                                <section class="card">
                                    <h2>"Made so far"</h2>
                                    {if r.history.is_empty() {
                                        view! { <p class="muted">"Nothing yet."</p> }.into_any()
                                    } else {
                                        view! { <table class="table compact" data-testid="history">
                                            <thead><tr><th>"Issue date"</th><th>"Period"</th><th>"Due"</th><th>{format!("Made at ({})", r.time_zone)}</th><th>"Invoice"</th></tr></thead>
                                            <tbody>{r.history.clone().into_iter().zip(history_at).map(|(o, at)| occurrence_row(o, at, id, act, false)).collect_view()}</tbody>
                                        </table> }.into_any()
                                    }}
                                </section>
                            </div>
                            <aside class="side">
                                <section class="card">
                                    <h2>"Each invoice"</h2>
                                    <ul>{lines.into_iter().map(|(d, q, p)| view! { <li>{format!("{d} — {q} × {p}")}</li> }).collect_view()}</ul>
                                </section>
                                <section class="card">
                                    <h2>"Change"</h2>
                                    <p class="muted small">"Changes apply to the invoices still to come."</p>
                                    <ActionForm action=save attr:class="stack">
                                        <input type="hidden" name="id" value=id/>
                                        <ScheduleFields form error=save_error/>
                                        <label class="field">"Use the content of invoice (optional)"
                                            <input name="recurring[content_from]" placeholder="ACME-0007"/>
                                        </label>
                                        <FieldError error=save_error field="from_invoice"/>
                                        <FormError error=save_error fields=&["schedule.every", "schedule.day", "schedule.start_date", "schedule.end_date", "schedule.count", "due_days", "from_invoice"]/>
                                        <button class="button" type="submit">"Save"</button>
                                    </ActionForm>
                                </section>
                            </aside>
                        </div>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

//! /webhooks: endpoints that receive signed invoice events, each with its recent deliveries.
//! Every button is a form, so the page works without JavaScript.

use crate::api::webhooks::{AddWebhook, ChangeWebhook, RedeliverWebhook, RevealedSecret, WebhookRow, load_webhooks};
use crate::components::field::CopyButton;
use crate::components::form::{FieldError, FormError, action_error, reset_on_success};
use domain::dto::{Webhook, WebhookDelivery};
use domain::events::{ALL_TYPES, describe};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let add = ServerAction::<AddWebhook>::new();
    let change = ServerAction::<ChangeWebhook>::new();
    let redeliver = ServerAction::<RedeliverWebhook>::new();
    let data = Resource::new(
        move || (add.version().get(), change.version().get(), redeliver.version().get()),
        |_| load_webhooks(),
    );
    let revealed = move || {
        add.value()
            .get()
            .and_then(|r| r.ok())
            .or_else(|| change.value().get().and_then(|r| r.ok()).flatten())
            .or_else(|| data.get().and_then(|r| r.ok()).and_then(|d| d.revealed))
    };
    let add_error = action_error(add);
    let change_error = action_error(change);
    let redeliver_error = action_error(redeliver);
    view! {
        <Title text="Webhooks"/>
        <div class="page-head">
            <h1>"Webhooks"</h1>
            <a class="button button-secondary button-small" href="/webhooks">"Refresh"</a>
        </div>
        <p class="muted">
            "JupiterInvoice posts each invoice event to your endpoints as JSON, signed with the "
            <a href="https://www.standardwebhooks.com/">"Standard Webhooks"</a>
            " scheme: verify it with the official library for your language and the endpoint's secret. "
            "Failed deliveries are retried for about three days; nothing is lost while your endpoint is down."
        </p>
        <Suspense fallback=|| ()>
            {move || revealed().map(|r| view! { <SecretReveal revealed=r/> })}
        </Suspense>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <div class="alert alert-error">{e.message}</div> }.into_any(),
                Ok(d) => view! {
                    <AddEndpoint action=add form=d.form error=add_error/>
                    <FormError error=change_error/>
                    <FormError error=redeliver_error/>
                    {if d.rows.is_empty() {
                        view! { <p class="muted">"No endpoints yet."</p> }.into_any()
                    } else {
                        d.rows.into_iter().map(|row| view! { <Endpoint row change redeliver/> }).collect_view().into_any()
                    }}
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn SecretReveal(revealed: RevealedSecret) -> impl IntoView {
    let heading = if revealed.rotated { "New signing secret" } else { "Endpoint added" };
    let note = if revealed.rotated {
        "The old secret keeps working for 24 hours: every delivery is signed with both until then."
    } else {
        "Store this secret with your endpoint to verify deliveries."
    };
    view! {
        <div class="card key-reveal" role="status">
            <h2>{heading}</h2>
            <p>{format!("Signing secret for {}. {note} It is shown only this once.", revealed.url)}</p>
            <div class="copy-row">
                <input class="mono" readonly value=revealed.secret.clone() aria-label="Signing secret" data-testid="webhook-secret"/>
                <CopyButton text=revealed.secret/>
            </div>
        </div>
    }
}

#[component]
fn AddEndpoint(
    action: ServerAction<AddWebhook>,
    form: domain::forms::WebhookForm,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let form_ref = NodeRef::<leptos::html::Form>::new();
    reset_on_success(action, form_ref);
    view! {
        <section class="card">
            <h2>"Add an endpoint"</h2>
            <ActionForm action=action node_ref=form_ref attr:class="webhook-form">
                <label class="field">
                    "Endpoint URL"
                    <input name="webhook[url]" type="url" value=form.url placeholder="https://your-app.example/hooks/jupiter" required/>
                </label>
                <FieldError error field="url"/>
                <label class="field">
                    "Description (optional)"
                    <input name="webhook[description]" value=form.description maxlength="500"/>
                </label>
                <FieldError error field="description"/>
                <fieldset class="event-choices">
                    <legend>"Events (none ticked: all events)"</legend>
                    {ALL_TYPES.iter().enumerate().map(|(i, t)| view! {
                        <label class="check">
                            <input type="checkbox" name=format!("webhook[event_types][{i}]") value=*t checked=form.event_types.iter().any(|e| e == t)/>
                            <code>{*t}</code>
                            <span class="muted small">{describe(t)}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <FieldError error field="event_types"/>
                <FormError error fields=&["url", "description", "event_types"]/>
                <button class="button" type="submit">"Add endpoint"</button>
            </ActionForm>
        </section>
    }
}

fn state_badge(hook: &Webhook) -> impl IntoView + use<> {
    let (class, text) = match (hook.active, hook.disabled_reason.is_some()) {
        (true, _) => ("badge badge-paid", "active"),
        (false, true) => ("badge badge-cancelled", "disabled"),
        (false, false) => ("badge badge-draft", "paused"),
    };
    view! { <span class=class>{text}</span> }
}

/// One button posting an action about endpoint `id`.
fn action_button(
    change: ServerAction<ChangeWebhook>,
    id: i64,
    action: &'static str,
    label: &'static str,
    style: &'static str,
) -> impl IntoView {
    view! {
        <ActionForm action=change attr:class="inline-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="action" value=action/>
            <button class=format!("button button-small {style}") type="submit">{label}</button>
        </ActionForm>
    }
}

#[component]
fn Endpoint(
    row: WebhookRow,
    change: ServerAction<ChangeWebhook>,
    redeliver: ServerAction<RedeliverWebhook>,
) -> impl IntoView {
    let hook = row.hook;
    let id = hook.id;
    let events = if hook.event_types.is_empty() { "all events".to_string() } else { hook.event_types.join(", ") };
    let active = hook.active;
    view! {
        <article class="card webhook" data-testid="webhook">
            <header class="webhook-head">
                <code class="webhook-url">{hook.url.clone()}</code>
                {state_badge(&hook)}
            </header>
            <p class="muted small">
                {hook.description.clone().map(|d| format!("{d} · ")).unwrap_or_default()}
                {format!("Sends {events}")}
            </p>
            {hook.disabled_reason.clone().map(|r| view! {
                <div class="alert alert-error">{format!("Disabled: {r}. Fix the endpoint, then resume it and redeliver what it missed.")}</div>
            })}
            <div class="actions">
                {active.then(|| action_button(change, id, "test", "Send test event", "button-secondary"))}
                {if active {
                    action_button(change, id, "pause", "Pause", "button-secondary").into_any()
                } else {
                    action_button(change, id, "resume", "Resume", "").into_any()
                }}
                {action_button(change, id, "rotate", "Rotate secret", "button-secondary")}
                {action_button(change, id, "delete", "Delete", "button-danger")}
            </div>
            <h3>"Recent deliveries"</h3>
            {if row.deliveries.is_empty() {
                view! { <p class="muted small">"Nothing sent yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table deliveries">
                            <thead><tr><th>"Queued"</th><th>"Event"</th><th>"Result"</th><th>"HTTP"</th><th>"Latency"</th><th>"Attempts"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                            <tbody>
                                {row.deliveries.into_iter().map(|d| delivery_row(d, id, active, redeliver)).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </article>
    }
}

fn outcome(d: &WebhookDelivery) -> (&'static str, String) {
    if d.succeeded {
        ("badge badge-paid", "delivered".into())
    } else if d.failed_permanently {
        ("badge badge-cancelled", "failed".into())
    } else if d.attempt == 0 {
        ("badge badge-draft", "queued".into())
    } else {
        ("badge badge-change_requested", format!("retrying {}", d.next_attempt_at.format("%H:%M:%S UTC")))
    }
}

fn delivery_row(
    d: WebhookDelivery,
    hook_id: i64,
    active: bool,
    redeliver: ServerAction<RedeliverWebhook>,
) -> impl IntoView {
    let (class, text) = outcome(&d);
    let finished = d.succeeded || d.failed_permanently;
    view! {
        <tr data-testid="delivery">
            <td>{d.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string()}</td>
            <td><code>{d.event_type.clone()}</code></td>
            <td>
                <span class=class>{text}</span>
                {d.last_error.clone().map(|e| view! { <div class="muted small delivery-error">{e}</div> })}
            </td>
            <td>{d.last_status.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</td>
            <td>{d.last_latency_ms.map(|ms| format!("{ms} ms")).unwrap_or_else(|| "—".into())}</td>
            <td>{format!("{} of {}", d.attempt, d.max_attempts)}</td>
            <td>
                {(active && finished).then(|| view! {
                    <ActionForm action=redeliver attr:class="inline-form">
                        <input type="hidden" name="id" value=hook_id/>
                        <input type="hidden" name="delivery_id" value=d.id/>
                        <button class="button button-small button-secondary" type="submit">"Redeliver"</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}

//! /reminders: the payment reminder policy (issue 27) — steps around the due date, each on
//! or off with its words per language — and the time zone and hour automatic mail keeps.
//! One plain form: it works without JavaScript.

use crate::api::invoices::step_words;
use crate::api::recurring::{ReminderPage, SaveReminderSettings, load_reminder_settings};
use crate::components::form::{FieldError, FormError, action_error};
use domain::forms::ReminderStepForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RemindersPage() -> impl IntoView {
    let save = ServerAction::<SaveReminderSettings>::new();
    let data = Resource::new(move || save.version().get(), |_| load_reminder_settings());
    let error = action_error(save);
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some() || save.value().get().is_some_and(|r| r.is_ok());
    view! {
        <Title text="Reminders"/>
        <div class="page-head"><h1>"Payment reminders"</h1></div>
        <p class="muted">
            "Clients with money owed on a sent invoice get a reminder on each step below, in their language, with the amount due, "
            "the link to pay and, for euro invoices, the bank transfer QR code. Never for drafts, paid, cancelled or fully credited "
            "invoices, nor while the client waits for changes you were asked for; each step once per invoice. "
            "Turn them off for one invoice on its page."
        </p>
        {move || saved().then(|| view! { <div class="alert alert-ok" role="status">"Saved."</div> })}
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <div class="alert alert-error">{e.message}</div> }.into_any(),
                Ok(ReminderPage { form, zones }) => {
                    let mut steps = form.steps.clone();
                    // One empty row adds a step.
                    steps.push(ReminderStepForm::default());
                    view! {
                        <ActionForm action=save attr:class="stack">
                            <section class="card">
                                <label class="check">
                                    <input type="checkbox" name="reminders[enabled]" value="on" checked=form.enabled.is_some()/>
                                    "Send payment reminders automatically"
                                </label>
                                <div class="inline-fields">
                                    <label class="field">"Time zone"
                                        <select name="reminders[time_zone]">
                                            {zones.into_iter().map(|z| {
                                                let selected = z == form.time_zone;
                                                view! { <option value=z.clone() selected=selected>{z.clone()}</option> }
                                            }).collect_view()}
                                        </select>
                                    </label>
                                    <label class="field">"Send at"
                                        <select name="reminders[send_hour]">
                                            {(0..24).map(|h| view! {
                                                <option value=h.to_string() selected=form.send_hour == h.to_string()>{format!("{h:02}:00")}</option>
                                            }).collect_view()}
                                        </select>
                                    </label>
                                </div>
                                <p class="muted small">"Recurring invoices are made at this hour too."</p>
                                <FieldError error field="time_zone"/>
                            </section>
                            {steps.into_iter().enumerate().map(|(i, s)| view! { <StepFields i step=s/> }).collect_view()}
                            <FormError error fields=&["time_zone"]/>
                            <button class="button" type="submit">"Save reminders"</button>
                        </ActionForm>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn StepFields(i: usize, step: ReminderStepForm) -> impl IntoView {
    let name = move |field: &str| format!("reminders[steps][{i}][{field}]");
    let is_new = step.days.is_empty();
    let heading = if is_new { "Add a step".to_string() } else { step_words(&step.days) };
    let language = move |code: &'static str, label: &'static str, subject: String, body: String| {
        view! {
            <fieldset class="stack">
                <legend>{label}</legend>
                <label class="field">"Subject" <input name=name(&format!("{code}_subject")) value=subject maxlength="200"/></label>
                <label class="field">"Message" <textarea name=name(&format!("{code}_body")) rows="6" maxlength="4000">{body}</textarea></label>
            </fieldset>
        }
    };
    view! {
        <section class="card" data-testid=format!("reminder-step-{i}")>
            <h2>{heading}</h2>
            <div class="inline-fields">
                <label class="field">"Days from the due date"
                    <input name=name("days") value=step.days.clone() inputmode="numeric" size="4" placeholder="-3, 0, 7"/>
                </label>
                <label class="check">
                    <input type="checkbox" name=name("enabled") value="on" checked=step.enabled.is_some() || is_new/>
                    "On"
                </label>
            </div>
            <details>
                <summary>"Words (English, Deutsch, Français)"</summary>
                <p class="muted small">
                    <code>"{number}"</code> ", " <code>"{amount}"</code> " (still due), " <code>"{due_date}"</code> ", "
                    <code>"{days}"</code> " and " <code>"{sender}"</code> " are filled in. Leave a language empty for the default words."
                </p>
                {language("en", "English", step.en_subject.clone(), step.en_body.clone())}
                {language("de", "Deutsch", step.de_subject.clone(), step.de_body.clone())}
                {language("fr", "Français", step.fr_subject.clone(), step.fr_body.clone())}
            </details>
        </section>
    }
}

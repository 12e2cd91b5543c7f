//! Server functions of recurring invoices and the reminder settings (issue 27): thin
//! wrappers over `data::recurring` and `data::reminders`; plain form posts are redirected to
//! the page to show.

use crate::error::AppError;
use domain::forms::{RecurringForm, ReminderForm};
use domain::recurring::RecurringInvoice;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A recurring invoice on its page: the API's view, its template's lines as text, and the
/// form filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecurringDetail {
    pub recurring: RecurringInvoice,
    /// (description, quantity, unit price) as the template has them.
    pub lines: Vec<(String, String, String)>,
    pub form: RecurringForm,
    /// When each upcoming and past occurrence is made, in the sender's time zone.
    pub upcoming_at: Vec<String>,
    pub history_at: Vec<String>,
}

#[server(prefix = "/fn", endpoint = "load_recurring_list")]
pub async fn load_recurring_list() -> Result<Vec<RecurringInvoice>, AppError> {
    use crate::server::{session, store};
    let (_, sender) = session::require().await?;
    let page = data::cursor::PageRequest::parse(Some(100), None)?;
    Ok(data::recurring::list(&store()?, &sender, page).await?.data)
}

#[server(prefix = "/fn", endpoint = "load_recurring")]
pub async fn load_recurring(id: i64) -> Result<RecurringDetail, AppError> {
    use crate::server::{session, store};
    let (_, sender) = session::require().await?;
    let recurring = data::recurring::get(&store()?, &sender, id).await?;
    let currency = recurring.template["currency"].as_str().unwrap_or("EUR").to_string();
    let lines = recurring.template["line_items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| {
            let price = l["unit_price_cents"].as_i64().unwrap_or_default();
            let quantity = l["quantity"].as_f64().map(|q| q.to_string()).unwrap_or_else(|| "1".into());
            let description = l["description"].as_str().unwrap_or_default().to_string();
            (description, quantity, domain::currency::format_amount(price, &currency))
        })
        .collect();
    let form = RecurringForm::of(&recurring);
    let tz = data::zone::of(&recurring.time_zone);
    let local = |o: &domain::recurring::Occurrence| o.at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    let upcoming_at = recurring.upcoming.iter().map(local).collect();
    let history_at = recurring.history.iter().map(local).collect();
    Ok(RecurringDetail { recurring, lines, form, upcoming_at, history_at })
}

/// "Repeat this invoice" on an invoice's page: a recurring invoice made from it.
#[server(prefix = "/fn", endpoint = "make_recurring")]
pub async fn make_recurring(number: String, recurring: RecurringForm) -> Result<i64, AppError> {
    use crate::server::{session, store};
    let (_, sender) = session::require().await?;
    let mut input = recurring.to_input()?;
    input.from_invoice = Some(number);
    let made = data::recurring::create(&store()?, &sender, input).await?;
    leptos_axum::redirect(&format!("/recurring/{}", made.id));
    Ok(made.id)
}

/// Saves the schedule, delivery and due days (and the content of another invoice, if named).
#[server(prefix = "/fn", endpoint = "save_recurring")]
pub async fn save_recurring(id: i64, recurring: RecurringForm) -> Result<(), AppError> {
    use crate::server::{session, store};
    let (_, sender) = session::require().await?;
    let store = store()?;
    let mut input = recurring.to_input()?;
    if let Some(number) = input.from_invoice.take() {
        input.template = Some(data::recurring::template_of_invoice(&store, &sender, &number).await?);
    }
    data::recurring::update(&store, &sender, id, input).await?;
    leptos_axum::redirect(&format!("/recurring/{id}"));
    Ok(())
}

/// The page's buttons: `pause`, `resume`, `skip` / `unskip` (a date), `delete`.
#[server(prefix = "/fn", endpoint = "recurring_action")]
pub async fn recurring_action(id: i64, action: String, date: Option<String>) -> Result<(), AppError> {
    use crate::server::{session, store};
    let (_, sender) = session::require().await?;
    let store = store()?;
    let date = || {
        date.as_deref()
            .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
            .ok_or_else(|| AppError::invalid("date", "which date to skip"))
    };
    match action.as_str() {
        "pause" => drop(data::recurring::set_paused(&store, &sender, id, true).await?),
        "resume" => drop(data::recurring::set_paused(&store, &sender, id, false).await?),
        "skip" => drop(data::recurring::skip(&store, &sender, id, date()?, true).await?),
        "unskip" => drop(data::recurring::skip(&store, &sender, id, date()?, false).await?),
        "delete" => {
            data::recurring::delete(&store, &sender, id).await?;
            leptos_axum::redirect("/recurring");
            return Ok(());
        }
        _ => return Err(AppError::invalid("action", "unknown action")),
    }
    leptos_axum::redirect(&format!("/recurring/{id}"));
    Ok(())
}

/// The reminders page: the settings as a form, and the time zones to choose from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReminderPage {
    pub form: ReminderForm,
    pub zones: Vec<String>,
}

#[server(prefix = "/fn", endpoint = "load_reminder_settings")]
pub async fn load_reminder_settings() -> Result<ReminderPage, AppError> {
    use crate::server::session;
    let (_, sender) = session::require().await?;
    let form = ReminderForm::of(&data::reminders::settings_of(&sender));
    Ok(ReminderPage { form, zones: data::zone::names().map(str::to_string).collect() })
}

#[server(prefix = "/fn", endpoint = "save_reminder_settings")]
pub async fn save_reminder_settings(reminders: ReminderForm) -> Result<(), AppError> {
    use crate::server::{session, store};
    let (_, sender) = session::require().await?;
    data::reminders::save_settings(&store()?, sender.id, reminders.to_settings()?).await?;
    leptos_axum::redirect("/reminders?saved=1");
    Ok(())
}

use crate::error::AppError;
use domain::dto::{Customer, Page};
use domain::forms::CustomerForm;
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "list_customers")]
pub async fn list_customers(cursor: Option<String>) -> Result<Page<Customer>, AppError> {
    use crate::server::{session, store};
    let (_, sender) = session::require().await?;
    let page = data::cursor::PageRequest::parse(Some(50), cursor.as_deref())?;
    Ok(data::customers::list(&store()?, sender.id, page).await?)
}

/// The form of customer `id` (an empty form when None), or what a refused post typed.
#[server(prefix = "/fn", endpoint = "load_customer")]
pub async fn load_customer(id: Option<i64>) -> Result<(Option<Customer>, CustomerForm), AppError> {
    use crate::server::{forms, session, store};
    let (session, sender) = session::require().await?;
    let existing = match id {
        Some(id) => Some(data::customers::get(&store()?, sender.id, id).await?),
        None => None,
    };
    let form_key = format!("customer:{}", id.unwrap_or(0));
    let form = match forms::take_kept(session.id, &form_key).await? {
        Some(kept) => kept,
        None => existing.as_ref().map(CustomerForm::from_customer).unwrap_or_default(),
    };
    Ok((existing, form))
}

/// Creates (id None) or updates a customer, then shows the list.
#[server(prefix = "/fn", endpoint = "save_customer")]
pub async fn save_customer(id: Option<i64>, customer: CustomerForm) -> Result<(), AppError> {
    use crate::server::{forms, session, store};
    let (session, sender) = session::require().await?;
    let store = store()?;
    let saved = match id {
        Some(id) => data::customers::update(&store, sender.id, id, customer.to_input()).await,
        None => data::customers::create(&store, sender.id, customer.to_input()).await,
    }
    .map_err(AppError::from);
    let saved = forms::keep_on_error(session.id, &format!("customer:{}", id.unwrap_or(0)), &customer, saved).await?;
    leptos_axum::redirect(&format!("/customers?saved={}", saved.code));
    Ok(())
}

use crate::error::AppError;
use domain::profile::ProfileForm;
use leptos::prelude::*;

#[server(prefix = "/fn", endpoint = "load_profile")]
pub async fn load_profile() -> Result<ProfileForm, AppError> {
    use crate::server::{forms, session};
    let (session, sender) = session::require().await?;
    if let Some(kept) = forms::take_kept(session.id, "profile").await? {
        return Ok(kept);
    }
    Ok(data::senders::profile_form(&sender))
}

#[server(prefix = "/fn", endpoint = "save_profile")]
pub async fn save_profile(profile: ProfileForm) -> Result<(), AppError> {
    use crate::server::{forms, is_plain_form_post, session, store};
    let (session, sender) = session::require().await?;
    let saved = data::senders::update_profile(&store()?, sender.id, &profile).await.map(|_| ()).map_err(AppError::from);
    forms::keep_on_error(session.id, "profile", &profile, saved).await?;
    if is_plain_form_post() {
        leptos_axum::redirect("/profile?saved=1");
    }
    Ok(())
}

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in sender, as the header shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub email: String,
    pub company: Option<String>,
}

#[server(prefix = "/fn", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<Me>, AppError> {
    use crate::server::session;
    Ok(session::current().await?.map(|(_, s)| Me { email: s.email.unwrap_or_default(), company: s.company }))
}

#[server(prefix = "/fn", endpoint = "request_sign_in")]
pub async fn request_sign_in(email: String, next: Option<String>) -> Result<(), AppError> {
    let store = crate::server::store()?;
    data::sign_in::request(&store, &email, next.as_deref(), crate::server::client_ip()).await?;
    leptos_axum::redirect("/signin?sent=1");
    Ok(())
}

/// The address a sign-in link is for (the link stays unused).
#[server(prefix = "/fn", endpoint = "peek_sign_in")]
pub async fn peek_sign_in(token: String) -> Result<String, AppError> {
    Ok(data::sign_in::peek(&crate::server::store()?, &token).await?)
}

#[server(prefix = "/fn", endpoint = "complete_sign_in")]
pub async fn complete_sign_in(token: String) -> Result<(), AppError> {
    use crate::server::anonymous_cookie;
    use crate::server::session;
    let store = crate::server::store()?;
    let (previous, anonymous) = (session::cookie_secret(), anonymous_cookie::read());
    let signed = data::sign_in::complete(&store, &token, previous.as_deref(), anonymous.as_deref()).await?;
    session::set_session_cookie(&signed.secret.0);
    if signed.claim.is_some() {
        anonymous_cookie::send(None);
    }
    leptos_axum::redirect(signed.next.as_deref().unwrap_or("/invoices"));
    Ok(())
}

#[server(prefix = "/fn", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::session;
    if let Some(secret) = session::cookie_secret() {
        data::sessions::end(&crate::server::store()?.db, &secret).await?;
    }
    session::clear_session_cookie();
    leptos_axum::redirect("/");
    Ok(())
}

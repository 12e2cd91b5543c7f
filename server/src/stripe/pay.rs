//! `POST /i/{token}/pay`: the share page's Pay button, a plain form post (works without
//! JavaScript): 303 to Stripe's hosted Checkout page for the balance (an open session is
//! reused), or back to the share page saying why not.

use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use data::payments::checkout::{self, NoPay};

fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_string())]).into_response()
}

pub async fn pay(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Some(gateway) = state.web.payments.as_deref() else {
        return see_other(&format!("/i/{token}?payment=unavailable"));
    };
    match checkout::pay(&state.store, gateway, &token).await {
        Ok(Ok(url)) => see_other(&url),
        Ok(Err(NoPay::NothingDue)) => see_other(&format!("/i/{token}?payment=nothing-due")),
        Ok(Err(NoPay::NotChargeable(_))) => see_other(&format!("/i/{token}?payment=not-online")),
        Ok(Err(NoPay::NoAccount)) => see_other(&format!("/i/{token}?payment=unavailable")),
        Err(data::Error::NotFound { .. }) => {
            crate::api::error::ApiError::not_found("invoice not found").into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not open a Checkout Session");
            see_other(&format!("/i/{token}?payment=unavailable"))
        }
    }
}

//! POST /api/v1/invoices/anonymous: the /new page's service for scripts, without a key.

use super::body::Checked;
use super::contract;
use super::error::{ApiError, rate_limit_headers};
use crate::client_ip::ClientIpOf;
use crate::state::AppState;
use app::server::anonymous_cookie;
use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use data::anonymous::{self, Asker};
use domain::dto::{ErrorBody, Invoice, InvoiceInput};
use domain::profile::SenderDetails;
use serde::Deserialize;

/// The body: an invoice, who it is from, and the anti-abuse fields.
#[derive(Debug, Deserialize)]
pub struct AnonymousInvoiceInput {
    #[serde(flatten)]
    pub invoice: InvoiceInput,
    pub sender: SenderDetails,
    #[serde(default)]
    pub website: Option<String>,
    #[serde(default)]
    pub cf_turnstile_response: Option<String>,
}

/// Create an invoice without authentication
///
/// Mirrors the public anonymous /new flow. No API key required. Anti-abuse: per-IP rate limit
/// (5/min, 30/hour, 100/day; every request counts, refused ones too), honeypot, Cloudflare
/// Turnstile when configured. The response sets a ji_anon_session cookie so a subsequent
/// sign-in claims the invoice; sending it again groups later invoices with it. We send no
/// e-mail for an anonymous invoice: share its link yourself, or sign in.
#[utoipa::path(
    post, path = "/invoices/anonymous", operation_id = "createAnonymousInvoice", tag = "invoices",
    security(()),
    responses(
        (status = 201, description = "Invoice created", body = Invoice,
            headers(("Set-Cookie" = String, description = "ji_anon_session: HttpOnly, SameSite=Lax, 30 days"),
                    ("RateLimit-Policy" = String, description = "The quotas"), ("RateLimit" = String, description = "What is left"))),
        (status = 400, description = "Validation error, or the honeypot was filled (field website)", body = ErrorBody),
        (status = 401, description = "Turnstile failure (field cf_turnstile_response)", body = ErrorBody),
        (status = 429, description = "Rate limit exceeded; Retry-After and RateLimit headers say when to come back", body = ErrorBody),
    )
)]
pub async fn create(State(state): State<AppState>, ClientIpOf(client): ClientIpOf, request: Request) -> Response {
    let headers = request.headers().clone();
    let standing = match anonymous::admit(&state.store, client).await {
        Ok(standing) => standing,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let mut response = match made(&state, client, &headers, request).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    };
    rate_limit_headers(response.headers_mut(), &standing);
    response
}

async fn made(
    state: &AppState,
    client: Option<std::net::IpAddr>,
    headers: &HeaderMap,
    request: Request,
) -> Result<Response, ApiError> {
    let Checked(body) = Checked::<contract::AnonymousInvoiceCreate>::from_request(request, state).await?;
    let secure = state.web.secure_cookies;
    let secret = app::server::cookies::read(headers, anonymous_cookie::NAME);
    let asker = Asker {
        client,
        secret: secret.as_deref(),
        website: body.website.as_deref(),
        turnstile_response: body.cf_turnstile_response.as_deref(),
    };
    let check = state.web.human_check.as_deref();
    let made = anonymous::make(&state.store, check, asker, &body.sender, body.invoice).await?;
    let mut response = (StatusCode::CREATED, Json(made.invoice)).into_response();
    if let Some(cookie) = anonymous_cookie::header(&made.secret.0, secure) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

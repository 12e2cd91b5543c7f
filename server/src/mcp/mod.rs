//! /mcp: the MCP server for AI agents (Streamable HTTP, the official `rmcp` SDK), stateless:
//! no session lives in a process, so any instance answers any request. In front of it, our
//! own checks: the Origin must be this site's (others 403), the Host this site's or loopback,
//! a given `MCP-Protocol-Version` one we know (400 otherwise), and the bearer key as for the
//! REST API (401 with `WWW-Authenticate: Bearer`). The key's caller travels to the tools in
//! the request's extensions.

pub mod catalogue;
mod idempotent;
mod schemas;
pub mod tools;

use crate::api::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use data::api_keys::Caller;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, Implementation, ListToolsResult, PaginatedRequestParams, ProtocolVersion,
    ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData, RoleServer, ServerHandler};
use std::sync::Arc;

/// One MCP server per request (stateless): the app's state, and the tools.
#[derive(Clone)]
struct Invoicing {
    state: AppState,
}

fn caller_of(context: &RequestContext<RoleServer>) -> Result<Caller, ErrorData> {
    context
        .extensions
        .get::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Caller>().cloned())
        .ok_or_else(|| ErrorData::invalid_request("no API key", None))
}

impl ServerHandler for Invoicing {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder().enable_tools().build();
        ServerConfig::new(capabilities)
            .with_server_info(Implementation::new("jupiterinvoice", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "JupiterInvoice: invoices from draft to paid: create, send, remind, record payments, credit, \
                 cancel, check e-invoices, follow events. Money is integer cents, dates are ISO (YYYY-MM-DD), \
                 rates are percent. Preview any write with dry_run: true (a send, reminder, payment or credit \
                 note shows the mail it would send); give a write an idempotency_key to retry it safely.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(catalogue::offered(&caller_of(&context)?)))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let caller = caller_of(&context)?;
        Ok(tools::call(&self.state, &caller, &request.name, request.arguments).await.into())
    }
}

/// The /mcp routes.
pub fn router(state: AppState) -> Router<AppState> {
    let mut config = StreamableHttpServerConfig::default().disable_allowed_hosts();
    config.legacy_session_mode = false;
    config.json_response = true;
    config.sse_keep_alive = None;
    config.max_request_body_bytes = crate::limits::MAX_BODY_BYTES;
    let server = Invoicing { state: state.clone() };
    let service =
        StreamableHttpService::new(move || Ok(server.clone()), Arc::new(NeverSessionManager::default()), config);
    Router::new().nest_service("/mcp", service).layer(axum::middleware::from_fn_with_state(state, guard))
}

fn refuse(status: StatusCode, message: &str) -> Response {
    ApiError::new(status, message, None).into_response()
}

/// The host part of an authority ("example.com:8080" → "example.com"; "[::1]:3000" → "[::1]").
fn host_only(authority: &str) -> &str {
    match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => &authority[..i],
        _ => authority,
    }
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/mcp") {
        return next.run(request).await;
    }
    let public = url::Url::parse(state.store.public_url()).ok();
    let headers = request.headers();
    if let Some(origin) = headers.get(header::ORIGIN) {
        let ours = public.as_ref().map(|u| u.origin().ascii_serialization());
        if origin.to_str().ok() != ours.as_deref() {
            return refuse(StatusCode::FORBIDDEN, "this Origin may not use /mcp");
        }
    }
    // HTTP/2 carries the host in the URI's authority, not a Host header.
    let authority =
        headers.get(header::HOST).and_then(|h| h.to_str().ok()).or(request.uri().authority().map(|a| a.as_str()));
    let host = authority.map(host_only).unwrap_or_default();
    let public_host = public.as_ref().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    if host != public_host && !is_loopback(host) {
        return refuse(StatusCode::FORBIDDEN, "this Host is not served here");
    }
    if let Some(version) = headers.get("mcp-protocol-version") {
        let known = ProtocolVersion::KNOWN_VERSIONS.iter().any(|v| version.to_str().ok() == Some(v.as_str()));
        if !known {
            return refuse(StatusCode::BAD_REQUEST, "unsupported MCP-Protocol-Version");
        }
    }
    let (mut parts, body) = request.into_parts();
    match crate::api::auth::caller(&parts, &state).await {
        Ok(caller) => {
            parts.extensions.insert(caller);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(e) => {
            let mut response = e.into_response();
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    }
}

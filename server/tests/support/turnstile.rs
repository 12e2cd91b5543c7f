//! A local stand-in for Cloudflare's siteverify that speaks its wire format (a form POST in,
//! `{"success", "error-codes", "challenge_ts", "hostname"}` out) and knows Cloudflare's
//! documented test secrets: always passes, always fails, token already spent.

use axum::Form;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const PASSES: &str = "1x0000000000000000000000000000000AA";
pub const FAILS: &str = "2x0000000000000000000000000000000AA";
pub const SPENT: &str = "3x0000000000000000000000000000000AA";
/// The token Cloudflare's test site keys put in the form.
pub const DUMMY_TOKEN: &str = "XXXX.DUMMY.TOKEN.XXXX";

#[derive(Clone, Default)]
pub struct Siteverify {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    asked: Vec<HashMap<String, String>>,
    /// Answer this many requests with a 502 first.
    outages: usize,
}

async fn siteverify(State(s): State<Siteverify>, Form(form): Form<HashMap<String, String>>) -> Response {
    let mut inner = s.inner.lock().expect("stand-in lock");
    inner.asked.push(form.clone());
    if inner.outages > 0 {
        inner.outages -= 1;
        return (StatusCode::BAD_GATEWAY, "<html>502 Bad Gateway</html>").into_response();
    }
    let codes: &[&str] = match (form.get("secret").map(String::as_str), form.get("response")) {
        (None | Some(""), _) => &["missing-input-secret"],
        (_, None) => &["missing-input-response"],
        (Some(PASSES), _) => &[],
        (Some(FAILS), _) => &["invalid-input-response"],
        (Some(SPENT), _) => &["timeout-or-duplicate"],
        _ => &["invalid-input-secret"],
    };
    let success = codes.is_empty();
    let mut answer = json!({ "success": success, "error-codes": codes });
    if success {
        answer["challenge_ts"] = json!("2026-11-23T10:00:00.000Z");
        answer["hostname"] = json!("example.com");
    }
    Json(answer).into_response()
}

impl Siteverify {
    /// Listens on a free port; returns the URL to set as TURNSTILE_VERIFY_URL.
    pub async fn start(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind stand-in");
        let url = format!("http://{}/turnstile/v0/siteverify", listener.local_addr().expect("addr"));
        let app = axum::Router::new()
            .route("/turnstile/v0/siteverify", axum::routing::post(siteverify))
            .with_state(self.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.expect("stand-in") });
        url
    }

    /// The next `n` requests get a 502.
    pub fn fail_next(&self, n: usize) {
        self.inner.lock().expect("stand-in lock").outages = n;
    }

    /// Every request's form fields, in order.
    pub fn asked(&self) -> Vec<HashMap<String, String>> {
        self.inner.lock().expect("stand-in lock").asked.clone()
    }
}

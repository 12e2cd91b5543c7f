//! A webhook receiver on port 0: it verifies every request with the official Standard
//! Webhooks crate, remembers it, and answers from a script (e.g. three 500s, then 200).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub signature: String,
    pub body: Value,
    pub raw: Bytes,
    pub headers: HeaderMap,
    pub at: Instant,
}

impl Received {
    /// True when the official library accepts it with `secret`.
    pub fn verifies_with(&self, secret: &str) -> bool {
        standardwebhooks::Webhook::new(secret).is_ok_and(|wh| wh.verify(&self.raw, &self.headers).is_ok())
    }
}

/// A scripted reply: status, extra headers, and a body other than "answer {status}".
type Answer = (u16, Vec<(&'static str, String)>, Option<Vec<u8>>);

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    /// Answers to give first, in order; 200 afterwards.
    script: VecDeque<Answer>,
}

#[derive(Clone, Default)]
pub struct Receiver {
    inner: Arc<Mutex<Inner>>,
}

async fn hook(State(r): State<Receiver>, headers: HeaderMap, raw: Bytes) -> impl IntoResponse {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let got = Received {
        id: header("webhook-id"),
        signature: header("webhook-signature"),
        body: serde_json::from_slice(&raw).unwrap_or(Value::Null),
        raw: raw.clone(),
        headers: headers.clone(),
        at: Instant::now(),
    };
    let mut inner = r.inner.lock().expect("receiver lock");
    inner.received.push(got);
    let (status, extra, body) = inner.script.pop_front().unwrap_or((200, vec![], None));
    let mut reply = HeaderMap::new();
    for (name, value) in extra {
        reply.insert(name, value.parse().expect("header value"));
    }
    let body = body.unwrap_or_else(|| format!("answer {status}").into_bytes());
    (StatusCode::from_u16(status).expect("status"), reply, body)
}

impl Receiver {
    /// Listens on `port` (0 = any); returns the URL to subscribe.
    pub async fn start_on(&self, port: u16) -> String {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("bind receiver");
        let url = format!("http://{}/hooks", listener.local_addr().expect("addr"));
        let app = Router::new().route("/hooks", axum::routing::post(hook)).with_state(self.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.expect("receiver") });
        url
    }

    pub async fn start(&self) -> String {
        self.start_on(0).await
    }

    /// Answers `status` (with these headers) the next `times` requests.
    pub fn answer(&self, times: usize, status: u16, headers: Vec<(&'static str, String)>) {
        let mut inner = self.inner.lock().expect("receiver lock");
        for _ in 0..times {
            inner.script.push_back((status, headers.clone(), None));
        }
    }

    /// Answers `status` with `body` once.
    pub fn answer_with_body(&self, status: u16, body: &[u8]) {
        self.inner.lock().expect("receiver lock").script.push_back((status, vec![], Some(body.to_vec())));
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().expect("receiver lock").received.clone()
    }
}

/// A free local port nothing listens on (yet).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

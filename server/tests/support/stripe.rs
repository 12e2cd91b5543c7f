//! The Stripe stand-in (end2end/stripe_standin.py): Stripe's Checkout API and hosted page on a
//! local port, signing its events with Stripe's own Python library.

use serde_json::{Value, json};
use std::io::BufRead;
use std::process::{Child, Command, Stdio};

pub struct StandIn {
    child: Child,
    pub base: String,
    http: reqwest::Client,
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl StandIn {
    /// Starts it with `python` (the test venv's, which has `stripe`); returns once it listens.
    pub fn start(python: &str) -> StandIn {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/stripe_standin.py");
        let mut child =
            Command::new(python).args([script, "0"]).stdout(Stdio::piped()).spawn().expect("start the Stripe stand-in");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("ready line");
        let port = line.trim().strip_prefix("ready ").expect("ready <port>").to_string();
        StandIn { child, base: format!("http://127.0.0.1:{port}"), http: reqwest::Client::new() }
    }

    async fn control(&self, path: &str, body: Value) -> Value {
        let res = self.http.post(format!("{}/_control/{path}", self.base)).json(&body).send().await.expect("control");
        res.json().await.expect("control JSON")
    }

    /// Where it posts events, and the secret it signs them with.
    pub async fn send_events_to(&self, webhook_url: &str, secret: &str) {
        self.control("config", json!({"webhook_url": webhook_url, "webhook_secret": secret})).await;
    }

    /// Every session made, with `key` (the API key that made it) and `form` (what was posted).
    pub async fn sessions(&self) -> Vec<Value> {
        let res = self.http.get(format!("{}/_control/sessions", self.base)).send().await.expect("sessions");
        res.json().await.expect("sessions JSON")
    }

    /// Every refund made through the stand-in, with the key and idempotency key it came with.
    #[allow(dead_code)]
    pub async fn refunds(&self) -> Vec<Value> {
        let res = self.http.get(format!("{}/_control/refunds", self.base)).send().await.expect("refunds");
        res.json().await.expect("refunds JSON")
    }

    /// The payer pays `session`; the event is delivered at once when `deliver` (its HTTP status
    /// back). `amount_total` overrides what the event reports.
    pub async fn pay(&self, session: &str, deliver: bool, amount_total: Option<i64>) -> (String, Option<u16>) {
        let mut body = json!({"deliver": deliver});
        if let Some(a) = amount_total {
            body["amount_total"] = json!(a);
        }
        self.event(session, body).await
    }

    /// An event about `session` as `body` describes it (type, paid, deliver …), as `pay` does.
    pub async fn event(&self, session: &str, body: Value) -> (String, Option<u16>) {
        let answer = self.control(&format!("sessions/{session}/pay"), body).await;
        (answer["event_id"].as_str().expect("event id").to_string(), answer["status"].as_u64().map(|s| s as u16))
    }

    /// Stripe lets `session` expire unpaid; the event is delivered at once when `deliver`.
    pub async fn expire(&self, session: &str, deliver: bool) -> (String, Option<u16>) {
        let answer = self.control(&format!("sessions/{session}/expire"), json!({"deliver": deliver})).await;
        (answer["event_id"].as_str().expect("event id").to_string(), answer["status"].as_u64().map(|s| s as u16))
    }

    /// Delivers `event` (again): `signature` good, bad (another secret) or stale (10 minutes old).
    pub async fn deliver(&self, event: &str, signature: &str) -> (u16, Value) {
        let answer = self.control(&format!("events/{event}/deliver"), json!({"signature": signature})).await;
        let body = serde_json::from_str(answer["body"].as_str().unwrap_or("null")).unwrap_or(Value::Null);
        (answer["status"].as_u64().expect("status") as u16, body)
    }
}

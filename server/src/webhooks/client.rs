//! The client that posts deliveries: 10 s timeout, no redirects, no proxies, Standard
//! Webhooks headers, and the URL guard again at connection time: the host is resolved by
//! our resolver, which drops every address the policy refuses, so a name that resolved to a
//! public address at subscription and to 127.0.0.1 now (DNS rebinding) reaches nothing.

use chrono::{DateTime, Duration, Utc};
use data::webhooks::deliveries::{Attempt, DueDelivery};
use data::webhooks::signing::sign;
use data::webhooks::targets::{TargetPolicy, is_public};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

pub const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How much of a response body the log keeps.
const BODY_LOG_BYTES: usize = 1024;

/// Resolves hosts, keeping only the addresses the policy allows.
struct GuardedResolver {
    policy: TargetPolicy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let allowed: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| policy.allow_private || is_public(a.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(format!("{host} resolves to no public address (refused)").into());
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

#[derive(Clone)]
pub struct WebhookClient {
    http: reqwest::Client,
    policy: TargetPolicy,
}

impl WebhookClient {
    pub fn new(policy: TargetPolicy) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(std::time::Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("JupiterInvoice-Webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver { policy }))
            .build()
            .map_err(|e| format!("webhook client: {e}"))?;
        Ok(WebhookClient { http, policy })
    }

    /// The `webhook-signature` header: one signature per secret (two during a rotation).
    fn signatures(due: &DueDelivery, timestamp: i64) -> Option<String> {
        let all: Vec<String> =
            due.secrets.iter().filter_map(|s| sign(s, &due.message_id, timestamp, &due.body)).collect();
        (!all.is_empty()).then(|| all.join(" "))
    }

    /// An IP written in the URL is never resolved, so the guard checks it here.
    fn literal_refused(&self, url: &reqwest::Url) -> bool {
        let ip = match url.host() {
            Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => return false,
        };
        !self.policy.allow_private && !is_public(ip)
    }

    /// One attempt; never fails: what went wrong is in the outcome.
    pub async fn post(&self, due: &DueDelivery) -> Attempt {
        let started = Instant::now();
        let failed = |error: String| Attempt {
            status: None,
            latency_ms: started.elapsed().as_millis() as i64,
            error: Some(error),
            response_body: None,
            retry_after: None,
        };
        let url = match reqwest::Url::parse(&due.url) {
            Ok(url) => url,
            Err(e) => return failed(format!("invalid URL: {e}")),
        };
        if self.literal_refused(&url) {
            return failed("the URL points to a private, loopback or link-local address (refused)".into());
        }
        let timestamp = Utc::now().timestamp();
        let Some(signature) = Self::signatures(due, timestamp) else {
            return failed("the signing secret cannot be read (was SECRET_KEY changed?)".into());
        };
        let sent = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &due.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(due.body.clone())
            .send()
            .await;
        let mut response = match sent {
            Ok(r) => r,
            Err(e) => return failed(describe(&e)),
        };
        let status = response.status();
        let retry_after = retry_after(response.headers(), Utc::now());
        let mut body = Vec::new();
        while body.len() < BODY_LOG_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
        body.truncate(BODY_LOG_BYTES);
        let code = status.as_u16();
        let error = match code {
            200..=299 => None,
            300..=399 => Some(format!("HTTP {code}: redirects are not followed; use the final URL")),
            410 => Some("HTTP 410 Gone: the webhook was disabled".to_string()),
            _ => Some(format!("HTTP {code}")),
        };
        Attempt {
            status: Some(code),
            latency_ms: started.elapsed().as_millis() as i64,
            error,
            response_body: (!body.is_empty()).then(|| loggable(&body)),
            retry_after: matches!(code, 429 | 503).then_some(retry_after).flatten(),
        }
    }
}

/// A response body as log text: invalid UTF-8 and control characters (PostgreSQL refuses NUL in
/// text) become U+FFFD, so whatever a receiver answers can be recorded.
fn loggable(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .map(|c| if c.is_control() && !matches!(c, '\n' | '\r' | '\t') { '\u{FFFD}' } else { c })
        .collect()
}

/// A transport error in words, with its causes (reqwest's own message names only the URL).
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return format!("no answer within {} s", TIMEOUT.as_secs());
    }
    let mut text = if e.is_connect() { "could not connect".to_string() } else { "request failed".to_string() };
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Retry-After as seconds or as an HTTP date, at most a day: whatever a receiver sends (a
/// number of any length, a date centuries ahead) cannot overflow our arithmetic.
fn retry_after(headers: &reqwest::header::HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    const CAP_SECS: u64 = 86_400;
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let secs = value.parse::<u64>().unwrap_or(u64::MAX).min(CAP_SECS);
        return Some(Duration::seconds(secs as i64));
    }
    let at = DateTime::parse_from_rfc2822(value).ok()?.with_timezone(&Utc);
    let wait = at.signed_duration_since(now).num_seconds().clamp(0, CAP_SECS as i64);
    Some(Duration::seconds(wait))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z").unwrap().with_timezone(&Utc);
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("120"));
        assert_eq!(retry_after(&h, now), Some(Duration::seconds(120)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("Sat, 21 Nov 2026 10:05:00 GMT"));
        assert_eq!(retry_after(&h, now), Some(Duration::minutes(5)));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&h, now), None);
        h.insert(RETRY_AFTER, HeaderValue::from_static("-5"));
        assert_eq!(retry_after(&h, now), None);
    }

    #[test]
    fn retry_after_from_a_hostile_receiver_is_capped_at_a_day() {
        let now = DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z").unwrap().with_timezone(&Utc);
        let day = Some(Duration::days(1));
        for value in ["99999999999999999", "184467440737095516150000", "Fri, 31 Dec 9999 23:59:59 GMT"] {
            let mut h = HeaderMap::new();
            h.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
            assert_eq!(retry_after(&h, now), day, "{value}");
        }
    }

    #[test]
    fn any_response_body_can_be_logged() {
        assert_eq!(loggable(b"ok\n\x00\xff done"), "ok\n\u{FFFD}\u{FFFD} done");
    }

    #[test]
    fn ip_literals_are_checked_without_resolving() {
        let strict = WebhookClient::new(TargetPolicy { allow_private: false }).unwrap();
        for url in ["http://127.0.0.1:9/x", "https://169.254.169.254/latest", "https://[::1]/", "https://10.0.0.8/"] {
            assert!(strict.literal_refused(&reqwest::Url::parse(url).unwrap()), "{url}");
        }
        assert!(!strict.literal_refused(&reqwest::Url::parse("https://93.184.216.34/hooks").unwrap()));
        let dev = WebhookClient::new(TargetPolicy { allow_private: true }).unwrap();
        assert!(!dev.literal_refused(&reqwest::Url::parse("http://127.0.0.1:9/x").unwrap()));
    }
}

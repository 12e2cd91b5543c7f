//! The Standard Webhooks scheme, so the official `standardwebhooks` libraries verify our
//! deliveries unmodified: `webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{ts}.{body}")>`,
//! the key being the base64 after `whsec_`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

pub const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret: `whsec_` + 24 random bytes in base64.
pub fn new_secret() -> String {
    let mut key = [0u8; 24];
    rand::rng().fill_bytes(&mut key);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(key))
}

fn key(secret: &str) -> Option<Vec<u8>> {
    STANDARD.decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret)).ok()
}

/// The `webhook-signature` value for one message, or None for a malformed secret.
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key(secret)?).ok()?;
    mac.update(format!("{msg_id}.{timestamp}.{body}").as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// True when any of the space-separated signatures in `header` is valid for `secret`.
pub fn verify(secret: &str, msg_id: &str, timestamp: i64, body: &str, header: &str) -> bool {
    let Some(expected) = sign(secret, msg_id, timestamp, body) else { return false };
    header.split_whitespace().any(|candidate| constant_time_eq(candidate.as_bytes(), expected.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    // The Standard Webhooks specification's example, also what the official Python library
    // (standardwebhooks 1.1.0) computes.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const MSG_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: i64 = 1_614_265_330;
    const BODY: &str = r#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn signs_like_the_specification() {
        assert_eq!(sign(SECRET, MSG_ID, TIMESTAMP, BODY).as_deref(), Some(SIGNATURE));
    }

    #[test]
    fn verifies_any_of_several_signatures_and_nothing_else() {
        assert!(verify(SECRET, MSG_ID, TIMESTAMP, BODY, &format!("v1,bm9wZQ== {SIGNATURE}")));
        assert!(!verify(SECRET, MSG_ID, TIMESTAMP + 1, BODY, SIGNATURE), "another timestamp");
        assert!(!verify(SECRET, MSG_ID, TIMESTAMP, r#"{"test": 1}"#, SIGNATURE), "another body");
        assert!(!verify(&new_secret(), MSG_ID, TIMESTAMP, BODY, SIGNATURE), "another secret");
        assert_eq!(sign("whsec_!!!", MSG_ID, TIMESTAMP, BODY), None);
    }

    #[test]
    fn secrets_have_the_standard_shape() {
        let s = new_secret();
        assert!(s.starts_with("whsec_"));
        assert_eq!(key(&s).map(|k| k.len()), Some(24));
        assert_ne!(s, new_secret());
    }
}

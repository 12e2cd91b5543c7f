//! Random tokens, hashes, and sealing.
//!
//! Secrets are looked up by SHA-256 only. Where a secret must be shown or sent again (a share
//! link on the invoice page, a webhook's signing secret, a sign-in link waiting in the mail
//! queue, a new API key shown once after a plain form post) it is stored sealed with
//! ChaCha20-Poly1305 under a key derived from the server secret for that purpose only: a copy
//! of the database alone reveals none of them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hkdf::Hkdf;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// `bytes` random bytes as base64url (16 bytes = 128 bits = 22 characters).
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub struct Sealer {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<redacted>)")
    }
}

/// What a sealed value is for; each purpose has its own key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Secrets kept on their own rows: share tokens and webhook signing secrets. Its key is
    /// derived as it was before purposes existed, so stored links and secrets still open.
    Records,
    /// Queued outgoing messages: mail (sign-in and share links) until it is sent, webhook bodies
    /// (the invoice with its share link).
    Outgoing,
    /// One-read values shown after a plain form post (a new API key).
    Flash,
}

impl Sealer {
    pub fn new(server_secret: &[u8], purpose: Purpose) -> Self {
        let key: [u8; 32] = match purpose {
            Purpose::Records => {
                let mut h = Sha256::new();
                h.update(b"jupiter/share-token-seal/v1\0");
                h.update(server_secret);
                h.finalize().into()
            }
            Purpose::Outgoing | Purpose::Flash => {
                let info: &[u8] =
                    if purpose == Purpose::Outgoing { b"jupiter/seal/outgoing" } else { b"jupiter/seal/flash" };
                let mut okm = [0u8; 32];
                // 32 bytes is far below HKDF-SHA256's limit (255 × 32), so expand cannot fail.
                let _ = Hkdf::<Sha256>::new(Some(b"jupiter/seal/v2"), server_secret).expand(info, &mut okm);
                okm
            }
        };
        Sealer { cipher: ChaCha20Poly1305::new(Key::from_slice(&key)) }
    }

    pub fn seal(&self, plain: &str) -> String {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        // Encryption with a fresh nonce and an in-memory buffer cannot fail.
        let sealed = self.cipher.encrypt(Nonce::from_slice(&nonce), plain.as_bytes()).unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(sealed);
        URL_SAFE_NO_PAD.encode(out)
    }

    pub fn open(&self, sealed: &str) -> Option<String> {
        let raw = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        if raw.len() < 12 {
            return None;
        }
        let (nonce, body) = raw.split_at(12);
        let plain = self.cipher.decrypt(Nonce::from_slice(nonce), body).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_128_bits_and_differ() {
        let a = random_token(16);
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).unwrap().len(), 16);
        assert_ne!(a, random_token(16));
    }

    #[test]
    fn sealed_tokens_open_only_with_the_same_secret() {
        let s = Sealer::new(b"one", Purpose::Records);
        let sealed = s.seal("tok");
        assert_eq!(s.open(&sealed).as_deref(), Some("tok"));
        assert_eq!(Sealer::new(b"two", Purpose::Records).open(&sealed), None);
        assert!(!sealed.contains("tok"));
    }

    #[test]
    fn each_purpose_has_its_own_key() {
        let sealed = Sealer::new(b"one", Purpose::Outgoing).seal("link");
        assert_eq!(Sealer::new(b"one", Purpose::Outgoing).open(&sealed).as_deref(), Some("link"));
        assert_eq!(Sealer::new(b"one", Purpose::Flash).open(&sealed), None);
        assert_eq!(Sealer::new(b"one", Purpose::Records).open(&sealed), None);
    }
}

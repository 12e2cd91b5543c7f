//! Random tokens, hashes, and sealing of share tokens.
//!
//! Secrets are looked up by SHA-256 only. A share token must also be shown to its sender
//! again (the share link on the invoice page and in GET responses), so it is additionally
//! stored sealed with ChaCha20-Poly1305 under a key derived from the server secret: a copy of
//! the database alone reveals no link.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
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

impl Sealer {
    pub fn new(server_secret: &[u8]) -> Self {
        let mut h = Sha256::new();
        h.update(b"jupiter/share-token-seal/v1\0");
        h.update(server_secret);
        let key = h.finalize();
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
        let s = Sealer::new(b"one");
        let sealed = s.seal("tok");
        assert_eq!(s.open(&sealed).as_deref(), Some("tok"));
        assert_eq!(Sealer::new(b"two").open(&sealed), None);
        assert!(!sealed.contains("tok"));
    }
}

//! Where deliveries may go. Webhook URLs are checked at subscription (and, by the delivery
//! worker, again against the address actually connected to, against DNS rebinding): no
//! loopback, private, link-local (cloud metadata), multicast or other non-public addresses,
//! unless the setting WEBHOOK_ALLOW_PRIVATE_TARGETS allows them (local development, tests).
//! The rules are here; looking a host up is network I/O, so the server hands in a `Resolver`.

use crate::Error;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::pin::Pin;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, Default)]
pub struct TargetPolicy {
    pub allow_private: bool,
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_unspecified()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return public_v4(v4);
    }
    let embedded = embedded_v4(ip);
    if !embedded.is_empty() {
        // A translator or tunnel would carry the request to this IPv4 address.
        return embedded.into_iter().all(public_v4);
    }
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || first == 0x2001 && ip.segments()[1] == 0x0db8)
}

/// The IPv4 addresses an IPv6 address leads to: NAT64 (64:ff9b::/96, and the local-use
/// 64:ff9b:1::/48 read both as a /96 and as a /48 prefix of RFC 6052), 6to4 (2002::/16),
/// Teredo (2001::/32: its server and its obfuscated client) and IPv4-compatible (::/96).
fn embedded_v4(ip: Ipv6Addr) -> Vec<Ipv4Addr> {
    let bits = u128::from(ip);
    let v4 = |shift: u32| Ipv4Addr::from((bits >> shift) as u32);
    let s = ip.segments();
    match s {
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => vec![v4(0)],
        [0x64, 0xff9b, 1, ..] => {
            let [a, b] = s[3].to_be_bytes();
            let [_, c] = s[4].to_be_bytes();
            let [d, _] = s[5].to_be_bytes();
            vec![v4(0), Ipv4Addr::new(a, b, c, d)]
        }
        [0x2002, ..] => vec![v4(80)],
        [0x2001, 0, ..] => vec![v4(64), Ipv4Addr::from(!(bits as u32))],
        [0, 0, 0, 0, 0, 0, _, _] if bits > 1 => vec![v4(0)],
        _ => Vec::new(),
    }
}

pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => public_v6(v6),
    }
}

fn refused(message: &str) -> Error {
    Error::invalid("url", message)
}

/// A lookup under way: the host's addresses, None when it does not resolve.
pub type Lookup<'a> = Pin<Box<dyn Future<Output = Option<Vec<IpAddr>>> + Send + 'a>>;

/// Resolves host names (the server's DNS).
pub trait Resolver: Send + Sync {
    fn lookup<'a>(&'a self, host: &'a str, port: u16) -> Lookup<'a>;
}

/// Resolves nothing: only URLs whose host is an IP address pass.
struct NoResolver;

impl Resolver for NoResolver {
    fn lookup<'a>(&'a self, _host: &'a str, _port: u16) -> Lookup<'a> {
        Box::pin(async { None })
    }
}

/// What subscription URLs are checked with: the policy, and how hosts are resolved.
#[derive(Clone)]
pub struct Targets {
    pub policy: TargetPolicy,
    resolver: Arc<dyn Resolver>,
}

impl std::fmt::Debug for Targets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Targets").field("policy", &self.policy).finish_non_exhaustive()
    }
}

impl Default for Targets {
    fn default() -> Self {
        Targets::without_dns(TargetPolicy::default())
    }
}

impl Targets {
    pub fn new(policy: TargetPolicy, resolver: Arc<dyn Resolver>) -> Self {
        Targets { policy, resolver }
    }

    /// Without a resolver: only IP-address hosts pass.
    pub fn without_dns(policy: TargetPolicy) -> Self {
        Targets { policy, resolver: Arc::new(NoResolver) }
    }

    /// Checks a subscription URL: its shape, then every address its host resolves to.
    pub async fn check(&self, url: &str) -> Result<url::Url, Error> {
        let parsed = url::Url::parse(url.trim()).map_err(|_| refused("not a valid URL"))?;
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(refused("credentials do not belong in the URL; verify deliveries with the signing secret"));
        }
        // The scheme first: no lookup for a URL that cannot be used anyway.
        let plain_http = match parsed.scheme() {
            "https" => false,
            "http" if self.policy.allow_private => true,
            _ => return Err(refused("webhook URLs must use https")),
        };
        let port = parsed.port_or_known_default().ok_or_else(|| refused("the URL needs a port or a known scheme"))?;
        let addresses = match parsed.host() {
            Some(url::Host::Ipv4(ip)) => vec![IpAddr::V4(ip)],
            Some(url::Host::Ipv6(ip)) => vec![IpAddr::V6(ip)],
            Some(url::Host::Domain(name)) => self.resolver.lookup(name, port).await.unwrap_or_default(),
            None => return Err(refused("the URL needs a host")),
        };
        if addresses.is_empty() {
            return Err(refused("the URL's host does not resolve"));
        }
        if plain_http && !addresses.iter().all(|ip| ip.is_loopback()) {
            return Err(refused("webhook URLs must use https (plain http only on this machine, for development)"));
        }
        if addresses.iter().any(|ip| !is_public(*ip)) && !self.policy.allow_private {
            return Err(refused("the URL points to a private, loopback or link-local address"));
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_public_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            // IPv4 inside IPv6: judged by the IPv4 address.
            "64:ff9b::10.0.0.1",
            "64:ff9b::169.254.169.254",
            "64:ff9b:1::127.0.0.1",
            "64:ff9b:1:a9fe:a9:fe00::", // 169.254.169.254 as a /48 NAT64 prefix (RFC 6052)
            "2002:a00:1::1",            // 6to4 of 10.0.0.1
            "2002:7f00:1::",            // 6to4 of 127.0.0.1
            "2001:0:4136:e378:8000:63bf:f5ff:fffe", // Teredo, client 10.0.0.1
            "2001:0:a00:1:8000:63bf:a2c4:bde6", // Teredo, server 10.0.0.1
            "::10.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "64:ff9b::93.184.216.34",
            "2002:5db8:d822::1",
            "2001:0:4136:e378:8000:63bf:a2c4:bde6", // Teredo: server 65.54.227.120, client 93.59.66.25
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    /// A DNS that knows a few names.
    struct Zone;

    impl Resolver for Zone {
        fn lookup<'a>(&'a self, host: &'a str, _port: u16) -> Lookup<'a> {
            let found = match host {
                "hooks.example.com" => Some(vec!["93.184.216.34".parse().unwrap()]),
                "rebind.example.com" => Some(vec!["93.184.216.34".parse().unwrap(), "10.0.0.7".parse().unwrap()]),
                "localhost" => Some(vec!["127.0.0.1".parse().unwrap()]),
                _ => None,
            };
            Box::pin(async move { found })
        }
    }

    fn refusal(result: Result<url::Url, Error>) -> String {
        result.map(|u| u.to_string()).expect_err("refused").to_string()
    }

    #[tokio::test]
    async fn subscription_urls_are_checked_against_what_their_host_resolves_to() {
        let strict = Targets::new(TargetPolicy { allow_private: false }, Arc::new(Zone));
        let local = Targets::new(TargetPolicy { allow_private: true }, Arc::new(Zone));
        assert!(strict.check("https://hooks.example.com/in").await.is_ok());
        assert!(refusal(strict.check("https://rebind.example.com/in").await).contains("private"));
        assert!(refusal(strict.check("https://nowhere.example.com/in").await).contains("does not resolve"));
        assert!(refusal(strict.check("https://10.1.2.3/in").await).contains("private"), "no lookup needed");
        assert!(refusal(strict.check("https://[64:ff9b::a9fe:a9fe]/latest").await).contains("private"), "NAT64");
        assert!(refusal(strict.check("https://[2002:a00:1::1]/in").await).contains("private"), "6to4");
        assert!(refusal(strict.check("http://hooks.example.com/in").await).contains("https"));
        assert!(refusal(strict.check("https://u:p@hooks.example.com/in").await).contains("credentials"));
        assert!(local.check("http://localhost:8080/in").await.is_ok(), "plain http to this machine, locally");
        assert!(refusal(local.check("http://hooks.example.com/in").await).contains("https"));
        let offline = Targets::without_dns(TargetPolicy { allow_private: true });
        assert!(offline.check("http://127.0.0.1:9/in").await.is_ok());
        assert!(refusal(offline.check("https://hooks.example.com/in").await).contains("does not resolve"));
    }
}

//! Where deliveries may go. Webhook URLs are checked at subscription (and, by the delivery
//! worker, again against the address actually connected to, against DNS rebinding): no
//! loopback, private, link-local (cloud metadata), multicast or other non-public addresses,
//! unless the setting WEBHOOK_ALLOW_PRIVATE_TARGETS allows them (local development, tests).

use crate::Error;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

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
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || first == 0x2001 && ip.segments()[1] == 0x0db8)
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

/// Checks a subscription URL: its shape, then every address its host resolves to.
pub async fn check_url(url: &str, policy: TargetPolicy) -> Result<url::Url, Error> {
    let parsed = url::Url::parse(url.trim()).map_err(|_| refused("not a valid URL"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(refused("credentials do not belong in the URL; verify deliveries with the signing secret"));
    }
    // The scheme first: no lookup for a URL that cannot be used anyway.
    let plain_http = match parsed.scheme() {
        "https" => false,
        "http" if policy.allow_private => true,
        _ => return Err(refused("webhook URLs must use https")),
    };
    let host = parsed.host_str().ok_or_else(|| refused("the URL needs a host"))?.to_string();
    let port = parsed.port_or_known_default().ok_or_else(|| refused("the URL needs a port or a known scheme"))?;
    let addresses: Vec<IpAddr> = tokio::net::lookup_host((host.trim_matches(['[', ']']), port))
        .await
        .map_err(|_| refused("the URL's host does not resolve"))?
        .map(|a| a.ip())
        .collect();
    if addresses.is_empty() {
        return Err(refused("the URL's host does not resolve"));
    }
    let private = addresses.iter().any(|ip| !is_public(*ip));
    if plain_http && !addresses.iter().all(|ip| ip.is_loopback()) {
        return Err(refused("webhook URLs must use https (plain http only on this machine, for development)"));
    }
    if private && !policy.allow_private {
        return Err(refused("the URL points to a private, loopback or link-local address"));
    }
    Ok(parsed)
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
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }
}

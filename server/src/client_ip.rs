//! Who the client is: the socket's peer, or (TRUST_PROXY) the address our own proxies saw.
//! X-Forwarded-For is believed only when the request came from a trusted proxy, and then only
//! as far as the chain of trusted proxies goes: the right-most address not in the trusted set
//! is the client (anything left of it could have been written by the client itself).

use app::server::ClientIp;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

/// The proxies whose X-Forwarded-For we believe (TRUST_PROXY: addresses or CIDR ranges,
/// comma-separated); empty = none, the socket's peer is the client.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;
    fn from_str(list: &str) -> Result<Self, String> {
        let nets = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                IpNet::from_str(s)
                    .or_else(|_| IpAddr::from_str(s).map(IpNet::from))
                    .map_err(|_| format!("TRUST_PROXY: `{s}` is not an IP address or CIDR range"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrustedProxies(nets))
    }
}

impl TrustedProxies {
    /// Whether `ip` is one of our proxies.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client's address for a request from `peer` with these headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer.to_canonical();
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match IpAddr::from_str(hop) {
                Ok(ip) if self.trusts(ip) => client = ip,
                Ok(ip) => return ip.to_canonical(),
                // A hop we cannot read: stop at the last address we could.
                Err(_) => break,
            }
        }
        client.to_canonical()
    }
}

/// Puts the client's address in the request for handlers and server functions.
pub async fn layer(State(trusted): State<TrustedProxies>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let Some(peer) = peer {
        let ip = trusted.client(peer, request.headers());
        request.extensions_mut().insert(ClientIp(ip));
    }
    next.run(request).await
}

/// The client's address as the server worked it out (none in bare router tests).
pub struct ClientIpOf(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIpOf {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIpOf(parts.extensions.get::<ClientIp>().map(|c| c.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", value.parse().unwrap());
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trust_the_peer_is_the_client() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("198.51.100.9"), &xff("203.0.113.7")), ip("198.51.100.9"));
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let trusted: TrustedProxies = "10.0.0.0/8, 127.0.0.1".parse().unwrap();
        // The client wrote a fake first hop; our proxies appended the real one.
        let h = xff("1.2.3.4, 203.0.113.7, 10.0.0.5");
        assert_eq!(trusted.client(ip("127.0.0.1"), &h), ip("203.0.113.7"));
        assert_eq!(trusted.client(ip("198.51.100.9"), &h), ip("198.51.100.9"), "not from a trusted proxy");
        assert_eq!(trusted.client(ip("10.0.0.1"), &HeaderMap::new()), ip("10.0.0.1"), "no header: the proxy itself");
        assert_eq!(trusted.client(ip("10.0.0.1"), &xff("garbage, 10.0.0.2")), ip("10.0.0.2"));
        assert_eq!(trusted.client(ip("::ffff:127.0.0.1"), &xff("203.0.113.8")), ip("203.0.113.8"), "mapped v4");
    }

    #[test]
    fn the_setting_is_checked() {
        assert!("10.0.0.0/8,::1".parse::<TrustedProxies>().is_ok());
        assert!("".parse::<TrustedProxies>().unwrap().0.is_empty());
        assert!("proxy.local".parse::<TrustedProxies>().is_err());
    }
}

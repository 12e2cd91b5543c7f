//! How many connections one client address may hold open at once: a client that opens
//! connection after connection (each trickling its request) cannot tie up the server. Over
//! the bound, a new connection is closed as soon as it is accepted. Our own proxies
//! (TRUST_PROXY) carry many clients' requests and are not bounded; their clients are limited
//! per request instead (`client_ip`, the per-client limits).

use crate::client_ip::TrustedProxies;
use axum::serve::Listener;
use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// Connections one client address may hold open unless configured otherwise (a browser uses
/// six per site).
pub const DEFAULT_PER_CLIENT: usize = 64;

type Open = Arc<Mutex<HashMap<IpAddr, usize>>>;

/// A TCP listener that closes a client's connections beyond `per_client` open at once.
pub struct BoundedListener {
    inner: TcpListener,
    per_client: usize,
    trusted: TrustedProxies,
    open: Open,
}

impl BoundedListener {
    pub fn new(inner: TcpListener, per_client: usize, trusted: TrustedProxies) -> BoundedListener {
        BoundedListener { inner, per_client: per_client.max(1), trusted, open: Open::default() }
    }

    /// Counts a connection from `ip`; None when it already holds `per_client`.
    fn admit(&self, ip: IpAddr) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let held = open.entry(ip).or_default();
        if *held >= self.per_client {
            return None;
        }
        *held += 1;
        Some(Slot { ip, open: self.open.clone() })
    }
}

/// One counted connection; the count goes down when it closes.
struct Slot {
    ip: IpAddr,
    open: Open,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(held) = open.get_mut(&self.ip) {
            *held -= 1;
            if *held == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

/// An accepted connection, counted while it is open (our proxies' are not counted).
pub struct Connection {
    stream: TcpStream,
    _slot: Option<Slot>,
}

impl Listener for BoundedListener {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        loop {
            let (stream, peer) = Listener::accept(&mut self.inner).await;
            let ip = peer.ip().to_canonical();
            if self.trusted.trusts(ip) {
                return (Connection { stream, _slot: None }, peer);
            }
            match self.admit(ip) {
                Some(slot) => return (Connection { stream, _slot: Some(slot) }, peer),
                None => {
                    tracing::debug!(%ip, "connection closed: the client holds too many open");
                    drop(stream);
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

impl AsyncRead for Connection {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Connection {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use axum::serve::ListenerExt;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn serve(per_client: usize, trusted: &str) -> SocketAddr {
        let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let listener = BoundedListener::new(tcp, per_client, trusted.parse().unwrap());
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route("/", get(|| async { "ok" }));
        let listener = listener.tap_io(|_| {});
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        addr
    }

    /// Whether the server answers on `stream` (a closed connection reads nothing).
    async fn answers(stream: &mut TcpStream) -> bool {
        let ask = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        if stream.write_all(ask).await.is_err() {
            return false;
        }
        let mut buf = [0u8; 64];
        matches!(stream.read(&mut buf).await, Ok(n) if n > 0 && buf.starts_with(b"HTTP/1.1 200"))
    }

    #[tokio::test]
    async fn a_client_holds_at_most_its_share_of_connections() {
        let addr = serve(3, "").await;
        let mut held = Vec::new();
        for _ in 0..3 {
            let mut c = TcpStream::connect(addr).await.unwrap();
            assert!(answers(&mut c).await, "within the bound");
            held.push(c);
        }
        let mut over = TcpStream::connect(addr).await.unwrap();
        assert!(!answers(&mut over).await, "the fourth is closed");
        drop(held.pop());
        // The closed connection frees its place once the server has seen it close.
        let mut again = false;
        for _ in 0..50 {
            let mut c = TcpStream::connect(addr).await.unwrap();
            if answers(&mut c).await {
                again = true;
                break;
            }
            tokio::task::yield_now().await;
        }
        assert!(again, "a place freed by a closed connection is taken again");
    }

    #[tokio::test]
    async fn our_proxies_are_not_bounded() {
        let addr = serve(1, "127.0.0.1").await;
        let mut held = Vec::new();
        for _ in 0..4 {
            let mut c = TcpStream::connect(addr).await.unwrap();
            assert!(answers(&mut c).await);
            held.push(c);
        }
    }
}

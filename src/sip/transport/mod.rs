//! UDP and TCP transports on one address (RFC 3261 section 18).
//!
//! Inbound messages are handed to the core with their [`Source`]; outbound bytes go out
//! through [`Transports::send`], which reuses the TCP connection a peer opened (phones
//! behind NAT can only be reached that way) and opens one when there is none.

mod tcp;
mod udp;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use tokio::net::{TcpListener, UdpSocket};
use tokio::sync::mpsc;

/// Idle TCP connections are closed after this long without a byte either way.
pub const TCP_IDLE_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    Udp,
    Tcp,
}

impl Proto {
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Udp => "UDP",
            Proto::Tcp => "TCP",
        }
    }
}

/// Where a message came from, and so where its responses go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    pub addr: SocketAddr,
    pub proto: Proto,
}

/// Receives every message the transports frame.
pub trait Inbound: Send + Sync + 'static {
    fn on_message(self: Arc<Self>, bytes: Vec<u8>, source: Source);
    /// Whether anything from `ip` may be read (checked before parsing; false drops it).
    fn admit(&self, ip: std::net::IpAddr) -> bool;
}

pub struct Transports {
    udp: Arc<UdpSocket>,
    local: SocketAddr,
    /// Writers of open TCP connections by peer address.
    tcp: DashMap<SocketAddr, mpsc::Sender<Vec<u8>>>,
    /// Where every framed message goes, whichever side opened the connection.
    inbound: std::sync::OnceLock<Arc<dyn Inbound>>,
}

impl Transports {
    /// Binds UDP and TCP on `addr` (for port 0: the same free port for both).
    pub async fn bind(addr: SocketAddr) -> std::io::Result<(Arc<Transports>, TcpListener)> {
        let mut last_err = None;
        for _ in 0..16 {
            let udp = UdpSocket::bind(addr).await?;
            let local = udp.local_addr()?;
            match TcpListener::bind(local).await {
                Ok(listener) => {
                    let t = Arc::new(Transports { udp: Arc::new(udp), local, tcp: DashMap::new(), inbound: std::sync::OnceLock::new() });
                    return Ok((t, listener));
                }
                Err(e) if addr.port() == 0 => last_err = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last_err.unwrap_or_else(|| std::io::Error::other("cannot bind SIP ports")))
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// Starts the receive loops.
    pub fn start(self: &Arc<Self>, listener: TcpListener, inbound: Arc<dyn Inbound>) {
        let _ = self.inbound.set(inbound.clone());
        tokio::spawn(udp::receive_loop(self.udp.clone(), inbound));
        tokio::spawn(tcp::accept_loop(self.clone(), listener));
    }

    /// Sends bytes to `target`; over TCP it reuses an open connection or opens one.
    pub async fn send(self: &Arc<Self>, target: Source, bytes: Vec<u8>) -> std::io::Result<()> {
        match target.proto {
            Proto::Udp => self.udp.send_to(&bytes, target.addr).await.map(|_| ()),
            Proto::Tcp => {
                let existing = self.tcp.get(&target.addr).map(|s| s.clone());
                let sender = match existing {
                    Some(s) if !s.is_closed() => s,
                    _ => tcp::connect(self.clone(), target.addr).await?,
                };
                sender.send(bytes).await.map_err(|_| std::io::Error::other("TCP connection closed"))
            }
        }
    }

    fn register_tcp(&self, peer: SocketAddr, sender: mpsc::Sender<Vec<u8>>) {
        self.tcp.insert(peer, sender);
    }

    fn forget_tcp(&self, peer: &SocketAddr) {
        self.tcp.remove(peer);
    }
}

//! UDP and TCP transports on one address, and TLS on another (RFC 3261 section 18, RFC
//! 5630 for `sips:`).
//!
//! Inbound messages are handed to the core with their [`Source`]; outbound bytes go out
//! through [`Transports::send`], which reuses the TCP or TLS connection a peer opened
//! (phones behind NAT can only be reached that way) and opens one when there is none.

mod arrival;
mod tcp;
mod tls;
mod udp;
pub mod stun;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use tokio::io::unix::AsyncFd;
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// Idle TCP connections are closed after this long without a byte either way.
pub const TCP_IDLE_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    Udp,
    Tcp,
    Tls,
}

impl Proto {
    /// As in a Via header.
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Udp => "UDP",
            Proto::Tcp => "TCP",
            Proto::Tls => "TLS",
        }
    }

    /// Stream transports deliver in order and retransmit themselves (RFC 3261 17.1.1.2).
    pub fn is_reliable(self) -> bool {
        self != Proto::Udp
    }

    /// The `transport=` URI parameter for this transport (none for UDP, the default).
    pub fn uri_param(self) -> Option<&'static str> {
        match self {
            Proto::Udp => None,
            Proto::Tcp => Some("tcp"),
            Proto::Tls => Some("tls"),
        }
    }
}

/// SIP over TLS: where to listen (with our certificate) and how to verify peers we call.
#[derive(Clone)]
pub struct TlsOptions {
    pub listen: Option<(SocketAddr, Arc<rustls::ServerConfig>)>,
    pub client: Arc<rustls::ClientConfig>,
}

/// Where a message came from, and so where its responses go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Source {
    pub addr: SocketAddr,
    pub proto: Proto,
}

/// Receives every message the transports frame.
pub trait Inbound: Send + Sync + 'static {
    /// `arrived`: when the message reached the host (for UDP, the kernel's stamp).
    fn on_message(self: Arc<Self>, bytes: Vec<u8>, source: Source, arrived: std::time::Instant);
    /// Whether anything from `ip` may be read (checked before parsing; false drops it).
    fn admit(&self, ip: std::net::IpAddr) -> bool;
    /// A TCP or TLS connection closed (either side closed it, or it failed).
    fn on_closed(self: Arc<Self>, _source: Source) {}
}

pub struct Transports {
    /// The SIP UDP socket, for sending (a thread of its own receives, see `udp`).
    udp: AsyncFd<std::net::UdpSocket>,
    local: SocketAddr,
    /// Writers of open TCP connections by peer address.
    tcp: DashMap<SocketAddr, mpsc::Sender<Vec<u8>>>,
    /// Writers of open TLS connections by peer address.
    tls: DashMap<SocketAddr, mpsc::Sender<Vec<u8>>>,
    /// The TLS listen address, when SIP over TLS is on.
    tls_local: std::sync::OnceLock<SocketAddr>,
    tls_client: std::sync::OnceLock<Arc<rustls::ClientConfig>>,
    /// Host names to verify (and send as SNI) when we open TLS to an address.
    tls_names: DashMap<SocketAddr, String>,
    /// Where every framed message goes, whichever side opened the connection.
    inbound: std::sync::OnceLock<Arc<dyn Inbound>>,
    /// SIP traces (pcap), fed by what is sent here and by the dispatcher with what comes in.
    pub tracer: std::sync::OnceLock<Arc<crate::sip::trace::Tracer>>,
}

impl Transports {
    /// Binds UDP and TCP on `addr` (for port 0: the same free port for both).
    pub async fn bind(addr: SocketAddr) -> std::io::Result<(Arc<Transports>, TcpListener)> {
        let mut last_err = None;
        for _ in 0..16 {
            let udp = udp::bind(addr)?;
            let local = udp.local_addr()?;
            match TcpListener::bind(local).await {
                Ok(listener) => {
                    let t = Arc::new(Transports {
                        udp: udp::sender(udp)?,
                        local,
                        tcp: DashMap::new(),
                        tls: DashMap::new(),
                        tls_local: std::sync::OnceLock::new(),
                        tls_client: std::sync::OnceLock::new(),
                        tls_names: DashMap::new(),
                        inbound: std::sync::OnceLock::new(),
                        tracer: std::sync::OnceLock::new(),
                    });
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

    /// Where SIP over TLS listens, when it does.
    pub fn tls_local_addr(&self) -> Option<SocketAddr> {
        self.tls_local.get().copied()
    }

    /// Starts the UDP receiver, the TCP accept loop (and the TLS listener when configured).
    pub async fn start(self: &Arc<Self>, listener: TcpListener, inbound: Arc<dyn Inbound>, tls: TlsOptions) -> std::io::Result<()> {
        let _ = self.inbound.set(inbound.clone());
        let _ = self.tls_client.set(tls.client);
        if let Some((addr, server)) = tls.listen {
            let listener = TcpListener::bind(addr).await?;
            let _ = self.tls_local.set(listener.local_addr()?);
            tokio::spawn(tls::accept_loop(self.clone(), listener, tokio_rustls::TlsAcceptor::from(server)));
        }
        udp::start_receiver(self.udp.get_ref().try_clone()?, inbound.clone())?;
        tokio::spawn(tcp::accept_loop(self.clone(), listener));
        Ok(())
    }

    /// The name to verify when opening TLS to `addr` (a trunk's host); otherwise the
    /// address itself is verified.
    pub fn set_tls_name(&self, addr: SocketAddr, host: &str) {
        self.tls_names.insert(addr, host.to_owned());
    }

    /// Sends bytes to `target`; over TCP and TLS it reuses an open connection or opens one.
    pub async fn send(self: &Arc<Self>, target: Source, bytes: Vec<u8>) -> std::io::Result<()> {
        if let Some(tracer) = self.tracer.get().filter(|t| t.is_running()) {
            tracer.capture(&bytes, self.local_for(target.proto, target.addr.ip()), target.addr, target.proto.is_reliable());
        }
        let sender = match target.proto {
            Proto::Udp => return udp::send(&self.udp, &bytes, target.addr).await,
            Proto::Tcp => match self.tcp.get(&target.addr).map(|s| s.clone()) {
                Some(s) if !s.is_closed() => s,
                _ => tcp::connect(self.clone(), target.addr).await?,
            },
            Proto::Tls => match self.tls.get(&target.addr).map(|s| s.clone()) {
                Some(s) if !s.is_closed() => s,
                _ => {
                    let client = self.tls_client.get().cloned().ok_or_else(|| std::io::Error::other("TLS is not set up"))?;
                    let name = self.tls_names.get(&target.addr).map(|n| n.clone());
                    tls::connect(self.clone(), target.addr, client, name).await?
                }
            },
        };
        sender.send(bytes).await.map_err(|_| std::io::Error::other("connection closed"))
    }

    /// The address messages to or from `peer` over `proto` use on this side (as a trace
    /// shows them): the listen address, or the interface towards `peer`.
    pub fn local_for(&self, proto: Proto, peer: std::net::IpAddr) -> SocketAddr {
        let listen = match proto {
            Proto::Tls => self.tls_local.get().copied().unwrap_or(self.local),
            Proto::Udp | Proto::Tcp => self.local,
        };
        SocketAddr::new(crate::sip::endpoint::local_addr::local_ip_for(peer, listen), listen.port())
    }

    /// Sends bytes on the open TCP or TLS connection to `target`, never opening one (a
    /// device behind NAT cannot be reached by a new connection); false when none is open
    /// or the send failed.
    pub async fn send_on_open_connection(&self, target: Source, bytes: Vec<u8>) -> bool {
        let open = match target.proto {
            Proto::Udp => None,
            Proto::Tcp => self.tcp.get(&target.addr).map(|s| s.clone()),
            Proto::Tls => self.tls.get(&target.addr).map(|s| s.clone()),
        };
        match open {
            Some(s) if !s.is_closed() => s.send(bytes).await.is_ok(),
            _ => false,
        }
    }

    /// Whether a new connection from `peer` may be served (not banned, within its rate);
    /// refused ones are closed before a byte is read.
    fn admits_connection(&self, peer: SocketAddr) -> bool {
        self.inbound.get().is_none_or(|i| i.admit(peer.ip()))
    }

    fn connections(&self, proto: Proto) -> &DashMap<SocketAddr, mpsc::Sender<Vec<u8>>> {
        if proto == Proto::Tls { &self.tls } else { &self.tcp }
    }

    fn register_stream(&self, proto: Proto, peer: SocketAddr, sender: mpsc::Sender<Vec<u8>>) {
        self.connections(proto).insert(peer, sender);
    }

    fn forget_stream(&self, proto: Proto, peer: &SocketAddr) {
        self.connections(proto).remove(peer);
    }
}

//! Local address selection: which of our addresses a peer sees in Via and Contact.

use std::net::{IpAddr, SocketAddr, UdpSocket};

/// The local address packets to `peer` leave from (no packet is sent).
pub fn local_ip_for(peer: IpAddr, listen: SocketAddr) -> IpAddr {
    if !listen.ip().is_unspecified() {
        return listen.ip();
    }
    let bind: SocketAddr = if peer.is_ipv4() { "0.0.0.0:0".parse().unwrap_or(listen) } else { "[::]:0".parse().unwrap_or(listen) };
    UdpSocket::bind(bind)
        .and_then(|s| {
            s.connect((peer, 9))?;
            s.local_addr()
        })
        .map(|a| a.ip())
        .unwrap_or(peer)
}

//! The UDP socket and its receive loop: one datagram is one message (RFC 3261 section
//! 18.3). One loop keeps the responses of a peer in arrival order (they are dispatched in
//! the loop; requests are handed to tasks); the kernel's queue is made large enough to ride
//! out a burst or a scheduling hiccup without drops, which a UDP peer would see as a
//! retransmission 500 ms later.

use std::net::SocketAddr;
use std::sync::Arc;

use socket2::{Domain, Protocol, Socket, Type};
use tokio::net::UdpSocket;

use super::{Inbound, Proto, Source};
use crate::sip::consts::MAX_MESSAGE_SIZE;

/// The receive (and send) buffer asked for; Linux caps it at `net.core.rmem_max`
/// (`wmem_max`), 4 MiB on Debian's default for servers of this kind and set by the package.
const SOCKET_BUFFER_BYTES: usize = 4 * 1024 * 1024;

/// A UDP socket on `addr` with large buffers, non-blocking, for tokio.
pub(super) fn bind(addr: SocketAddr) -> std::io::Result<UdpSocket> {
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, Some(Protocol::UDP))?;
    if let Err(e) = socket.set_recv_buffer_size(SOCKET_BUFFER_BYTES) {
        tracing::warn!(error = %e, "cannot enlarge the SIP UDP receive buffer");
    }
    if let Err(e) = socket.set_send_buffer_size(SOCKET_BUFFER_BYTES) {
        tracing::warn!(error = %e, "cannot enlarge the SIP UDP send buffer");
    }
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    tracing::debug!(receive = socket.recv_buffer_size().unwrap_or(0), send = socket.send_buffer_size().unwrap_or(0), "SIP UDP socket buffers");
    UdpSocket::from_std(socket.into())
}

pub(super) async fn receive_loop(socket: Arc<UdpSocket>, inbound: Arc<dyn Inbound>) {
    let mut buf = vec![0u8; MAX_MESSAGE_SIZE + 1];
    let mut control = super::arrival::control_buffer();
    super::arrival::enable(&socket);
    loop {
        match super::arrival::receive(&socket, &mut buf, &mut control).await {
            Ok(super::arrival::Received { len: n, from: addr, arrived }) => {
                if !inbound.admit(addr.ip()) {
                    continue;
                }
                if n == 0 || n > MAX_MESSAGE_SIZE {
                    tracing::debug!(%addr, bytes = n, "dropping empty or oversized datagram");
                    continue;
                }
                // STUN binding requests share the port (RFC 7983 section 7).
                if super::stun::is_stun(&buf[..n]) {
                    if let Some(answer) = super::stun::answer(&buf[..n], addr, socket.local_addr().unwrap_or(addr)) {
                        let _ = socket.send_to(&answer, addr).await;
                    }
                    continue;
                }
                // CRLF keep-alives over UDP need no answer.
                if buf[..n].iter().all(|b| *b == b'\r' || *b == b'\n') {
                    continue;
                }
                inbound.clone().on_message(buf[..n].to_vec(), Source { addr, proto: Proto::Udp }, arrived);
            }
            Err(e) => {
                // ICMP port-unreachable from an earlier send surfaces here on Linux; keep going.
                tracing::debug!(error = %e, "UDP receive error");
            }
        }
    }
}

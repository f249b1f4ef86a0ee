//! The UDP receive loop: one datagram is one message (RFC 3261 section 18.3).

use std::sync::Arc;

use tokio::net::UdpSocket;

use super::{Inbound, Proto, Source};
use crate::sip::consts::MAX_MESSAGE_SIZE;

pub(super) async fn receive_loop(socket: Arc<UdpSocket>, inbound: Arc<dyn Inbound>) {
    let mut buf = vec![0u8; MAX_MESSAGE_SIZE + 1];
    loop {
        match socket.recv_from(&mut buf).await {
            Ok((n, addr)) => {
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
                inbound.clone().on_message(buf[..n].to_vec(), Source { addr, proto: Proto::Udp });
            }
            Err(e) => {
                // ICMP port-unreachable from an earlier send surfaces here on Linux; keep going.
                tracing::debug!(error = %e, "UDP receive error");
            }
        }
    }
}

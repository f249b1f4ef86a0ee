//! The UDP socket and its receiver: one datagram is one message (RFC 3261 section 18.3).
//!
//! One thread of its own reads the socket. It keeps the responses of a peer in arrival
//! order (they are dispatched on it; requests are handed to tasks, REGISTERs excepted, see
//! `sip/methods/inline.rs`), and it is never queued behind the tasks it hands work to, as
//! a receive task on a runtime thread was: a UDP peer sees a datagram dropped while the
//! receiver waits its turn as a retransmission 500 ms later. The kernel's queue is made
//! large enough to ride out a burst or a scheduling hiccup.
//!
//! The runtime only ever waits for the socket to become writable (a full send buffer), so
//! an arriving datagram wakes the receiver thread alone, not a runtime thread as well.

use std::net::SocketAddr;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use socket2::{Domain, Protocol, Socket, Type};
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;

use super::{Inbound, Proto, Source};
use crate::sip::consts::MAX_MESSAGE_SIZE;

/// The receive (and send) buffer asked for; Linux caps it at `net.core.rmem_max`
/// (`wmem_max`), 4 MiB on Debian's default for servers of this kind and set by the package.
const SOCKET_BUFFER_BYTES: usize = 4 * 1024 * 1024;

/// How often (ms) an idle receiver looks whether it should stop.
const STOP_CHECK_MS: u16 = 250;

/// A UDP socket on `addr` with large buffers, non-blocking.
pub(super) fn bind(addr: SocketAddr) -> std::io::Result<std::net::UdpSocket> {
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
    Ok(socket.into())
}

/// The sending side of `socket` for the runtime: it waits for writability only.
pub(super) fn sender(socket: std::net::UdpSocket) -> std::io::Result<AsyncFd<std::net::UdpSocket>> {
    // SAFETY: the `UdpSocket` owns its descriptor and the `AsyncFd` owns the socket, so the
    // descriptor is open, and always the same one, for as long as it is registered.
    unsafe { AsyncFd::register_with_interest(socket, Interest::WRITABLE) }.map_err(std::io::Error::from)
}

/// Sends one datagram, waiting while the send buffer is full.
pub(super) async fn send(socket: &AsyncFd<std::net::UdpSocket>, bytes: &[u8], to: SocketAddr) -> std::io::Result<()> {
    socket.async_io(Interest::WRITABLE, |s| s.send_to(bytes, to)).await.map(|_| ())
}

/// Starts the receiver thread on `socket` (a handle of its own on the SIP socket). It
/// hands messages to `inbound` inside the current runtime and stops once that runtime
/// shuts down.
pub(super) fn start_receiver(socket: std::net::UdpSocket, inbound: Arc<dyn Inbound>) -> std::io::Result<()> {
    let runtime = tokio::runtime::Handle::current();
    let stop = Arc::new(AtomicBool::new(false));
    // A task that never ends: the runtime drops it when it shuts down, and that stops the
    // receiver.
    let guard = StopOnDrop(stop.clone());
    runtime.spawn(async move {
        let _guard = guard;
        std::future::pending::<()>().await
    });
    std::thread::Builder::new()
        .name("sip-udp-in".into())
        .spawn(move || {
            let _in_runtime = runtime.enter();
            receive(&socket, &inbound, &stop);
        })
        .map(|_| ())
}

struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn receive(socket: &std::net::UdpSocket, inbound: &Arc<dyn Inbound>, stop: &AtomicBool) {
    let mut buf = vec![0u8; MAX_MESSAGE_SIZE + 1];
    let mut control = super::arrival::control_buffer();
    super::arrival::enable(socket);
    let local = socket.local_addr().ok();
    while !stop.load(Ordering::Relaxed) {
        if !readable(socket) {
            continue;
        }
        // Everything queued is read before waiting again.
        loop {
            match super::arrival::read_waiting(socket, &mut buf, &mut control) {
                Ok(super::arrival::Received { len: n, from: addr, arrived }) => {
                    if !inbound.admit(addr.ip()) {
                        continue;
                    }
                    if n == 0 || n > MAX_MESSAGE_SIZE {
                        tracing::debug!(%addr, bytes = n, "dropping empty or oversized datagram");
                        continue;
                    }
                    let Some(bytes) = buf.get(..n) else { continue };
                    // STUN binding requests share the port (RFC 7983 section 7).
                    if super::stun::is_stun(bytes) {
                        if let Some(answer) = super::stun::answer(bytes, addr, local.unwrap_or(addr)) {
                            // A STUN client retries what is lost; the receiver never waits to send.
                            let _ = socket.send_to(&answer, addr);
                        }
                        continue;
                    }
                    // CRLF keep-alives over UDP need no answer.
                    if bytes.iter().all(|b| *b == b'\r' || *b == b'\n') {
                        continue;
                    }
                    // A handler that panics (a bug) costs its message, not every later one.
                    let handed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        inbound.clone().on_message(bytes.to_vec(), Source { addr, proto: Proto::Udp }, arrived)
                    }));
                    if handed.is_err() {
                        tracing::error!(%addr, "a SIP message handler panicked; the message is dropped");
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    // ICMP port-unreachable from an earlier send surfaces here on Linux; keep going.
                    tracing::debug!(error = %e, "UDP receive error");
                }
            }
        }
    }
}

/// Waits until a datagram is queued on `socket` (true) or `STOP_CHECK_MS` passed (false).
fn readable(socket: &std::net::UdpSocket) -> bool {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

    let mut fds = [PollFd::new(socket.as_fd(), PollFlags::POLLIN)];
    matches!(poll(&mut fds, PollTimeout::from(STOP_CHECK_MS)), Ok(n) if n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// Hands each message's bytes to a channel.
    struct Collect(std::sync::Mutex<mpsc::Sender<Vec<u8>>>);

    impl Inbound for Collect {
        fn on_message(self: Arc<Self>, bytes: Vec<u8>, _source: Source, _arrived: std::time::Instant) {
            if let Ok(tx) = self.0.lock() {
                let _ = tx.send(bytes);
            }
        }
        fn admit(&self, _ip: std::net::IpAddr) -> bool {
            true
        }
    }

    /// Panics on a message starting with `PANIC`, passes on the others.
    struct Fragile(Collect);

    impl Inbound for Fragile {
        fn on_message(self: Arc<Self>, bytes: Vec<u8>, source: Source, arrived: std::time::Instant) {
            assert!(!bytes.starts_with(b"PANIC"), "a handler bug");
            if let Ok(tx) = self.0.0.lock() {
                let _ = tx.send(bytes);
            }
            let _ = (source, arrived);
        }
        fn admit(&self, _ip: std::net::IpAddr) -> bool {
            true
        }
    }

    /// A runtime with a receiver on a fresh loopback socket handing to `inbound`.
    fn receiving(inbound: Arc<dyn Inbound>) -> (tokio::runtime::Runtime, SocketAddr) {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let socket = bind("127.0.0.1:0".parse().expect("addr")).expect("bind");
        let addr = socket.local_addr().expect("local address");
        runtime.block_on(async { start_receiver(socket, inbound) }).expect("receiver");
        (runtime, addr)
    }

    #[test]
    fn a_panicking_handler_costs_its_message_only() {
        let (tx, rx) = mpsc::channel();
        let (_runtime, addr) = receiving(Arc::new(Fragile(Collect(std::sync::Mutex::new(tx)))));
        let peer = std::net::UdpSocket::bind("127.0.0.1:0").expect("peer");
        peer.send_to(b"PANIC sip:pbx SIP/2.0\r\n\r\n", addr).expect("send");
        peer.send_to(b"OPTIONS sip:pbx SIP/2.0\r\n\r\n", addr).expect("send");
        let got = rx.recv_timeout(std::time::Duration::from_secs(5)).expect("the message after the panic");
        assert!(got.starts_with(b"OPTIONS "));
    }

    #[test]
    fn the_receiver_hands_on_datagrams_and_lets_go_of_the_port_with_its_runtime() {
        let (tx, rx) = mpsc::channel();
        let (runtime, addr) = receiving(Arc::new(Collect(std::sync::Mutex::new(tx))));

        let peer = std::net::UdpSocket::bind("127.0.0.1:0").expect("peer");
        peer.send_to(b"OPTIONS sip:pbx SIP/2.0\r\n\r\n", addr).expect("send");
        peer.send_to(b"\r\n\r\n", addr).expect("send a keep-alive");
        peer.send_to(b"BYE sip:pbx SIP/2.0\r\n\r\n", addr).expect("send");
        let got = |rx: &mpsc::Receiver<Vec<u8>>| rx.recv_timeout(std::time::Duration::from_secs(5)).expect("a message");
        assert!(got(&rx).starts_with(b"OPTIONS "));
        assert!(got(&rx).starts_with(b"BYE "), "the keep-alive is not a message");

        drop(runtime);
        // The receiver notices within its stop check and closes its handle on the socket.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            match std::net::UdpSocket::bind(addr) {
                Ok(_) => break,
                Err(e) if std::time::Instant::now() < deadline && e.kind() == std::io::ErrorKind::AddrInUse => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                Err(e) => panic!("the port stayed taken after the runtime shut down: {e}"),
            }
        }
    }
}

//! When a datagram reached the host, not when Callplane read it: the kernel stamps each
//! datagram on arrival (`SO_TIMESTAMPNS`, Linux). Under load the datagrams wait in the
//! socket's receive queue before the receiver gets to them; overload admission
//! (`sip/methods/overload.rs`) must see that wait too, or a node starved of CPU would
//! measure only the short wait after the read and keep taking calls it cannot serve.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime};

/// One datagram read: its length, sender and when it arrived.
pub(super) struct Received {
    pub len: usize,
    pub from: SocketAddr,
    pub arrived: Instant,
}

/// The monotonic instant of a kernel wall-clock stamp `stamped`, read at `now` (monotonic)
/// and `wall_now`. A stamp from the future (the wall clock stepped back) counts as now;
/// so does one older than a minute (it stepped forward): a clock change must not read as
/// a backlog.
pub fn arrival(now: Instant, wall_now: SystemTime, stamped: SystemTime) -> Instant {
    match wall_now.duration_since(stamped) {
        Ok(waited) if waited <= Duration::from_secs(60) => now.checked_sub(waited).unwrap_or(now),
        _ => now,
    }
}

/// Asks the kernel to stamp each datagram `socket` receives.
pub(super) fn enable(socket: &std::net::UdpSocket) {
    #[cfg(target_os = "linux")]
    if let Err(e) =
        nix::sys::socket::setsockopt(socket, nix::sys::socket::sockopt::ReceiveTimestampns, &true)
    {
        tracing::warn!(error = %e, "no arrival stamps on the SIP UDP socket: overload admission sees only the wait after the read");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = socket;
}

/// Reads one datagram waiting on `socket` into `buf` with its arrival stamp (now, when it
/// has none), without waiting for one (`WouldBlock` when none is queued).
#[cfg(target_os = "linux")]
pub(super) fn read_waiting(
    socket: &std::net::UdpSocket,
    buf: &mut [u8],
    control: &mut [u8],
) -> io::Result<Received> {
    use std::os::fd::AsRawFd;

    use nix::sys::socket::{ControlMessageOwned, MsgFlags, SockaddrStorage, recvmsg};

    let mut iov = [io::IoSliceMut::new(buf)];
    let msg = recvmsg::<SockaddrStorage>(
        socket.as_raw_fd(),
        &mut iov,
        Some(&mut *control),
        MsgFlags::MSG_DONTWAIT,
    )
    .map_err(io::Error::from)?;
    let from = msg
        .address
        .and_then(|a| {
            a.as_sockaddr_in()
                .map(|v4| SocketAddr::V4((*v4).into()))
                .or_else(|| a.as_sockaddr_in6().map(|v6| SocketAddr::V6((*v6).into())))
        })
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "datagram without an IP source"))?;
    let stamped = msg.cmsgs().ok().and_then(|mut c| {
        c.find_map(|m| match m {
            ControlMessageOwned::ScmTimestampns(ts) => {
                let since_epoch = Duration::new(
                    u64::try_from(ts.tv_sec()).ok()?,
                    u32::try_from(ts.tv_nsec()).ok()?,
                );
                SystemTime::UNIX_EPOCH.checked_add(since_epoch)
            }
            _ => None,
        })
    });
    let now = Instant::now();
    let arrived = stamped.map_or(now, |s| arrival(now, SystemTime::now(), s));
    Ok(Received { len: msg.bytes, from, arrived })
}

#[cfg(not(target_os = "linux"))]
pub(super) fn read_waiting(
    socket: &std::net::UdpSocket,
    buf: &mut [u8],
    _control: &mut [u8],
) -> io::Result<Received> {
    let (len, from) = socket.recv_from(buf)?;
    Ok(Received { len, from, arrived: Instant::now() })
}

/// The control buffer `receive` needs.
#[cfg(target_os = "linux")]
pub(super) fn control_buffer() -> Vec<u8> {
    nix::cmsg_space!(nix::sys::time::TimeSpec)
}

#[cfg(not(target_os = "linux"))]
pub(super) fn control_buffer() -> Vec<u8> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_becomes_the_instant_that_long_ago() {
        let now = Instant::now();
        let wall = SystemTime::now();
        let arrived = arrival(now, wall, wall - Duration::from_millis(250));
        assert_eq!(now - arrived, Duration::from_millis(250));
    }

    #[test]
    fn a_clock_step_is_not_a_backlog() {
        let now = Instant::now();
        let wall = SystemTime::now();
        assert_eq!(
            arrival(now, wall, wall + Duration::from_secs(5)),
            now,
            "stamp from the future"
        );
        assert_eq!(
            arrival(now, wall, wall - Duration::from_secs(3600)),
            now,
            "stamp from an hour ago"
        );
    }
}

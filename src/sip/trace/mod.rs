//! SIP traces: the SIP messages of one extension, one trunk or one call, as they cross the
//! wire both ways, written to a pcap file (IPv4/IPv6 with UDP or TCP headers made for
//! them) that sngrep and Wireshark open. Off until asked for; each trace stops at its size
//! or time limit. Nothing is looked at while no trace runs.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwap;
use chrono::{DateTime, Utc};
use pcap_file::DataLink;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};


/// What a trace keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Messages whose From, To or Request-URI user is one of these numbers (an extension).
    Users(Vec<String>),
    /// Messages to or from these addresses (a trunk's servers).
    Peers(Vec<IpAddr>),
    /// Messages of these SIP Call-IDs (the dialogs of a call).
    CallIds(Vec<String>),
}

/// A trace as the API shows it.
#[derive(Debug, Clone)]
pub struct TraceInfo {
    pub id: String,
    /// What it keeps, in words (`extension 1001`).
    pub label: String,
    pub started_at: DateTime<Utc>,
    pub running: bool,
    pub packets: u64,
    pub bytes: u64,
    pub max_bytes: u64,
    pub path: PathBuf,
}

struct Active {
    id: String,
    label: String,
    filter: Filter,
    started_at: DateTime<Utc>,
    until: Instant,
    max_bytes: u64,
    path: PathBuf,
    bytes: AtomicU64,
    packets: AtomicU64,
    /// `None` once stopped.
    writer: std::sync::Mutex<Option<PcapWriter<std::fs::File>>>,
    /// TCP sequence numbers per direction, so the made-up segments follow each other.
    tcp_seq: std::sync::Mutex<HashMap<(SocketAddr, SocketAddr), u32>>,
}

#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    #[error("cannot write the trace {path}: {source}")]
    File { path: PathBuf, source: std::io::Error },
    #[error("cannot write the trace: {0}")]
    Pcap(#[from] pcap_file::PcapError),
}

pub struct Tracer {
    dir: PathBuf,
    /// Every trace, running or stopped (until deleted); read on every message when one runs.
    traces: ArcSwap<Vec<Arc<Active>>>,
    running: std::sync::atomic::AtomicUsize,
}

impl Tracer {
    pub fn new(dir: PathBuf) -> Tracer {
        Tracer { dir, traces: ArcSwap::from_pointee(Vec::new()), running: std::sync::atomic::AtomicUsize::new(0) }
    }

    /// Starts a trace keeping what `filter` selects, for at most `max_bytes` and `duration`.
    pub fn start(&self, filter: Filter, label: String, max_bytes: u64, duration: Duration) -> Result<TraceInfo, TraceError> {
        std::fs::create_dir_all(&self.dir).map_err(|source| TraceError::File { path: self.dir.clone(), source })?;
        let id = uuid::Uuid::now_v7().to_string();
        let path = self.dir.join(format!("{id}.pcap"));
        let file = std::fs::File::create(&path).map_err(|source| TraceError::File { path: path.clone(), source })?;
        let header = PcapHeader { datalink: DataLink::RAW, ..PcapHeader::default() };
        let writer = PcapWriter::with_header(file, header)?;
        let active = Arc::new(Active {
            id,
            label,
            filter,
            started_at: Utc::now(),
            until: Instant::now() + duration,
            max_bytes,
            path,
            bytes: AtomicU64::new(24),
            packets: AtomicU64::new(0),
            writer: std::sync::Mutex::new(Some(writer)),
            tcp_seq: std::sync::Mutex::default(),
        });
        let info = info(&active);
        self.traces.rcu(|all| {
            let mut next = Vec::clone(all);
            next.push(active.clone());
            next
        });
        self.running.fetch_add(1, Ordering::AcqRel);
        tracing::info!(trace = %info.id, ?active.filter, "SIP trace started");
        Ok(info)
    }

    pub fn list(&self) -> Vec<TraceInfo> {
        self.traces.load().iter().map(|a| info(a)).collect()
    }

    pub fn get(&self, id: &str) -> Option<TraceInfo> {
        self.traces.load().iter().find(|a| a.id == id).map(|a| info(a))
    }

    /// Stops trace `id` (its file stays); `false` when there is none.
    pub fn stop(&self, id: &str) -> bool {
        let Some(active) = self.traces.load().iter().find(|a| a.id == id).cloned() else { return false };
        self.finish(&active);
        true
    }

    /// Stops and forgets trace `id`, and deletes its file.
    pub fn delete(&self, id: &str) -> bool {
        let Some(active) = self.traces.load().iter().find(|a| a.id == id).cloned() else { return false };
        self.finish(&active);
        self.traces.rcu(|all| all.iter().filter(|a| a.id != id).cloned().collect::<Vec<_>>());
        let _ = std::fs::remove_file(&active.path);
        true
    }

    fn finish(&self, active: &Active) {
        if let Ok(mut w) = active.writer.lock() {
            if w.take().is_some() {
                self.running.fetch_sub(1, Ordering::AcqRel);
                tracing::info!(trace = %active.id, packets = active.packets.load(Ordering::Relaxed), "SIP trace stopped");
            }
        }
    }

    /// Whether any trace is running (what comes before `capture` may be skipped if not).
    pub fn is_running(&self) -> bool {
        self.running.load(Ordering::Acquire) > 0
    }

    /// A message crossing the wire: `from` → `to`, over a stream (TCP, TLS) or in a
    /// datagram (UDP). Cheap when nothing traces.
    pub fn capture(&self, bytes: &[u8], from: SocketAddr, to: SocketAddr, stream: bool) {
        if self.running.load(Ordering::Acquire) == 0 {
            return;
        }
        let traces = self.traces.load();
        let mut parsed: Option<Option<crate::sip::wire::Message>> = None;
        for active in traces.iter() {
            if active.writer.lock().map(|w| w.is_none()).unwrap_or(true) {
                continue;
            }
            if Instant::now() >= active.until {
                self.finish(active);
                continue;
            }
            let keep = match &active.filter {
                Filter::Peers(ips) => ips.contains(&from.ip()) || ips.contains(&to.ip()),
                Filter::Users(numbers) => {
                    let msg = parsed.get_or_insert_with(|| crate::sip::wire::parse(bytes, !stream).ok());
                    msg.as_ref().is_some_and(|m| {
                        let mut users = [m.from.uri.user.as_deref(), m.to.uri.user.as_deref(), m.request_uri().and_then(|u| u.user.as_deref())];
                        users.iter_mut().any(|u| u.is_some_and(|u| numbers.iter().any(|n| n == u)))
                    })
                }
                Filter::CallIds(ids) => {
                    let msg = parsed.get_or_insert_with(|| crate::sip::wire::parse(bytes, !stream).ok());
                    msg.as_ref().is_some_and(|m| ids.contains(&m.call_id))
                }
            };
            if keep {
                self.write(active, bytes, from, to, stream);
            }
        }
    }

    fn write(&self, active: &Active, payload: &[u8], from: SocketAddr, to: SocketAddr, stream: bool) {
        let packet = match stream {
            false => udp_packet(from, to, payload),
            true => {
                let seq = active.tcp_seq.lock().map(|mut s| {
                    let next = s.entry((from, to)).or_insert(1);
                    let this = *next;
                    *next = next.wrapping_add(payload.len() as u32);
                    this
                });
                tcp_packet(from, to, seq.unwrap_or(1), payload)
            }
        };
        let Some(packet) = packet else { return };
        let record = 16 + packet.len() as u64;
        if active.bytes.load(Ordering::Relaxed) + record > active.max_bytes {
            tracing::info!(trace = %active.id, "SIP trace reached its size limit");
            self.finish(active);
            return;
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let Ok(mut guard) = active.writer.lock() else { return };
        let Some(writer) = guard.as_mut() else { return };
        match writer.write_packet(&PcapPacket::new(now, packet.len() as u32, &packet)) {
            Ok(_) => {
                active.bytes.fetch_add(record, Ordering::Relaxed);
                active.packets.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => tracing::warn!(trace = %active.id, error = %e, "cannot write to the SIP trace"),
        }
    }
}

fn info(a: &Active) -> TraceInfo {
    TraceInfo {
        id: a.id.clone(),
        label: a.label.clone(),
        started_at: a.started_at,
        running: a.writer.lock().map(|w| w.is_some()).unwrap_or(false),
        packets: a.packets.load(Ordering::Relaxed),
        bytes: a.bytes.load(Ordering::Relaxed),
        max_bytes: a.max_bytes,
        path: a.path.clone(),
    }
}

/// The IP header step from `from` to `to`; `None` for mixed address families.
fn ip_step(from: SocketAddr, to: SocketAddr) -> Option<etherparse::PacketBuilderStep<etherparse::IpHeaders>> {
    match (from.ip(), to.ip()) {
        (IpAddr::V4(a), IpAddr::V4(b)) => Some(etherparse::PacketBuilder::ipv4(a.octets(), b.octets(), 64)),
        (IpAddr::V6(a), IpAddr::V6(b)) => Some(etherparse::PacketBuilder::ipv6(a.octets(), b.octets(), 64)),
        _ => None,
    }
}

/// An IP packet carrying `payload` in UDP from `from` to `to` (a raw-IP pcap record).
fn udp_packet(from: SocketAddr, to: SocketAddr, payload: &[u8]) -> Option<Vec<u8>> {
    let builder = ip_step(from, to)?.udp(from.port(), to.port());
    let mut out = Vec::with_capacity(builder.size(payload.len()));
    builder.write(&mut out, payload).ok()?;
    Some(out)
}

/// An IP packet carrying `payload` as one TCP segment (PSH, ACK) at sequence `seq`.
fn tcp_packet(from: SocketAddr, to: SocketAddr, seq: u32, payload: &[u8]) -> Option<Vec<u8>> {
    let builder = ip_step(from, to)?.tcp(from.port(), to.port(), seq, 65535).psh().ack(1);
    let mut out = Vec::with_capacity(builder.size(payload.len()));
    builder.write(&mut out, payload).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_carry_the_message_behind_ip_and_udp_or_tcp_headers() {
        let (a, b): (SocketAddr, SocketAddr) = ("192.0.2.1:5060".parse().expect("a"), "192.0.2.2:40000".parse().expect("b"));
        let udp = udp_packet(a, b, b"OPTIONS").expect("udp");
        assert_eq!((udp[0] >> 4, udp[9], udp.len()), (4, 17, 20 + 8 + 7), "IPv4, UDP");
        let tcp = tcp_packet(a, b, 7, b"OPTIONS").expect("tcp");
        assert_eq!((tcp[9], u32::from_be_bytes([tcp[24], tcp[25], tcp[26], tcp[27]])), (6, 7), "TCP at its sequence number");
        assert!(udp_packet(a, "[2001:db8::1]:5060".parse().expect("v6"), b"x").is_none(), "no mixed families");
    }
}

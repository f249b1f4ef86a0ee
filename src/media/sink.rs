//! Where the relay sends a caller's audio when Callplane itself is the other party (a
//! voicemail box): an RTP socket that keeps the G.711 audio it receives as 16-bit
//! samples, from the moment it is told to record, and knows how long the caller has been
//! silent. It sends nothing (what the caller hears, rtpengine plays).

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use tokio::net::UdpSocket;

/// A 20 ms frame whose mean absolute sample is below this counts as silence.
const SILENCE_LEVEL: u32 = 300;

#[derive(Default)]
struct Recorded {
    recording: bool,
    samples: Vec<i16>,
    /// Samples of silence at the end of what was recorded.
    trailing_silence: usize,
}

pub struct Sink {
    addr: SocketAddr,
    recorded: Arc<Mutex<Recorded>>,
    task: tokio::task::JoinHandle<()>,
}

impl Sink {
    /// Binds a socket on `ip` (where the relay can reach Callplane).
    pub async fn bind(ip: IpAddr) -> std::io::Result<Sink> {
        let socket = UdpSocket::bind((ip, 0)).await?;
        let addr = socket.local_addr()?;
        let recorded = Arc::new(Mutex::new(Recorded::default()));
        let keep = recorded.clone();
        let task = tokio::spawn(async move {
            let mut buf = vec![0u8; 2048];
            while let Ok(n) = socket.recv(&mut buf).await {
                let Some(samples) = rtp_audio(&buf[..n]) else { continue };
                let Ok(mut r) = keep.lock() else { break };
                if !r.recording {
                    continue;
                }
                let level = samples.iter().map(|s| u32::from(s.unsigned_abs())).sum::<u32>() / samples.len().max(1) as u32;
                r.trailing_silence = if level < SILENCE_LEVEL { r.trailing_silence + samples.len() } else { 0 };
                r.samples.extend(samples);
            }
        });
        Ok(Sink { addr, recorded, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The session description of this end: G.711 (μ-law, A-law) and keypresses (RFC 4733).
    /// Send and receive: the relay plays prompts to the other party on this end's behalf
    /// (a receive-only answer would tell the other party not to listen).
    pub fn description(&self, version: u64) -> Vec<u8> {
        let (family, ip, port) = (if self.addr.is_ipv4() { "IP4" } else { "IP6" }, self.addr.ip(), self.addr.port());
        format!(
            "v=0\r\no=callplane {version} {version} IN {family} {ip}\r\ns=-\r\nc=IN {family} {ip}\r\nt=0 0\r\nm=audio {port} RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n"
        )
        .into_bytes()
    }

    /// From now on what arrives is kept.
    pub fn record(&self) {
        if let Ok(mut r) = self.recorded.lock() {
            r.recording = true;
        }
    }

    /// Milliseconds recorded so far, and of them the silence at the end.
    pub fn progress_ms(&self) -> (u64, u64) {
        self.recorded.lock().map(|r| ((r.samples.len() / 8) as u64, (r.trailing_silence / 8) as u64)).unwrap_or((0, 0))
    }

    /// What was recorded, without the silence at its end.
    pub fn take(&self) -> Vec<i16> {
        let Ok(mut r) = self.recorded.lock() else { return vec![] };
        r.recording = false;
        let keep = r.samples.len().saturating_sub(r.trailing_silence);
        let mut samples = std::mem::take(&mut r.samples);
        samples.truncate(keep);
        samples
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The audio of one RTP packet (RFC 3550 section 5.1) as samples: payload type 0 (PCMU)
/// or 8 (PCMA); anything else (keypresses, comfort noise) is no audio.
fn rtp_audio(packet: &[u8]) -> Option<Vec<i16>> {
    if packet.len() < 12 || packet[0] >> 6 != 2 {
        return None;
    }
    let csrc = usize::from(packet[0] & 0x0F) * 4;
    let mut start = 12 + csrc;
    if packet[0] & 0x10 != 0 {
        // Header extension: 4 bytes, then its length in 32-bit words.
        let words = usize::from(u16::from_be_bytes([*packet.get(start + 2)?, *packet.get(start + 3)?]));
        start += 4 + words * 4;
    }
    let mut end = packet.len();
    if packet[0] & 0x20 != 0 {
        end = end.checked_sub(usize::from(*packet.last()?))?;
    }
    let payload = packet.get(start..end)?;
    let decode: fn(u8) -> i16 = match packet[1] & 0x7F {
        0 => super::g711::ulaw,
        8 => super::g711::alaw,
        _ => return None,
    };
    Some(payload.iter().map(|b| decode(*b)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(pt: u8, payload: &[u8]) -> Vec<u8> {
        let mut p = vec![0x80, pt, 0, 1, 0, 0, 0, 160, 0, 0, 0, 1];
        p.extend_from_slice(payload);
        p
    }

    // RFC 3550 section 5.1: version 2, CSRCs and padding skipped; PCMU and PCMA decoded.
    #[test]
    fn g711_packets_become_samples_and_others_are_skipped() {
        assert_eq!(rtp_audio(&packet(0, &[0xFF, 0x80])), Some(vec![0, 32124]));
        assert_eq!(rtp_audio(&packet(8, &[0xD5])), Some(vec![8]));
        assert_eq!(rtp_audio(&packet(101, &[1, 2, 3, 4])), None);
        let mut padded = packet(0, &[0xFF, 0xFF, 0, 0, 2]);
        padded[0] |= 0x20;
        assert_eq!(rtp_audio(&padded), Some(vec![0, 0, -32124]));
        assert_eq!(rtp_audio(&[0x40, 0, 0]), None);
    }
}

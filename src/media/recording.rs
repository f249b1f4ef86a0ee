//! Call recordings. rtpengine writes what it relays for a recorded call as a pcap (its
//! `pcap` recording method, one file per call); when the call ends Callplane turns each
//! pcap into a WAV (both parties mixed, 8 kHz mono 16-bit) with a JSON description beside
//! it, in the recordings directory, and deletes the pcap. Old recordings go by age and by
//! total size.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use serde::{Deserialize, Serialize};

const RATE: usize = 8000;

/// A finished recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Object)]
pub struct Recording {
    pub id: String,
    /// The call it recorded (`/api/v1/calls`, CDR id).
    pub call_id: String,
    /// When its first recorded packet was seen.
    pub started_at: DateTime<Utc>,
    pub duration_s: f64,
    pub size_bytes: u64,
    /// Where to download it (`audio/wav`).
    pub download: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordingError {
    #[error("not a pcap file the relay writes: {0}")]
    Pcap(&'static str),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("cannot read the description of {0}: {1}")]
    Description(String, serde_json::Error),
}

/// G.711 μ-law (payload type 0) and A-law (8) to linear (ITU-T G.711).
fn decode(pt: u8, byte: u8) -> Option<i32> {
    match pt {
        0 => {
            let u = !byte;
            let magnitude = (((i32::from(u & 0x0f) << 3) + 0x84) << ((u >> 4) & 0x07)) - 0x84;
            Some(if u & 0x80 != 0 { -magnitude } else { magnitude })
        }
        8 => {
            let a = byte ^ 0x55;
            let exponent = (a >> 4) & 0x07;
            let mantissa = i32::from(a & 0x0f);
            let magnitude = if exponent == 0 { (mantissa << 4) + 8 } else { ((mantissa << 4) + 0x108) << (exponent - 1) };
            Some(if a & 0x80 != 0 { magnitude } else { -magnitude })
        }
        _ => None,
    }
}

/// Where a packet's samples go: each stream (SSRC) is anchored at the capture time of its
/// first packet and then placed by its RTP timestamps (RFC 3550 §5.1: the sampling instant),
/// so capture jitter neither overlaps nor gaps its audio. A stream whose timestamps stray
/// more than half a second from the capture clock (a sender that restarted its clock) is
/// anchored again.
fn place(anchors: &mut HashMap<u32, (usize, u32)>, ssrc: u32, timestamp: u32, captured_at: usize) -> usize {
    const STRAY: i64 = RATE as i64 / 2;
    if let Some((at, ts)) = anchors.get(&ssrc) {
        let by_timestamp = *at as i64 + i64::from(timestamp.wrapping_sub(*ts) as i32);
        if by_timestamp >= 0 && (by_timestamp - captured_at as i64).abs() <= STRAY {
            return by_timestamp as usize;
        }
    }
    anchors.insert(ssrc, (captured_at, timestamp));
    captured_at
}

/// The audio of a pcap of RTP (Ethernet or raw IPv4/IPv6 link types): every G.711 packet
/// decoded and placed on its stream's timeline (`place`), all streams summed. Returns the
/// samples (8 kHz) and the time of the first packet.
pub fn pcap_audio(pcap: &[u8]) -> Result<(Vec<i16>, Option<DateTime<Utc>>), RecordingError> {
    if pcap.len() < 24 {
        return Err(RecordingError::Pcap("shorter than its header"));
    }
    let magic = u32::from_le_bytes([pcap[0], pcap[1], pcap[2], pcap[3]]);
    let (nanos, le) = match magic {
        0xa1b2c3d4 => (false, true),
        0xa1b23c4d => (true, true),
        0xd4c3b2a1 => (false, false),
        0x4d3cb2a1 => (true, false),
        _ => return Err(RecordingError::Pcap("unknown magic number")),
    };
    let u32_at = |b: &[u8], at: usize| {
        let bytes = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        if le { u32::from_le_bytes(bytes) } else { u32::from_be_bytes(bytes) }
    };
    let link = u32_at(pcap, 20);
    let mut mix: Vec<i32> = Vec::new();
    let mut first: Option<(u32, u32)> = None;
    let mut anchors = HashMap::new();
    let mut at = 24;
    while at + 16 <= pcap.len() {
        let (sec, frac, len) = (u32_at(pcap, at), u32_at(pcap, at + 4), u32_at(pcap, at + 8) as usize);
        let Some(packet) = pcap.get(at + 16..at + 16 + len) else { break };
        at += 16 + len;
        let ip = match link {
            1 if packet.len() > 14 => &packet[14..],
            101 | 228 | 229 => packet,
            _ => continue,
        };
        let udp = match ip.first().map(|b| b >> 4) {
            Some(4) => ip.get(usize::from(ip[0] & 0x0f) * 4..),
            Some(6) => ip.get(40..),
            _ => None,
        };
        let Some(rtp) = udp.and_then(|u| u.get(8..)) else { continue };
        if rtp.len() <= 12 || rtp[0] >> 6 != 2 {
            continue;
        }
        let csrc = usize::from(rtp[0] & 0x0f) * 4;
        let pt = rtp[1] & 0x7f;
        let Some(payload) = rtp.get(12 + csrc..) else { continue };
        let start = *first.get_or_insert((sec, frac));
        let micros = |s: u32, f: u32| i64::from(s) * 1_000_000 + if nanos { i64::from(f) / 1000 } else { i64::from(f) };
        let captured_at = ((micros(sec, frac) - micros(start.0, start.1)).max(0) as usize) * RATE / 1_000_000;
        let timestamp = u32::from_be_bytes([rtp[4], rtp[5], rtp[6], rtp[7]]);
        let ssrc = u32::from_be_bytes([rtp[8], rtp[9], rtp[10], rtp[11]]);
        let offset = place(&mut anchors, ssrc, timestamp, captured_at);
        for (i, byte) in payload.iter().enumerate() {
            let Some(sample) = decode(pt, *byte) else { break };
            if mix.len() <= offset + i {
                mix.resize(offset + i + 1, 0);
            }
            mix[offset + i] += sample;
        }
    }
    let started = first.and_then(|(s, f)| DateTime::<Utc>::from_timestamp(i64::from(s), if nanos { f } else { f.saturating_mul(1000) }));
    Ok((mix.into_iter().map(|s| s.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16).collect(), started))
}

/// The recordings directory: `<id>.wav` and `<id>.json` per recording.
pub struct Recordings {
    dir: PathBuf,
    retention: std::sync::OnceLock<Retention>,
    /// Where rtpengine writes its pcaps (`pcaps/`) and their metadata (`metadata/`).
    pub spool: PathBuf,
}

impl Recordings {
    pub fn new(dir: PathBuf) -> Recordings {
        let spool = dir.join("spool");
        Recordings { dir, spool, retention: std::sync::OnceLock::new() }
    }

    fn wav_path(&self, id: &str) -> Option<PathBuf> {
        // Ids are UUIDs: nothing else names a file here.
        uuid::Uuid::parse_str(id).ok().map(|_| self.dir.join(format!("{id}.wav")))
    }

    /// Turns the pcaps rtpengine wrote for `call_id` into recordings (deleting the pcaps
    /// and their metadata); returns them.
    pub fn collect(&self, call_id: &str) -> Result<Vec<Recording>, RecordingError> {
        let prefix = format!("{call_id}-");
        let mut done = Vec::new();
        let Ok(entries) = std::fs::read_dir(self.spool.join("pcaps")) else { return Ok(done) };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with(&prefix) || !name.ends_with(".pcap") {
                continue;
            }
            let (samples, started) = pcap_audio(&std::fs::read(entry.path())?)?;
            let id = uuid::Uuid::now_v7().to_string();
            let wav = super::moh::wav(&samples);
            std::fs::create_dir_all(&self.dir)?;
            let path = self.dir.join(format!("{id}.wav"));
            std::fs::write(&path, &wav)?;
            let recording = Recording {
                download: format!("/api/v1/recordings/{id}/audio"),
                id,
                call_id: call_id.to_owned(),
                started_at: started.unwrap_or_else(Utc::now),
                duration_s: samples.len() as f64 / RATE as f64,
                size_bytes: wav.len() as u64,
            };
            let description = serde_json::to_vec_pretty(&recording).map_err(|e| RecordingError::Description(recording.id.clone(), e))?;
            std::fs::write(self.dir.join(format!("{}.json", recording.id)), description)?;
            let _ = std::fs::remove_file(entry.path());
            let stem = name.trim_end_matches(".pcap");
            let _ = std::fs::remove_file(self.spool.join("metadata").join(format!("rtpengine-meta-{stem}.txt")));
            done.push(recording);
        }
        Ok(done)
    }

    /// Every recording, oldest first.
    pub fn list(&self) -> Vec<Recording> {
        let mut all: Vec<Recording> = std::fs::read_dir(&self.dir)
            .map(|d| {
                d.flatten()
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                    .filter_map(|e| std::fs::read(e.path()).ok())
                    .filter_map(|b| serde_json::from_slice(&b).ok())
                    .collect()
            })
            .unwrap_or_default();
        all.sort_by(|a: &Recording, b: &Recording| a.id.cmp(&b.id));
        all
    }

    pub fn get(&self, id: &str) -> Option<Recording> {
        self.wav_path(id)?;
        let bytes = std::fs::read(self.dir.join(format!("{id}.json"))).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn audio(&self, id: &str) -> Option<Vec<u8>> {
        std::fs::read(self.wav_path(id)?).ok()
    }

    /// Deletes a recording; `false` when there is none with that id.
    pub fn delete(&self, id: &str) -> bool {
        let Some(wav) = self.wav_path(id) else { return false };
        let existed = std::fs::remove_file(wav).is_ok();
        let described = std::fs::remove_file(self.dir.join(format!("{id}.json"))).is_ok();
        existed || described
    }

    /// Deletes recordings older than `max_age`, then the oldest until the rest fit in
    /// `max_bytes`. Returns what it deleted.
    pub fn enforce_retention(&self, max_age: chrono::Duration, max_bytes: u64, now: DateTime<Utc>) -> Vec<String> {
        let all = self.list();
        let doomed = retention_victims(&all, max_age, max_bytes, now);
        for id in &doomed {
            self.delete(id);
        }
        doomed
    }

    /// Applies the configured retention (none configured: keeps everything).
    pub fn apply_retention(&self) {
        if let Some(r) = self.retention.get() {
            let gone = self.enforce_retention(r.max_age, r.max_bytes, Utc::now());
            if !gone.is_empty() {
                tracing::info!(deleted = gone.len(), "recordings deleted by retention");
            }
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// How old and how big recordings may get.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub max_age: chrono::Duration,
    pub max_bytes: u64,
}

/// Applies retention now and then hourly, while `recordings` lives.
pub fn start_retention(recordings: std::sync::Arc<Recordings>, max_age: chrono::Duration, max_bytes: u64) {
    let _ = recordings.retention.set(Retention { max_age, max_bytes });
    let weak = std::sync::Arc::downgrade(&recordings);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let Some(recordings) = weak.upgrade() else { break };
            recordings.apply_retention();
        }
    });
}

/// Which recordings retention removes (`all` oldest first): those older than `max_age`,
/// then the oldest of the rest until their total fits in `max_bytes`.
pub fn retention_victims(all: &[Recording], max_age: chrono::Duration, max_bytes: u64, now: DateTime<Utc>) -> Vec<String> {
    let mut doomed: Vec<String> = all.iter().filter(|r| now - r.started_at > max_age).map(|r| r.id.clone()).collect();
    let mut total: u64 = all.iter().filter(|r| !doomed.contains(&r.id)).map(|r| r.size_bytes).sum();
    for r in all.iter().filter(|r| !doomed.contains(&r.id)).collect::<Vec<_>>() {
        if total <= max_bytes {
            break;
        }
        total -= r.size_bytes;
        doomed.push(r.id.clone());
    }
    doomed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rtp_packet(pt: u8, ssrc: u32, timestamp: u32, payload: &[u8]) -> Vec<u8> {
        let mut ip = vec![0x45, 0, 0, 0, 0, 0, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1];
        ip.extend_from_slice(&[0x13, 0x88, 0x13, 0x89, 0, 0, 0, 0]);
        ip.extend_from_slice(&[0x80, pt, 0, 1]);
        ip.extend_from_slice(&timestamp.to_be_bytes());
        ip.extend_from_slice(&ssrc.to_be_bytes());
        ip.extend_from_slice(payload);
        let mut eth = vec![0u8; 12];
        eth.extend_from_slice(&[0x08, 0x00]);
        eth.extend(ip);
        eth
    }

    fn pcap(packets: &[(u32, u32, Vec<u8>)]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&4u16.to_le_bytes());
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&65535u32.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        for (sec, usec, p) in packets {
            out.extend_from_slice(&sec.to_le_bytes());
            out.extend_from_slice(&usec.to_le_bytes());
            out.extend_from_slice(&(p.len() as u32).to_le_bytes());
            out.extend_from_slice(&(p.len() as u32).to_le_bytes());
            out.extend_from_slice(p);
        }
        out
    }

    #[test]
    fn g711_decoding() {
        assert_eq!(decode(0, 0xff), Some(0));
        assert_eq!(decode(0, 0x00), Some(-32124));
        assert_eq!(decode(0, 0x80), Some(32124));
        assert_eq!(decode(8, 0xd5), Some(8));
        assert_eq!(decode(8, 0x55), Some(-8));
        assert_eq!(decode(18, 0x00), None);
    }

    #[test]
    fn packets_are_placed_by_capture_time_and_streams_mixed() {
        // Two streams of 20 ms at the same time, then the first one's packet 60 ms on.
        let a = |ts| rtp_packet(0, 1, ts, &[0x80; 160]);
        let b = rtp_packet(8, 2, 5000, &[0xd5; 160]);
        let p = pcap(&[(100, 0, a(1000)), (100, 0, b), (100, 60_000, a(1480))]);
        let (samples, started) = pcap_audio(&p).expect("audio");
        assert_eq!(samples.len(), 480 + 160);
        assert_eq!(samples[0], 32124 + 8);
        assert_eq!(samples[200], 0, "a gap stays silent");
        assert_eq!(samples[480], 32124);
        assert_eq!(started.map(|t| t.timestamp()), Some(100));
        assert!(pcap_audio(b"short").is_err());
    }

    #[test]
    fn a_stream_is_placed_by_its_timestamps_not_by_capture_jitter() {
        // Three 20 ms packets captured in a burst (the second and third late): placed back
        // to back by their timestamps, no overlap and no gap.
        let a = |ts, byte| rtp_packet(0, 7, ts, &[byte; 160]);
        let p = pcap(&[(100, 0, a(0, 0x80)), (100, 45_000, a(160, 0x90)), (100, 46_000, a(320, 0xa0))]);
        let (samples, _) = pcap_audio(&p).expect("audio");
        assert_eq!(samples.len(), 480);
        assert_eq!((samples[159], samples[160], samples[320]), (32124, decode(0, 0x90).map_or(0, |s| s as i16), decode(0, 0xa0).map_or(0, |s| s as i16)));
    }

    #[test]
    fn a_stream_whose_clock_jumps_is_anchored_again_at_its_capture_time() {
        let mut anchors = HashMap::new();
        assert_eq!(place(&mut anchors, 1, 1000, 0), 0);
        assert_eq!(place(&mut anchors, 1, 1160, 170), 160, "by timestamp, within the stray window");
        assert_eq!(place(&mut anchors, 1, 900_000, 320), 320, "a jump of minutes: the capture time");
        assert_eq!(place(&mut anchors, 1, 900_160, 500), 480);
        assert_eq!(place(&mut anchors, 2, 7, 500), 500, "each stream its own anchor");
    }

    #[test]
    fn retention_by_age_then_size() {
        let now = Utc::now();
        let r = |id: &str, age_days: i64, size: u64| Recording {
            id: id.into(),
            call_id: "c".into(),
            started_at: now - chrono::Duration::days(age_days),
            duration_s: 1.0,
            size_bytes: size,
            download: String::new(),
        };
        let all = vec![r("1", 100, 10), r("2", 5, 60), r("3", 1, 50)];
        assert_eq!(retention_victims(&all, chrono::Duration::days(90), 1000, now), ["1"]);
        assert_eq!(retention_victims(&all, chrono::Duration::days(90), 100, now), ["1", "2"]);
        assert!(retention_victims(&all, chrono::Duration::days(365), 1000, now).is_empty());
    }
}

//! What a phone heard: its recording (baresip's sndfile module writes what it decoded to
//! WAV) and which test tone dominates the end of it (Goertzel power per frequency).

use std::path::{Path, PathBuf};

/// The samples of a 16-bit PCM WAV file as mono (first channel), with its sample rate.
/// Read up to the end of the file, not the header's length: a phone still recording has
/// not written its final lengths yet. linphonec writes its 44-byte header as zeros until it
/// closes the file: such a file is read as the 8 kHz mono audio it records calls in.
pub fn samples(path: &Path) -> (Vec<f64>, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if bytes.len() > 44 && bytes[..44].iter().all(|b| *b == 0) {
        return (bytes[44..].chunks_exact(2).map(|c| f64::from(i16::from_le_bytes([c[0], c[1]]))).collect(), 8000);
    }
    let (mut rate, mut channels, mut at) = (8000u32, 1usize, 12usize);
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]) as usize;
        if id == b"fmt " && at + 16 <= bytes.len() {
            channels = usize::from(u16::from_le_bytes([bytes[at + 10], bytes[at + 11]])).max(1);
            rate = u32::from_le_bytes([bytes[at + 12], bytes[at + 13], bytes[at + 14], bytes[at + 15]]);
        }
        if id == b"data" {
            let pcm = &bytes[at + 8..];
            let all: Vec<f64> = pcm.chunks_exact(2).map(|c| f64::from(i16::from_le_bytes([c[0], c[1]]))).collect();
            return (all.into_iter().step_by(channels).collect(), rate);
        }
        at += 8 + size + (size & 1);
    }
    panic!("{}: no data chunk", path.display());
}

/// Power of `freq` in `samples` (Goertzel).
pub fn power(samples: &[f64], rate: u32, freq: f64) -> f64 {
    let k = 2.0 * (2.0 * std::f64::consts::PI * freq / f64::from(rate)).cos();
    let (mut s1, mut s2) = (0.0, 0.0);
    for x in samples {
        let s0 = x + k * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    s1 * s1 + s2 * s2 - k * s1 * s2
}

/// Which of `tones` dominates the last `seconds` of the recording, and by how much over
/// the next one (a ratio of powers).
pub fn dominant_tone(path: &Path, tones: &[f64], seconds: f64) -> (f64, f64) {
    let (s, rate) = samples(path);
    let n = ((f64::from(rate) * seconds) as usize).min(s.len());
    dominant(&s[s.len() - n..], rate, tones)
}

/// `dominant_tone` for a linphonec recording, whose header cannot be trusted for its rate
/// (seen: zeros until the file is closed; 48 kHz in the header of 8 kHz audio; 48 kHz audio
/// after a re-INVITE). It is read at both rates linphonec records at, and the clearer
/// reading wins. The test tones cannot be mistaken across the two: read at the wrong rate,
/// a tone lands six times higher or lower, outside the set.
pub fn dominant_tone_any_rate(path: &Path, tones: &[f64], seconds: f64) -> (f64, f64) {
    let (s, _) = samples(path);
    [8000u32, 48000]
        .iter()
        .map(|rate| {
            let n = ((f64::from(*rate) * seconds) as usize).min(s.len());
            dominant(&s[s.len() - n..], *rate, tones)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((0.0, 0.0))
}

/// Bytes of decoded audio a phone recorded so far: all baresip's recordings in a directory,
/// or one file (linphonec's `record`).
fn recorded_bytes(at: &Path) -> u64 {
    if at.is_dir() {
        decoded(at).iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum()
    } else {
        std::fs::metadata(at).map_or(0, |m| m.len())
    }
}

/// Waits (bounded, 15 s) until the phone recording into `dir` has heard `seconds` more
/// of the call (both phones record calls as 8 kHz mono 16-bit: 16000 bytes a second).
pub async fn wait_heard(dir: &Path, seconds: f64) {
    let target = recorded_bytes(dir) + (seconds * 16_000.0) as u64;
    for _ in 0..300 {
        if recorded_bytes(dir) >= target {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let files: Vec<String> = decoded(dir).iter().map(|p| format!("{} ({} bytes)", p.display(), std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))).collect();
    panic!("{} did not record {seconds} s more audio: {files:?}", dir.display());
}

/// Asserts that the end of the newest recording in `at` (a directory of baresip recordings,
/// or one linphonec WAV file) is `tone` (of `tones`), clearly.
pub fn assert_hears(at: &Path, tone: f64, tones: &[f64], who: &str) {
    let (heard, ratio, last) = if at.is_dir() {
        let last = decoded(at).pop().unwrap_or_else(|| panic!("{who} recorded nothing"));
        let (heard, ratio) = dominant_tone(&last, tones, 0.5);
        (heard, ratio, last)
    } else {
        let (heard, ratio) = dominant_tone_any_rate(at, tones, 0.5);
        (heard, ratio, at.to_path_buf())
    };
    assert_eq!(heard, tone, "{who} hears {heard} Hz, not {tone} Hz ({})", last.display());
    assert!(ratio > 100.0, "{who}: {tone} Hz is only {ratio:.1} times the next tone");
}

/// The decoded-audio recordings in `dir`, oldest first.
pub fn decoded(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.to_string_lossy().ends_with("-dec.wav")).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| std::fs::metadata(&p).and_then(|m| m.modified()).ok().map(|t| (t, p)))
        .collect();
    files.sort();
    files.into_iter().map(|(_, p)| p).collect()
}

/// Writes `seconds` of a `freq` Hz sine as 8 kHz mono 16-bit PCM WAV (what linphonec plays
/// with `soundcard use files`).
pub fn write_tone(path: &Path, freq: f64, seconds: u32) {
    let rate = 8000u32;
    let samples: Vec<i16> =
        (0..rate * seconds).map(|i| ((f64::from(i) * 2.0 * std::f64::consts::PI * freq / f64::from(rate)).sin() * 8000.0) as i16).collect();
    std::fs::write(path, callplane::media::moh::wav(&samples)).expect("write tone");
}

/// Asserts that the phone recording into `dir` hears nothing for `window`: its newest
/// recording gets no audio, or only silence (no sample above 300; G.711 silence decodes
/// to a few units, a test tone peaks in the thousands). Absence has no event to wait for,
/// so this watches for the whole window.
pub async fn assert_hears_nothing(dir: &Path, window: std::time::Duration, who: &str) {
    let deadline = tokio::time::Instant::now() + window;
    while tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let Some(last) = decoded(dir).pop() else { continue };
        if std::fs::metadata(&last).map_or(0, |m| m.len()) <= 44 {
            continue;
        }
        let (s, _) = samples(&last);
        let peak = s.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        assert!(peak < 300.0, "{who} hears something (peak {peak}) in {}", last.display());
    }
}

/// Removes a phone's finished recordings, so the next call's cannot be confused with them
/// (baresip names recordings by the second: two calls within one second share a name).
pub fn forget_recordings(dir: &Path) {
    for f in decoded(dir) {
        let _ = std::fs::remove_file(f);
    }
}

/// G.711 μ-law to linear (ITU-T G.711).
pub fn ulaw(byte: u8) -> f64 {
    let u = !byte;
    let sign = u & 0x80;
    let exponent = (u >> 4) & 0x07;
    let mantissa = i32::from(u & 0x0f);
    let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    f64::from(if sign != 0 { -magnitude } else { magnitude })
}

/// Which of `tones` dominates `samples` (at `rate`), and by how much over the next one.
pub fn dominant(samples: &[f64], rate: u32, tones: &[f64]) -> (f64, f64) {
    let mut p: Vec<(f64, f64)> = tones.iter().map(|f| (*f, power(samples, rate, *f))).collect();
    p.sort_by(|a, b| b.1.total_cmp(&a.1));
    let ratio = if p.len() > 1 && p[1].1 > 0.0 { p[0].1 / p[1].1 } else { f64::INFINITY };
    (p[0].0, ratio)
}

//! The music on hold Callplane ships: a short melody it writes itself (8 kHz, mono, 16-bit
//! WAV, what rtpengine plays without transcoding surprises), used unless
//! `[media] music_on_hold` names another file.

use std::path::{Path, PathBuf};

/// File name of the generated music in the data directory.
pub const DEFAULT_FILE: &str = "music-on-hold.wav";

const RATE: u32 = 8000;

/// Notes of the melody (Hz) with their length in milliseconds: a calm arpeggio in C major.
const MELODY: &[(f64, u32)] = &[
    (261.63, 400), (329.63, 400), (392.00, 400), (523.25, 800),
    (392.00, 400), (329.63, 400), (293.66, 400), (349.23, 800),
    (440.00, 400), (349.23, 400), (293.66, 400), (392.00, 800),
    (329.63, 400), (261.63, 400), (196.00, 400), (261.63, 1200),
];

/// The melody as WAV bytes: each note with a short fade in and out (no clicks).
pub fn default_wav() -> Vec<u8> {
    let mut samples: Vec<i16> = Vec::new();
    for (freq, ms) in MELODY {
        let n = RATE * ms / 1000;
        let fade = (RATE / 50) as f64; // 20 ms
        for i in 0..n {
            let t = f64::from(i) / f64::from(RATE);
            let edge = f64::from(i).min(f64::from(n - i)).min(fade) / fade;
            let v = (2.0 * std::f64::consts::PI * freq * t).sin() * 6000.0 * edge;
            samples.push(v as i16);
        }
    }
    wav(&samples)
}

/// 16-bit mono PCM at 8 kHz as a WAV file.
pub fn wav(samples: &[i16]) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

/// The music file to play: `configured`, or the generated one in `data_dir` (written when
/// missing).
pub fn file(configured: Option<&Path>, data_dir: &Path) -> std::io::Result<PathBuf> {
    if let Some(path) = configured {
        return Ok(path.to_owned());
    }
    let path = data_dir.join(DEFAULT_FILE);
    if !path.exists() {
        std::fs::create_dir_all(data_dir)?;
        std::fs::write(&path, default_wav())?;
    }
    // rtpengine may run as another user: it reads the file by absolute path.
    std::fs::canonicalize(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_music_is_a_valid_wav_of_the_whole_melody() {
        let w = default_wav();
        assert_eq!(&w[..4], b"RIFF");
        let ms: u32 = MELODY.iter().map(|(_, ms)| ms).sum();
        let data_len = u32::from_le_bytes([w[40], w[41], w[42], w[43]]);
        assert_eq!(data_len, ms * RATE / 1000 * 2);
        assert_eq!(w.len(), 44 + data_len as usize);
    }
}

//! Reading the WAV files users upload (voicemail greetings): 16-bit PCM at any common rate,
//! mono or stereo, turned into what the relay plays without transcoding (8 kHz mono).

/// Uploads longer than this are refused.
pub const MAX_SECONDS: usize = 120;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WavError {
    #[error("not a WAV file (RIFF/WAVE)")]
    NotWav,
    #[error("the `fmt ` or `data` chunk is missing or cut short")]
    Truncated,
    #[error("only 16-bit PCM is taken (this file is format {format}, {bits} bits)")]
    Encoding { format: u16, bits: u16 },
    #[error("{0} channels: mono or stereo only")]
    Channels(u16),
    #[error("a rate of {0} Hz: 8000 to 48000 only")]
    Rate(u32),
    #[error("longer than {MAX_SECONDS} s")]
    TooLong,
    #[error("no audio in it")]
    Empty,
}

/// The audio of a WAV file as 8 kHz mono samples (channels averaged, the rate converted by
/// averaging each output sample's span of input samples).
pub fn to_8k_mono(bytes: &[u8]) -> Result<Vec<i16>, WavError> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(WavError::NotWav);
    }
    let mut at = 12;
    let mut format: Option<(u16, u16, u32, u16)> = None;
    let mut data: Option<&[u8]> = None;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let len = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]) as usize;
        let body = bytes.get(at + 8..at + 8 + len).or_else(|| (id == b"data").then(|| &bytes[at + 8..]));
        let Some(body) = body else { return Err(WavError::Truncated) };
        match id {
            b"fmt " if body.len() >= 16 => {
                let u16_at = |i: usize| u16::from_le_bytes([body[i], body[i + 1]]);
                format = Some((u16_at(0), u16_at(2), u32::from_le_bytes([body[4], body[5], body[6], body[7]]), u16_at(14)));
            }
            b"data" => data = Some(body),
            _ => {}
        }
        at += 8 + len + (len & 1);
    }
    let ((kind, channels, rate, bits), data) = format.zip(data).ok_or(WavError::Truncated)?;
    // 1 is PCM; 0xFFFE (extensible) carries PCM too when 16-bit.
    if !(kind == 1 || kind == 0xFFFE) || bits != 16 {
        return Err(WavError::Encoding { format: kind, bits });
    }
    if !(1..=2).contains(&channels) {
        return Err(WavError::Channels(channels));
    }
    if !(8000..=48000).contains(&rate) {
        return Err(WavError::Rate(rate));
    }
    let frames: Vec<f64> = data
        .chunks_exact(2 * usize::from(channels))
        .map(|f| f.chunks_exact(2).map(|s| f64::from(i16::from_le_bytes([s[0], s[1]]))).sum::<f64>() / f64::from(channels))
        .collect();
    if frames.len() > MAX_SECONDS * rate as usize {
        return Err(WavError::TooLong);
    }
    if frames.is_empty() {
        return Err(WavError::Empty);
    }
    let step = f64::from(rate) / 8000.0;
    let out_len = (frames.len() as f64 / step) as usize;
    Ok((0..out_len)
        .map(|i| {
            let (from, to) = ((i as f64 * step) as usize, (((i + 1) as f64 * step) as usize).min(frames.len()));
            let span = &frames[from..to.max(from + 1).min(frames.len())];
            (span.iter().sum::<f64>() / span.len().max(1) as f64).round().clamp(-32768.0, 32767.0) as i16
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav(rate: u32, channels: u16, bits: u16, frames: &[i16]) -> Vec<u8> {
        let data: Vec<u8> = frames.iter().flat_map(|s| std::iter::repeat_n(s.to_le_bytes(), usize::from(channels)).flatten()).collect();
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
        out.extend_from_slice(b"WAVEfmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&channels.to_le_bytes());
        out.extend_from_slice(&rate.to_le_bytes());
        out.extend_from_slice(&(rate * u32::from(channels) * 2).to_le_bytes());
        out.extend_from_slice(&(channels * 2).to_le_bytes());
        out.extend_from_slice(&bits.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&data);
        out
    }

    #[test]
    fn stereo_16khz_becomes_8khz_mono() {
        let samples = to_8k_mono(&wav(16000, 2, 16, &[100, 300, 1000, 1000])).unwrap_or_default();
        assert_eq!(samples, vec![200, 1000]);
        assert_eq!(to_8k_mono(&wav(8000, 1, 16, &[5, 6, 7])), Ok(vec![5, 6, 7]));
    }

    #[test]
    fn what_cannot_be_played_is_refused_with_the_reason() {
        assert_eq!(to_8k_mono(b"hello"), Err(WavError::NotWav));
        assert_eq!(to_8k_mono(&wav(8000, 1, 8, &[1])), Err(WavError::Encoding { format: 1, bits: 8 }));
        assert_eq!(to_8k_mono(&wav(8000, 3, 16, &[1])), Err(WavError::Channels(3)));
        assert_eq!(to_8k_mono(&wav(96000, 1, 16, &[1])), Err(WavError::Rate(96000)));
        assert_eq!(to_8k_mono(&wav(8000, 1, 16, &[])), Err(WavError::Empty));
        let long = vec![0i16; 8000 * (MAX_SECONDS + 1)];
        assert_eq!(to_8k_mono(&wav(8000, 1, 16, &long)), Err(WavError::TooLong));
        let cut = wav(8000, 1, 16, &[1, 2, 3]);
        assert_eq!(to_8k_mono(&cut[..30]), Err(WavError::Truncated));
    }
}

/// Writes `bytes` to `path` through a `.partial` file renamed into place (its directory
/// made first), so a reader never sees half a file.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let partial = path.with_extension("wav.partial");
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, path)
}

//! The prompts Callplane ships (`prompts/*.wav`, spoken by espeak-ng through
//! `scripts/gen-prompts`), and the tone that ends the voicemail greeting.

use std::path::{Path, PathBuf};

/// "The person you are calling is not available. Please leave a message after the tone."
const GREETING: &[u8] = include_bytes!("../../prompts/voicemail-greeting.wav");

/// The spoken prompts of listening to a box from a phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// "Please enter your PIN, then the pound key."
    Pin,
    /// "That PIN is not right."
    WrongPin,
    /// "Press 1 to hear the next message, 2 to hear it again, 3 to delete it, or pound to
    /// hang up."
    Menu,
    /// "There are no more messages."
    NoMore,
    /// "Message deleted."
    Deleted,
    /// "Goodbye."
    Goodbye,
    /// "Please choose an option." (an IVR menu without a prompt of its own)
    IvrMenu,
    /// "That is not a valid choice."
    IvrInvalid,
    /// "Nobody is available to take your call."
    IvrUnavailable,
}

impl Prompt {
    pub const ALL: [Prompt; 9] = [
        Prompt::Pin,
        Prompt::WrongPin,
        Prompt::Menu,
        Prompt::NoMore,
        Prompt::Deleted,
        Prompt::Goodbye,
        Prompt::IvrMenu,
        Prompt::IvrInvalid,
        Prompt::IvrUnavailable,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            Prompt::Pin => "voicemail-pin.wav",
            Prompt::WrongPin => "voicemail-wrong-pin.wav",
            Prompt::Menu => "voicemail-menu.wav",
            Prompt::NoMore => "voicemail-no-more.wav",
            Prompt::Deleted => "voicemail-deleted.wav",
            Prompt::Goodbye => "voicemail-goodbye.wav",
            Prompt::IvrMenu => "ivr-menu.wav",
            Prompt::IvrInvalid => "ivr-invalid.wav",
            Prompt::IvrUnavailable => "ivr-unavailable.wav",
        }
    }

    fn wav(self) -> &'static [u8] {
        match self {
            Prompt::Pin => include_bytes!("../../prompts/voicemail-pin.wav"),
            Prompt::WrongPin => include_bytes!("../../prompts/voicemail-wrong-pin.wav"),
            Prompt::Menu => include_bytes!("../../prompts/voicemail-menu.wav"),
            Prompt::NoMore => include_bytes!("../../prompts/voicemail-no-more.wav"),
            Prompt::Deleted => include_bytes!("../../prompts/voicemail-deleted.wav"),
            Prompt::Goodbye => include_bytes!("../../prompts/voicemail-goodbye.wav"),
            Prompt::IvrMenu => include_bytes!("../../prompts/ivr-menu.wav"),
            Prompt::IvrInvalid => include_bytes!("../../prompts/ivr-invalid.wav"),
            Prompt::IvrUnavailable => include_bytes!("../../prompts/ivr-unavailable.wav"),
        }
    }
}

/// The file of the ringback tone (`ringback`), beside the prompts.
pub const RINGBACK: &str = "ringback.wav";

/// Writes every prompt, and the ringback tone, into `dir` (where the media relay reads
/// them).
pub fn write_prompts(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for p in Prompt::ALL {
        std::fs::write(dir.join(p.file_name()), p.wav())?;
    }
    std::fs::write(dir.join(RINGBACK), ringback())
}

/// One cadence of the ringback tone a caller hears while a menu's choice rings: 440 Hz
/// plus 480 Hz for 2 s, then 4 s of silence (the North American audible ringing tone,
/// ANSI T1.401), as a WAV to play looped.
pub fn ringback() -> Vec<u8> {
    let on = 2 * 8000u32;
    let mut samples: Vec<i16> = (0..on)
        .map(|i| {
            let t = f64::from(i) / 8000.0;
            let edge = f64::from(i).min(f64::from(on - i)).min(80.0) / 80.0;
            let v = ((2.0 * std::f64::consts::PI * 440.0 * t).sin() + (2.0 * std::f64::consts::PI * 480.0 * t).sin()) * 4000.0 * edge;
            v as i16
        })
        .collect();
    samples.extend(std::iter::repeat_n(0i16, 4 * 8000));
    crate::media::moh::wav(&samples)
}

/// The greeting, a short pause and a 1400 Hz tone of half a second: what a caller hears
/// before the recording starts.
pub fn greeting_with_tone() -> Vec<u8> {
    with_tone(crate::media::wav::to_8k_mono(GREETING).unwrap_or_default())
}

/// `samples` (8 kHz) with the pause and the tone after them, as a WAV.
pub fn with_tone(mut samples: Vec<i16>) -> Vec<u8> {
    samples.extend(std::iter::repeat_n(0i16, 2400));
    let fade = 80.0;
    for i in 0..4000u32 {
        let edge = f64::from(i).min(f64::from(4000 - i)).min(fade) / fade;
        let v = (2.0 * std::f64::consts::PI * 1400.0 * f64::from(i) / 8000.0).sin() * 8000.0 * edge;
        samples.push(v as i16);
    }
    crate::media::moh::wav(&samples)
}

/// Writes the greeting with its tone into `dir`; returns its path.
pub fn write_greeting(dir: &Path) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("voicemail-greeting.wav");
    std::fs::write(&path, greeting_with_tone())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_greeting_is_8khz_speech_and_ends_with_the_tone() {
        let speech = crate::media::wav::to_8k_mono(GREETING).unwrap_or_default();
        assert!(speech.len() > 8000 * 2, "a few seconds of speech, got {} samples", speech.len());
        assert_eq!(u32::from_le_bytes([GREETING[24], GREETING[25], GREETING[26], GREETING[27]]), 8000, "8 kHz");
        let all = crate::media::wav::to_8k_mono(&greeting_with_tone()).unwrap_or_default();
        assert_eq!(all.len(), speech.len() + 2400 + 4000);
        assert!(all[all.len() - 2000..].iter().any(|s| s.unsigned_abs() > 7000), "the tone is loud");
        let ring = crate::media::wav::to_8k_mono(&ringback()).unwrap_or_default();
        assert_eq!(ring.len(), 6 * 8000, "2 s on, 4 s off");
        assert!(ring[..16000].iter().any(|s| s.unsigned_abs() > 6000) && ring[16000..].iter().all(|s| *s == 0));
        for p in Prompt::ALL {
            assert!(crate::media::wav::to_8k_mono(p.wav()).is_ok_and(|s| s.len() > 4000), "{p:?} is half a second of speech at least");
        }
    }
}

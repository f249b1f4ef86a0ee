//! IVR menus' prompts: the WAV a menu plays (uploaded through the API, converted to 8 kHz
//! mono under `<data_dir>/ivr/<menu id>.wav`), else the spoken default, and the other
//! sounds a menu call uses. Knows nothing of SIP.

use std::path::{Path, PathBuf};

use crate::media::prompts::{self, Prompt};

#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    #[error(transparent)]
    Wav(#[from] crate::media::wav::WavError),
    #[error("cannot write the prompt {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

pub struct MenuPrompts {
    dir: PathBuf,
    prompt_dir: PathBuf,
}

impl MenuPrompts {
    /// Uploaded prompts under `<data_dir>/ivr`; the shipped ones are written to
    /// `<data_dir>/prompts` (where the media relay reads them).
    pub fn open(data_dir: &Path) -> std::io::Result<MenuPrompts> {
        let dir = data_dir.join("ivr");
        std::fs::create_dir_all(&dir)?;
        let prompt_dir = data_dir.join("prompts");
        prompts::write_prompts(&prompt_dir)?;
        Ok(MenuPrompts { dir, prompt_dir })
    }

    fn own(&self, menu_id: &str) -> PathBuf {
        self.dir.join(format!("{menu_id}.wav"))
    }

    /// What menu `menu_id` plays: its own prompt, else "Please choose an option."
    pub fn menu_prompt(&self, menu_id: &str) -> PathBuf {
        let own = self.own(menu_id);
        if own.exists() { own } else { self.shipped(Prompt::IvrMenu) }
    }

    pub fn has_own(&self, menu_id: &str) -> bool {
        self.own(menu_id).exists()
    }

    /// Sets the menu's prompt from an uploaded WAV; returns its length in seconds.
    pub fn set(&self, menu_id: &str, wav: &[u8]) -> Result<f64, PromptError> {
        let samples = crate::media::wav::to_8k_mono(wav)?;
        let seconds = samples.len() as f64 / 8000.0;
        let path = self.own(menu_id);
        crate::media::wav::write_atomically(&path, &crate::media::moh::wav(&samples)).map_err(|source| PromptError::Write { path: path.clone(), source })?;
        Ok(seconds)
    }

    /// Back to the default prompt; `false` when the menu had none of its own.
    pub fn remove(&self, menu_id: &str) -> bool {
        std::fs::remove_file(self.own(menu_id)).is_ok()
    }

    /// A shipped prompt.
    pub fn shipped(&self, p: Prompt) -> PathBuf {
        self.prompt_dir.join(p.file_name())
    }

    /// The ringback tone, to play looped.
    pub fn ringback(&self) -> PathBuf {
        self.prompt_dir.join(prompts::RINGBACK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uploaded_prompt_replaces_the_default_until_removed() {
        let dir = tempfile::tempdir().expect("dir");
        let p = MenuPrompts::open(dir.path()).expect("open");
        assert!(p.menu_prompt("m1").ends_with("prompts/ivr-menu.wav") && p.menu_prompt("m1").exists());
        assert!(p.ringback().exists());
        let wav = crate::media::moh::wav(&vec![1000i16; 16000]);
        assert_eq!(p.set("m1", &wav).ok(), Some(2.0));
        assert!(p.has_own("m1") && p.menu_prompt("m1").ends_with("ivr/m1.wav"));
        assert!(matches!(p.set("m1", b"not a wav"), Err(PromptError::Wav(_))), "a bad upload keeps the old prompt");
        assert!(p.has_own("m1"));
        assert!(p.remove("m1") && !p.remove("m1"));
    }
}

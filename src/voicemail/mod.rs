//! Voicemail boxes: the messages callers leave (WAV files under the data directory, their
//! metadata in the store), the greeting callers hear, and the counts that light the box
//! owner's message-waiting lamp. Knows nothing of SIP: the call that records a message
//! hands over its samples.

pub mod mail;
pub mod retention;


use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::events::types::{MessageWaitingData, VoicemailReceivedData};
use crate::events::{Draft, EventPayload};
use crate::model::mailbox::MessageCounts;
use crate::model::voicemail::{MIN_MESSAGE_MS, VoicemailMessage};
use crate::store::voicemail::BoxChange;
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum VoicemailError {
    #[error("cannot write the recording {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum GreetingError {
    #[error(transparent)]
    Wav(#[from] crate::media::wav::WavError),
    #[error(transparent)]
    Write(VoicemailError),
}

pub struct Voicemail {
    store: Store,
    dir: PathBuf,
    greeting: PathBuf,
    prompt_dir: PathBuf,
    /// Woken when an e-mail is queued (the mail sender waits on it).
    pub mail_waiting: tokio::sync::Notify,
    /// Woken when the voicemail settings change (the retention sweep waits on it).
    pub settings_changed: tokio::sync::Notify,
}

/// Where the API serves a message's recording.
pub fn download_path(extension_id: &str, id: &str) -> String {
    format!("/api/v1/voicemail/{extension_id}/messages/{id}/audio")
}

fn waiting(extension_id: &str, number: &str, counts: MessageCounts) -> Draft {
    Draft::new(EventPayload::MessageWaitingChanged(MessageWaitingData {
        extension_id: extension_id.to_owned(),
        number: number.to_owned(),
        new_messages: counts.new_messages,
        old_messages: counts.old_messages,
        new_urgent: counts.new_urgent,
        old_urgent: counts.old_urgent,
    }))
}

impl Voicemail {
    /// Boxes under `<data_dir>/voicemail`; the default greeting is written to
    /// `<data_dir>/prompts` (where the media relay reads it).
    pub fn open(store: Store, data_dir: &Path) -> std::io::Result<Voicemail> {
        let dir = data_dir.join("voicemail");
        std::fs::create_dir_all(&dir)?;
        let prompt_dir = data_dir.join("prompts");
        let greeting = crate::media::prompts::write_greeting(&prompt_dir)?;
        crate::media::prompts::write_prompts(&prompt_dir)?;
        Ok(Voicemail { store, dir, greeting, prompt_dir, mail_waiting: tokio::sync::Notify::new(), settings_changed: tokio::sync::Notify::new() })
    }

    /// The greeting and tone a caller of extension `extension_id`'s box hears before
    /// recording (a WAV the relay plays): the box's own, else the default.
    pub fn greeting(&self, extension_id: &str) -> PathBuf {
        let own = self.own_greeting(extension_id);
        if own.exists() { own } else { self.greeting.clone() }
    }

    fn own_greeting(&self, extension_id: &str) -> PathBuf {
        self.dir.join(extension_id).join("greeting.wav")
    }

    /// Whether the box has a greeting of its own.
    pub fn has_own_greeting(&self, extension_id: &str) -> bool {
        self.own_greeting(extension_id).exists()
    }

    /// Sets the box's greeting from an uploaded WAV (converted to 8 kHz mono, the tone
    /// appended); returns its length in seconds.
    pub fn set_greeting(&self, extension_id: &str, wav: &[u8]) -> Result<f64, GreetingError> {
        let samples = crate::media::wav::to_8k_mono(wav)?;
        let seconds = samples.len() as f64 / 8000.0;
        let path = self.own_greeting(extension_id);
        crate::media::wav::write_atomically(&path, &crate::media::prompts::with_tone(samples)).map_err(|source| GreetingError::Write(VoicemailError::Write { path: path.clone(), source }))?;
        Ok(seconds)
    }

    /// Back to the default greeting; `false` when the box had none of its own.
    pub fn remove_greeting(&self, extension_id: &str) -> bool {
        std::fs::remove_file(self.own_greeting(extension_id)).is_ok()
    }

    /// Where prompt `p` is (a WAV the relay plays).
    pub fn prompt(&self, p: crate::media::prompts::Prompt) -> PathBuf {
        self.prompt_dir.join(p.file_name())
    }

    /// The box's messages: new ones first (oldest first), then the heard ones.
    pub async fn messages_to_hear(&self, extension_id: &str) -> Result<Vec<VoicemailMessage>, StoreError> {
        let mut all = self.store.voicemail_messages(extension_id).await?;
        all.reverse();
        all.sort_by_key(|m| m.heard);
        Ok(all)
    }

    /// The WAV of message `id` in extension `extension_id`'s box.
    pub fn audio_path(&self, extension_id: &str, id: &str) -> PathBuf {
        self.dir.join(extension_id).join(format!("{id}.wav"))
    }

    /// Stores what `caller` left in the box of extension `extension_id` (`number`):
    /// the WAV first, then the metadata with `voicemail.received` and the new counts in
    /// one transaction. `None` when it is shorter than a second (discarded).
    pub async fn deposit(&self, extension_id: &str, number: &str, caller: &str, call_id: &str, samples: &[i16], email: Option<&str>) -> Result<Option<VoicemailMessage>, VoicemailError> {
        let duration_ms = samples.len() as u64 / 8;
        if duration_ms < MIN_MESSAGE_MS {
            tracing::info!(box_ = %number, %caller, duration_ms, "voicemail shorter than a second: discarded");
            return Ok(None);
        }
        let message = VoicemailMessage {
            id: uuid::Uuid::now_v7().to_string(),
            extension_id: extension_id.to_owned(),
            number: number.to_owned(),
            caller: caller.to_owned(),
            call_id: call_id.to_owned(),
            received_at: Utc::now(),
            duration_s: duration_ms as f64 / 1000.0,
            heard: false,
        };
        let path = self.audio_path(extension_id, &message.id);
        crate::media::wav::write_atomically(&path, &crate::media::moh::wav(samples)).map_err(|source| VoicemailError::Write { path: path.clone(), source })?;
        let received = Draft::new(EventPayload::VoicemailReceived(VoicemailReceivedData {
            extension_id: extension_id.to_owned(),
            number: number.to_owned(),
            message_id: message.id.clone(),
            caller: caller.to_owned(),
            call_id: call_id.to_owned(),
            duration_s: message.duration_s,
            download: download_path(extension_id, &message.id),
        }));
        let stored = self.store.change_voicemail(extension_id, BoxChange::Add(&message, email), |counts| vec![received, waiting(extension_id, number, counts)]).await;
        if let Err(e) = stored {
            // Nothing refers to the file: it goes too.
            let _ = std::fs::remove_file(&path);
            return Err(e.into());
        }
        tracing::info!(box_ = %number, %caller, id = %message.id, duration_ms, "voicemail received");
        if email.is_some() {
            self.mail_waiting.notify_one();
        }
        Ok(Some(message))
    }

    /// Whether extension `extension_id`'s box holds as many messages as the settings allow
    /// (when the store cannot say, it is not full: a message is not refused for that).
    pub async fn is_full(&self, extension_id: &str) -> bool {
        let (Ok(settings), Ok(count)) = (self.store.voicemail_settings().await, self.store.voicemail_count(extension_id).await) else { return false };
        settings.box_full(count)
    }

    /// Marks a message heard (or new again); `false` when there is no such message.
    pub async fn set_heard(&self, extension_id: &str, number: &str, id: &str, heard: bool) -> Result<bool, VoicemailError> {
        Ok(self.store.change_voicemail(extension_id, BoxChange::Heard { id, heard }, |counts| vec![waiting(extension_id, number, counts)]).await?)
    }

    /// Deletes a message and its recording; `false` when there is no such message.
    pub async fn delete(&self, extension_id: &str, number: &str, id: &str) -> Result<bool, VoicemailError> {
        let deleted = self.store.change_voicemail(extension_id, BoxChange::Delete { id }, |counts| vec![waiting(extension_id, number, counts)]).await?;
        if deleted {
            let _ = std::fs::remove_file(self.audio_path(extension_id, id));
        }
        Ok(deleted)
    }
}

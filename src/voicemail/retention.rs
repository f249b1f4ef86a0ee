//! Retention: messages past the keeping time of the voicemail settings are deleted (with
//! their recordings, and the owners' lamps recounted), every hour and whenever the settings
//! change.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Voicemail, VoicemailError};

/// How often the boxes are swept.
const EVERY: Duration = Duration::from_secs(3600);
/// Messages looked at per query.
const BATCH: u32 = 500;

/// Sweeps now, then every hour and on every settings change.
pub fn start(voicemail: Arc<Voicemail>) {
    tokio::spawn(async move {
        loop {
            match voicemail.sweep(Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "voicemail messages past their keeping time deleted"),
                Err(e) => tracing::warn!(error = %e, "voicemail retention sweep failed; trying again later"),
            }
            let _ = tokio::time::timeout(EVERY, voicemail.settings_changed.notified()).await;
        }
    });
}

impl Voicemail {
    /// Deletes every message the settings no longer keep at `now`; returns how many.
    pub async fn sweep(&self, now: DateTime<Utc>) -> Result<usize, VoicemailError> {
        let settings = self.store.voicemail_settings().await?;
        let Some(cutoff) = settings.cutoff(now) else { return Ok(0) };
        let mut deleted = 0;
        loop {
            let batch = self.store.voicemail_older_than(cutoff, BATCH).await?;
            let full = batch.len() == BATCH as usize;
            let mut progressed = false;
            for m in batch.iter().filter(|m| settings.expired(m, now)) {
                if self.delete(&m.extension_id, &m.number, &m.id).await? {
                    deleted += 1;
                    progressed = true;
                }
            }
            // A full batch of messages kept (new ones younger than `keep_days`) ends it too:
            // the oldest kept ones would come again.
            if !full || !progressed {
                return Ok(deleted);
            }
        }
    }
}

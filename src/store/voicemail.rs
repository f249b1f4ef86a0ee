//! Voicemail message metadata (the recordings are WAV files under the data directory). Every
//! change recounts the box's message-waiting counts in the same transaction, with the
//! events that tell it.

use chrono::{TimeZone, Utc};
use sqlx::Row;

use super::{Store, StoreError};
use crate::events::Draft;
use crate::model::mailbox::MessageCounts;
use crate::model::voicemail::VoicemailMessage;
use crate::model::voicemail_settings::VoicemailSettings;

/// Kind of the voicemail settings in the change log.
pub const VOICEMAIL_SETTINGS: &str = "voicemail_settings";

macro_rules! columns {
    () => {
        "id, extension_id, number, caller, call_id, received_at, duration_ms, heard"
    };
}

fn message(r: &sqlx::any::AnyRow) -> Result<VoicemailMessage, StoreError> {
    let at: i64 = r.try_get(5)?;
    let ms: i64 = r.try_get(6)?;
    Ok(VoicemailMessage {
        id: r.try_get(0)?,
        extension_id: r.try_get(1)?,
        number: r.try_get(2)?,
        caller: r.try_get(3)?,
        call_id: r.try_get(4)?,
        received_at: Utc.timestamp_millis_opt(at).single().unwrap_or_default(),
        duration_s: ms as f64 / 1000.0,
        heard: r.try_get::<i64, _>(7)? != 0,
    })
}

/// What a change to a box does to the store, with the events that commit with it (made
/// from the box's counts after the change).
pub enum BoxChange<'a> {
    /// A new message, and where it is e-mailed (queued with it).
    Add(&'a VoicemailMessage, Option<&'a str>),
    Heard { id: &'a str, heard: bool },
    Delete { id: &'a str },
}

impl Store {
    /// Applies `change` to extension `extension_id`'s box, recounts it, and commits the
    /// events `events` makes of the new counts. `false` when the message does not exist.
    pub async fn change_voicemail(&self, extension_id: &str, change: BoxChange<'_>, events: impl FnOnce(MessageCounts) -> Vec<Draft>) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let affected = match change {
            BoxChange::Add(m, mail_to) => {
                let added = sqlx::query(concat!("INSERT INTO voicemail_messages (", columns!(), ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
                    .bind(&m.id)
                    .bind(&m.extension_id)
                    .bind(&m.number)
                    .bind(&m.caller)
                    .bind(&m.call_id)
                    .bind(m.received_at.timestamp_millis())
                    .bind((m.duration_s * 1000.0).round() as i64)
                    .bind(i64::from(m.heard))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if let Some(to) = mail_to {
                    self.queue_mail_in(&mut tx, &m.id, &m.extension_id, to).await?;
                }
                added
            }
            BoxChange::Heard { id, heard } => sqlx::query("UPDATE voicemail_messages SET heard = $1 WHERE id = $2 AND extension_id = $3")
                .bind(i64::from(heard))
                .bind(id)
                .bind(extension_id)
                .execute(&mut *tx)
                .await?
                .rows_affected(),
            BoxChange::Delete { id } => sqlx::query("DELETE FROM voicemail_messages WHERE id = $1 AND extension_id = $2").bind(id).bind(extension_id).execute(&mut *tx).await?.rows_affected(),
        };
        if affected == 0 {
            return Ok(false);
        }
        let row = sqlx::query("SELECT CAST(COALESCE(SUM(1 - heard), 0) AS BIGINT), CAST(COALESCE(SUM(heard), 0) AS BIGINT) FROM voicemail_messages WHERE extension_id = $1")
            .bind(extension_id)
            .fetch_one(&mut *tx)
            .await?;
        let n = |i: usize| -> Result<u32, StoreError> { Ok(u32::try_from(row.try_get::<i64, _>(i)?.max(0)).unwrap_or(u32::MAX)) };
        let counts = MessageCounts { new_messages: n(0)?, old_messages: n(1)?, new_urgent: 0, old_urgent: 0 };
        self.upsert_mailbox_in(&mut tx, extension_id, counts).await?;
        self.append_events_in(&mut tx, &events(counts)).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A box's messages, newest first.
    pub async fn voicemail_messages(&self, extension_id: &str) -> Result<Vec<VoicemailMessage>, StoreError> {
        let rows = sqlx::query(concat!("SELECT ", columns!(), " FROM voicemail_messages WHERE extension_id = $1 ORDER BY received_at DESC, id DESC"))
            .bind(extension_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(message).collect()
    }

    /// How many messages extension `extension_id`'s box holds.
    pub async fn voicemail_count(&self, extension_id: &str) -> Result<usize, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM voicemail_messages WHERE extension_id = $1").bind(extension_id).fetch_one(&self.pool).await?;
        Ok(usize::try_from(row.try_get::<i64, _>(0)?).unwrap_or(usize::MAX))
    }

    /// Messages (of every box) that arrived before `before`, oldest first, at most `limit`.
    pub async fn voicemail_older_than(&self, before: chrono::DateTime<Utc>, limit: u32) -> Result<Vec<VoicemailMessage>, StoreError> {
        let rows = sqlx::query(concat!("SELECT ", columns!(), " FROM voicemail_messages WHERE received_at < $1 ORDER BY received_at, id LIMIT $2"))
            .bind(before.timestamp_millis())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(message).collect()
    }

    /// The settings every box follows (the defaults until someone changes them).
    pub async fn voicemail_settings(&self) -> Result<VoicemailSettings, StoreError> {
        let row = sqlx::query("SELECT body FROM voicemail_settings WHERE id = 1").fetch_optional(&self.pool).await?;
        let Some(row) = row else { return Ok(VoicemailSettings::default()) };
        let body: String = row.try_get(0)?;
        Ok(serde_json::from_str(&body).unwrap_or_else(|e| {
            tracing::error!(error = %e, "the stored voicemail settings are unreadable: using the defaults");
            VoicemailSettings::default()
        }))
    }

    pub async fn save_voicemail_settings(&self, settings: &VoicemailSettings) -> Result<(), StoreError> {
        let body = serde_json::to_string(settings).unwrap_or_default();
        let mut tx = self.begin_change().await?;
        sqlx::query(
            "INSERT INTO voicemail_settings (id, body, updated_at) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(body)
        .bind(Utc::now().timestamp_millis())
        .execute(&mut *tx)
        .await?;
        self.log_change(&mut tx, VOICEMAIL_SETTINGS, "1", "updated").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn voicemail_message(&self, extension_id: &str, id: &str) -> Result<Option<VoicemailMessage>, StoreError> {
        let row = sqlx::query(concat!("SELECT ", columns!(), " FROM voicemail_messages WHERE id = $1 AND extension_id = $2"))
            .bind(id)
            .bind(extension_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(message).transpose()
    }
}

//! The SMTP settings document and the voicemail e-mail queue.

use chrono::{DateTime, TimeZone, Utc};
use sqlx::Row;

use super::WriteTx;
use super::{Store, StoreError};
use crate::model::smtp::{QueuedMail, SmtpSettings};

/// Kind of the SMTP settings in the change log.
pub const SMTP_SETTINGS: &str = "smtp_settings";

/// A queued e-mail, with what sending it needs.
#[derive(Debug, Clone)]
pub struct DueMail {
    pub mail: QueuedMail,
    pub extension_id: String,
}

fn at(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

fn queued(r: &sqlx::any::AnyRow) -> Result<DueMail, StoreError> {
    Ok(DueMail {
        mail: QueuedMail {
            id: r.try_get(0)?,
            message_id: r.try_get(1)?,
            to: r.try_get(3)?,
            created_at: at(r.try_get(4)?),
            next_attempt_at: at(r.try_get(5)?),
            attempts: u32::try_from(r.try_get::<i64, _>(6)?.max(0)).unwrap_or(u32::MAX),
            last_error: r.try_get(7)?,
        },
        extension_id: r.try_get(2)?,
    })
}

macro_rules! outbox_columns {
    () => {
        "id, message_id, extension_id, to_address, created_at, next_attempt_at, attempts, last_error"
    };
}

impl Store {
    pub async fn smtp_settings(&self) -> Result<Option<SmtpSettings>, StoreError> {
        let row = sqlx::query("SELECT body FROM smtp_settings WHERE id = 1").fetch_optional(&self.pool).await?;
        let Some(row) = row else { return Ok(None) };
        let body: String = row.try_get(0)?;
        Ok(serde_json::from_str(&body).map_err(|e| tracing::error!(error = %e, "the stored SMTP settings are unreadable")).ok())
    }

    pub async fn save_smtp_settings(&self, settings: &SmtpSettings) -> Result<(), StoreError> {
        let body = serde_json::to_string(settings).unwrap_or_default();
        let mut tx = self.begin_change().await?;
        sqlx::query(
            "INSERT INTO smtp_settings (id, body, updated_at) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(body)
        .bind(Utc::now().timestamp_millis())
        .execute(&mut *tx)
        .await?;
        self.log_change(&mut tx, SMTP_SETTINGS, "1", "updated").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Queues an e-mail of voicemail message `message_id` to `to`, in `tx` (the one that
    /// stores the message: a message is never stored without its e-mail, nor the reverse).
    pub(crate) async fn queue_mail_in(&self, tx: &mut WriteTx, message_id: &str, extension_id: &str, to: &str) -> Result<(), StoreError> {
        let now = Utc::now().timestamp_millis();
        sqlx::query(concat!("INSERT INTO mail_outbox (", outbox_columns!(), ", node) VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, $7)"))
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(message_id)
            .bind(extension_id)
            .bind(to)
            .bind(now)
            .bind(now)
            .bind(&*self.node)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// This node's e-mails due now, oldest first.
    pub async fn due_mail(&self, limit: u32) -> Result<Vec<DueMail>, StoreError> {
        let rows = sqlx::query(concat!("SELECT ", outbox_columns!(), " FROM mail_outbox WHERE node = $1 AND next_attempt_at <= $2 ORDER BY next_attempt_at, id LIMIT $3"))
            .bind(&*self.node)
            .bind(Utc::now().timestamp_millis())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(queued).collect()
    }

    /// Every queued e-mail (every node's), oldest first.
    pub async fn mail_queue(&self) -> Result<Vec<QueuedMail>, StoreError> {
        let rows = sqlx::query(concat!("SELECT ", outbox_columns!(), " FROM mail_outbox ORDER BY created_at, id")).fetch_all(&self.pool).await?;
        rows.iter().map(|r| queued(r).map(|d| d.mail)).collect()
    }

    /// The e-mail went out: it leaves the queue.
    pub async fn mail_sent(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM mail_outbox WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    /// Sending failed: tried again at `next`.
    pub async fn mail_failed(&self, id: &str, error: &str, next: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE mail_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3")
            .bind(error)
            .bind(next.timestamp_millis())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

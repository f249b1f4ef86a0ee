//! Mailbox message counts (the message-waiting lamps).

use chrono::Utc;
use sqlx::Row;

use super::WriteTx;
use super::{Store, StoreError};
use crate::events::Draft;
use crate::model::mailbox::MessageCounts;

impl Store {
    /// Sets extension `id`'s counts; `event` (its `message_waiting.changed`) commits with it.
    pub async fn put_mailbox(&self, extension_id: &str, counts: MessageCounts, event: &Draft) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        self.upsert_mailbox_in(&mut tx, extension_id, counts).await?;
        self.append_events_in(&mut tx, std::slice::from_ref(event)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets extension `extension_id`'s counts in `tx`.
    pub(crate) async fn upsert_mailbox_in(&self, tx: &mut WriteTx, extension_id: &str, counts: MessageCounts) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO mailboxes (extension_id, new_messages, old_messages, new_urgent, old_urgent, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (extension_id) DO UPDATE SET new_messages = excluded.new_messages, old_messages = excluded.old_messages, \
             new_urgent = excluded.new_urgent, old_urgent = excluded.old_urgent, updated_at = excluded.updated_at",
        )
        .bind(extension_id)
        .bind(i64::from(counts.new_messages))
        .bind(i64::from(counts.old_messages))
        .bind(i64::from(counts.new_urgent))
        .bind(i64::from(counts.old_urgent))
        .bind(Utc::now().timestamp_millis())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Extension `id`'s counts (zero when never set).
    pub async fn mailbox(&self, extension_id: &str) -> Result<MessageCounts, StoreError> {
        let row = sqlx::query("SELECT new_messages, old_messages, new_urgent, old_urgent FROM mailboxes WHERE extension_id = $1")
            .bind(extension_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| counts_at(&r, 0)).transpose().map(Option::unwrap_or_default)
    }

    /// Every mailbox set, by extension id.
    pub async fn mailboxes(&self) -> Result<Vec<(String, MessageCounts)>, StoreError> {
        let rows = sqlx::query("SELECT extension_id, new_messages, old_messages, new_urgent, old_urgent FROM mailboxes").fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, counts_at(r, 1)?))).collect()
    }
}

/// The four counts in the row's columns from `at` on.
fn counts_at(r: &sqlx::any::AnyRow, at: usize) -> Result<MessageCounts, StoreError> {
    let n = |i: usize| -> Result<u32, StoreError> { Ok(u32::try_from(r.try_get::<i64, _>(at + i)?.max(0)).unwrap_or(u32::MAX)) };
    Ok(MessageCounts { new_messages: n(0)?, old_messages: n(1)?, new_urgent: n(2)?, old_urgent: n(3)? })
}

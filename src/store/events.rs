//! The event log in the store.

use sqlx::Row;

use super::{Store, StoreError};
use crate::events::Event;

impl Store {
    /// Appends events in one transaction.
    pub async fn append_events(&self, events: &[std::sync::Arc<Event>]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for e in events {
            let body = serde_json::to_string(&**e).unwrap_or_default();
            sqlx::query("INSERT INTO events (seq, type, time, body) VALUES ($1, $2, $3, $4) ON CONFLICT (seq) DO NOTHING")
                .bind(e.seq as i64)
                .bind(&e.kind)
                .bind(e.time.timestamp_millis())
                .bind(body)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Events with `after < seq <= upto`, in order.
    pub async fn events_between(&self, after: u64, upto: u64) -> Result<Vec<Event>, StoreError> {
        let rows = sqlx::query("SELECT body FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq")
            .bind(after as i64)
            .bind(upto as i64)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().filter_map(|r| r.try_get::<String, _>(0).ok()).filter_map(|b| serde_json::from_str(&b).ok()).collect())
    }

    /// At most `limit` events with `seq > after`, in order.
    pub async fn events_after(&self, after: u64, limit: u32) -> Result<Vec<Event>, StoreError> {
        let rows = sqlx::query("SELECT body FROM events WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(after as i64)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().filter_map(|r| r.try_get::<String, _>(0).ok()).filter_map(|b| serde_json::from_str(&b).ok()).collect())
    }

    pub async fn last_event_seq(&self) -> Result<u64, StoreError> {
        let max: Option<i64> = sqlx::query("SELECT MAX(seq) FROM events").fetch_one(&self.pool).await?.try_get(0)?;
        Ok(max.unwrap_or(0).max(0) as u64)
    }

    /// Keeps the newest `max_rows` events younger than `max_age_ms`.
    pub async fn trim_events(&self, max_rows: u64, oldest_ms: i64) -> Result<(), StoreError> {
        let last = self.last_event_seq().await?;
        sqlx::query("DELETE FROM events WHERE seq <= $1 OR time < $2")
            .bind(last.saturating_sub(max_rows) as i64)
            .bind(oldest_ms)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

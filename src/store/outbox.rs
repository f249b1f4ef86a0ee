//! The webhook outbox.

use poem_openapi::Object;
use serde::Serialize;
use sqlx::Row;

use super::{Backend, Store, StoreError};
use crate::events::Event;

/// One event for one webhook, and how delivering it went.
#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Delivery {
    /// Also the `webhook-id` header: the same on every attempt.
    pub id: String,
    pub webhook_id: String,
    pub event_id: String,
    pub event_type: String,
    pub seq: u64,
    /// pending, delivered or failed.
    pub state: String,
    pub attempts: u32,
    pub next_attempt_at: chrono::DateTime<chrono::Utc>,
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
    pub last_latency_ms: Option<u64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

fn ms(t: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(t).unwrap_or_default()
}

fn row_to_delivery(r: &sqlx::any::AnyRow) -> Result<(Delivery, String), StoreError> {
    Ok((
        Delivery {
            id: r.try_get(0)?,
            webhook_id: r.try_get(1)?,
            event_id: r.try_get(2)?,
            event_type: r.try_get(3)?,
            seq: r.try_get::<i64, _>(4)?.max(0) as u64,
            state: r.try_get(6)?,
            attempts: r.try_get::<i64, _>(7)?.max(0) as u32,
            next_attempt_at: ms(r.try_get(8)?),
            last_status: r.try_get::<Option<i64>, _>(9)?.map(|s| s as u16),
            last_error: r.try_get(10)?,
            last_latency_ms: r.try_get::<Option<i64>, _>(11)?.map(|s| s.max(0) as u64),
            created_at: ms(r.try_get(12)?),
        },
        r.try_get(5)?,
    ))
}

const COLUMNS: &str = "id, webhook_id, event_id, event_type, seq, body, state, attempts, next_attempt_at, last_status, last_error, last_latency_ms, created_at";

impl Store {
    /// Webhook deliveries waiting to go out (every node's).
    pub async fn webhook_backlog(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'").fetch_one(&self.pool).await?.try_get(0)?)
    }

    /// Moves the webhook cursor up to `seq` without queueing anything (no webhook is
    /// enabled): a webhook enabled later gets the events from then on, not a backlog.
    pub async fn skip_deliveries(&self, seq: u64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE webhook_cursor SET last_seq = $1 WHERE id = 1 AND last_seq < $1").bind(seq as i64).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Queues the deliveries of the events logged after the webhook cursor, at most
    /// `limit` events, and moves the cursor past them, in one transaction: each event is
    /// queued once, whichever node does it. `hooks_for` names the webhooks an event goes
    /// to. `None` when another node holds the cursor right now (PostgreSQL); otherwise how
    /// many events were looked at.
    ///
    /// `known` are events the caller already holds, in seq order without gaps (the feed's):
    /// when they take over from the cursor they are used instead of reading the log back.
    pub async fn queue_deliveries(&self, limit: u32, known: &[std::sync::Arc<Event>], hooks_for: impl Fn(&Event) -> Vec<String>) -> Result<Option<usize>, StoreError> {
        let mut tx = self.begin_write().await?;
        let claim = match self.backend {
            Backend::Postgres => "SELECT last_seq FROM webhook_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "SELECT last_seq FROM webhook_cursor WHERE id = 1",
        };
        let Some(row) = sqlx::query(claim).fetch_optional(&mut *tx).await? else {
            return Ok(None);
        };
        let after: i64 = row.try_get(0)?;
        let after = after.max(0) as u64;
        let taken = known.iter().position(|e| e.seq == after + 1);
        let events: Vec<std::sync::Arc<Event>> = match taken {
            Some(start) => known[start..].iter().take(limit as usize).cloned().collect(),
            None => sqlx::query("SELECT body FROM events WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(after as i64)
                .bind(i64::from(limit))
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .filter_map(|r| r.try_get::<String, _>(0).ok())
                .filter_map(|b| serde_json::from_str(&b).ok())
                .map(std::sync::Arc::new)
                .collect(),
        };
        let Some(last) = events.last().map(|e| e.seq) else {
            return Ok(Some(0));
        };
        let now = chrono::Utc::now().timestamp_millis();
        for e in &events {
            for hook in hooks_for(e) {
                sqlx::query(
                    "INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, seq, body, state, attempts, next_attempt_at, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7, $7) ON CONFLICT (id) DO NOTHING",
                )
                .bind(format!("msg_{}_{}", e.seq, hook))
                .bind(&hook)
                .bind(&e.id)
                .bind(&e.kind)
                .bind(e.seq as i64)
                .bind(e.cloud_event_text())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query("UPDATE webhook_cursor SET last_seq = $1 WHERE id = 1").bind(last as i64).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Some(events.len()))
    }

    /// Takes up to `limit` due deliveries for one attempt each, oldest first: each is
    /// leased until `lease_ms` from now (its due time moves there), so no other node
    /// attempts it meanwhile; a node that dies mid-attempt leaves it due again when the
    /// lease ends.
    pub async fn claim_due_deliveries(&self, limit: u32, lease_ms: i64) -> Result<Vec<(Delivery, String)>, StoreError> {
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE webhook_deliveries SET next_attempt_at = $1, claimed_by = $4 WHERE id IN \
             (SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= $2 ORDER BY seq LIMIT $3{lock}) \
             RETURNING {COLUMNS}"
        );
        let now = chrono::Utc::now().timestamp_millis();
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now + lease_ms)
            .bind(now)
            .bind(i64::from(limit))
            .bind(&*self.node)
            .fetch_all(&self.pool)
            .await?;
        let mut due = rows.iter().map(row_to_delivery).collect::<Result<Vec<_>, _>>()?;
        due.sort_by_key(|(d, _)| d.seq);
        Ok(due)
    }

    /// Makes the attempts leased by nodes silent since before `silent_before_ms` due now
    /// (each becomes another attempt), and with `own` this node's too (it restarted: what
    /// it had leased died with the old process).
    pub async fn release_deliveries(&self, silent_before_ms: i64, own: bool) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET next_attempt_at = $1, claimed_by = NULL \
             WHERE state = 'pending' AND claimed_by IS NOT NULL AND next_attempt_at > $1 AND \
               ((claimed_by = $2 AND $4 = 1) OR claimed_by IN (SELECT id FROM nodes WHERE id <> $2 AND heartbeat_at < $3))",
        )
        .bind(chrono::Utc::now().timestamp_millis())
        .bind(&*self.node)
        .bind(silent_before_ms)
        .bind(i64::from(own))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Records one attempt's outcome on `delivery` as it was picked. A delivery that was
    /// redelivered while the attempt was in flight (its due time changed) counts the attempt
    /// but stays pending and due, so the redelivery is not lost.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_attempt(
        &self,
        delivery: &Delivery,
        state: &str,
        next_attempt_ms: i64,
        status: Option<u16>,
        error: Option<&str>,
        latency_ms: u64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE webhook_deliveries SET \
               state = CASE WHEN next_attempt_at = $8 THEN $1 ELSE state END, \
               next_attempt_at = CASE WHEN next_attempt_at = $8 THEN $2 ELSE next_attempt_at END, \
               attempts = attempts + 1, last_status = $3, last_error = $4, last_latency_ms = $5, updated_at = $6 \
             WHERE id = $7",
        )
        .bind(state)
        .bind(next_attempt_ms)
        .bind(status.map(i64::from))
        .bind(error.map(str::to_owned))
        .bind(latency_ms as i64)
        .bind(chrono::Utc::now().timestamp_millis())
        .bind(&delivery.id)
        .bind(delivery.next_attempt_at.timestamp_millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn list_deliveries(&self, webhook_id: &str, limit: u32) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY seq DESC LIMIT $2");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(webhook_id).bind(i64::from(limit)).fetch_all(&self.pool).await?;
        rows.iter().map(|r| row_to_delivery(r).map(|(d, _)| d)).collect()
    }

    /// Makes a delivery pending again, due now. The due time always changes (an attempt in
    /// flight sees that and leaves the delivery pending: see `record_attempt`).
    pub async fn redeliver(&self, webhook_id: &str, id: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE webhook_deliveries SET state = 'pending', \
               next_attempt_at = CASE WHEN next_attempt_at = $1 THEN $1 - 1 ELSE $1 END \
             WHERE webhook_id = $2 AND id = $3",
        )
            .bind(chrono::Utc::now().timestamp_millis())
            .bind(webhook_id)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

//! The change log: every configuration, ban, security-settings and token change, written
//! in the transaction that makes it, so other nodes apply it (see `cluster::fanout`).
//!
//! On PostgreSQL a writer locks the log table at the start of its transaction (before it
//! writes any row, so writers never wait on each other's rows while holding the log), so
//! `seq` is taken and committed in one order, without gaps: a reader that has applied up to N never
//! misses a change committed later with a smaller number (sequence values, by contrast,
//! commit out of order). Config writes are rare; serialising them cluster-wide costs
//! nothing that matters. The same transaction sends `NOTIFY callplane_changes`, which
//! PostgreSQL delivers only at commit. SQLite serialises writers already (`BEGIN IMMEDIATE`).

use chrono::Utc;
use sqlx::Row;

use super::WriteTx;
use super::{Backend, Store, StoreError};

/// The channel other nodes listen on.
pub const CHANNEL: &str = "callplane_changes";
/// How long the log keeps a change (a node away longer rebuilds everything).
pub const KEEP_MS: i64 = 7 * 24 * 3600 * 1000;

/// What the change was about: a kind (`extension`, `ban`, `security_settings`, …) and the
/// id of the thing changed (re-read from the store by whoever applies it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub kind: String,
    pub id: String,
    /// `created`, `updated` or `deleted`.
    pub action: String,
    pub node: String,
}

impl Store {
    /// Starts a write transaction that will log a change. On PostgreSQL it takes the change
    /// log's lock first, before any row is written: writers queue on the log and never
    /// hold rows another writer waits for while they wait for the log.
    pub(crate) async fn begin_change(&self) -> Result<WriteTx, StoreError> {
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("LOCK TABLE config_changes IN EXCLUSIVE MODE").execute(&mut *tx).await?;
        }
        Ok(tx)
    }

    /// Appends a change inside `tx` (the transaction that makes it, from `begin_change`).
    /// Every thousandth change also forgets changes older than a week.
    pub(crate) async fn log_change(&self, tx: &mut WriteTx, kind: &str, id: &str, action: &str) -> Result<(), StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 FROM config_changes").fetch_one(&mut **tx).await?;
        let seq: i64 = row.try_get(0)?;
        sqlx::query("INSERT INTO config_changes (seq, kind, id, action, node, at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(seq)
            .bind(kind)
            .bind(id)
            .bind(action)
            .bind(&*self.node)
            .bind(Utc::now().timestamp_millis())
            .execute(&mut **tx)
            .await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(seq.to_string()).execute(&mut **tx).await?;
        }
        if seq % 1000 == 0 {
            sqlx::query("DELETE FROM config_changes WHERE at < $1 AND seq < $2")
                .bind(Utc::now().timestamp_millis() - KEEP_MS)
                .bind(seq)
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// Changes after `seq`, oldest first, at most `limit`.
    pub async fn changes_after(&self, seq: i64, limit: i64) -> Result<Vec<Change>, StoreError> {
        let rows = sqlx::query("SELECT seq, kind, id, action, node FROM config_changes WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(seq)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok(Change { seq: r.try_get(0)?, kind: r.try_get(1)?, id: r.try_get(2)?, action: r.try_get(3)?, node: r.try_get(4)? }))
            .collect()
    }

    /// The newest change's seq (0 when the log is empty).
    pub async fn last_change_seq(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM config_changes").fetch_one(&self.pool).await?;
        Ok(row.try_get(0)?)
    }

    /// The oldest seq still in the log (0 when empty).
    pub async fn first_change_seq(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MIN(seq), 0) FROM config_changes").fetch_one(&self.pool).await?;
        Ok(row.try_get(0)?)
    }
}

//! Answered calls and node heartbeats: what lets a restarted node, or another node, finish
//! the calls of a node that died (see `sip::b2bua::live_calls` and `lost_calls`).

use chrono::Utc;
use sqlx::Row;

use super::{Store, StoreError};
use crate::model::cdr::Cdr;

impl Store {
    /// This node is alive now (its row is created on first use).
    pub async fn heartbeat(&self) -> Result<(), StoreError> {
        let now = Utc::now().timestamp_millis();
        sqlx::query(
            "INSERT INTO nodes (id, started_at, heartbeat_at) VALUES ($1, $2, $2) \
             ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
        )
        .bind(&*self.node)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Where this node's API answers the other nodes.
    pub async fn advertise_api(&self, url: &str) -> Result<(), StoreError> {
        let now = Utc::now().timestamp_millis();
        sqlx::query(
            "INSERT INTO nodes (id, started_at, heartbeat_at, api_url) VALUES ($1, $2, $2, $3)              ON CONFLICT (id) DO UPDATE SET api_url = excluded.api_url",
        )
        .bind(&*self.node)
        .bind(now)
        .bind(url)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The other nodes alive since `since_ms`, with their API address.
    pub async fn peers(&self, since_ms: i64) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT id, api_url FROM nodes WHERE id <> $1 AND heartbeat_at >= $2 AND api_url IS NOT NULL ORDER BY id")
            .bind(&*self.node)
            .bind(since_ms)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// The last heartbeat of `node` (ms since the epoch), if it ever had one.
    pub async fn node_heartbeat(&self, node: &str) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT heartbeat_at FROM nodes WHERE id = $1").bind(node).fetch_optional(&self.pool).await?;
        Ok(match row {
            Some(r) => Some(r.try_get(0)?),
            None => None,
        })
    }

    /// Other nodes silent since before `before_ms` that still own answered calls.
    pub async fn silent_nodes_with_calls(&self, before_ms: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT l.node FROM live_calls l LEFT JOIN nodes n ON n.id = l.node \
             WHERE l.node <> $1 AND (n.heartbeat_at IS NULL OR n.heartbeat_at < $2) ORDER BY l.node",
        )
        .bind(&*self.node)
        .bind(before_ms)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Takes every answered call `node` left: in one transaction, each row is removed and
    /// the CDR `finish` makes of its body is stored (unless a CDR with its id exists), so
    /// exactly one taker writes each CDR and none is lost between the two. Returns the
    /// bodies taken (to end the calls' dialogs) with their CDRs.
    pub async fn take_live_calls(&self, node: &str, finish: impl Fn(&str) -> Option<Cdr>) -> Result<Vec<(String, Cdr)>, StoreError> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query("SELECT id, body FROM live_calls WHERE node = $1 ORDER BY id").bind(node).fetch_all(&mut *tx).await?;
        let mut taken = Vec::with_capacity(rows.len());
        for row in rows {
            let (id, body): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            let done = sqlx::query("DELETE FROM live_calls WHERE id = $1 AND node = $2").bind(&id).bind(node).execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                continue;
            }
            let Some(cdr) = finish(&body) else {
                tracing::warn!(call = %id, "an unreadable record of a lost call; dropped");
                continue;
            };
            Self::insert_cdrs_once(&mut tx, std::slice::from_ref(&cdr)).await?;
            taken.push((body, cdr));
        }
        tx.commit().await?;
        Ok(taken)
    }
}

//! What the calls write, committed together: records of answered calls (upserted and
//! deleted) and CDRs, in one transaction per batch (one sync of the log instead of one per
//! row). The batching itself is the SIP side's (`sip::b2bua::record_writer`).

use super::{Store, StoreError};
use crate::model::cdr::Cdr;

/// An answered call's record as stored (`live_calls` table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveRow {
    pub id: String,
    pub answered_at_ms: i64,
    pub body: String,
}

/// One transaction's worth of call writes.
#[derive(Debug, Default)]
pub struct CallWrites {
    pub live_puts: Vec<LiveRow>,
    pub live_deletes: Vec<String>,
    pub cdrs: Vec<Cdr>,
}

impl CallWrites {
    pub fn is_empty(&self) -> bool {
        self.live_puts.is_empty() && self.live_deletes.is_empty() && self.cdrs.is_empty()
    }
}

const PUT_LIVE: &str = "INSERT INTO live_calls (id, node, answered_at, body) VALUES ($1, $2, $3, $4) \
                        ON CONFLICT (id) DO UPDATE SET node = excluded.node, answered_at = excluded.answered_at, body = excluded.body";

impl Store {
    /// Commits `writes` all together or not at all. A CDR whose id is stored already is
    /// kept as stored (a retried batch writes nothing twice).
    pub async fn commit_call_writes(&self, writes: &CallWrites) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for row in &writes.live_puts {
            sqlx::query(PUT_LIVE).bind(&row.id).bind(&*self.node).bind(row.answered_at_ms).bind(&row.body).execute(&mut *tx).await?;
        }
        for id in &writes.live_deletes {
            sqlx::query("DELETE FROM live_calls WHERE id = $1").bind(id).execute(&mut *tx).await?;
        }
        for cdr in &writes.cdrs {
            Self::insert_cdr_once(&mut tx, cdr).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

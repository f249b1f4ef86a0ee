//! What the calls write, committed together: records of answered calls (upserted and
//! deleted) and CDRs, in one transaction per batch (one sync of the log instead of one per
//! row). The batching itself is the SIP side's (`sip::b2bua::record_writer`).

use super::bulk::{execute_chunks, in_list_sql, values_sql};
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

const PUT_LIVE_HEAD: &str = "INSERT INTO live_calls (id, node, answered_at, body) VALUES ";
const PUT_LIVE_TAIL: &str = " ON CONFLICT (id) DO UPDATE SET node = excluded.node, answered_at = excluded.answered_at, body = excluded.body";

impl Store {
    /// Commits `writes` all together or not at all, a few statements per batch. A CDR
    /// whose id is stored already is kept as stored (a retried batch writes nothing
    /// twice). `live_puts` holds each id once (an upsert cannot touch a row twice).
    pub async fn commit_call_writes(&self, writes: &CallWrites) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let node = &*self.node;
        execute_chunks(&mut tx, &writes.live_puts, |b, n| values_sql(b, PUT_LIVE_HEAD, 4, n, PUT_LIVE_TAIL), |q, row| {
            Ok(q.bind(row.id.clone()).bind(node.to_owned()).bind(row.answered_at_ms).bind(row.body.clone()))
        })
        .await?;
        execute_chunks(&mut tx, &writes.live_deletes, |b, n| in_list_sql(b, "DELETE FROM live_calls WHERE id IN ", n, ""), |q, id| Ok(q.bind(id.clone()))).await?;
        Self::insert_cdrs_once(&mut tx, &writes.cdrs).await?;
        tx.commit().await?;
        Ok(())
    }
}

//! The event log in the store: one stream for every node on it.
//!
//! A writer numbers its events by moving `event_counter` forward in its own transaction and
//! holds that row until it commits, so `seq` is handed out gap-free and in commit order
//! across nodes: a reader that has seen N never misses a smaller number committed later
//! (PostgreSQL sequences do not give that: their values commit out of order).
//! On PostgreSQL the transaction also sends `NOTIFY callplane_events`, delivered at commit.

use std::borrow::Borrow;

use sqlx::Row;

use super::WriteTx;
use super::bulk::{execute_chunks, values_sql};
use super::{Backend, Store, StoreError};
use crate::events::{Draft, Event};

/// The channel the nodes listen on for committed events.
pub const EVENTS_CHANNEL: &str = "callplane_events";

impl Store {
    /// Numbers and appends drafts in one transaction of their own.
    pub async fn append_events<D: Borrow<Draft>>(&self, drafts: &[D]) -> Result<Vec<Event>, StoreError> {
        let first = self.append_drafts(drafts).await?;
        Ok(self.numbered(drafts.iter().map(|d| d.borrow().clone()), first))
    }

    /// `drafts` as committed from `first` on by this node.
    pub fn numbered(&self, drafts: impl IntoIterator<Item = Draft>, first: u64) -> Vec<Event> {
        drafts
            .into_iter()
            .zip(first..)
            .map(|(draft, seq)| {
                let mut e = Event::numbered(draft, seq);
                e.node = Some(self.node().to_owned());
                e
            })
            .collect()
    }

    /// Numbers and appends drafts in one transaction of their own; the seq of the first.
    pub async fn append_drafts<D: Borrow<Draft>>(&self, drafts: &[D]) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let first = self.append_events_in(&mut tx, drafts).await?;
        tx.commit().await?;
        Ok(first)
    }

    /// Numbers and appends drafts inside `tx` (the transaction that makes the change they
    /// tell of): they commit with it or not at all. The seq of the first draft.
    pub(crate) async fn append_events_in<D: Borrow<Draft>>(&self, tx: &mut WriteTx, drafts: &[D]) -> Result<u64, StoreError> {
        if drafts.is_empty() {
            return Ok(0);
        }
        let row = sqlx::query("UPDATE event_counter SET last = last + $1 WHERE id = 1 RETURNING last")
            .bind(drafts.len() as i64)
            .fetch_one(&mut **tx)
            .await?;
        let last: i64 = row.try_get(0)?;
        let first = (last - drafts.len() as i64 + 1).max(1) as u64;
        let mut rows = Vec::with_capacity(drafts.len());
        for (i, draft) in drafts.iter().enumerate() {
            let draft = draft.borrow();
            let seq = first + i as u64;
            let body = serde_json::to_string(&Event::row(draft, seq)).map_err(|e| StoreError::Unreadable(format!("event {}: {e}", draft.id)))?;
            rows.push((seq as i64, draft.kind.as_str(), draft.time.timestamp_millis(), body));
        }
        let node = &*self.node;
        execute_chunks(tx, &rows, |b, n| values_sql(b, "INSERT INTO events (seq, type, time, body, node) VALUES ", 5, n, ""), |q, (seq, kind, time, body)| {
            Ok(q.bind(*seq).bind((*kind).to_owned()).bind(*time).bind(body.clone()).bind(node.to_owned()))
        })
        .await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)").bind(EVENTS_CHANNEL).bind(last.to_string()).execute(&mut **tx).await?;
        }
        Ok(first)
    }

    /// Events with `after < seq <= upto`, in order.
    pub async fn events_between(&self, after: u64, upto: u64) -> Result<Vec<Event>, StoreError> {
        let rows = sqlx::query("SELECT body, node FROM events WHERE seq > $1 AND seq <= $2 ORDER BY seq")
            .bind(after as i64)
            .bind(upto as i64)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().filter_map(read_event).collect())
    }

    /// At most `limit` events with `seq > after`, in order.
    pub async fn events_after(&self, after: u64, limit: u32) -> Result<Vec<Event>, StoreError> {
        let rows = sqlx::query("SELECT body, node FROM events WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(after as i64)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().filter_map(read_event).collect())
    }

    /// The newest seq handed out (committed: the counter moves in the transaction that
    /// writes the events).
    pub async fn last_event_seq(&self) -> Result<u64, StoreError> {
        let last: i64 = sqlx::query("SELECT last FROM event_counter WHERE id = 1").fetch_one(&self.pool).await?.try_get(0)?;
        Ok(last.max(0) as u64)
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

/// An event row (`body`, `node`): the stored event, with the node that published it.
fn read_event(row: &sqlx::any::AnyRow) -> Option<Event> {
    let body: String = row.try_get(0).ok()?;
    let mut event: Event = serde_json::from_str(&body).ok()?;
    event.node = row.try_get::<Option<String>, _>(1).ok().flatten();
    Some(event)
}

//! Durable copy of registrations. Written off the SIP hot path by the registrar's writer.

use std::collections::HashSet;

use sqlx::Row;

use super::bulk::{execute_chunks, values_sql};
use super::{Store, StoreError, WriteTx};
use crate::model::ResourceKind;
use crate::events::{Draft, Event};
use crate::model::binding::Binding;

/// The channel binding changes are announced on (the payload is the binding's id).
pub const BINDINGS_CHANNEL: &str = "callplane_bindings";

/// One change to the stored registrations.
#[derive(Debug, Clone)]
pub enum BindingWrite {
    Upsert(Binding),
    Delete(String),
    /// Deletes the binding only if it is still expired at `now_ms` (not refreshed
    /// meanwhile, on any node): whichever node gets there first expires it, once.
    Expire { id: String, now_ms: i64 },
}

impl BindingWrite {
    fn id(&self) -> &str {
        match self {
            BindingWrite::Upsert(b) => &b.id,
            BindingWrite::Delete(id) | BindingWrite::Expire { id, .. } => id,
        }
    }
}

impl Store {
    pub async fn upsert_binding(&self, b: &Binding) -> Result<(), StoreError> {
        self.write_bindings(&[(BindingWrite::Upsert(b.clone()), None)]).await.map(drop)
    }

    pub async fn delete_binding(&self, id: &str) -> Result<(), StoreError> {
        self.write_bindings(&[(BindingWrite::Delete(id.to_owned()), None)]).await.map(drop)
    }

    /// Applies binding writes in order, each with the event that tells of it, in one
    /// transaction; an `Expire` that finds the binding refreshed (or gone) changes nothing
    /// and its event is left out. Returns the events written, numbered. On PostgreSQL each
    /// changed binding's id is announced to the other nodes (delivered at commit); they read
    /// it again. A lost notification is made up by their periodic resync.
    ///
    /// Consecutive upserts go in multi-row statements (`bulk.rs`): a burst of phones
    /// registering for the first time costs a few statements, not one each.
    pub async fn write_bindings(&self, writes: &[(BindingWrite, Option<Draft>)]) -> Result<Vec<Event>, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut events = Vec::new();
        let mut changed_ids: Vec<&str> = Vec::new();
        let mut rest = writes;
        while let Some((first, _)) = rest.first() {
            // A run of upserts is written together; any other write on its own.
            let run = rest.iter().take_while(|(w, _)| matches!(w, BindingWrite::Upsert(_))).count().max(1);
            let (now, later) = rest.split_at(run);
            rest = later;
            match first {
                BindingWrite::Upsert(_) => {
                    let bindings = now.iter().filter_map(|(w, _)| match w {
                        BindingWrite::Upsert(b) => Some(b),
                        _ => None,
                    });
                    self.upsert_bindings_in(&mut tx, bindings).await?;
                }
                BindingWrite::Delete(id) => {
                    sqlx::query("DELETE FROM bindings WHERE id = $1").bind(id).execute(&mut *tx).await?;
                }
                BindingWrite::Expire { id, now_ms } => {
                    let done = sqlx::query("DELETE FROM bindings WHERE id = $1 AND expires_at <= $2").bind(id).bind(now_ms).execute(&mut *tx).await?;
                    if done.rows_affected() != 1 {
                        continue;
                    }
                }
            }
            for (w, event) in now {
                changed_ids.push(w.id());
                events.extend(event.iter().cloned());
            }
        }
        if self.backend == super::Backend::Postgres {
            for id in changed_ids {
                sqlx::query("SELECT pg_notify($1, $2)").bind(BINDINGS_CHANNEL).bind(id).execute(&mut *tx).await?;
            }
        }
        let first = self.append_events_in(&mut tx, &events).await?;
        tx.commit().await?;
        Ok(self.numbered(events, first))
    }

    /// Upserts `bindings` in multi-row statements. One statement may not touch a row twice
    /// (PostgreSQL refuses it), so of several upserts of one binding only the last is
    /// written: the earlier ones would be overwritten in the same transaction anyway.
    async fn upsert_bindings_in<'a>(&self, tx: &mut WriteTx, bindings: impl DoubleEndedIterator<Item = &'a Binding>) -> Result<(), StoreError> {
        let mut seen = HashSet::new();
        let mut rows = Vec::new();
        for b in bindings.rev().filter(|b| seen.insert(b.id.as_str())) {
            let body = serde_json::to_string(b).map_err(|source| StoreError::Corrupt { kind: ResourceKind::Extension, id: b.id.clone(), source })?;
            rows.push((b, body));
        }
        rows.reverse();
        execute_chunks(
            tx,
            &rows,
            |backend, n| {
                values_sql(
                    backend,
                    "INSERT INTO bindings (id, aor, body, expires_at) VALUES ",
                    4,
                    n,
                    " ON CONFLICT (id) DO UPDATE SET aor = excluded.aor, body = excluded.body, expires_at = excluded.expires_at",
                )
            },
            |q, (b, body)| Ok(q.bind(b.id.clone()).bind(b.aor.clone()).bind(body.clone()).bind(b.expires_at.timestamp_millis())),
        )
        .await
    }

    /// Binding `id` if it exists and has not expired by `now_ms`.
    pub async fn load_binding(&self, id: &str, now_ms: i64) -> Result<Option<Binding>, StoreError> {
        let row = sqlx::query("SELECT body FROM bindings WHERE id = $1 AND expires_at > $2").bind(id).bind(now_ms).fetch_optional(&self.pool).await?;
        let Some(row) = row else { return Ok(None) };
        let body: String = row.try_get(0)?;
        Ok(serde_json::from_str(&body).ok())
    }

    /// Every binding that has not expired by `now_ms` (nothing is deleted).
    pub async fn load_live_bindings(&self, now_ms: i64) -> Result<Vec<Binding>, StoreError> {
        let rows = sqlx::query("SELECT body FROM bindings WHERE expires_at > $1 ORDER BY id").bind(now_ms).fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let body: String = row.try_get(0)?;
            if let Ok(b) = serde_json::from_str(&body) {
                out.push(b);
            }
        }
        Ok(out)
    }

    /// Bindings that have not expired by `now_ms`; expired rows are deleted.
    pub async fn load_bindings(&self, now_ms: i64) -> Result<Vec<Binding>, StoreError> {
        sqlx::query("DELETE FROM bindings WHERE expires_at <= $1").bind(now_ms).execute(&self.pool).await?;
        let rows = sqlx::query("SELECT id, body FROM bindings ORDER BY id").fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get(0)?;
            let body: String = row.try_get(1)?;
            match serde_json::from_str(&body) {
                Ok(b) => out.push(b),
                Err(e) => tracing::warn!(%id, error = %e, "skipping an unreadable stored binding"),
            }
        }
        Ok(out)
    }
}

//! The calls' writer to the store: answered calls' records and CDRs go through one ordered
//! queue to one task that commits whatever is queued in one transaction (group commit). A
//! call answered and ended within one batch never reaches the store (its record would be
//! written and deleted in the same transaction); its CDR does.
//!
//! Nothing queued is dropped while the store is away: the batch is retried until it is
//! committed. A batch the database rejects is written a row at a time so that one bad
//! row does not hold back the others.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use crate::events::{EventBus, EventPayload};
use crate::model::cdr::Cdr;
use crate::store::call_writes::{CallWrites, LiveRow};
use crate::store::{Store, StoreError};

/// The most writes committed in one transaction.
const BATCH: usize = 1000;
const RETRY: Duration = Duration::from_millis(500);

/// One write, in the order the calls made them.
#[derive(Debug)]
pub enum Write {
    /// An answered call's record (again after a transfer); `done` hears of its commit.
    Live { row: LiveRow, done: Option<oneshot::Sender<()>> },
    /// The call ended: its record goes.
    Ended { id: String },
    Cdr(Box<Cdr>),
    /// Answered once everything queued before it is committed.
    Flush(oneshot::Sender<()>),
}

/// What one batch commits, and whom to tell.
#[derive(Debug, Default)]
pub struct Plan {
    pub writes: CallWrites,
    pub waiters: Vec<oneshot::Sender<()>>,
}

/// Folds a batch of writes, in order, into one transaction's worth. `stored` holds the ids
/// of the records committed by earlier batches: a record neither stored nor kept by this
/// batch needs no delete. Pure, so the folding rules are tested without a store.
pub fn plan(batch: Vec<Write>, stored: &HashSet<String>) -> Plan {
    enum Last {
        Put(LiveRow),
        Delete,
    }
    let mut live: HashMap<String, Last> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut out = Plan::default();
    for w in batch {
        match w {
            Write::Live { row, done } => {
                if !live.contains_key(&row.id) {
                    order.push(row.id.clone());
                }
                live.insert(row.id.clone(), Last::Put(row));
                out.waiters.extend(done);
            }
            Write::Ended { id } => {
                if stored.contains(&id) {
                    if !live.contains_key(&id) {
                        order.push(id.clone());
                    }
                    live.insert(id, Last::Delete);
                } else {
                    live.remove(&id);
                }
            }
            Write::Cdr(cdr) => out.writes.cdrs.push(*cdr),
            Write::Flush(done) => out.waiters.push(done),
        }
    }
    for id in order {
        match live.remove(&id) {
            Some(Last::Put(row)) => out.writes.live_puts.push(row),
            Some(Last::Delete) => out.writes.live_deletes.push(id),
            None => {}
        }
    }
    out
}

/// The sending side, shared by the CDR writer and the live-call records.
#[derive(Clone)]
pub struct RecordWriter {
    tx: mpsc::UnboundedSender<Write>,
}

impl RecordWriter {
    /// Starts the writer task; CDRs it commits are published as `cdr.created`.
    pub fn start(store: Store, bus: Arc<EventBus>) -> RecordWriter {
        let (tx, rx) = mpsc::unbounded_channel::<Write>();
        tokio::spawn(run(store, bus, rx));
        RecordWriter { tx }
    }

    /// Queues `w`; false once the writer is gone (the runtime is stopping).
    pub fn send(&self, w: Write) -> bool {
        self.tx.send(w).is_ok()
    }
}

async fn run(store: Store, bus: Arc<EventBus>, mut rx: mpsc::UnboundedReceiver<Write>) {
    let mut stored: HashSet<String> = HashSet::new();
    let mut batch = Vec::new();
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        if batch.len() < BATCH {
            tokio::time::sleep(crate::store::GROUP_COMMIT_WAIT).await;
            while batch.len() < BATCH {
                let Ok(w) = rx.try_recv() else { break };
                batch.push(w);
            }
        }
        let Plan { writes, waiters } = plan(std::mem::take(&mut batch), &stored);
        if let Some(written) = commit(&store, writes).await {
            for row in &written.live_puts {
                stored.insert(row.id.clone());
            }
            for id in &written.live_deletes {
                stored.remove(id);
            }
            for cdr in written.cdrs {
                bus.publish(EventPayload::CdrCreated(cdr));
            }
        }
        for done in waiters {
            let _ = done.send(());
        }
    }
}

/// Commits `writes`, retrying while the store is away, and returns what was written:
/// all of it, the rows the database took when it refused the batch, or nothing (`None`)
/// when the store was closed.
async fn commit(store: &Store, writes: CallWrites) -> Option<CallWrites> {
    if writes.is_empty() {
        return None;
    }
    loop {
        match store.commit_call_writes(&writes).await {
            Ok(()) => return Some(writes),
            Err(_) if store.pool().is_closed() => {
                tracing::error!(cdrs = writes.cdrs.len(), records = writes.live_puts.len(), "the store was closed before these call records were written");
                return None;
            }
            Err(StoreError::Database(sqlx::Error::Database(e))) => {
                tracing::warn!(error = %e, "the store refused a batch of call records; writing them one at a time");
                return Some(one_by_one(store, writes).await);
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot write call records; retrying");
                tokio::time::sleep(RETRY).await;
            }
        }
    }
}

/// Writes each row of a refused batch on its own and returns those written; a row refused
/// again is logged and left.
async fn one_by_one(store: &Store, writes: CallWrites) -> CallWrites {
    let mut written = CallWrites::default();
    for row in writes.live_puts {
        let single = CallWrites { live_puts: vec![row], ..Default::default() };
        if stored_alone(store, &single).await {
            written.live_puts.extend(single.live_puts);
        }
    }
    for id in writes.live_deletes {
        let single = CallWrites { live_deletes: vec![id], ..Default::default() };
        if stored_alone(store, &single).await {
            written.live_deletes.extend(single.live_deletes);
        }
    }
    for cdr in writes.cdrs {
        let single = CallWrites { cdrs: vec![cdr], ..Default::default() };
        if stored_alone(store, &single).await {
            written.cdrs.extend(single.cdrs);
        }
    }
    written
}

async fn stored_alone(store: &Store, single: &CallWrites) -> bool {
    match store.commit_call_writes(single).await {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = %e, write = ?single, "the store refused a call record; it is not stored");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(id: &str, body: &str) -> Write {
        Write::Live { row: LiveRow { id: id.into(), answered_at_ms: 1, body: body.into() }, done: None }
    }

    fn ended(id: &str) -> Write {
        Write::Ended { id: id.into() }
    }

    fn bodies(p: &Plan) -> Vec<(&str, &str)> {
        p.writes.live_puts.iter().map(|r| (r.id.as_str(), r.body.as_str())).collect()
    }

    #[test]
    fn a_call_answered_and_ended_in_one_batch_writes_no_record() {
        let p = plan(vec![put("a", "x"), put("b", "y"), ended("a")], &HashSet::new());
        assert_eq!(bodies(&p), vec![("b", "y")]);
        assert!(p.writes.live_deletes.is_empty());
    }

    #[test]
    fn a_stored_call_that_ends_is_deleted_and_an_unknown_one_is_not() {
        let stored: HashSet<String> = ["a".to_owned()].into();
        let p = plan(vec![ended("a"), ended("zz")], &stored);
        assert_eq!(p.writes.live_deletes, vec!["a".to_owned()]);
        assert!(p.writes.live_puts.is_empty());
    }

    #[test]
    fn the_last_record_of_a_call_wins_and_a_stored_one_rewritten_then_ended_is_deleted() {
        let p = plan(vec![put("a", "first"), put("a", "after transfer")], &HashSet::new());
        assert_eq!(bodies(&p), vec![("a", "after transfer")]);
        let stored: HashSet<String> = ["a".to_owned()].into();
        let p = plan(vec![put("a", "after transfer"), ended("a")], &stored);
        assert!(p.writes.live_puts.is_empty());
        assert_eq!(p.writes.live_deletes, vec!["a".to_owned()]);
    }

    #[test]
    fn every_waiter_is_told_even_when_its_record_cancels_out() {
        let (tx1, _rx1) = oneshot::channel();
        let (tx2, _rx2) = oneshot::channel();
        let batch = vec![
            Write::Live { row: LiveRow { id: "a".into(), answered_at_ms: 1, body: "x".into() }, done: Some(tx1) },
            ended("a"),
            Write::Flush(tx2),
        ];
        let p = plan(batch, &HashSet::new());
        assert!(p.writes.is_empty());
        assert_eq!(p.waiters.len(), 2);
    }
}

//! The event log writer: numbers and commits the drafts published on the SIP path, in
//! batches, off that path; and trims the log by age and rows.
//!
//! What a crash can lose: the drafts queued here and not yet committed, that is the call
//! and security events of the last batch in flight (milliseconds). Configuration and
//! registration events never pass through here: the transaction that makes the change
//! writes its event.

use std::sync::Arc;
use std::time::Duration;

use super::bus::Queued;
use super::{Draft, EventBus};
use crate::store::Store;

/// Retention of the event log.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub max_rows: u64,
    pub max_age: Duration,
}

impl Default for Retention {
    fn default() -> Self {
        Self { max_rows: 100_000, max_age: Duration::from_secs(7 * 86_400) }
    }
}

const BATCH: usize = 1000;

/// Starts the writer (once per bus).
pub fn start(store: Store, bus: &Arc<EventBus>, retention: Retention) {
    let Some(mut queue) = bus.take_queue() else {
        tracing::error!("the event log writer was started twice");
        return;
    };
    let bus = bus.clone();
    tokio::spawn(async move {
        let mut trim = tokio::time::interval(Duration::from_secs(60));
        let mut batch: Vec<Arc<Draft>> = Vec::new();
        let mut flushes = Vec::new();
        loop {
            tokio::select! {
                first = queue.recv() => {
                    let Some(first) = first else { break };
                    tokio::time::sleep(crate::store::GROUP_COMMIT_WAIT).await;
                    let mut next = Some(first);
                    // Take whatever else is already queued: one transaction per burst.
                    while let Some(q) = next.take() {
                        match q {
                            Queued::Event(d) => batch.push(d),
                            Queued::Flush(done) => flushes.push(done),
                        }
                        if batch.len() < BATCH {
                            next = queue.try_recv().ok();
                        }
                    }
                    // The batch stays until it is committed: a store that is away delays
                    // events, and the queue in front bounds how many wait.
                    if !batch.is_empty() {
                        if let Some(first) = store.until_written("events", batch.len(), || store.append_drafts(&batch)).await {
                            // The drafts are this writer's alone by now: moved, not copied.
                            let drafts = batch.drain(..).map(|d| Arc::try_unwrap(d).unwrap_or_else(|d| (*d).clone()));
                            bus.hand_over(store.numbered(drafts, first));
                        }
                        batch.clear();
                    }
                    for done in flushes.drain(..) {
                        let _ = done.send(());
                    }
                }
                _ = trim.tick() => {
                    let oldest = chrono::Utc::now().timestamp_millis() - retention.max_age.as_millis() as i64;
                    if let Err(e) = store.trim_events(retention.max_rows, oldest).await {
                        tracing::warn!(error = %e, "cannot trim the event log");
                    }
                }
            }
        }
    });
}

//! The event log writer: appends bus events to the store in batches, off the SIP path, and
//! publishes how far it got (the watermark) so resuming clients know when the store has
//! everything up to a point. Trims the log by age and rows.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{broadcast, watch};

use super::{Event, EventBus};
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

pub struct EventLog {
    persisted: watch::Receiver<u64>,
}

impl EventLog {
    pub fn start(store: Store, bus: &Arc<EventBus>, retention: Retention) -> EventLog {
        let (tx, persisted) = watch::channel(bus.last_seq());
        let mut rx = bus.subscribe();
        tokio::spawn(async move {
            let mut trim = tokio::time::interval(Duration::from_secs(60));
            let mut batch: Vec<Arc<Event>> = Vec::new();
            loop {
                tokio::select! {
                    first = rx.recv() => {
                        match first {
                            Ok(e) => batch.push(e),
                            Err(broadcast::error::RecvError::Lagged(n)) => {
                                tracing::error!(missed = n, "the event log fell behind the bus; events are missing from the log");
                                continue;
                            }
                            Err(broadcast::error::RecvError::Closed) => break,
                        }
                        // Take whatever else is already queued: one transaction per burst.
                        while batch.len() < 1000 {
                            match rx.try_recv() {
                                Ok(e) => batch.push(e),
                                Err(_) => break,
                            }
                        }
                        let last = batch.last().map(|e| e.seq).unwrap_or(0);
                        if let Err(e) = store.append_events(&batch).await {
                            tracing::error!(error = %e, "cannot append events to the log");
                        }
                        batch.clear();
                        let _ = tx.send(last);
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
        EventLog { persisted }
    }

    /// Waits until every event up to `seq` is in the store (bounded).
    pub async fn persisted_up_to(&self, seq: u64) {
        let mut rx = self.persisted.clone();
        let _ = tokio::time::timeout(Duration::from_secs(5), rx.wait_for(|p| *p >= seq)).await;
    }
}

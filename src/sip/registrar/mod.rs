//! The registrar (RFC 3261 section 10.3): bindings in memory for the hot path, written
//! through to the store by a background writer, expired by a timer, announced as
//! `registration.*` events.

pub mod binding;
pub mod table;

use crate::events::types::RegistrationData;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;

use self::binding::Binding;
use self::table::{BindingTable, Change};
use crate::events::EventBus;
use crate::store::Store;

enum Write {
    Upsert(Binding),
    Delete(String),
    /// Answered once every earlier write is done.
    Flush(tokio::sync::oneshot::Sender<()>),
}

pub struct Registrar {
    pub table: BindingTable,
    bus: Arc<EventBus>,
    writes: mpsc::UnboundedSender<Write>,
}

impl Registrar {
    /// Loads the stored bindings and starts the writer and the expiry timer.
    pub async fn start(store: Store, bus: Arc<EventBus>) -> Result<Arc<Registrar>, crate::store::StoreError> {
        let table = BindingTable::new();
        for b in store.load_bindings(Utc::now().timestamp_millis()).await? {
            table.insert_loaded(b);
        }
        let (writes, rx) = mpsc::unbounded_channel();
        tokio::spawn(write_through(store, rx));
        let registrar = Arc::new(Registrar { table, bus, writes });
        let weak = Arc::downgrade(&registrar);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(250));
            loop {
                tick.tick().await;
                let Some(r) = weak.upgrade() else { break };
                let expired = r.table.take_expired(Utc::now());
                r.record(expired.into_iter().map(|b| (Change::Expired, b)).collect());
            }
        });
        Ok(registrar)
    }

    /// Persists and announces changes made to the table.
    pub fn record(&self, changes: Vec<(Change, Binding)>) {
        for (change, b) in changes {
            let write = match change {
                Change::Created | Change::Refreshed => Write::Upsert(b.clone()),
                Change::Removed | Change::Expired => Write::Delete(b.id.clone()),
            };
            let _ = self.writes.send(write);
            tracing::info!(aor = %b.aor, contact = %b.contact, source = %b.source, event = change.event_type(), "registration");
            self.bus.publish(change.event(RegistrationData {
                binding_id: b.id,
                aor: b.aor,
                extension_id: b.extension_id,
                contact: b.contact,
                source: b.source,
                transport: b.transport,
                user_agent: b.user_agent,
                expires_at: b.expires_at,
            }));
        }
    }

    /// Waits until every change recorded so far is in the store.
    pub async fn flush(&self) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if self.writes.send(Write::Flush(tx)).is_ok() {
            let _ = rx.await;
        }
    }

    pub fn unregister(&self, id: &str) -> Option<Binding> {
        let b = self.table.remove(id)?;
        self.record(vec![(Change::Removed, b.clone())]);
        Some(b)
    }
}

/// Applies binding writes in order; a failed write is logged and the next one goes on.
async fn write_through(store: Store, mut rx: mpsc::UnboundedReceiver<Write>) {
    while let Some(w) = rx.recv().await {
        let result = match w {
            Write::Upsert(b) => store.upsert_binding(&b).await,
            Write::Delete(id) => store.delete_binding(&id).await,
            Write::Flush(done) => {
                let _ = done.send(());
                Ok(())
            }
        };
        if let Err(e) = result {
            tracing::error!(error = %e, "cannot persist a registration");
        }
    }
}

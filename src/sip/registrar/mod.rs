//! The registrar (RFC 3261 section 10.3): bindings in memory for the hot path, written
//! through to the store by a background writer, expired by a timer, announced as
//! `registration.*` events.

pub mod binding;
pub mod keepalive;
pub mod persist;
pub mod table;

use crate::events::types::RegistrationData;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;

use self::binding::Binding;
use self::table::{BindingTable, Change};
use crate::events::{Draft, EventBus};
use crate::store::bindings::BindingWrite;
use crate::store::Store;

enum Write {
    /// A binding change and the event that tells of it: committed together.
    Change(BindingWrite, Draft),
    /// Answered once every earlier write is done.
    Flush(tokio::sync::oneshot::Sender<()>),
}

pub struct Registrar {
    pub table: BindingTable,
    /// Bindings behind NAT that stopped answering keep-alives (`keepalive.rs`): calls skip
    /// them until they answer again or register anew.
    pub unreachable: dashmap::DashSet<String>,
    writes: mpsc::UnboundedSender<Write>,
    /// This node: bindings it took are its own to expire; others are other nodes'.
    pub node: String,
    store: Store,
    /// The expiry the store holds (or will once the writer is through) for each binding
    /// this node wrote or loaded: refreshes that only move the expiry are written when this
    /// needs renewing (`persist.rs`).
    stored_until: dashmap::DashMap<String, chrono::DateTime<Utc>>,
}

impl Registrar {
    /// Loads the stored bindings and starts the writer and the expiry timer.
    pub async fn start(store: Store, bus: Arc<EventBus>) -> Result<Arc<Registrar>, crate::store::StoreError> {
        let table = BindingTable::new();
        let stored_until = dashmap::DashMap::new();
        for b in store.load_bindings(Utc::now().timestamp_millis()).await? {
            stored_until.insert(b.id.clone(), b.expires_at);
            table.insert_loaded(b);
        }
        let (writes, rx) = mpsc::unbounded_channel();
        let node = store.node().to_owned();
        tokio::spawn(write_through(store.clone(), bus.clone(), rx));
        let registrar = Arc::new(Registrar { table, unreachable: dashmap::DashSet::new(), writes, node, store, stored_until });
        let weak = Arc::downgrade(&registrar);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(250));
            loop {
                tick.tick().await;
                let Some(r) = weak.upgrade() else { break };
                let expired = r.table.take_expired(Utc::now());
                let others: Vec<String> = expired.iter().filter(|b| !r.owns(b)).map(|b| b.id.clone()).collect();
                // Every node expires what it sees expired, its own and other nodes' (whose
                // node may be gone): the store deletes each once, if no node refreshed it,
                // and only that deletion is announced.
                r.record(expired.into_iter().map(|b| (Change::Expired, b)).collect());
                if !others.is_empty() {
                    // Another node's binding may have been refreshed there without this
                    // node hearing of it yet: read back once the expiry was tried.
                    let r = r.clone();
                    tokio::spawn(async move {
                        r.flush().await;
                        for id in others {
                            r.refresh_from_store(&id).await;
                        }
                    });
                }
            }
        });
        Ok(registrar)
    }

    /// Persists and announces changes made to the table.
    pub fn record(&self, changes: Vec<(Change, Binding)>) {
        let now = Utc::now();
        for (change, b) in changes {
            // A REGISTER from the device proves it reachable; a binding gone needs no mark.
            self.unreachable.remove(&b.id);
            if change == Change::Extended {
                let stored = self.stored_until.get(&b.id).map(|e| *e.value());
                if !persist::must_write_extension(stored, b.expires_at, now) {
                    tracing::trace!(aor = %b.aor, contact = %b.contact, "registration extended in memory");
                    continue;
                }
                tracing::debug!(aor = %b.aor, contact = %b.contact, source = %b.source, event = change.event_type(), "registration");
            } else {
                tracing::info!(aor = %b.aor, contact = %b.contact, source = %b.source, event = change.event_type(), "registration");
            }
            let write = match change {
                Change::Created | Change::Refreshed | Change::Extended => {
                    self.stored_until.insert(b.id.clone(), b.expires_at);
                    BindingWrite::Upsert(b.clone())
                }
                Change::Removed => {
                    self.stored_until.remove(&b.id);
                    BindingWrite::Delete(b.id.clone())
                }
                // Once across the cluster: only if no node refreshed it meanwhile.
                Change::Expired => {
                    self.stored_until.remove(&b.id);
                    BindingWrite::Expire { id: b.id.clone(), now_ms: b.expires_at.timestamp_millis().max(now.timestamp_millis()) }
                }
            };
            let event = Draft::new(change.event(RegistrationData {
                binding_id: b.id,
                aor: b.aor,
                extension_id: b.extension_id,
                contact: b.contact,
                source: b.source,
                transport: b.transport,
                user_agent: b.user_agent,
                expires_at: b.expires_at,
            }));
            let _ = self.writes.send(Write::Change(write, event));
        }
    }

    /// Waits until every change recorded so far is in the store.
    pub async fn flush(&self) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if self.writes.send(Write::Flush(tx)).is_ok() {
            let _ = rx.await;
        }
    }

    /// Whether this node took the binding (bindings from before nodes were named are).
    pub fn owns(&self, b: &Binding) -> bool {
        b.node.as_deref().is_none_or(|n| n == self.node)
    }

    /// Takes in binding `id` as the store has it now (another node registered, refreshed
    /// or removed it): no write back, no event (the node that took the REGISTER did both).
    pub async fn refresh_from_store(&self, id: &str) {
        match self.store.load_binding(id, Utc::now().timestamp_millis()).await {
            // Ours: the table has it already (this node made the change).
            Ok(Some(b)) if self.owns(&b) => {}
            Ok(Some(b)) => {
                self.table.adopt(id, Some(b));
            }
            Ok(None) => {
                self.table.remove_if(id, |b| !self.owns(b));
            }
            Err(e) => tracing::warn!(binding = %id, error = %e, "cannot read another node's registration"),
        }
    }

    /// Replaces every other node's binding in the table by what the store holds (after a
    /// lost notification, and periodically).
    pub async fn resync_from_store(&self) {
        let stored = match self.store.load_live_bindings(Utc::now().timestamp_millis()).await {
            Ok(all) => all,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the other nodes' registrations");
                return;
            }
        };
        let theirs: std::collections::HashMap<String, Binding> = stored.into_iter().filter(|b| !self.owns(b)).map(|b| (b.id.clone(), b)).collect();
        for b in self.table.all() {
            if !self.owns(&b) && !theirs.contains_key(&b.id) {
                self.table.remove_if(&b.id, |b| !self.owns(b));
            }
        }
        for (id, b) in theirs {
            self.table.adopt(&id, Some(b));
        }
    }

    /// The bindings of `aor` a call may ring: registered, and not known to be unreachable.
    pub fn reachable(&self, aor: &str, now: chrono::DateTime<Utc>) -> Vec<Binding> {
        let mut bindings = self.table.lookup(aor, now);
        if !self.unreachable.is_empty() {
            bindings.retain(|b| !self.unreachable.contains(&b.id));
        }
        bindings
    }

    pub fn unregister(&self, id: &str) -> Option<Binding> {
        let b = self.table.remove(id)?;
        self.record(vec![(Change::Removed, b.clone())]);
        Some(b)
    }
}

/// Most binding changes committed in one transaction.
const WRITE_BATCH: usize = 500;

/// Applies binding writes in order, in batches (one transaction each, with their events);
/// a batch that fails is tried again until it is written.
async fn write_through(store: Store, bus: Arc<EventBus>, mut rx: mpsc::UnboundedReceiver<Write>) {
    let mut writes = Vec::new();
    let mut flushes = Vec::new();
    while let Some(first) = rx.recv().await {
        tokio::time::sleep(crate::store::GROUP_COMMIT_WAIT).await;
        let mut next = Some(first);
        while let Some(w) = next.take() {
            match w {
                Write::Change(write, event) => writes.push((write, Some(event))),
                Write::Flush(done) => flushes.push(done),
            }
            if writes.len() < WRITE_BATCH {
                next = rx.try_recv().ok();
            }
        }
        if !writes.is_empty() {
            // Kept until written: the phones are served from memory meanwhile.
            if let Some(events) = store.until_written("registrations", writes.len(), || store.write_bindings(&writes)).await {
                bus.hand_over(events);
            }
            writes.clear();
        }
        for done in flushes.drain(..) {
            let _ = done.send(());
        }
    }
}

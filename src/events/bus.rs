//! Publishing events. An event is published as a [`Draft`]: it has an id, a type, a time and
//! its data, but no `seq` yet. The store numbers it when it commits it (one stream for every
//! node on the store, see `store::events`); only then do clients see it, through the
//! feed. Drafts published from the SIP path are queued for the log
//! writer (the `log` module); configuration and registration events are written by the
//! transaction that makes the change and announced here with [`EventBus::announce_stored`].
//!
//! Reactions inside this node (a trunk re-registering after its configuration changed) do
//! not wait for the store: they subscribe to the changes as they are announced.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, broadcast, mpsc};

use super::types::EventPayload;

/// Buffered drafts per slow in-process subscriber before it starts missing them.
const CAPACITY: usize = 4096;
/// Drafts waiting for the log writer (the store is slow or away) before new ones are
/// dropped, each drop logged.
const QUEUE: usize = 100_000;

/// An event as published, before the store numbered it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub id: String,
    /// CloudEvents `type`, e.g. `config.changed`.
    pub kind: String,
    pub time: DateTime<Utc>,
    pub data: serde_json::Value,
}

impl Draft {
    pub fn new(payload: EventPayload) -> Draft {
        Draft { id: uuid::Uuid::now_v7().to_string(), kind: payload.kind().to_owned(), time: Utc::now(), data: payload.data() }
    }
}

/// An event as the store numbered it: `seq` is the cluster-wide position, gap-free and in
/// commit order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    pub seq: u64,
    pub id: String,
    /// CloudEvents `type`, e.g. `config.changed`.
    #[serde(rename = "type")]
    pub kind: String,
    pub time: DateTime<Utc>,
    pub data: serde_json::Value,
    /// The node that published it, when read back from the store.
    #[serde(skip)]
    pub node: Option<String>,
    /// `cloud_event()` as text, made once however many subscribers send it.
    #[serde(skip)]
    text: std::sync::OnceLock<String>,
}

impl Event {
    pub fn numbered(draft: Draft, seq: u64) -> Event {
        Event { seq, id: draft.id, kind: draft.kind, time: draft.time, data: draft.data, node: None, text: std::sync::OnceLock::new() }
    }

    /// How the event `draft` becomes at `seq` is stored: serializes as [`Event`] does,
    /// without copying the draft.
    pub fn row(draft: &Draft, seq: u64) -> impl Serialize + '_ {
        EventRow { seq, id: &draft.id, kind: &draft.kind, time: &draft.time, data: &draft.data }
    }
}

#[derive(Serialize)]
struct EventRow<'a> {
    seq: u64,
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    time: &'a DateTime<Utc>,
    data: &'a serde_json::Value,
}

/// What the log writer is sent.
pub(super) enum Queued {
    Event(Arc<Draft>),
    /// Answered once every event queued before it is written.
    Flush(tokio::sync::oneshot::Sender<()>),
}

pub struct EventBus {
    local: broadcast::Sender<Arc<Draft>>,
    queue: mpsc::Sender<Queued>,
    queued: std::sync::Mutex<Option<mpsc::Receiver<Queued>>>,
    /// Woken whenever events were committed to the store (by this node, or by another node
    /// as its notification says).
    stored: Notify,
    /// Events this node's log writer committed, handed to the feed as they are so that it
    /// need not read them back from the store.
    committed: std::sync::Mutex<Vec<Event>>,
    /// Something else committed events (a change's own transaction, another node): the
    /// feed reads the store.
    foreign: AtomicBool,
    dropped: AtomicU64,
}

/// Committed events held for the feed before it is told to read the store instead (it
/// stopped reading, or reads slower than calls publish).
const HANDED_MAX: usize = 10_000;

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBus {
    pub fn new() -> Self {
        let (local, _) = broadcast::channel(CAPACITY);
        let (queue, queued) = mpsc::channel(QUEUE);
        Self {
            local,
            queue,
            queued: std::sync::Mutex::new(Some(queued)),
            stored: Notify::new(),
            committed: std::sync::Mutex::new(Vec::new()),
            foreign: AtomicBool::new(false),
            dropped: AtomicU64::new(0),
        }
    }

    /// Publishes an event: queued for the log writer. Never waits (the SIP path calls it).
    /// In-process reactions are to changes (`announce_stored`, `react`), not to these: a
    /// call's events would wake every such subscriber for nothing.
    pub fn publish(&self, payload: EventPayload) {
        if let Err(e) = self.queue.try_send(Queued::Event(Arc::new(Draft::new(payload)))) {
            let dropped = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            let error = e.to_string();
            let kind = match e.into_inner() {
                Queued::Event(d) => d.kind.clone(),
                Queued::Flush(_) => String::new(),
            };
            tracing::error!(%kind, dropped, %error, "the event log writer is behind (is the store reachable?); event dropped");
        }
    }

    /// Shows in-process subscribers an event the caller has committed to the store itself,
    /// and wakes the feed.
    pub fn announce_stored(&self, draft: Draft) {
        let _ = self.local.send(Arc::new(draft));
        self.wake_feed();
    }

    /// Shows in-process subscribers a change made elsewhere (its event is stored by the
    /// node that made it), so this node reacts to it too.
    pub fn react(&self, draft: Draft) {
        let _ = self.local.send(Arc::new(draft));
    }

    /// Events were committed to the store: the feed reads them.
    pub fn wake_feed(&self) {
        self.foreign.store(true, Ordering::SeqCst);
        self.stored.notify_one();
    }

    /// A writer of this node (the log writer, the registrar's) committed these events
    /// (numbered, in order): the feed passes them on as they are when they follow the last
    /// event it passed on, and reads the store when they do not. Handing them over spares
    /// the feed reading back what was just written.
    pub fn hand_over(&self, events: Vec<Event>) {
        {
            let mut committed = self.committed.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if committed.len() + events.len() > HANDED_MAX {
                committed.clear();
                self.foreign.store(true, Ordering::SeqCst);
            } else {
                committed.extend(events);
            }
        }
        self.stored.notify_one();
    }

    /// What this node's writers handed over since last asked (in seq order: two writers'
    /// batches may arrive crossed), and whether the store has events from elsewhere too.
    pub(super) fn take_committed(&self) -> (Vec<Event>, bool) {
        let mut handed = std::mem::take(&mut *self.committed.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        handed.sort_unstable_by_key(|e| e.seq);
        (handed, self.foreign.swap(false, Ordering::SeqCst))
    }

    pub(super) async fn stored(&self) {
        self.stored.notified().await;
    }

    /// Waits (bounded, 5 s) until every event published so far is written (when
    /// stopping).
    pub async fn flush(&self) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if self.queue.send(Queued::Flush(tx)).await.is_ok() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), rx).await;
        }
    }

    /// The queue of drafts for the log writer: taken once, by the writer.
    pub(super) fn take_queue(&self) -> Option<mpsc::Receiver<Queued>> {
        self.queued.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }

    /// Changes as they are announced on this node (`announce_stored`, `react`), for
    /// reactions inside this node.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Draft>> {
        self.local.subscribe()
    }
}

impl Event {
    /// The CloudEvents JSON as text (serialized on first use, then shared).
    pub fn cloud_event_text(&self) -> &str {
        self.text.get_or_init(|| self.cloud_event().to_string())
    }

    /// The CloudEvents 1.0 structured-mode JSON of this event, plus `seq`.
    pub fn cloud_event(&self) -> serde_json::Value {
        serde_json::json!({
            "specversion": "1.0",
            "id": self.id,
            "source": "callplane",
            "type": self.kind,
            "time": self.time,
            "datacontenttype": "application/json",
            "seq": self.seq,
            "data": self.data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::types::ConfigChangedData;

    fn change(n: u64) -> EventPayload {
        EventPayload::ConfigChanged(ConfigChangedData { resource: "extension".into(), id: "e".into(), action: "created".into(), snapshot_version: n })
    }

    #[tokio::test]
    async fn published_drafts_go_to_the_writer_and_announced_changes_to_local_subscribers() {
        let bus = EventBus::new();
        let mut rx = bus.subscribe();
        let mut queue = bus.take_queue().expect("the queue");
        bus.publish(change(1));
        bus.publish(change(2));
        assert!(matches!(queue.recv().await, Some(Queued::Event(d)) if d.data["snapshot_version"] == 1));
        assert!(matches!(queue.recv().await, Some(Queued::Event(d)) if d.data["snapshot_version"] == 2));
        assert!(rx.try_recv().is_err(), "published events wake no in-process subscriber");
        bus.announce_stored(Draft::new(change(3)));
        bus.react(Draft::new(change(4)));
        assert_eq!(rx.recv().await.expect("announced").data["snapshot_version"], 3);
        assert_eq!(rx.recv().await.expect("made elsewhere").data["snapshot_version"], 4);
        assert!(bus.take_queue().is_none(), "the queue has one reader");
    }
}

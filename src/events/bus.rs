//! The in-process event bus (tokio broadcast). Every event gets a sequence number that
//! increases by one per event on this node, so consumers can tell gaps and resume.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use super::types::EventPayload;

/// Buffered events per slow subscriber before it starts missing them.
const CAPACITY: usize = 4096;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    pub seq: u64,
    pub id: String,
    /// CloudEvents `type`, e.g. `config.changed`.
    #[serde(rename = "type")]
    pub kind: String,
    pub time: DateTime<Utc>,
    pub data: serde_json::Value,
    /// `cloud_event()` as text, made once however many subscribers send it.
    #[serde(skip)]
    text: std::sync::OnceLock<String>,
}

pub struct EventBus {
    sender: broadcast::Sender<Arc<Event>>,
    next_seq: AtomicU64,
    /// Makes numbering and sending one step, so every subscriber sees seq in order.
    order: std::sync::Mutex<()>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBus {
    pub fn new() -> Self {
        Self::starting_after(0)
    }

    /// A bus whose first event is `last + 1` (continuing the stored log after a restart).
    pub fn starting_after(last: u64) -> Self {
        let (sender, _) = broadcast::channel(CAPACITY);
        Self { sender, next_seq: AtomicU64::new(last + 1), order: std::sync::Mutex::new(()) }
    }

    /// The seq of the last event published.
    pub fn last_seq(&self) -> u64 {
        self.next_seq.load(Ordering::SeqCst).saturating_sub(1)
    }

    /// Publishes an event; having no subscriber is fine.
    pub fn publish(&self, payload: EventPayload) -> Arc<Event> {
        let data = payload.data();
        // Held for a counter increment and a channel send, never across an await.
        let _order = self.order.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let event = Arc::new(Event {
            seq: self.next_seq.fetch_add(1, Ordering::SeqCst),
            id: uuid::Uuid::now_v7().to_string(),
            kind: payload.kind().to_owned(),
            time: Utc::now(),
            data,
            text: std::sync::OnceLock::new(),
        });
        let _ = self.sender.send(event.clone());
        event
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.sender.subscribe()
    }

    /// A receiver and the seq of the last event published before it existed: every later
    /// event reaches the receiver, every earlier one is at most this seq.
    pub fn subscribe_at(&self) -> (broadcast::Receiver<Arc<Event>>, u64) {
        let _order = self.order.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        (self.sender.subscribe(), self.last_seq())
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

    #[tokio::test]
    async fn subscribers_see_events_in_order_with_consecutive_seq() {
        let bus = EventBus::new();
        let mut rx = bus.subscribe();
        let change = |n| {
            EventPayload::ConfigChanged(ConfigChangedData {
                resource: "extension".into(),
                id: "e".into(),
                action: "created".into(),
                snapshot_version: n,
            })
        };
        bus.publish(change(1));
        bus.publish(change(2));
        let a = rx.recv().await.expect("first");
        let b = rx.recv().await.expect("second");
        assert_eq!(b.seq, a.seq + 1);
        assert_eq!(a.data["snapshot_version"], 1);
    }
}

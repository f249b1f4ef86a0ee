//! The in-process event bus (tokio broadcast). Every event gets a sequence number that
//! increases by one per event on this node, so consumers can tell gaps and resume.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::broadcast;

/// Buffered events per slow subscriber before it starts missing them.
const CAPACITY: usize = 4096;

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub seq: u64,
    pub id: String,
    /// CloudEvents `type`, e.g. `config.changed`.
    #[serde(rename = "type")]
    pub kind: String,
    pub time: DateTime<Utc>,
    pub data: serde_json::Value,
}

pub struct EventBus {
    sender: broadcast::Sender<Arc<Event>>,
    next_seq: AtomicU64,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new()
    }
}

impl EventBus {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(CAPACITY);
        Self { sender, next_seq: AtomicU64::new(1) }
    }

    /// Publishes an event; having no subscriber is fine.
    pub fn publish(&self, kind: &str, data: serde_json::Value) -> Arc<Event> {
        let event = Arc::new(Event {
            seq: self.next_seq.fetch_add(1, Ordering::SeqCst),
            id: uuid::Uuid::now_v7().to_string(),
            kind: kind.to_owned(),
            time: Utc::now(),
            data,
        });
        let _ = self.sender.send(event.clone());
        event
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.sender.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_see_events_in_order_with_consecutive_seq() {
        let bus = EventBus::new();
        let mut rx = bus.subscribe();
        bus.publish("config.changed", serde_json::json!({"n": 1}));
        bus.publish("config.changed", serde_json::json!({"n": 2}));
        let a = rx.recv().await.expect("first");
        let b = rx.recv().await.expect("second");
        assert_eq!(b.seq, a.seq + 1);
        assert_eq!(a.data["n"], 1);
    }
}

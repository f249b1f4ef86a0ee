//! The feed: events as the store committed them, in `seq` order, for this node's clients
//! (WebSocket streams). It reads the store after the last seq it passed on whenever events
//! were committed (this node's writers wake it; another node's events wake it through the
//! cluster's notification), and once a second anyway. Since the store hands out seq
//! gap-free in commit order, reading "after the last seq seen" never skips an event that
//! commits late, and every node's feed shows the same stream.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::broadcast;

use super::{Event, EventBus};
use crate::store::Store;

/// Events per client buffered before a slow client is told to resume from the log.
const CAPACITY: usize = 4096;
const POLL: Duration = Duration::from_secs(1);
const BATCH: u32 = 1000;

pub struct Feed {
    sender: broadcast::Sender<Arc<Event>>,
    last: AtomicU64,
    /// Makes "last seq passed on" and "subscribed" one step (see `subscribe_at`).
    order: std::sync::Mutex<()>,
}

impl Feed {
    /// Starts following the store from its newest event.
    pub async fn start(store: Store, bus: Arc<EventBus>) -> Result<Arc<Feed>, crate::store::StoreError> {
        let after = store.last_event_seq().await?;
        let (sender, _) = broadcast::channel(CAPACITY);
        let feed = Arc::new(Feed { sender, last: AtomicU64::new(after), order: std::sync::Mutex::new(()) });
        let weak = Arc::downgrade(&feed);
        tokio::spawn(async move {
            loop {
                let _ = tokio::time::timeout(POLL, bus.stored()).await;
                let Some(feed) = weak.upgrade() else { break };
                feed.read(&store).await;
            }
        });
        Ok(feed)
    }

    async fn read(&self, store: &Store) {
        loop {
            let after = self.last_seq();
            let events = match store.events_after(after, BATCH).await {
                Ok(events) => events,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the event log for the live feed");
                    return;
                }
            };
            let full = events.len() as u32 == BATCH;
            for e in events {
                if e.seq != self.last_seq() + 1 {
                    tracing::warn!(after = self.last_seq(), next = e.seq, "events were trimmed from the log before the feed read them");
                }
                let _order = self.order.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                self.last.store(e.seq, Ordering::SeqCst);
                let _ = self.sender.send(Arc::new(e));
            }
            if !full {
                return;
            }
        }
    }

    /// The seq of the last event passed on.
    pub fn last_seq(&self) -> u64 {
        self.last.load(Ordering::SeqCst)
    }

    /// Events from now on, as committed.
    /// How many streams are subscribed now.
    pub fn subscribers(&self) -> usize {
        self.sender.receiver_count()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.sender.subscribe()
    }

    /// A receiver and the seq of the last event passed on before it existed: every later
    /// event reaches the receiver, every earlier one is in the store.
    pub fn subscribe_at(&self) -> (broadcast::Receiver<Arc<Event>>, u64) {
        let _order = self.order.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        (self.sender.subscribe(), self.last_seq())
    }
}

//! The feed: events as the store committed them, in `seq` order, for this node's clients
//! (WebSocket streams). It reads the store after the last seq it passed on whenever events
//! were committed (this node's writers wake it; another node's events wake it through the
//! cluster's notification), and once a second anyway. Since the store hands out seq
//! gap-free in commit order, reading "after the last seq seen" never skips an event that
//! commits late, and every node's feed shows the same stream. The events this node's log
//! writer commits are handed over as committed instead of read back, as long as they
//! follow on from the last one passed on.

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
                let woken = tokio::time::timeout(POLL, bus.stored()).await.is_ok();
                let Some(feed) = weak.upgrade() else { break };
                let (handed, foreign) = bus.take_committed();
                // This node's own events pass on as committed while they follow on; a gap
                // (another writer's events between), another writer's wake or the periodic
                // look sends the feed to the store.
                let followed = feed.pass_on_following(handed);
                if foreign || !followed || !woken {
                    feed.read(&store).await;
                }
            }
        });
        Ok(feed)
    }

    /// Passes on `events` (in seq order) while each follows the last one passed on;
    /// false at the first that leaves a gap.
    fn pass_on_following(&self, events: Vec<Event>) -> bool {
        for e in events {
            if e.seq <= self.last_seq() {
                continue;
            }
            if e.seq != self.last_seq() + 1 {
                return false;
            }
            self.pass_on(e);
        }
        true
    }

    fn pass_on(&self, e: Event) {
        let _order = self.order.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.last.store(e.seq, Ordering::SeqCst);
        let _ = self.sender.send(Arc::new(e));
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
                self.pass_on(e);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::log::{self, Retention};
    use crate::events::types::{ConfigChangedData, EventPayload};
    use crate::events::Draft;

    fn change(n: u64) -> EventPayload {
        EventPayload::ConfigChanged(ConfigChangedData { resource: "extension".into(), id: "e".into(), action: "updated".into(), snapshot_version: n })
    }

    async fn next(rx: &mut broadcast::Receiver<Arc<Event>>) -> Arc<Event> {
        tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.expect("an event within 5 s").expect("the feed is open")
    }

    /// The log writer's events are handed over; events another writer committed between
    /// them (announced or not yet) still reach the stream, in seq order, none twice.
    #[tokio::test]
    async fn handed_over_and_stored_events_make_one_gap_free_stream() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let url = format!("sqlite://{}/feed.db?mode=rwc", dir.path().display());
        let store = Store::open(&url).await.expect("the store").with_node("n1");
        let bus = Arc::new(EventBus::new());
        log::start(store.clone(), &bus, Retention::default());
        let feed = Feed::start(store.clone(), bus.clone()).await.expect("the feed");
        let mut rx = feed.subscribe();
        bus.publish(change(1));
        assert_eq!(next(&mut rx).await.seq, 1);
        // Another writer's event, announced: the feed reads it from the store.
        store.append_events(&[Draft::new(change(2))]).await.expect("appended");
        bus.wake_feed();
        assert_eq!(next(&mut rx).await.data["snapshot_version"], 2);
        // Another writer's event nobody announced: the next handed-over event leaves a gap,
        // so the feed reads the store rather than skip it.
        store.append_events(&[Draft::new(change(3))]).await.expect("appended");
        bus.publish(change(4));
        for (seq, version) in [(3, 3), (4, 4)] {
            let e = next(&mut rx).await;
            assert_eq!((e.seq, e.data["snapshot_version"].as_u64()), (seq, Some(version)));
            assert_eq!(e.node.as_deref(), Some("n1"));
        }
        assert_eq!(feed.last_seq(), 4);
    }
}

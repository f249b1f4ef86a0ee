//! Events: facts about state changes. Published as drafts on the bus, numbered and kept by
//! the store (one stream for every node), read back by the feed, the event log API and the
//! webhook queue.

pub mod bus;
pub mod feed;
pub mod log;
pub mod types;
pub mod webhooks;

pub use bus::{Draft, Event, EventBus};
pub use types::EventPayload;

/// Whether event type `kind` matches a filter pattern: exact, or a prefix ending in `*`
/// (`call.*`, `*`). Shared by WebSocket filters and webhook `event_types`.
pub fn type_matches(pattern: &str, kind: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => kind.starts_with(prefix),
        None => pattern == kind,
    }
}

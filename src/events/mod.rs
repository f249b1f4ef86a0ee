//! Events: facts about state changes, published on one in-process bus.

pub mod bus;
pub mod log;
pub mod webhooks;
pub mod websocket;

pub use bus::{Event, EventBus};

//! Events: facts about state changes, published on one in-process bus.

pub mod bus;

pub use bus::{Event, EventBus};

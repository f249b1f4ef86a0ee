//! Transactions (RFC 3261 section 17).

pub mod client;
pub mod key;
pub mod retransmit;
pub mod server;

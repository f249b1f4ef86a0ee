//! Transactions (RFC 3261 section 17).

pub mod key;
pub mod server;

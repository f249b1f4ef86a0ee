//! The embedded SIP core.

pub mod consts;
pub mod wire;

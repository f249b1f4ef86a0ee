//! The embedded SIP core.

pub mod auth;
pub mod consts;
pub mod registrar;
pub mod response;
pub mod transport;
pub mod wire;

//! The embedded SIP core: transports, the wire layer in front of rsip, transactions, the
//! registrar and the method handlers.

pub mod auth;
pub mod b2bua;
pub mod consts;
pub mod core;
pub mod dialog;
pub mod endpoint;
pub mod locate;
pub mod methods;
pub mod nonce_counts;
pub mod registrar;
pub mod response;
pub mod sdp;
pub mod sdp_answer;
pub mod security;
pub mod subscriptions;
pub mod transaction;
pub mod trace;
pub mod transport;
pub mod trunk;
pub mod wire;

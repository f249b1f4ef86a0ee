//! The wire layer in front of rsip: framing, normalisation (unfolding, compact forms,
//! bare-LF tolerance, multi-value splitting) and validation of what SIP peers really send,
//! plus our own parsing of the pieces rsip 0.4 gets wrong (global `tel:` URIs, IPv6 hosts,
//! multi-value Via/Contact, `+sip.instance`, hex `nc`, qop lists).
//!
//! Inbound messages become [`Message`]; outbound ones are written by [`compose::Compose`].

pub mod compose;
pub mod digest;
pub mod dtmf_info;
pub mod frame;
pub mod header;
pub mod message;
pub mod name_addr;
pub mod uri;
pub mod via;

pub use message::{Message, Method, ParseError, StartLine, parse};

//! A registered contact of an extension (RFC 3261 section 10), as the registrar keeps it,
//! the store persists it and the API shows it.

use std::net::SocketAddr;

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use serde::{Deserialize, Serialize};


#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "lowercase")]
#[oai(rename_all = "lowercase")]
pub enum BindingTransport {
    Udp,
    Tcp,
    Tls,
}

/// A registration: one device of one extension, and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Binding {
    pub id: String,
    /// The extension number (address of record).
    pub aor: String,
    pub extension_id: String,
    /// The Contact URI the device registered.
    pub contact: String,
    /// The device's `+sip.instance` (RFC 5626), when it sent one.
    pub instance: Option<String>,
    /// Address the REGISTER came from; requests to the device go here (NAT-safe).
    pub source: String,
    pub transport: BindingTransport,
    pub user_agent: Option<String>,
    /// Proxies between the device and Callplane (RFC 3327 Path), nearest to Callplane
    /// first: requests to the device are routed through them.
    #[serde(default)]
    pub path: Vec<String>,
    pub call_id: String,
    pub cseq: u32,
    pub expires_at: DateTime<Utc>,
    pub registered_at: DateTime<Utc>,
    pub refreshed_at: DateTime<Utc>,
    /// The node that took the REGISTER (several nodes on one PostgreSQL): it expires the
    /// binding; the others deliver calls to it too.
    #[serde(default)]
    pub node: Option<String>,
}

impl Binding {
    pub fn source_addr(&self) -> Option<SocketAddr> {
        self.source.parse().ok()
    }

    /// Seconds left, rounded up, never negative.
    pub fn expires_in(&self, now: DateTime<Utc>) -> i64 {
        let ms = (self.expires_at - now).num_milliseconds();
        if ms <= 0 { 0 } else { (ms + 999) / 1000 }
    }

    /// Whether a new contact from a REGISTER is the same device as this binding:
    /// same instance id when both have one, else the same Contact URI.
    pub fn same_device(&self, contact: &str, instance: Option<&str>) -> bool {
        match (self.instance.as_deref(), instance) {
            (Some(a), Some(b)) => a == b,
            _ => self.contact == contact,
        }
    }
}

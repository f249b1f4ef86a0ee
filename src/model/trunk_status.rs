//! What Callplane knows about each trunk right now.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum TrunkState {
    /// Registering for the first time or after a change.
    Registering,
    /// The carrier accepted our registration.
    Registered,
    /// The carrier refused it, or did not answer; retried with back-off.
    Failed,
    /// Peer trunk answering OPTIONS keep-alives.
    Up,
    /// Peer trunk not answering OPTIONS keep-alives.
    Down,
    /// Peer trunk without keep-alive: nothing to report.
    Unmonitored,
    /// The trunk is disabled in its configuration.
    Disabled,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TrunkStatus {
    pub trunk_id: String,
    pub name: String,
    pub state: TrunkState,
    /// The carrier's last answer, e.g. `400 Bad Request; P-Registrar-Error: Invalid CSeq number`.
    pub last_response: Option<String>,
    pub registered_until: Option<DateTime<Utc>>,
    /// When the next REGISTER or keep-alive goes out.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The server in use, as DNS located it: `name:port (transport address)`.
    pub target: Option<String>,
    /// Why it is not the preferred one, or came back to it (a timeout, a 503, the DNS
    /// answers expiring).
    pub target_note: Option<String>,
    pub updated_at: DateTime<Utc>,
}

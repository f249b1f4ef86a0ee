//! A banned source address (fail-to-ban, scanner signatures or the API).

use std::net::IpAddr;

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ban {
    pub ip: IpAddr,
    /// `auth_failures`, `scanner`, or `api` (added by hand).
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

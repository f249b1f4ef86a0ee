//! What a token may do.

use std::fmt;
use std::str::FromStr;

use poem_openapi::Enum;
use serde::{Deserialize, Serialize};

/// A token's scope.
///
/// - `admin`: everything.
/// - `read`: every `GET` of configuration and runtime views.
/// - `calls`: live calls, click-to-call and hang-up, plus reads.
/// - `events`: the event stream only.
/// - `metrics`: the Prometheus metrics only (for a scraper's token).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum Scope {
    Admin,
    Read,
    Calls,
    Events,
    Metrics,
}

/// The kind of access an API operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reading configuration or runtime state.
    Read,
    /// Changing configuration or minting tokens.
    Admin,
    /// Acting on calls (hang up, click-to-call).
    Calls,
    /// Reading the event stream and log.
    Events,
    /// Scraping the metrics.
    Metrics,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Admin => "admin",
            Scope::Read => "read",
            Scope::Calls => "calls",
            Scope::Events => "events",
            Scope::Metrics => "metrics",
        }
    }

    /// Whether a token with this scope may perform an operation needing `access`.
    pub fn allows(self, access: Access) -> bool {
        match (self, access) {
            (Scope::Admin, _) => true,
            (Scope::Read | Scope::Calls, Access::Read) => true,
            (Scope::Calls, Access::Calls) => true,
            (Scope::Events, Access::Events) => true,
            (Scope::Metrics, Access::Metrics) => true,
            _ => false,
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown scope `{0}` (expected admin, read, calls, events or metrics)")]
pub struct UnknownScope(String);

impl FromStr for Scope {
    type Err = UnknownScope;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "admin" => Ok(Scope::Admin),
            "read" => Ok(Scope::Read),
            "calls" => Ok(Scope::Calls),
            "events" => Ok(Scope::Events),
            "metrics" => Ok(Scope::Metrics),
            other => Err(UnknownScope(other.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admin_writes_and_events_reads_nothing() {
        assert!(Scope::Admin.allows(Access::Admin));
        assert!(!Scope::Read.allows(Access::Admin));
        assert!(Scope::Read.allows(Access::Read));
        assert!(!Scope::Events.allows(Access::Read));
        assert!(!Scope::Calls.allows(Access::Admin));
    }

    #[test]
    fn parses_round_trip() {
        for s in [Scope::Admin, Scope::Read, Scope::Calls, Scope::Events] {
            assert_eq!(s.as_str().parse::<Scope>().ok(), Some(s));
        }
        assert!("root".parse::<Scope>().is_err());
    }
}

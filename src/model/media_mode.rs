//! How an extension's or trunk's media flows.

use poem_openapi::Enum;
use serde::{Deserialize, Serialize};

/// `auto`: through the media relay when a party is behind NAT or the call crosses a
/// trunk; `relay`: always through the relay; `direct`: not through the relay (endpoints
/// send RTP to each other) unless a party has `recording: always`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum MediaMode {
    #[default]
    Auto,
    Relay,
    Direct,
}

/// When an extension's or trunk's calls are recorded (relayed calls only; `always` puts the
/// call through the relay).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum RecordingMode {
    /// Never: `POST /api/v1/calls/{id}/recording` is refused (409).
    Never,
    /// When asked for through the API.
    #[default]
    OnDemand,
    /// From the answer on; the call goes through the relay whatever `media_mode` says.
    Always,
}

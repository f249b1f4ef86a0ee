//! Call detail records: one per call, as stored and as the API and events show them.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum Disposition {
    Answered,
    Busy,
    NoAnswer,
    Cancelled,
    Failed,
}

impl Disposition {
    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::Answered => "answered",
            Disposition::Busy => "busy",
            Disposition::NoAnswer => "no_answer",
            Disposition::Cancelled => "cancelled",
            Disposition::Failed => "failed",
        }
    }
}

pub fn disposition(code: u16, answered: bool) -> Disposition {
    match (answered, code) {
        (true, _) => Disposition::Answered,
        (false, 486 | 600) => Disposition::Busy,
        (false, 480 | 408) => Disposition::NoAnswer,
        (false, 487) => Disposition::Cancelled,
        _ => Disposition::Failed,
    }
}

/// Which side ended a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum HangupSide {
    Caller,
    Callee,
    /// `DELETE /api/v1/calls/{id}` (or a transfer through the API).
    Api,
    /// Nobody hung up: the call was not answered, or Callplane ended it.
    None,
}

impl HangupSide {
    pub fn as_str(self) -> &'static str {
        match self {
            HangupSide::Caller => "caller",
            HangupSide::Callee => "callee",
            HangupSide::Api => "api",
            HangupSide::None => "none",
        }
    }
}

/// Why a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum HangupReason {
    /// A party sent BYE.
    HungUp,
    /// Hung up through the API.
    Api,
    /// The caller cancelled while it rang.
    Cancelled,
    /// Ringing ended without an answer: busy, no answer, refused or no route (see
    /// `final_code`).
    NotAnswered,
    /// The caller never acknowledged the answer: no ACK within 64*T1 (32 s; RFC 3261
    /// section 13.3.1.4).
    AckTimeout,
    /// A session refresh did not come, or was not answered (RFC 4028 section 10).
    SessionExpired,
    /// The TCP or TLS connection of a leg closed.
    ConnectionLost,
    /// The media relay carrying the call stopped answering (its sessions are gone): the
    /// call is ended rather than left up in silence.
    MediaLost,
    /// The call went on to another party (a transfer); the next segment has the same
    /// `transfer_group`.
    Transferred,
    /// The node carrying the call stopped (crashed, killed, lost its host). Its CDR was
    /// written when the node restarted, or by another node of the cluster, with the call
    /// lasting until the node's last sign of life; both parties were sent a BYE.
    NodeLost,
    /// Callplane was stopped (SIGTERM) and the call outlasted the drain time: both parties
    /// were sent a BYE.
    Shutdown,
}

impl HangupReason {
    pub fn as_str(self) -> &'static str {
        match self {
            HangupReason::HungUp => "hung_up",
            HangupReason::Api => "api",
            HangupReason::Cancelled => "cancelled",
            HangupReason::NotAnswered => "not_answered",
            HangupReason::AckTimeout => "ack_timeout",
            HangupReason::SessionExpired => "session_expired",
            HangupReason::ConnectionLost => "connection_lost",
            HangupReason::MediaLost => "media_lost",
            HangupReason::Transferred => "transferred",
            HangupReason::NodeLost => "node_lost",
            HangupReason::Shutdown => "shutdown",
        }
    }
}

/// How a call (or one segment of it) ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    /// The SIP code the caller got (200 once answered).
    pub code: u16,
    /// Human-readable cause.
    pub cause: String,
    pub side: HangupSide,
    pub reason: HangupReason,
}

impl Ending {
    pub fn new(code: u16, cause: impl Into<String>, side: HangupSide, reason: HangupReason) -> Ending {
        Ending { code, cause: cause.into(), side, reason }
    }
}

/// A finished call.
#[derive(Debug, Clone, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Cdr {
    pub id: String,
    pub caller: String,
    pub dialed: String,
    /// The extension that answered.
    pub final_callee: Option<String>,
    /// Forwarding hops in order, `from>to`.
    pub forwarding_chain: Vec<String>,
    pub ring_group: Option<String>,
    /// Name of the trunk the call used.
    #[serde(default)]
    pub trunk: Option<String>,
    pub started_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: DateTime<Utc>,
    /// Seconds from answer to hang-up (0 when unanswered).
    pub duration_s: f64,
    /// The SIP code the caller got (200 when answered).
    pub final_code: u16,
    pub disposition: Disposition,
    pub hangup_side: HangupSide,
    /// Why the call ended (absent on records written before it was recorded).
    #[serde(default)]
    pub hangup_reason: Option<HangupReason>,
    /// Set on every segment of a transferred call: the id of its first segment (which is
    /// also the call's id in `/api/v1/calls` and its events). Each transfer ends one
    /// segment (`hangup_reason: transferred`) and starts the next, in time order.
    #[serde(default)]
    pub transfer_group: Option<String>,
}

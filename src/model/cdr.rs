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
    /// `caller`, `callee`, `api` or `none`.
    pub hangup_side: String,
}

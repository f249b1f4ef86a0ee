//! What happens to a call, delivered to its task: outcomes of the INVITEs it placed,
//! requests in its dialogs, CANCEL and hang-up from the API.

use std::sync::Arc;

use crate::sip::endpoint::responder::Responder;
use crate::sip::transaction::client::Outcome;
use crate::sip::transport::Source;
use crate::sip::wire::Message;

/// One thing that happened to a call (its task handles them in order).
pub enum CallEvent {
    Fork { leg: usize, outcome: Outcome },
    Cancel,
    /// An ACK for our 2xx on a dialog where Callplane is the UAS (the caller's, or one that
    /// replaced a party), with its body (the SDP answer of a late offer).
    AckFromA { call_id: String, body: Option<(String, Vec<u8>)> },
    FromA { msg: Arc<Message>, responder: Box<Responder> },
    FromB { msg: Arc<Message>, responder: Box<Responder> },
    Hangup,
    /// `POST /api/v1/calls/{id}/transfer`: `keep` stays and is connected to `to`.
    Transfer { keep: Keep, to: String },
    /// A TCP or TLS connection closed: legs that used it are gone.
    ConnectionLost(Source),
    /// The media relay stopped answering (relayed calls end).
    MediaLost,
    /// Start (or stop) recording the call.
    Record { start: bool, reply: tokio::sync::oneshot::Sender<RecordAnswer> },
    /// The relay saw a keypress from the party tagged `tag`.
    Dtmf { tag: String, digit: char, duration_ms: u32 },
    /// An attended transfer from another call: `leg` (a party of that call, with its
    /// dialog) takes the place of this call's party whose dialog has `replaces` as Call-ID.
    /// `reply` says whether it did.
    Adopt { replaces: String, leg: Box<AdoptedLeg>, reply: tokio::sync::oneshot::Sender<bool> },
    /// An INVITE with Replaces (RFC 3891) naming the dialog with Call-ID `replaces`: its
    /// sender takes that party's place; answered through `responder`.
    Replace { replaces: String, invite: Arc<Message>, responder: Box<Responder>, source: Source },
    /// An INVITE to pick the call up while it rings (a pickup code, or Replaces naming a
    /// ringing device's dialog).
    Pickup(Box<PickupRequest>),
    /// An INVITE to a park slot holding this call: its sender takes the parked party.
    Retrieve(Box<PickupRequest>),
    /// The outcome of our session refresh on the leg with `call_id` (`None`: no answer).
    Refreshed { call_id: String, code: Option<u16>, by_update: bool },
}

/// Which party of a call stays in a transfer through the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, poem_openapi::Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum Keep {
    /// The party that placed the call (or that stayed in an earlier transfer).
    Caller,
    /// The party that answered it.
    Callee,
}

/// A party handed from one call to another (attended transfer).
pub struct AdoptedLeg {
    pub dialog: crate::sip::dialog::Dialog,
    pub number: String,
    /// The session description it sent last.
    pub sdp: Option<(String, Vec<u8>)>,
    /// The session description it saw last (its origin continues, RFC 3264 section 8).
    pub seen: Option<(String, Vec<u8>)>,
    /// The CDR id tying the two calls' segments together.
    pub transfer_group: String,
}

/// What a call did with a request to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordAnswer {
    /// Recording started (or stopped, or already in that state).
    Done,
    /// The call is not answered yet.
    NotAnswered,
    /// The call's media does not go through the relay (or the relay keeps no recordings).
    NotRelayed,
    /// A party's `recording` is `never`.
    Refused,
    /// The relay did not do it.
    Failed,
}

/// Which ringing legs a pickup takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickupTarget {
    /// The leg whose dialog has this Call-ID (from `Replaces`).
    Dialog(String),
    /// Any leg ringing one of these numbers (from a pickup code).
    Numbers(Vec<String>),
    /// The party parked in this slot.
    Slot(String),
}

/// An INVITE that asks to pick a ringing call up.
pub struct PickupRequest {
    pub target: PickupTarget,
    pub via: crate::events::types::PickupVia,
    pub invite: Arc<Message>,
    pub responder: Responder,
    pub source: Source,
}


//! Every event type and its `data`, declared once. Publishers build an [`EventPayload`], so
//! an event's `type` and the shape of its `data` cannot disagree; the same declarations give
//! the OpenAPI document one envelope schema per type (union [`CloudEvent`], discriminated by
//! `type`), so generated SDKs get a model per event.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object, Union};
use serde::Serialize;

use crate::model::cdr::{Cdr, HangupReason, HangupSide};
use crate::model::binding::BindingTransport;
use crate::model::trunk_status::TrunkState;

/// A device binding that was created, refreshed, removed or expired.
#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RegistrationData {
    pub binding_id: String,
    /// The extension number (address of record).
    pub aor: String,
    pub extension_id: String,
    pub contact: String,
    /// `ip:port` the REGISTER came from.
    pub source: String,
    pub transport: BindingTransport,
    pub user_agent: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// A device behind NAT stopped answering keep-alives: calls skip it until it answers or
/// registers again.
#[derive(Debug, Clone, Serialize, Object)]
pub struct RegistrationUnreachableData {
    pub binding_id: String,
    pub aor: String,
    pub extension_id: String,
    pub contact: String,
    /// `ip:port` the REGISTER came from (the NAT's mapping), where the keep-alives went.
    pub source: String,
    pub transport: BindingTransport,
    pub since: DateTime<Utc>,
}

/// Who a call is about; every `call.*` event carries these.
#[derive(Debug, Clone, Serialize, serde::Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CallParties {
    pub call_id: String,
    /// The calling number (extension, or the caller id a trunk delivered).
    pub caller: String,
    /// The number dialled.
    pub dialed: String,
    /// Present and true for calls placed with `POST /api/v1/calls`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub click_to_call: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CallCreatedData {
    #[serde(flatten)]
    #[oai(flatten)]
    pub call: CallParties,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CallRingingData {
    #[serde(flatten)]
    #[oai(flatten)]
    pub call: CallParties,
    /// The number that is ringing.
    pub callee: String,
    /// 180 or 183, when a device answered provisionally.
    pub code: Option<u16>,
    /// The ringing device's early dialog as the device sees it: what a busy-lamp key
    /// names in `Replaces` to pick the call up (RFC 3891). Absent until the device
    /// answered provisionally with a tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub dialog: Option<SipDialogIds>,
}

/// A SIP dialog's identifiers, from one party's side (RFC 3261 section 12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Object)]
pub struct SipDialogIds {
    pub call_id: String,
    pub local_tag: String,
    pub remote_tag: String,
}

/// How a ringing call was picked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum PickupVia {
    /// The group pickup code (`*8` by default): a call ringing in the picker's pickup group.
    GroupCode,
    /// The directed pickup code and an extension (`**` + number by default).
    DirectedCode,
    /// An INVITE with `Replaces` naming the ringing dialog (a busy-lamp key, RFC 3891).
    Replaces,
}

#[derive(Debug, Clone, Serialize, Object)]
pub struct CallPickedUpData {
    #[serde(flatten)]
    #[oai(flatten)]
    pub call: CallParties,
    /// The extension that picked the call up (now talking to the caller).
    pub picked_up_by: String,
    /// The number that was ringing.
    pub ringing: String,
    pub via: PickupVia,
}

#[derive(Debug, Clone, Serialize, Object)]
pub struct CallParkedData {
    #[serde(flatten)]
    #[oai(flatten)]
    pub call: CallParties,
    /// The park slot holding the call: dial it to take the call back.
    pub slot: String,
    /// The party waiting in the slot.
    pub parked: String,
    /// The extension that parked it.
    pub parked_by: String,
    /// When the call rings the parker again unless retrieved.
    pub timeout_at: DateTime<Utc>,
}

/// Why a call left its park slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum UnparkReason {
    /// Somebody dialled the slot.
    Retrieved,
    /// Nobody did in time: the call rings the parker again.
    TimedOut,
    /// The parked party hung up.
    HungUp,
}

#[derive(Debug, Clone, Serialize, Object)]
pub struct CallUnparkedData {
    #[serde(flatten)]
    #[oai(flatten)]
    pub call: CallParties,
    pub slot: String,
    pub reason: UnparkReason,
    /// Who took the call: the extension that dialled the slot, or the parker rung again.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub to: Option<String>,
}

/// What an extension's presence shows (RFC 3856 / RFC 4480 activities).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum PresenceState {
    Available,
    OnThePhone,
    DoNotDisturb,
    /// No device registered.
    Offline,
}

#[derive(Debug, Clone, Serialize, Object)]
pub struct PresenceChangedData {
    pub number: String,
    pub state: PresenceState,
    /// The state before (`offline` for an extension just created).
    pub previous: PresenceState,
}

/// Why a call moved on to another number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum ForwardReason {
    Unconditional,
    Busy,
    NoAnswer,
    Unavailable,
    /// A device answered 3xx.
    Redirect,
    /// A ring group's fallback.
    Fallback,
    /// The caller chose it in an IVR menu (`from` is `ivr:<menu number>`).
    Menu,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CallHoldData {
    #[serde(flatten)]
    #[oai(flatten)]
    pub call: CallParties,
    /// The number of the party put on hold (or taken off it).
    pub party: String,
    /// The number of the party that pressed Hold (or Resume).
    pub by: String,
    /// Whether the held party hears music on hold (the call goes through the media relay).
    pub music: bool,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RecordingReadyData {
    pub recording_id: String,
    pub call_id: String,
    pub duration_s: f64,
    /// Where to download it (`audio/wav`, `calls` or `admin` scope).
    pub download: String,
}

/// A mailbox's message counts changed (through the API or by voicemail).
#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MessageWaitingData {
    pub extension_id: String,
    pub number: String,
    pub new_messages: u32,
    pub old_messages: u32,
    pub new_urgent: u32,
    pub old_urgent: u32,
}

#[derive(Debug, Clone, Serialize, Object)]
pub struct VoicemailReceivedData {
    pub extension_id: String,
    /// The box owner's number.
    pub number: String,
    pub message_id: String,
    pub caller: String,
    /// The call (and its CDR) the message was left in.
    pub call_id: String,
    pub duration_s: f64,
    /// Where the WAV is downloaded (`GET`, with a token).
    pub download: String,
}

/// How a keypress reached Callplane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum DtmfVia {
    /// An RFC 4733 telephone-event in the RTP, seen by the media relay.
    Rtp,
    /// A SIP INFO (`application/dtmf-relay` or `application/dtmf`).
    Info,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CallDtmfData {
    #[serde(flatten)]
    #[oai(flatten)]
    pub call: CallParties,
    /// The number of the party that pressed the key.
    pub party: String,
    /// `0`-`9`, `*`, `#`, `A`-`D`.
    pub digit: String,
    /// How long the key was held, in milliseconds (when the sender said).
    pub duration_ms: Option<u32>,
    pub via: DtmfVia,
}

/// How a transfer was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum TransferVia {
    /// A phone's REFER (its Transfer button).
    Refer,
    /// `POST /api/v1/calls/{id}/transfer`.
    Api,
    /// An INVITE with Replaces (RFC 3891) from a phone taking a party's place.
    Replaces,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CallTransferredData {
    #[serde(flatten)]
    #[oai(flatten)]
    pub call: CallParties,
    /// The party that stays, connected to `target`.
    pub transferee: String,
    /// The party released (the phone that pressed Transfer, or the one the API let go).
    pub transferor: String,
    /// The number the call goes on to (through the dial plan, like any call).
    pub target: String,
    pub via: TransferVia,
    /// The CDR id of the segment that ended with this transfer.
    pub ended_segment: String,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CallForwardedData {
    #[serde(flatten)]
    #[oai(flatten)]
    pub call: CallParties,
    pub from: String,
    pub to: String,
    pub reason: ForwardReason,
    /// 1 for the first forward of this call, 2 for the next…
    pub hop: u32,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CallAnsweredData {
    #[serde(flatten)]
    #[oai(flatten)]
    pub call: CallParties,
    pub callee: String,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CallEndedData {
    #[serde(flatten)]
    #[oai(flatten)]
    pub call: CallParties,
    /// The SIP code the caller got (200 when answered).
    pub code: u16,
    pub cause: String,
    /// Seconds from answer to hang-up (0 when unanswered).
    pub duration_s: f64,
    /// `caller`, `callee`, `api` or `none`.
    pub hangup_side: HangupSide,
    pub hangup_reason: HangupReason,
    pub final_callee: Option<String>,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TrunkStatusData {
    pub trunk_id: String,
    pub name: String,
    pub state: TrunkState,
    pub last_response: Option<String>,
    /// The server in use (see the trunk status).
    pub target: Option<String>,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ConfigChangedData {
    /// `extension`, `trunk`, `route`, `ring_group`, `webhook`, `api_token`, …
    pub resource: String,
    pub id: String,
    /// `created`, `updated` or `deleted`.
    pub action: String,
    /// The configuration snapshot version that holds the change.
    pub snapshot_version: u64,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct WebhookTestData {
    pub webhook_id: String,
}

#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct WebhookFailingData {
    pub webhook_id: String,
    pub url: String,
    pub delivery_id: String,
    pub last_error: Option<String>,
}

/// A source address banned or let in again.
#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct BanData {
    pub ip: String,
    /// Why: `auth_failures`, `scanner`, `rate`, `api` or `expired`.
    pub reason: String,
    /// When the ban ends (banned events only).
    pub until: Option<DateTime<Utc>>,
}

/// A Lua service invocation that failed; the call went on with the dial plan.
#[derive(Debug, Clone, Serialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ServiceFailedData {
    pub service_id: String,
    pub name: String,
    pub call_id: String,
    /// `error`, `instructions`, `timeout`, `memory`, `invalid_answer` or `loop`.
    pub kind: String,
    pub error: String,
}

macro_rules! event_types {
    ($( $(#[doc = $doc:literal])* $variant:ident => $kind:literal, $envelope:ident, $data:ty; )*) => {
        /// An event to publish: its type and typed data.
        #[derive(Debug, Clone)]
        pub enum EventPayload {
            $( $variant($data), )*
        }

        /// Every event type, as it appears in `type`.
        pub const EVENT_TYPES: &[&str] = &[$($kind),*];

        impl EventPayload {
            pub fn kind(&self) -> &'static str {
                match self {
                    $( Self::$variant(_) => $kind, )*
                }
            }

            pub fn data(&self) -> serde_json::Value {
                match self {
                    $( Self::$variant(d) => serde_json::to_value(d).unwrap_or_default(), )*
                }
            }
        }

        $(
            $(#[doc = $doc])*
            #[derive(Debug, Clone, Object)]
            #[oai(skip_serializing_if_is_none)]
            pub struct $envelope {
                /// Always `1.0`.
                pub specversion: String,
                pub id: String,
                /// Always `callplane`.
                pub source: String,
                pub time: DateTime<Utc>,
                /// Always `application/json`.
                pub datacontenttype: String,
                /// Increases by one per event on this node; resume with `since_seq`.
                pub seq: u64,
                pub data: $data,
            }
        )*

        /// One event in CloudEvents 1.0 structured JSON plus `seq`, as WebSocket frames,
        /// webhook bodies and the event log carry it. `type` selects the `data` schema.
        #[derive(Debug, Clone, Union)]
        #[oai(discriminator_name = "type")]
        pub enum CloudEvent {
            $( #[oai(mapping = $kind)] $variant($envelope), )*
        }
    };
}

event_types! {
    /// A phone registered a new contact.
    RegistrationCreated => "registration.created", RegistrationCreatedEvent, RegistrationData;
    /// A phone renewed a contact.
    RegistrationRefreshed => "registration.refreshed", RegistrationRefreshedEvent, RegistrationData;
    /// A phone or the API removed a contact.
    RegistrationRemoved => "registration.removed", RegistrationRemovedEvent, RegistrationData;
    /// A contact was not renewed in time.
    RegistrationExpired => "registration.expired", RegistrationExpiredEvent, RegistrationData;
    /// A device behind NAT stopped answering keep-alives (calls skip it).
    RegistrationUnreachable => "registration.unreachable", RegistrationUnreachableEvent, RegistrationUnreachableData;
    /// A call arrived (from a phone, a trunk or the API).
    CallCreated => "call.created", CallCreatedEvent, CallCreatedData;
    /// A device is alerting.
    CallRinging => "call.ringing", CallRingingEvent, CallRingingData;
    /// The call moved on to another number.
    CallForwarded => "call.forwarded", CallForwardedEvent, CallForwardedData;
    /// A device answered.
    CallAnswered => "call.answered", CallAnsweredEvent, CallAnsweredData;
    /// A party was transferred: it stays and the call goes on to another number.
    CallTransferred => "call.transferred", CallTransferredEvent, CallTransferredData;
    /// Another extension picked up a ringing call (the other devices stopped ringing).
    CallPickedUp => "call.picked_up", CallPickedUpEvent, CallPickedUpData;
    /// A party was parked in a slot (a transfer to the park number).
    CallParked => "call.parked", CallParkedEvent, CallParkedData;
    /// A parked call left its slot: retrieved, timed out (rings the parker) or hung up.
    CallUnparked => "call.unparked", CallUnparkedEvent, CallUnparkedData;
    /// An extension's presence changed (available, on the phone, do-not-disturb, offline).
    PresenceChanged => "presence.changed", PresenceChangedEvent, PresenceChangedData;
    /// A party put the other on hold (its re-INVITE or UPDATE offered `sendonly` or
    /// `inactive`).
    CallHeld => "call.held", CallHeldEvent, CallHoldData;
    /// The held party was taken off hold.
    CallResumed => "call.resumed", CallResumedEvent, CallHoldData;
    /// A recording of a call is stored and can be downloaded.
    RecordingReady => "recording.ready", RecordingReadyEvent, RecordingReadyData;
    /// A party pressed a key (DTMF), in order of arrival.
    CallDtmf => "call.dtmf", CallDtmfEvent, CallDtmfData;
    /// The call is over (its CDR is stored before this event).
    CallEnded => "call.ended", CallEndedEvent, CallEndedData;
    /// A call detail record was stored.
    CdrCreated => "cdr.created", CdrCreatedEvent, Cdr;
    /// A caller left a message in a voicemail box.
    VoicemailReceived => "voicemail.received", VoicemailReceivedEvent, VoicemailReceivedData;
    /// A mailbox's message counts changed: phones subscribed to `message-summary` are told.
    MessageWaitingChanged => "message_waiting.changed", MessageWaitingChangedEvent, MessageWaitingData;
    /// A trunk's registration or keep-alive state changed.
    TrunkStatusChanged => "trunk.status_changed", TrunkStatusChangedEvent, TrunkStatusData;
    /// A configuration resource was created, updated or deleted.
    ConfigChanged => "config.changed", ConfigChangedEvent, ConfigChangedData;
    /// Sent by `POST /api/v1/webhooks/{id}/test`.
    WebhookTest => "webhook.test", WebhookTestEvent, WebhookTestData;
    /// A webhook delivery gave up after the maximum age.
    WebhookFailing => "webhook.failing", WebhookFailingEvent, WebhookFailingData;
    /// A source address was banned.
    SecurityBanned => "security.banned", SecurityBannedEvent, BanData;
    /// A ban ended (lifted or expired).
    SecurityUnbanned => "security.unbanned", SecurityUnbannedEvent, BanData;
    /// A Lua service failed (error, limit hit, invalid answer); the call went on.
    ServiceFailed => "service.failed", ServiceFailedEvent, ServiceFailedData;
}

impl CloudEvent {
    /// The typed form of a published event; `None` if its data no longer fits its type
    /// (an event stored by an older version).
    pub fn from_event(event: &super::Event) -> Option<CloudEvent> {
        use poem_openapi::types::ParseFromJSON;
        CloudEvent::parse_from_json(Some(event.cloud_event())).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Draft, Event};

    fn parties() -> CallParties {
        CallParties { call_id: "c1".into(), caller: "1001".into(), dialed: "2001".into(), click_to_call: None }
    }

    #[test]
    fn call_data_is_flat_and_parses_back_as_its_type() {
        let e = Event::numbered(Draft::new(EventPayload::CallEnded(CallEndedData {
            call: parties(),
            code: 486,
            cause: "busy".into(),
            duration_s: 0.0,
            hangup_side: HangupSide::None,
            hangup_reason: HangupReason::NotAnswered,
            final_callee: None,
        })), 7);
        assert_eq!(e.kind, "call.ended");
        assert_eq!(e.data["call_id"], "c1");
        assert_eq!(e.data["code"], 486);
        assert!(e.data.get("click_to_call").is_none());
        match CloudEvent::from_event(&e) {
            Some(CloudEvent::CallEnded(env)) => {
                assert_eq!(env.seq, e.seq);
                assert_eq!(env.data.call.caller, "1001");
            }
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn every_type_is_distinct() {
        let mut seen = std::collections::HashSet::new();
        assert!(EVENT_TYPES.iter().all(|t| seen.insert(*t)));
    }
}

//! Answered calls kept in the store until they end, so a node that dies mid-call loses no
//! billing and leaves no phone in a dead call (`lost_calls` finishes them).
//!
//! The record is written when the call is answered, before `call.answered` is published,
//! and again when a transfer changes who talks; it is deleted when the call ends. A
//! re-INVITE or UPDATE after the answer is not written: the BYE of a lost call uses the
//! stored CSeq plus a margin (`CSEQ_MARGIN`), which a UAS accepts (RFC 3261 section
//! 12.2.2 refuses only a lower CSeq).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::events::types::CallParties;
use crate::model::cdr::{Cdr, Disposition, HangupReason, HangupSide};
use crate::sip::dialog::Dialog;
use super::record_writer::{RecordWriter, Write};
use crate::store::call_writes::LiveRow;
use tokio::sync::oneshot;

/// Added to a stored dialog's CSeq for the BYE of a lost call (refreshes since the answer
/// were not stored).
pub const CSEQ_MARGIN: u32 = 100;
/// The longest the call waits for its record to be stored before it goes on.
const WRITE_WAIT: Duration = Duration::from_secs(2);

/// What is stored of an answered call.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LiveRecord {
    pub parties: CallParties,
    /// The CDR of the current segment as it stands (its end is filled in when lost).
    pub cdr: Cdr,
    /// The dialogs of the parties talking: the caller's and the answering callee's.
    pub legs: Vec<Dialog>,
}

/// The CDR of a call lost with its node, which was last seen alive at `last_seen`: it
/// lasted until then (never before its answer).
pub fn lost_cdr(record: &LiveRecord, last_seen: DateTime<Utc>) -> Cdr {
    let mut cdr = record.cdr.clone();
    let answered = cdr.answered_at.unwrap_or(cdr.started_at);
    let ended = last_seen.max(answered);
    cdr.ended_at = ended;
    cdr.duration_s = (ended - answered).num_milliseconds() as f64 / 1000.0;
    cdr.final_code = 200;
    cdr.disposition = Disposition::Answered;
    cdr.hangup_side = HangupSide::None;
    cdr.hangup_reason = Some(HangupReason::NodeLost);
    cdr
}

/// The store of answered calls, as the calls use it (through the calls' record writer).
pub struct LiveCalls {
    writer: RecordWriter,
}

impl LiveCalls {
    pub fn new(writer: RecordWriter) -> LiveCalls {
        LiveCalls { writer }
    }

    /// Stores an answered call (bounded: a slow store delays this call's `call.answered`
    /// by at most `WRITE_WAIT`, never the call itself).
    pub async fn answered(&self, id: &str, record: &LiveRecord) {
        let Ok(body) = serde_json::to_string(record) else { return };
        let answered_at_ms = record.cdr.answered_at.unwrap_or(record.cdr.started_at).timestamp_millis();
        let (done, stored) = oneshot::channel();
        if !self.writer.send(Write::Live { row: LiveRow { id: id.to_owned(), answered_at_ms, body }, done: Some(done) }) {
            tracing::error!(call = %id, "the call record writer has stopped; this call would be lost with this node");
            return;
        }
        match tokio::time::timeout(WRITE_WAIT, stored).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => tracing::error!(call = %id, "the call record writer stopped before storing an answered call"),
            Err(_) => tracing::error!(call = %id, "storing an answered call is taking too long; going on without waiting"),
        }
    }

    /// The call ended: its record goes (in the background, after any write queued before).
    pub fn ended(&self, id: &str) {
        if !self.writer.send(Write::Ended { id: id.to_owned() }) {
            tracing::warn!(call = %id, "the call record writer has stopped; an ended call's record stays");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn record(answered: Option<DateTime<Utc>>) -> LiveRecord {
        let t0 = Utc.timestamp_millis_opt(1_000_000).single().expect("time");
        LiveRecord {
            parties: CallParties { call_id: "c1".into(), caller: "1001".into(), dialed: "1002".into(), click_to_call: None },
            cdr: Cdr {
                id: "s1".into(),
                caller: "1001".into(),
                dialed: "1002".into(),
                final_callee: Some("1002".into()),
                forwarding_chain: vec![],
                ring_group: None,
                trunk: None,
                started_at: t0,
                answered_at: answered,
                ended_at: t0,
                duration_s: 0.0,
                final_code: 200,
                disposition: Disposition::Answered,
                hangup_side: HangupSide::None,
                hangup_reason: None,
                transfer_group: None,
            },
            legs: vec![],
        }
    }

    #[test]
    fn a_lost_call_lasts_from_its_answer_to_the_nodes_last_heartbeat() {
        let answered = Utc.timestamp_millis_opt(1_002_000).single().expect("time");
        let seen = Utc.timestamp_millis_opt(1_032_500).single().expect("time");
        let cdr = lost_cdr(&record(Some(answered)), seen);
        assert_eq!((cdr.ended_at, cdr.duration_s), (seen, 30.5));
        assert_eq!((cdr.hangup_reason, cdr.hangup_side, cdr.disposition), (Some(HangupReason::NodeLost), HangupSide::None, Disposition::Answered));
    }

    #[test]
    fn a_heartbeat_older_than_the_answer_gives_no_negative_duration() {
        let answered = Utc.timestamp_millis_opt(1_002_000).single().expect("time");
        let cdr = lost_cdr(&record(Some(answered)), Utc.timestamp_millis_opt(1_001_000).single().expect("time"));
        assert_eq!((cdr.ended_at, cdr.duration_s), (answered, 0.0));
    }
}

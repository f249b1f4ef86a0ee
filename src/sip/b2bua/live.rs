//! Answered calls kept in the store until they end, so a node that dies mid-call loses no
//! billing and leaves no phone in a dead call: when it restarts (or, in a cluster, when
//! another node sees it silent), each call it left gets its CDR (`hangup_reason:
//! node_lost`, lasting until the node's last heartbeat) and each party a BYE.
//!
//! The record is written when the call is answered, before `call.answered` is published,
//! and again when a transfer's new party answers; it is deleted when the call ends. A
//! re-INVITE or UPDATE after the answer is not written: the BYE of a lost call uses the
//! stored CSeq plus a margin (`CSEQ_MARGIN`), which a UAS accepts (RFC 3261 section
//! 12.2.2 refuses only a lower CSeq).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::env::CallEnv;
use crate::events::EventPayload;
use crate::events::types::{CallEndedData, CallParties};
use crate::model::cdr::{Cdr, Disposition, HangupReason, HangupSide};
use crate::sip::dialog::Dialog;
use crate::store::Store;

/// Added to a stored dialog's CSeq for the BYE of a lost call (refreshes since the answer
/// were not stored).
const CSEQ_MARGIN: u32 = 100;
/// How often a node says it is alive.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// How long a node may be silent before another node finishes its calls.
const SILENT_AFTER: Duration = Duration::from_secs(15);
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

/// The store of answered calls, as the calls use it.
pub struct LiveCalls {
    store: Store,
}

impl LiveCalls {
    pub fn new(store: Store) -> LiveCalls {
        LiveCalls { store }
    }

    /// Stores an answered call (bounded: a slow store delays this call's `call.answered`
    /// by at most `WRITE_WAIT`, never the call itself).
    pub async fn answered(&self, id: &str, record: &LiveRecord) {
        let Ok(body) = serde_json::to_string(record) else { return };
        let answered = record.cdr.answered_at.unwrap_or(record.cdr.started_at).timestamp_millis();
        match tokio::time::timeout(WRITE_WAIT, self.store.put_live_call(id, answered, &body)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(call = %id, error = %e, "cannot store an answered call; it would be lost with this node"),
            Err(_) => tracing::error!(call = %id, "storing an answered call is taking too long; going on without waiting"),
        }
    }

    /// The call ended: its record goes (in the background).
    pub fn ended(&self, id: &str) {
        let (store, id) = (self.store.clone(), id.to_owned());
        tokio::spawn(async move {
            if let Err(e) = store.delete_live_call(&id).await {
                tracing::warn!(call = %id, error = %e, "cannot remove an ended call's record");
            }
        });
    }
}

/// Finishes what this node left when it last stopped, then keeps its heartbeat and (with
/// `cluster`) finishes the calls of nodes that went silent.
pub fn start(env: &Arc<CallEnv>, store: Store, cluster: bool) {
    let env = Arc::downgrade(env);
    tokio::spawn(async move {
        let me = store.node().to_owned();
        let last_seen = match store.node_heartbeat(&me).await {
            Ok(seen) => seen,
            Err(e) => {
                tracing::error!(error = %e, "cannot read this node's last heartbeat");
                None
            }
        };
        if let Some(env) = env.upgrade() {
            finish_lost(&env, &store, &me, last_seen).await;
        }
        let mut tick = tokio::time::interval(HEARTBEAT);
        let mut checked = tokio::time::Instant::now();
        loop {
            tick.tick().await;
            let Some(env) = env.upgrade() else { break };
            if store.pool().is_closed() {
                break;
            }
            if let Err(e) = store.heartbeat().await {
                tracing::warn!(error = %e, "cannot store this node's heartbeat");
            }
            if cluster && checked.elapsed() >= HEARTBEAT * 2 {
                checked = tokio::time::Instant::now();
                let before = Utc::now() - chrono::Duration::from_std(SILENT_AFTER).unwrap_or_default();
                match store.silent_nodes_with_calls(before.timestamp_millis()).await {
                    Ok(nodes) => {
                        for node in nodes {
                            let seen = store.node_heartbeat(&node).await.ok().flatten();
                            tracing::warn!(%node, "a node went silent with answered calls: finishing them");
                            finish_lost(&env, &store, &node, seen).await;
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "cannot look for silent nodes"),
                }
            }
        }
    });
}

/// Takes the answered calls `node` left (each exactly once across the cluster), stores
/// their CDRs, sends each party a BYE and publishes `call.ended` and `cdr.created`.
async fn finish_lost(env: &Arc<CallEnv>, store: &Store, node: &str, last_seen_ms: Option<i64>) {
    let last_seen = last_seen_ms.and_then(|ms| Utc.timestamp_millis_opt(ms).single()).unwrap_or_else(Utc::now);
    let taken = match store.take_live_calls(node, |body| serde_json::from_str::<LiveRecord>(body).ok().map(|r| lost_cdr(&r, last_seen))).await {
        Ok(taken) => taken,
        Err(e) => {
            tracing::error!(%node, error = %e, "cannot take the calls a lost node left");
            return;
        }
    };
    for (body, cdr) in taken {
        let Ok(record) = serde_json::from_str::<LiveRecord>(&body) else { continue };
        tracing::warn!(call = %record.parties.call_id, %node, duration_s = cdr.duration_s, "a call lost with its node: CDR written, BYE to its parties");
        for mut leg in record.legs {
            leg.cseq += CSEQ_MARGIN;
            super::legs::bye(env, &mut leg);
        }
        env.bus.publish(EventPayload::CallEnded(CallEndedData {
            call: record.parties,
            code: 200,
            cause: format!("node {node} was lost"),
            duration_s: cdr.duration_s,
            hangup_side: HangupSide::None,
            hangup_reason: HangupReason::NodeLost,
            final_callee: cdr.final_callee.clone(),
        }));
        env.bus.publish(EventPayload::CdrCreated(cdr));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

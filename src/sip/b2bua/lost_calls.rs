//! The calls a lost node left: when it restarts (or, in a cluster, when another node sees
//! it silent), each answered call it left (`live_calls`) gets its CDR (`hangup_reason:
//! node_lost`, lasting until the node's last heartbeat) and each party a BYE.

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};

use super::env::CallEnv;
use super::live_calls::{CSEQ_MARGIN, LiveRecord, lost_cdr};
use crate::events::EventPayload;
use crate::events::types::CallEndedData;
use crate::model::cdr::{HangupReason, HangupSide};
use crate::store::Store;

/// How often a node says it is alive.
const HEARTBEAT: Duration = Duration::from_secs(2);
/// How long a node may be silent before another node finishes its calls.
const SILENT_AFTER: Duration = Duration::from_secs(15);

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


//! Trunks at run time: one task per trunk that registers to the carrier (external lines)
//! or sends OPTIONS keep-alives (peer trunks), restarted at once when the trunk's
//! configuration changes, reporting status in the API and as `trunk.status_changed`.

pub mod dial;
pub mod inbound;
pub mod register;


use crate::events::EventPayload;
use crate::events::types::TrunkStatusData;
use std::collections::HashMap;
use std::sync::{Arc, Weak};

use chrono::Utc;
use dashmap::DashMap;
use tokio::task::JoinHandle;

use crate::model::trunk_status::{TrunkState, TrunkStatus};
use crate::events::EventBus;
use crate::sip::endpoint::Endpoint;
use crate::snapshot::{SnapshotHandle, TrunkEntry};

/// The trunk service: one task per trunk, and the status each reports.
pub struct Trunks {
    pub status: DashMap<String, TrunkStatus>,
    tasks: std::sync::Mutex<HashMap<String, (String, JoinHandle<()>)>>,
    pub endpoint: Arc<Endpoint>,
    pub snapshot: Arc<SnapshotHandle>,
    pub bus: Arc<EventBus>,
}

/// The key under which a trunk's live calls are counted (calls and the dispatcher share it).
pub fn call_key(name: &str) -> String {
    format!("trunk:{name}")
}

impl Trunks {
    pub fn new(endpoint: Arc<Endpoint>, snapshot: Arc<SnapshotHandle>, bus: Arc<EventBus>) -> Self {
        Trunks { status: DashMap::new(), tasks: std::sync::Mutex::default(), endpoint, snapshot, bus }
    }

    /// Starts watching configuration: reconciles now and after every trunk change.
    pub fn start(trunks: &Arc<Trunks>) {
        let weak = Arc::downgrade(trunks);
        let mut rx = trunks.bus.subscribe();
        reconcile(&weak);
        tokio::spawn(async move {
            loop {
                match rx.recv().await {
                    Ok(e) if e.kind == "config.changed" && e.data["resource"] == "trunk" => reconcile(&weak),
                    Ok(_) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => reconcile(&weak),
                    Err(_) => break,
                }
                if weak.strong_count() == 0 {
                    break;
                }
            }
        });
    }

    /// Records a status; publishes `trunk.status_changed` when state or answer changed.
    pub fn set(&self, status: TrunkStatus) {
        let changed = self
            .status
            .get(&status.trunk_id)
            .is_none_or(|old| old.state != status.state || old.last_response != status.last_response || old.target != status.target);
        // Stored before it is announced: whoever reacts to the event reads the new status.
        self.status.insert(status.trunk_id.clone(), status.clone());
        if changed {
            tracing::info!(trunk = %status.name, state = ?status.state, last_response = ?status.last_response, "trunk status");
            self.bus.publish(EventPayload::TrunkStatusChanged(TrunkStatusData {
                trunk_id: status.trunk_id,
                name: status.name,
                state: status.state,
                last_response: status.last_response,
                target: status.target,
            }));
        }
    }
}

/// What makes a trunk's task restart: its whole configuration and password.
fn fingerprint(t: &TrunkEntry) -> String {
    format!("{}|{}", serde_json::to_string(&t.trunk).unwrap_or_default(), t.password.as_deref().unwrap_or_default())
}

fn reconcile(trunks: &Weak<Trunks>) {
    let Some(trunks) = trunks.upgrade() else { return };
    let snapshot = trunks.snapshot.get();
    let Ok(mut tasks) = trunks.tasks.lock() else { return };
    tasks.retain(|id, (_, handle)| {
        let keep = snapshot.trunks.contains_key(id);
        if !keep {
            handle.abort();
            trunks.status.remove(id);
        }
        keep
    });
    for (id, entry) in &snapshot.trunks {
        let fp = fingerprint(entry);
        if tasks.get(id).is_some_and(|(old, _)| *old == fp) {
            continue;
        }
        if let Some((_, handle)) = tasks.remove(id) {
            handle.abort();
        }
        let state = if !entry.trunk.enabled {
            TrunkState::Disabled
        } else if entry.trunk.register {
            TrunkState::Registering
        } else {
            TrunkState::Unmonitored
        };
        trunks.set(
            TrunkStatus {
                trunk_id: id.clone(),
                name: entry.trunk.name.clone(),
                state,
                last_response: None,
                registered_until: None,
                next_attempt_at: Some(Utc::now()),
                updated_at: Utc::now(),
                target: None,
                target_note: None,
            },
        );
        // Started after its first status is recorded, so its own reports come later.
        let handle = tokio::spawn(register::run(trunks.clone(), entry.clone()));
        tasks.insert(id.clone(), (fp, handle));
    }
}

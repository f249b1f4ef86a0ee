//! The dial plan: which target a dialled number reaches. Reads only the snapshot.
//!
//! Order: an extension or ring group whose number is exactly the dialled number wins;
//! otherwise the enabled route with the longest matching prefix, then the lowest
//! priority, then the oldest. The route's `strip`/`prepend` rewrite the number.

use std::sync::Arc;

use crate::model::ResourceKind;
use crate::model::route::Route;
use crate::snapshot::Snapshot;

#[derive(Debug, Clone)]
pub enum Resolution {
    /// The number belongs to an extension or ring group.
    Internal { kind: ResourceKind, id: String },
    /// A dial-plan route matched; `number` is the rewritten number sent to its target.
    Route { route: Arc<Route>, number: String },
    NoMatch,
}

pub fn resolve(snapshot: &Snapshot, number: &str) -> Resolution {
    if let Some(owner) = snapshot.numbers.get(number) {
        return Resolution::Internal { kind: owner.kind, id: owner.id.clone() };
    }
    snapshot
        .routes
        .iter()
        .find(|r| r.enabled && number.starts_with(r.prefix.as_str()))
        .map_or(Resolution::NoMatch, |r| Resolution::Route { route: r.clone(), number: r.rewrite(number) })
}

/// Every enabled route matching `number`, best first, each with the rewritten number:
/// the order in which trunks are tried (failover).
pub fn routes_for(snapshot: &Snapshot, number: &str) -> Vec<(Arc<Route>, String)> {
    snapshot
        .routes
        .iter()
        .filter(|r| r.enabled && number.starts_with(r.prefix.as_str()))
        .map(|r| (r.clone(), r.rewrite(number)))
        .collect()
}

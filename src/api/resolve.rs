//! `GET /api/v1/routes/resolve`: explains which target a dialled number reaches, read from
//! the snapshot the SIP core uses (never the database), so the answer is what a call would do.

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Enum, Object, OpenApi};

use super::state::ApiState;
use super::auth::BearerToken;
use super::error::ApiError;
use crate::auth::scope::Access;
use crate::dialplan::{self, Resolution};
use crate::model::route::{Route, RouteTargetKind};
use crate::model::{ResourceKind, values};
use crate::snapshot::Snapshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The number is an extension's number.
    Extension,
    /// The number is a ring group's number.
    RingGroup,
    /// The number is an IVR menu's number.
    IvrMenu,
    /// A dial-plan route's prefix matched.
    Route,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ResolvedTarget {
    pub kind: RouteTargetKind,
    pub id: String,
    /// Human-readable name of the target (extension number and name, trunk name...).
    pub label: String,
    /// Disabled targets reject calls (403 for extensions).
    pub enabled: bool,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RouteResolution {
    pub number: String,
    pub matched: bool,
    pub matched_by: Option<MatchedBy>,
    /// The winning route when `matched_by` is `route`.
    pub route: Option<Route>,
    pub target: Option<ResolvedTarget>,
    /// The number sent to the target after the route's strip and prepend.
    pub dialed_number: Option<String>,
    /// One sentence saying why.
    pub explanation: String,
    /// The configuration snapshot the answer was computed from.
    pub snapshot_version: u64,
}

pub struct ResolveApi;

#[OpenApi(prefix_path = "/api/v1")]
impl ResolveApi {
    /// Which route and target a dialled number reaches.
    #[oai(path = "/routes/resolve", method = "get", operation_id = "resolve_route", tag = "crate::api::state::ApiTag::Routes")]
    async fn resolve(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        /// The dialled number (digits, `*`, `#`, optional leading `+`).
        number: Query<String>,
    ) -> Result<Json<RouteResolution>, ApiError> {
        auth.require(Access::Read)?;
        let number = number.0;
        if number.is_empty() {
            return Err(ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "number", "must not be empty"));
        }
        number.parse::<values::Prefix>().map(|_| ()).map_err(|e| ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "number", e))?;
        let snapshot = state.snapshot.get();
        Ok(Json(explain(&snapshot, number)))
    }
}

fn explain(snapshot: &Snapshot, number: String) -> RouteResolution {
    let mut answer = RouteResolution {
        number: number.clone(),
        matched: false,
        matched_by: None,
        route: None,
        target: None,
        dialed_number: None,
        explanation: String::new(),
        snapshot_version: snapshot.version,
    };
    match dialplan::resolve(snapshot, &number) {
        Resolution::Internal { kind, id } => {
            let (matched_by, target_kind) = match kind {
                ResourceKind::RingGroup => (MatchedBy::RingGroup, RouteTargetKind::RingGroup),
                ResourceKind::IvrMenu => (MatchedBy::IvrMenu, RouteTargetKind::Ivr),
                _ => (MatchedBy::Extension, RouteTargetKind::Extension),
            };
            answer.matched = true;
            answer.matched_by = Some(matched_by);
            answer.target = Some(target(snapshot, target_kind, &id));
            answer.dialed_number = Some(number.clone());
            answer.explanation = format!("{number} is the number of {} {id}", kind.as_str().replace('_', " "));
        }
        Resolution::Route { route, number: dialed } => {
            answer.matched = true;
            answer.matched_by = Some(MatchedBy::Route);
            answer.target = Some(target(snapshot, route.target.kind, &route.target.id));
            answer.explanation = format!(
                "route {} (prefix `{}`, priority {}) is the longest enabled prefix match; it sends {dialed} to {} {}",
                route.id,
                route.prefix,
                route.priority,
                route.target.kind.resource().as_str().replace('_', " "),
                route.target.id
            );
            answer.dialed_number = Some(dialed);
            answer.route = Some(Route::clone(&route));
        }
        Resolution::NoMatch => {
            answer.explanation =
                format!("no extension, ring group, IVR menu or enabled route matches {number}; a call would get 404 Not Found");
        }
    }
    answer
}

fn target(snapshot: &Snapshot, kind: RouteTargetKind, id: &str) -> ResolvedTarget {
    let (label, enabled) = match kind {
        RouteTargetKind::Extension => snapshot.extensions.get(id).map_or((String::new(), false), |e| {
            let x = &e.extension;
            (format!("{} {}", x.number, x.display_name).trim().to_owned(), x.enabled)
        }),
        RouteTargetKind::RingGroup => snapshot
            .ring_groups
            .get(id)
            .map_or((String::new(), false), |g| (format!("{} {}", g.number, g.name).trim().to_owned(), g.enabled)),
        RouteTargetKind::Trunk => {
            snapshot.trunks.get(id).map_or((String::new(), false), |t| (t.trunk.name.clone(), t.trunk.enabled))
        }
        RouteTargetKind::LuaService => {
            snapshot.lua_services.get(id).map_or((String::new(), false), |l| (l.name.clone(), l.enabled))
        }
        RouteTargetKind::Ivr => snapshot
            .ivr_menus
            .get(id)
            .map_or((String::new(), false), |m| (format!("{} {}", m.number, m.name).trim().to_owned(), m.enabled)),
        RouteTargetKind::Voicemail => snapshot.extensions.get(id).map_or((String::new(), false), |e| {
            let x = &e.extension;
            (format!("voicemail of {}", x.number), x.voicemail.as_ref().is_some_and(|v| v.enabled))
        }),
    };
    ResolvedTarget { kind, id: id.to_owned(), label, enabled }
}

//! `GET /api/v1/events/log`: the stored event log page by page, for clients that poll
//! instead of holding a WebSocket, and the typed schema of every event.

use std::sync::Arc;

use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::state::ApiState;
use super::auth::BearerToken;
use super::error::ApiError;
use crate::auth::scope::Access;
use crate::events::types::CloudEvent;
use crate::api::event_stream::{EventsQuery, Filter};

const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 1000;

/// A page of the event log.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EventPage {
    /// The events that matched the filters, in `seq` order.
    pub events: Vec<CloudEvent>,
    /// Pass as `since_seq` to get the next page (the last seq this page looked at, which
    /// can be past the last event shown when filters skipped some).
    pub next_since_seq: u64,
    /// The newest seq this node has seen committed (by any node): the log is read to the end when
    /// `next_since_seq` reaches it.
    pub last_seq: u64,
}

pub struct EventLogApi;

#[OpenApi(prefix_path = "/api/v1")]
impl EventLogApi {
    /// Events after `since_seq` from the stored log (retention permitting), with the same
    /// filters as the WebSocket stream. Each event's `data` follows the schema of its `type`.
    #[oai(path = "/events/log", method = "get", operation_id = "list_events", tag = "crate::api::state::ApiTag::Events")]
    async fn list(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        /// Only events with a larger seq (0: from the oldest kept).
        #[oai(validator(minimum(value = "0")))]
        since_seq: Query<Option<u64>>,
        /// How many log entries to look at (1–1000, default 100).
        #[oai(validator(minimum(value = "1"), maximum(value = "1000")))]
        limit: Query<Option<u32>>,
        /// Comma-separated types or prefixes ending in `*`, e.g. `call.*,registration.created`.
        types: Query<Option<String>>,
        /// Only events about this number.
        extension: Query<Option<String>>,
        /// Only events about this trunk (id or name).
        trunk: Query<Option<String>>,
    ) -> Result<Json<EventPage>, ApiError> {
        auth.require(Access::Events)?;
        let after = since_seq.0.unwrap_or(0);
        let limit = limit.0.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        let filter = Filter::new(&EventsQuery {
            types: types.0,
            extension: extension.0,
            trunk: trunk.0,
            since_seq: None,
            access_token: None,
        });
        let last_seq = state.feed.last_seq();
        let rows = state.provisioner.store().events_after(after, limit).await?;
        let next_since_seq = rows.last().map_or(after, |e| e.seq);
        let events = rows
            .iter()
            .filter(|e| filter.matches(e))
            .filter_map(|e| {
                let typed = CloudEvent::from_event(e);
                if typed.is_none() {
                    tracing::warn!(seq = e.seq, kind = %e.kind, "a stored event does not fit its type's schema; left out of the page");
                }
                typed
            })
            .collect();
        Ok(Json(EventPage { events, next_since_seq, last_seq }))
    }
}

//! `/api/v1/calls` (live calls, hang-up) and `/api/v1/cdrs` (finished calls).

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::state::ApiState;
use crate::sip::b2bua::TransferStart;
use super::auth::BearerToken;
use super::error::ApiError;
use crate::auth::scope::Access;
use crate::sip::b2bua::CallView;
use crate::sip::b2bua::cdr::{Cdr, Disposition};
use crate::store::cdrs::CdrQuery;
use crate::store::page::{DEFAULT_LIMIT, MAX_LIMIT};

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CallList {
    pub items: Vec<CallView>,
    pub total: i64,
    /// Nodes that did not answer (their calls are missing from `items`); absent when
    /// every node answered.
    pub unreachable_nodes: Option<Vec<String>>,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CdrPage {
    pub items: Vec<Cdr>,
    pub total: i64,
    pub next_cursor: Option<String>,
}

/// CSV text (`text/csv`).
pub struct Csv(pub String);

impl poem_openapi::payload::Payload for Csv {
    const CONTENT_TYPE: &'static str = "text/csv";

    fn schema_ref() -> poem_openapi::registry::MetaSchemaRef {
        <String as poem_openapi::types::Type>::schema_ref()
    }
}

impl poem::IntoResponse for Csv {
    fn into_response(self) -> poem::Response {
        poem::Response::builder().content_type("text/csv; charset=utf-8").body(self.0)
    }
}

/// The CDR page as JSON, or with `Accept: text/csv` as CSV (one line per CDR after a header
/// line).
#[derive(poem_openapi::ResponseContent)]
pub enum CdrBody {
    Json(Json<CdrPage>),
    Csv(Csv),
}

#[derive(ApiResponse)]
pub enum CdrAnswer {
    #[oai(status = 200)]
    Ok(CdrBody),
}

/// Body of `POST /api/v1/calls`.
#[derive(Debug, Clone, serde::Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct ClickToCallRequest {
    /// The extension that rings first; when it answers, `to` is called.
    pub from: String,
    /// The number to connect it to (through the dial plan).
    pub to: String,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ClickToCallStarted {
    /// Id of the call in `GET /api/v1/calls`, events and the CDR.
    pub id: String,
}

#[derive(ApiResponse)]
pub enum ClickToCallAnswer {
    /// The call is starting: the `from` extension rings now.
    #[oai(status = 201)]
    Started(Json<ClickToCallStarted>),
}

/// `POST /api/v1/calls/{id}/transfer`.
#[derive(Debug, serde::Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct TransferRequest {
    /// The party that stays: `caller` or `callee`. The other one is released.
    pub party: crate::sip::b2bua::event::Keep,
    /// The number `party` goes on to (through the dial plan, like any call).
    pub to: String,
}

#[derive(Debug, Object)]
pub struct TransferAccepted {
    /// The call's id (unchanged: the call goes on; its CDR segments share it as
    /// `transfer_group`).
    pub id: String,
}

#[derive(ApiResponse)]
pub enum TransferAnswer {
    /// The transfer started: `call.transferred` now, then `call.answered` or `call.ended`.
    #[oai(status = 202)]
    Accepted(Json<TransferAccepted>),
}

pub struct CallsApi;

/// A peer's call list, as read back.
#[derive(serde::Deserialize)]
struct PeerCalls {
    items: Vec<CallView>,
}

/// Asks the other nodes to do `method path` for a call this node does not have: the first
/// answer other than 404 (the node that has it), as status and problem detail; `None` when
/// every node answered 404.
async fn elsewhere(state: &ApiState, auth: &BearerToken, method: reqwest::Method, path: &str, body: Option<&serde_json::Value>) -> Option<(u16, String)> {
    let peers = state.peers.as_ref()?;
    let (answers, _) = peers.ask_all(&state.signer, &auth.0, method, path, body).await;
    answers.into_iter().find(|a| a.status != 404).map(|a| {
        let detail = serde_json::from_slice::<serde_json::Value>(&a.body).ok().and_then(|v| v["detail"].as_str().map(str::to_owned)).unwrap_or_default();
        (a.status, detail)
    })
}

fn sip(state: &ApiState) -> Result<&Arc<crate::sip::core::SipCore>, ApiError> {
    state.sip.as_ref().ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "the SIP core is not running"))
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

#[OpenApi(prefix_path = "/api/v1")]
impl CallsApi {
    /// Live calls with their legs and states: every node's, when several nodes share one
    /// PostgreSQL (each call names its `node`).
    #[oai(path = "/calls", method = "get", operation_id = "list_calls", tag = "crate::api::state::ApiTag::Calls")]
    async fn list(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        /// Only this node's calls (what nodes ask each other).
        local: Query<Option<bool>>,
    ) -> Result<Json<CallList>, ApiError> {
        auth.require(Access::Read)?;
        let node = state.provisioner.store().node().to_owned();
        let mut items: Vec<CallView> = sip(&state)?.b2bua.calls.views().into_iter().map(|mut v| {
            v.node = Some(node.clone());
            v
        }).collect();
        let mut unreachable_nodes = vec![];
        if let (Some(peers), false) = (&state.peers, local.0.unwrap_or(false)) {
            let (answers, missing) = peers.ask_all(&state.signer, &auth.0, reqwest::Method::GET, "/api/v1/calls", None).await;
            unreachable_nodes = missing;
            for a in answers {
                match serde_json::from_slice::<PeerCalls>(&a.body) {
                    Ok(list) if a.status == 200 => items.extend(list.items),
                    _ => unreachable_nodes.push(a.node),
                }
            }
            items.sort_by(|a, b| a.started_at.cmp(&b.started_at).then_with(|| a.id.cmp(&b.id)));
        }
        let unreachable_nodes = (!unreachable_nodes.is_empty()).then_some(unreachable_nodes);
        Ok(Json(CallList { total: items.len() as i64, items, unreachable_nodes }))
    }

    /// Click-to-call: ring extension `from`, then connect it to `to` (RFC 3725 flow I).
    #[oai(path = "/calls", method = "post", operation_id = "create_call", tag = "crate::api::state::ApiTag::Calls")]
    async fn create(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        body: super::body::JsonBody<ClickToCallRequest>,
    ) -> Result<ClickToCallAnswer, ApiError> {
        auth.require(Access::Calls)?;
        let req = body.parse()?;
        req.from.parse::<crate::model::values::Number>().map(|_| ()).map_err(|e| ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "from", e))?;
        req.to.parse::<crate::model::values::Prefix>().map(|_| ()).map_err(|e| ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "to", e))?;
        let sip = sip(&state)?.clone();
        match crate::sip::b2bua::click::ClickToCall::start(sip.b2bua.clone(), &req.from, &req.to) {
            Ok(id) => Ok(ClickToCallAnswer::Started(Json(ClickToCallStarted { id }))),
            Err(e @ crate::sip::b2bua::click::ClickError::NotRegistered(_)) => Err(ApiError::field(StatusCode::CONFLICT, "from", e.to_string())),
            Err(e @ crate::sip::b2bua::click::ClickError::NotAnExtension(_)) => Err(ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "from", e.to_string())),
            Err(e @ crate::sip::b2bua::click::ClickError::Unreachable(_)) => Err(ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "to", e.to_string())),
        }
    }

    /// Transfer an answered call: `party` stays and is connected to `to`; the other party
    /// is released. 409 while the call is not answered yet.
    #[oai(path = "/calls/:id/transfer", method = "post", operation_id = "transfer_call", tag = "crate::api::state::ApiTag::Calls")]
    async fn transfer(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        id: Path<String>,
        /// Only a call of this node (what nodes ask each other).
        local: Query<Option<bool>>,
        body: super::body::JsonBody<TransferRequest>,
    ) -> Result<TransferAnswer, ApiError> {
        auth.require(Access::Calls)?;
        let req = body.parse()?;
        req.to.parse::<crate::model::values::Prefix>().map(|_| ()).map_err(|e| ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "to", e))?;
        match sip(&state)?.b2bua.calls.transfer(&id.0, req.party, &req.to) {
            TransferStart::Started => Ok(TransferAnswer::Accepted(Json(TransferAccepted { id: id.0 }))),
            // Perhaps another node's call: it answers for it.
            TransferStart::NoSuchCall if !local.0.unwrap_or(false) && state.peers.is_some() => {
                let body = serde_json::json!({"party": req.party, "to": req.to});
                match elsewhere(&state, &auth, reqwest::Method::POST, &format!("/api/v1/calls/{}/transfer", id.0), Some(&body)).await {
                    Some((202, _)) => Ok(TransferAnswer::Accepted(Json(TransferAccepted { id: id.0 }))),
                    Some((code, detail)) => Err(ApiError::status(StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY), detail)),
                    None => Err(ApiError::status(StatusCode::NOT_FOUND, format!("no live call with id `{}` on any node", id.0))),
                }
            }
            TransferStart::NoSuchCall => Err(ApiError::status(StatusCode::NOT_FOUND, format!("no live call with id `{}`", id.0))),
            TransferStart::NotAnswered => Err(ApiError::status(StatusCode::CONFLICT, format!("call `{}` is not answered yet (or is a click-to-call)", id.0))),
        }
    }

    /// Hang up a live call: CANCEL or BYE on every leg.
    #[oai(path = "/calls/:id", method = "delete", operation_id = "hangup_call", tag = "crate::api::state::ApiTag::Calls")]
    async fn hangup(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        id: Path<String>,
        /// Only a call of this node (what nodes ask each other).
        local: Query<Option<bool>>,
    ) -> Result<super::Deleted, ApiError> {
        auth.require(Access::Calls)?;
        if sip(&state)?.b2bua.calls.hangup(&id.0) {
            return Ok(super::Deleted::Deleted);
        }
        if !local.0.unwrap_or(false) && state.peers.is_some() {
            match elsewhere(&state, &auth, reqwest::Method::DELETE, &format!("/api/v1/calls/{}", id.0), None).await {
                Some((204, _)) => return Ok(super::Deleted::Deleted),
                Some((code, detail)) => return Err(ApiError::status(StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY), detail)),
                None => {}
            }
        }
        Err(ApiError::status(StatusCode::NOT_FOUND, format!("no live call with id `{}`", id.0)))
    }

    /// Finished calls, oldest first; `Accept: text/csv` for CSV.
    #[oai(path = "/cdrs", method = "get", operation_id = "list_cdrs", tag = "crate::api::state::ApiTag::Calls")]
    #[allow(clippy::too_many_arguments)]
    async fn cdrs(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        accept: poem_openapi::param::Header<Option<String>>,
        /// Calls that started at or after this time (RFC 3339).
        from: Query<Option<chrono::DateTime<chrono::Utc>>>,
        /// Calls that started at or before this time (RFC 3339).
        to: Query<Option<chrono::DateTime<chrono::Utc>>>,
        /// Caller, dialled number or answering extension.
        number: Query<Option<String>>,
        disposition: Query<Option<Disposition>>,
        /// Page size, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<CdrAnswer, ApiError> {
        auth.require(Access::Read)?;
        let limit = limit.0.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "limit", format!("must be between 1 and {MAX_LIMIT}")));
        }
        let q = CdrQuery {
            from_ms: from.0.map(|t| t.timestamp_millis()),
            to_ms: to.0.map(|t| t.timestamp_millis()),
            number: number.0,
            disposition: disposition.0.map(|d| d.as_str().to_owned()),
            after: cursor.0,
            limit,
        };
        let (items, total, next_cursor) = state.provisioner.store().list_cdrs(&q).await?;
        if accept.0.as_deref().is_some_and(|a| a.contains("text/csv")) {
            let mut out = String::from("id,caller,dialed,final_callee,forwarding_chain,ring_group,started_at,answered_at,ended_at,duration_s,final_code,disposition,hangup_side,hangup_reason\n");
            for c in &items {
                let row = [
                    c.id.clone(),
                    c.caller.clone(),
                    c.dialed.clone(),
                    c.final_callee.clone().unwrap_or_default(),
                    c.forwarding_chain.join(" "),
                    c.ring_group.clone().unwrap_or_default(),
                    c.started_at.to_rfc3339(),
                    c.answered_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    c.ended_at.to_rfc3339(),
                    format!("{:.3}", c.duration_s),
                    c.final_code.to_string(),
                    c.disposition.as_str().to_owned(),
                    c.hangup_side.as_str().to_owned(),
                    c.hangup_reason.map(|r| r.as_str().to_owned()).unwrap_or_default(),
                ];
                out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
                out.push('\n');
            }
            return Ok(CdrAnswer::Ok(CdrBody::Csv(Csv(out))));
        }
        Ok(CdrAnswer::Ok(CdrBody::Json(Json(CdrPage { items, total, next_cursor }))))
    }
}

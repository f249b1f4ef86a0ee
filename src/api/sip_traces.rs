//! `/api/v1/sip-traces`: capture the SIP messages of one extension, one trunk or one call
//! to a pcap file (sngrep, Wireshark), bounded in size and time, and download it.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use poem::http::StatusCode;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::auth::BearerToken;
use super::body::JsonBody;
use super::error::ApiError;
use super::state::ApiState;
use crate::auth::scope::Access;
use crate::model::validate::{Checker, Invalid};
use crate::sip::trace::{Filter, TraceInfo, Tracer};

/// Default and largest size of a trace file.
const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;
const MAX_BYTES: u64 = 200 * 1024 * 1024;
/// Default and longest time a trace runs.
const DEFAULT_DURATION_S: u32 = 600;
const MAX_DURATION_S: u32 = 86_400;

/// What to trace: exactly one of `extension`, `trunk`, `call`.
#[derive(Debug, Clone, serde::Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct SipTraceCreate {
    /// An extension's id or number: messages whose From, To or Request-URI is that number.
    pub extension: Option<String>,
    /// A trunk's id: messages to and from its servers (as DNS locates them now).
    pub trunk: Option<String>,
    /// A live call's id: the messages of its dialogs.
    pub call: Option<String>,
    /// The file stops growing here (default 10 MB, at most 200 MB).
    pub max_bytes: Option<u64>,
    /// The trace stops after this long (default 600 s, at most a day).
    pub duration_s: Option<u32>,
}

#[derive(Debug, Object)]
pub struct SipTrace {
    pub id: String,
    /// What it keeps, e.g. `extension 1001`.
    pub target: String,
    pub started_at: DateTime<Utc>,
    /// False once stopped (by request, or at its size or time limit).
    pub running: bool,
    pub packets: u64,
    /// The file's size so far.
    pub bytes: u64,
    pub max_bytes: u64,
    /// Where to download the pcap.
    pub download: String,
}

#[derive(Debug, Object)]
pub struct SipTraceList {
    pub items: Vec<SipTrace>,
}

/// A pcap file.
pub struct Pcap(pub Vec<u8>);

impl poem_openapi::payload::Payload for Pcap {
    const CONTENT_TYPE: &'static str = "application/vnd.tcpdump.pcap";

    fn schema_ref() -> poem_openapi::registry::MetaSchemaRef {
        <poem_openapi::types::Binary<Vec<u8>> as poem_openapi::types::Type>::schema_ref()
    }
}

impl poem::IntoResponse for Pcap {
    fn into_response(self) -> poem::Response {
        poem::Response::builder().content_type(<Self as poem_openapi::payload::Payload>::CONTENT_TYPE).body(self.0)
    }
}

#[derive(ApiResponse)]
pub enum PcapAnswer {
    #[oai(status = 200)]
    Ok(Pcap),
}

fn view(info: TraceInfo) -> SipTrace {
    SipTrace {
        download: format!("/api/v1/sip-traces/{}/pcap", info.id),
        target: info.label,
        id: info.id,
        started_at: info.started_at,
        running: info.running,
        packets: info.packets,
        bytes: info.bytes,
        max_bytes: info.max_bytes,
    }
}

fn tracer(state: &ApiState) -> Result<(Arc<crate::sip::core::SipCore>, Arc<Tracer>), ApiError> {
    let sip = state.sip.clone().ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "SIP traces need the SIP core"))?;
    let tracer = sip.endpoint.transports.tracer.get().cloned().ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "SIP traces are not set up"))?;
    Ok((sip, tracer))
}

fn not_found(id: &str) -> ApiError {
    ApiError::status(StatusCode::NOT_FOUND, format!("no SIP trace with id `{id}`"))
}

pub struct SipTracesApi;

#[OpenApi(prefix_path = "/api/v1")]
impl SipTracesApi {
    /// Start a SIP trace of an extension, a trunk or a call: every SIP message of it, both
    /// ways, into a pcap file (IP with UDP or TCP headers made for each message; TLS is
    /// shown decrypted, as TCP) until its size or time limit.
    #[oai(path = "/sip-traces", method = "post", operation_id = "create_sip_trace", tag = "crate::api::state::ApiTag::System")]
    async fn create(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, body: JsonBody<SipTraceCreate>) -> Result<super::Created<SipTrace>, ApiError> {
        auth.require(Access::Admin)?;
        let request = body.parse()?;
        let (sip, tracer) = tracer(&state)?;
        let mut c = Checker::new();
        let given = [&request.extension, &request.trunk, &request.call].iter().filter(|v| v.is_some()).count();
        if given != 1 {
            c.fail("extension", "give exactly one of extension, trunk and call");
        }
        let max_bytes = request.max_bytes.unwrap_or(DEFAULT_MAX_BYTES);
        if !(1024..=MAX_BYTES).contains(&max_bytes) {
            c.fail("max_bytes", format!("must be between 1024 and {MAX_BYTES}"));
        }
        let duration_s = request.duration_s.unwrap_or(DEFAULT_DURATION_S);
        if !(1..=MAX_DURATION_S).contains(&duration_s) {
            c.fail("duration_s", format!("must be between 1 and {MAX_DURATION_S} seconds"));
        }
        c.finish()?;
        let snapshot = state.snapshot.get();
        let (filter, target) = if let Some(key) = &request.extension {
            let ext = snapshot.extensions.get(key).or_else(|| snapshot.extension_by_number(key)).ok_or_else(|| Invalid::one("extension", format!("no extension `{key}`")))?;
            let number = ext.extension.number.to_string();
            (Filter::Users(vec![number.clone()]), format!("extension {number}"))
        } else if let Some(id) = &request.trunk {
            let t = snapshot.trunks.get(id).ok_or_else(|| Invalid::one("trunk", format!("no trunk with id `{id}`")))?;
            let proto = t.trunk.transport.map(crate::sip::trunk::register::proto_of);
            let located = sip.endpoint.locator.locate(t.trunk.host.as_str(), t.trunk.port, proto).await;
            let mut ips: Vec<std::net::IpAddr> = located.targets.iter().map(|x| x.addr.ip()).collect();
            ips.dedup();
            if ips.is_empty() {
                return Err(Invalid::one("trunk", format!("{} does not resolve", t.trunk.host)).into());
            }
            (Filter::Peers(ips), format!("trunk {}", t.trunk.name))
        } else {
            let id = request.call.clone().unwrap_or_default();
            let ids = sip.b2bua.calls.sip_call_ids(&id);
            if ids.is_empty() {
                return Err(Invalid::one("call", format!("no live call with id `{id}` on this node")).into());
            }
            (Filter::CallIds(ids), format!("call {id}"))
        };
        let info = tracer
            .start(filter, target, max_bytes, Duration::from_secs(u64::from(duration_s)))
            .map_err(|e| ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        Ok(super::Created::Created(Json(view(info))))
    }

    /// The SIP traces of this node, running and stopped.
    #[oai(path = "/sip-traces", method = "get", operation_id = "list_sip_traces", tag = "crate::api::state::ApiTag::System")]
    async fn list(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<SipTraceList>, ApiError> {
        auth.require(Access::Read)?;
        let (_, tracer) = tracer(&state)?;
        Ok(Json(SipTraceList { items: tracer.list().into_iter().map(view).collect() }))
    }

    /// Stop a trace (its file stays for download).
    #[oai(path = "/sip-traces/:id/stop", method = "post", operation_id = "stop_sip_trace", tag = "crate::api::state::ApiTag::System")]
    async fn stop(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<Json<SipTrace>, ApiError> {
        auth.require(Access::Admin)?;
        let (_, tracer) = tracer(&state)?;
        if !tracer.stop(&id.0) {
            return Err(not_found(&id.0));
        }
        let info = tracer.get(&id.0).ok_or_else(|| not_found(&id.0))?;
        Ok(Json(view(info)))
    }

    /// The trace's pcap file (so far, while it runs).
    #[oai(path = "/sip-traces/:id/pcap", method = "get", operation_id = "download_sip_trace", tag = "crate::api::state::ApiTag::System")]
    async fn download(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<PcapAnswer, ApiError> {
        auth.require(Access::Read)?;
        let (_, tracer) = tracer(&state)?;
        let info = tracer.get(&id.0).ok_or_else(|| not_found(&id.0))?;
        let bytes = tokio::fs::read(&info.path).await.map_err(|e| ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, format!("the trace cannot be read: {e}")))?;
        Ok(PcapAnswer::Ok(Pcap(bytes)))
    }

    /// Stop a trace and delete its file.
    #[oai(path = "/sip-traces/:id", method = "delete", operation_id = "delete_sip_trace", tag = "crate::api::state::ApiTag::System")]
    async fn delete(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<super::Deleted, ApiError> {
        auth.require(Access::Admin)?;
        let (_, tracer) = tracer(&state)?;
        if !tracer.delete(&id.0) {
            return Err(not_found(&id.0));
        }
        Ok(super::Deleted::Deleted)
    }
}

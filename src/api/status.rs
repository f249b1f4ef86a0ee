//! `GET /api/v1/status` and the open `GET /health`.

use std::sync::Arc;

use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{Object, OpenApi};

use super::state::ApiState;
use super::auth::BearerToken;
use super::error::ApiError;
use crate::auth::scope::Access;

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ConfigCounts {
    pub extensions: u64,
    pub trunks: u64,
    pub routes: u64,
    pub ring_groups: u64,
    pub webhooks: u64,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AuthFailureSource {
    pub source: String,
    pub failures: u64,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SipStatus {
    /// `ip:port` SIP listens on (UDP and TCP).
    pub listen: String,
    pub registrations: u64,
    pub transactions: u64,
    pub client_transactions: u64,
    pub calls: u64,
    /// Failed SIP authentications since start (wrong passwords, unknown users, replays).
    pub auth_failures_total: u64,
    /// The 20 sources with the most failures.
    pub auth_failures_by_source: Vec<AuthFailureSource>,
}

/// The media relay.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MediaStatus {
    /// The rtpengine ng endpoints in use; empty: no relay (direct media).
    pub rtpengine: Vec<String>,
    /// Whether every one of them answered `ping` just now.
    pub reachable: bool,
    /// Whether new calls may be relayed: the last health check (once a second) found the
    /// relay answering. While it is not, new calls use direct media.
    pub available: bool,
    /// Media sessions the relay holds (one per relayed call), when reachable.
    pub sessions: Option<u64>,
    /// Median round trip of the last 1024 requests to the relay (offer, answer, delete…),
    /// in milliseconds: what the relay adds to each SDP exchange of a call's setup.
    pub ng_round_trip_p50_ms: Option<f64>,
    /// Their 99th percentile.
    pub ng_round_trip_p99_ms: Option<f64>,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Status {
    /// Callplane version.
    pub version: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// Bumped on every configuration change.
    pub snapshot_version: u64,
    /// How long the last full snapshot build from the store took, in milliseconds.
    pub snapshot_build_ms: f64,
    pub counts: ConfigCounts,
    pub uptime_s: u64,
    pub sip: Option<SipStatus>,
    pub media: Option<MediaStatus>,
}

pub struct StatusApi;

#[OpenApi]
impl StatusApi {
    /// Liveness: answers `ok` without authentication while the store answers.
    #[oai(path = "/health", method = "get", operation_id = "health", tag = "crate::api::state::ApiTag::System")]
    async fn health(&self, state: poem::web::Data<&Arc<ApiState>>) -> Result<PlainText<&'static str>, ApiError> {
        sqlx::query("SELECT 1").execute(state.provisioner.store().pool()).await.map_err(crate::store::StoreError::from)?;
        Ok(PlainText("ok"))
    }

    /// Version, snapshot version and configuration counts.
    #[oai(path = "/api/v1/status", method = "get", operation_id = "get_status", tag = "crate::api::state::ApiTag::System")]
    async fn status(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<Status>, ApiError> {
        auth.require(Access::Read)?;
        let s = state.snapshot.get();
        let count = |n: usize| n as u64;
        let media = match &state.sip {
            Some(sip) if sip.b2bua.media.is_enabled() => {
                let relay = &sip.b2bua.media;
                let sessions = relay.session_count().await.ok();
                {
                    let rtt = relay.round_trip_ms();
                    Some(MediaStatus {
                        rtpengine: relay.urls(),
                        reachable: sessions.is_some(),
                        available: relay.is_available(),
                        sessions: sessions.map(|n| n as u64),
                        ng_round_trip_p50_ms: rtt.map(|r| r.0),
                        ng_round_trip_p99_ms: rtt.map(|r| r.1),
                    })
                }
            }
            Some(_) => Some(MediaStatus {
                rtpengine: vec![],
                reachable: false,
                available: false,
                sessions: None,
                ng_round_trip_p50_ms: None,
                ng_round_trip_p99_ms: None,
            }),
            None => None,
        };
        Ok(Json(Status {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            database: state.provisioner.store().backend().as_str().to_owned(),
            snapshot_version: s.version,
            snapshot_build_ms: state.snapshot.last_full_build().as_secs_f64() * 1000.0,
            counts: ConfigCounts {
                extensions: count(s.extensions.len()),
                trunks: count(s.trunks.len()),
                routes: count(s.routes.len()),
                ring_groups: count(s.ring_groups.len()),
                webhooks: count(s.webhooks.len()),
            },
            uptime_s: state.started.elapsed().as_secs(),
            sip: state.sip.as_ref().map(|sip| SipStatus {
                listen: sip.local_addr().to_string(),
                registrations: sip.registrar.table.len() as u64,
                transactions: sip.endpoint.transactions.len() as u64,
                client_transactions: sip.endpoint.client.len() as u64,
                calls: sip.b2bua.calls.len() as u64,
                auth_failures_total: sip.security.failures.total(),
                auth_failures_by_source: sip
                    .security
                    .failures
                    .top(20)
                    .into_iter()
                    .map(|(ip, n)| AuthFailureSource { source: ip.to_string(), failures: n })
                    .collect(),
            }),
            media,
        }))
    }
}

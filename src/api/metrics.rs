//! `GET /metrics`: the Prometheus text exposition of `crate::metrics`, with the gauges of
//! what is there now (registrations, calls, trunk states, backlog, subscribers, bans) and
//! a store round trip measured at the scrape.

use std::sync::Arc;

use poem_openapi::payload::PlainText;
use poem_openapi::{ApiResponse, OpenApi};
use prometheus::Encoder;

use super::auth::BearerToken;
use super::error::ApiError;
use super::state::ApiState;
use crate::auth::scope::Access;

pub struct MetricsApi;

#[derive(ApiResponse)]
pub enum MetricsAnswer {
    /// Prometheus text format 0.0.4.
    #[oai(status = 200, content_type = "text/plain; version=0.0.4; charset=utf-8")]
    Ok(PlainText<String>),
}

/// Fills the gauges from the running system.
async fn observe(state: &ApiState) {
    let m = crate::metrics::metrics();
    let store = state.provisioner.store();
    let started = std::time::Instant::now();
    if let Ok(backlog) = store.webhook_backlog().await {
        m.webhook_backlog.set(backlog);
    }
    m.store_latency.observe(started.elapsed().as_secs_f64());
    m.event_subscribers.set(state.feed.subscribers() as i64);
    if let Some(sip) = &state.sip {
        m.registrations.set(sip.registrar.table.len() as i64);
        m.active_calls.set(sip.b2bua.calls.len() as i64);
        m.bans.set(sip.security.bans.len() as i64);
        m.trunk_state.reset();
        for status in sip.trunks.status.iter() {
            let state = serde_json::to_value(status.state).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            m.trunk_state.with_label_values(&[status.name.as_str(), state.as_str()]).set(1);
        }
    }
}

#[OpenApi]
impl MetricsApi {
    /// Prometheus metrics (text exposition format), for an `admin` or `metrics` token:
    /// SIP requests and responses, registrations, calls and their setup time, trunk
    /// states, webhook backlog and failures, event subscribers, bans and scanner hits,
    /// Lua consultations, store latency. Names start with `callplane_`.
    #[oai(path = "/metrics", method = "get", operation_id = "get_metrics", tag = "crate::api::state::ApiTag::System")]
    async fn metrics(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<MetricsAnswer, ApiError> {
        auth.require(Access::Metrics)?;
        observe(&state).await;
        let mut out = Vec::new();
        prometheus::TextEncoder::new()
            .encode(&crate::metrics::metrics().registry.gather(), &mut out)
            .map_err(|e| ApiError::status(poem::http::StatusCode::INTERNAL_SERVER_ERROR, format!("cannot encode the metrics: {e}")))?;
        Ok(MetricsAnswer::Ok(PlainText(String::from_utf8_lossy(&out).into_owned())))
    }
}

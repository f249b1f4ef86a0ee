//! Prometheus metrics (`GET /metrics`): counters and histograms the SIP core, calls,
//! webhooks, fail-to-ban and Lua services update as things happen (atomic increments on
//! handles made once, no lock on the SIP path), and gauges the API fills in when scraped
//! (`api/metrics.rs`). Names start with `callplane_`. Knows nothing of what it counts.

use std::sync::OnceLock;

use dashmap::DashMap;
use prometheus::{Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry};

/// The SIP methods counted by name; others are counted as `other`.
const METHODS: [&str; 14] = ["INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE"];
const TRANSPORTS: [&str; 3] = ["udp", "tcp", "tls"];

pub struct Metrics {
    pub registry: Registry,
    /// [method][transport], made once.
    requests: Vec<[IntCounter; 3]>,
    responses: IntCounterVec,
    /// (method index, code) → handle, so a response costs one shard read, not the vec's lock.
    response_handles: DashMap<(usize, u16), IntCounter>,
    pub call_setup: Histogram,
    pub calls: IntCounterVec,
    pub webhook_failures: IntCounter,
    pub signature_hits: IntCounter,
    /// New calls refused with 503 for overload (`sip/methods/overload.rs`).
    pub overload_shed: IntCounter,
    pub lua: IntCounterVec,
    pub registrations: IntGauge,
    pub active_calls: IntGauge,
    pub trunk_state: IntGaugeVec,
    pub webhook_backlog: IntGauge,
    pub event_subscribers: IntGauge,
    pub bans: IntGauge,
    pub store_latency: Histogram,
}

fn method_index(method: &str) -> usize {
    METHODS.iter().position(|m| *m == method).unwrap_or(METHODS.len())
}

fn method_name(index: usize) -> &'static str {
    METHODS.get(index).copied().unwrap_or("other")
}

impl Metrics {
    fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new();
        let requests_vec = IntCounterVec::new(Opts::new("callplane_sip_requests_total", "SIP requests received, by method and transport"), &["method", "transport"])?;
        let requests = (0..=METHODS.len())
            .map(|m| TRANSPORTS.map(|t| requests_vec.with_label_values(&[method_name(m), t])))
            .collect();
        let responses = IntCounterVec::new(Opts::new("callplane_sip_responses_total", "SIP responses sent, by the request's method and the code"), &["method", "code"])?;
        let call_setup = Histogram::with_opts(
            HistogramOpts::new("callplane_call_setup_seconds", "From a call's INVITE to its answer").buckets(vec![0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0, 60.0]),
        )?;
        let calls = IntCounterVec::new(Opts::new("callplane_calls_total", "Finished calls (CDR segments), by disposition"), &["disposition"])?;
        let webhook_failures = IntCounter::new("callplane_webhook_failures_total", "Webhook delivery attempts that failed")?;
        let signature_hits = IntCounter::new("callplane_scanner_signature_hits_total", "Requests dropped for a scanner's signature")?;
        let overload_shed = IntCounter::new("callplane_sip_overload_shed_total", "New calls refused with 503 because the node was overloaded")?;
        let lua = IntCounterVec::new(Opts::new("callplane_lua_consultations_total", "Lua service consultations, by service and result (route, reject, continue, failed)"), &["service", "result"])?;
        let registrations = IntGauge::new("callplane_registrations", "Registered devices")?;
        let active_calls = IntGauge::new("callplane_active_calls", "Calls in progress on this node")?;
        let trunk_state = IntGaugeVec::new(Opts::new("callplane_trunk_state", "1 for each trunk's current state"), &["trunk", "state"])?;
        let webhook_backlog = IntGauge::new("callplane_webhook_backlog", "Webhook deliveries waiting")?;
        let event_subscribers = IntGauge::new("callplane_event_subscribers", "Open event streams")?;
        let bans = IntGauge::new("callplane_bans", "Addresses banned now (fail-to-ban)")?;
        let store_latency = Histogram::with_opts(
            HistogramOpts::new("callplane_store_latency_seconds", "Round trip of a store query (measured at each scrape)").buckets(vec![0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0]),
        )?;
        registry.register(Box::new(requests_vec))?;
        registry.register(Box::new(responses.clone()))?;
        registry.register(Box::new(call_setup.clone()))?;
        registry.register(Box::new(calls.clone()))?;
        registry.register(Box::new(webhook_failures.clone()))?;
        registry.register(Box::new(signature_hits.clone()))?;
        registry.register(Box::new(overload_shed.clone()))?;
        registry.register(Box::new(lua.clone()))?;
        registry.register(Box::new(registrations.clone()))?;
        registry.register(Box::new(active_calls.clone()))?;
        registry.register(Box::new(trunk_state.clone()))?;
        registry.register(Box::new(webhook_backlog.clone()))?;
        registry.register(Box::new(event_subscribers.clone()))?;
        registry.register(Box::new(bans.clone()))?;
        registry.register(Box::new(store_latency.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            responses,
            response_handles: DashMap::new(),
            call_setup,
            calls,
            webhook_failures,
            signature_hits,
            overload_shed,
            lua,
            registrations,
            active_calls,
            trunk_state,
            webhook_backlog,
            event_subscribers,
            bans,
            store_latency,
        })
    }

    /// A SIP request received over `transport` (`udp`, `tcp` or `tls`).
    pub fn sip_request(&self, method: &str, transport: &str) {
        let t = TRANSPORTS.iter().position(|x| *x == transport).unwrap_or(0);
        if let Some(row) = self.requests.get(method_index(method)) {
            row[t].inc();
        }
    }

    /// A new call refused for overload.
    pub fn sip_shed(&self) {
        self.overload_shed.inc();
    }

    /// A SIP response sent to a request of `method`.
    pub fn sip_response(&self, method: &str, code: u16) {
        let m = method_index(method);
        if let Some(h) = self.response_handles.get(&(m, code)) {
            h.inc();
            return;
        }
        let h = self.responses.with_label_values(&[method_name(m), &code.to_string()]);
        h.inc();
        self.response_handles.insert((m, code), h);
    }
}

/// The process's metrics (made on first use).
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| Metrics::new().unwrap_or_else(|e| panic!("metric definitions are fixed and valid: {e}")))
}

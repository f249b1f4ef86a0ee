//! One call: rings the dialled number's devices in parallel, follows forwarding (announcing
//! each hop to the caller with `181 Call Is Being Forwarded`), bridges the answer, relays
//! in-dialog requests both ways and writes the CDR when it ends.

use crate::events::EventPayload;
use crate::events::types::ServiceFailedData;
use crate::lua::engine::{CallInfo, Decision};
use crate::events::types::{CallAnsweredData, CallCreatedData, CallEndedData, CallForwardedData, CallParties, CallRingingData, ForwardReason};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;

use super::cdr::Cdr;
use super::legs::is_2xx;
use crate::sip::dialog::Dialog;
use crate::sip::dialog::request as outbound;
use super::{CallHandle, CallView, LegView};
use crate::model::ResourceKind;
use crate::sip::transaction::retransmit;
use super::env::CallEnv;
use crate::sip::endpoint::responder::Responder;
use crate::sip::registrar::binding::Binding;
use crate::sip::transaction::client::{Outcome, Outgoing};
use crate::sip::transaction::key::TxKey;
use crate::sip::transport::Source;
use crate::sip::wire::name_addr::NameAddr;
use crate::sip::wire::{Message, Method};

/// Ringing time when the extension has no no-answer forwarding.
const DEFAULT_RING_TIMEOUT: Duration = Duration::from_secs(60);

pub enum CallEvent {
    Fork { leg: usize, outcome: Outcome },
    Cancel,
    /// The caller's ACK for the 2xx, with its body (the SDP answer of a late offer).
    AckFromA(Option<(String, Vec<u8>)>),
    FromA { msg: Arc<Message>, responder: Responder },
    FromB { msg: Arc<Message>, responder: Responder },
    Hangup,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ForkState {
    Trying,
    Ringing,
    Answered,
    Done,
}

struct Fork {
    dialog: Dialog,
    branch: String,
    /// CSeq of the INVITE in progress (a CANCEL carries it; PRACKs advance the dialog's).
    invite_cseq: u32,
    number: String,
    state: ForkState,
    /// Trunk credentials to answer a 401/407 once (carriers challenge INVITEs).
    credentials: Option<(String, String)>,
    /// Headers every INVITE on this leg carries (caller identity, 100rel).
    extra: Vec<(&'static str, String)>,
}

enum RingEnd {
    Answered(usize),
    Failed(u16, String),
    Cancelled,
}

enum ForkEnd {
    Answered(usize),
    Busy,
    NoAnswer,
    Redirect(String),
    Failed(u16, String),
    Cancelled,
}

pub struct Call {
    id: String,
    env: Arc<CallEnv>,
    rx: mpsc::UnboundedReceiver<CallEvent>,
    tx: mpsc::UnboundedSender<CallEvent>,
    view: Arc<std::sync::RwLock<CallView>>,
    invite: Arc<Message>,
    responder: Responder,
    /// Requests to the caller go on this dialog.
    a: Dialog,
    a_acked: Arc<AtomicBool>,
    caller: String,
    dialed: String,
    /// What rings first: the dialled number, or an inbound trunk call's destination.
    first_target: String,
    forks: Vec<Fork>,
    chain: Vec<String>,
    /// Lua services consulted so far (bounded: a service routing to itself cannot loop).
    lua_depth: u8,
    ring_group: Option<String>,
    started: chrono::DateTime<Utc>,
    answered: Option<chrono::DateTime<Utc>>,
    /// Extension numbers counted as busy with this call (released when it ends).
    involved: HashSet<String>,
    /// The trunk the call went out through, if any.
    trunk: Option<String>,
    /// The caller supports reliable provisional responses (RFC 3262).
    caller_100rel: bool,
    /// RSeq of the last reliable provisional sent to the caller.
    a_rseq: u32,
    /// Set when the caller's PRACK for it arrived (stops its retransmission).
    a_prack: Option<Arc<AtomicBool>>,
    /// The callee leg whose 2xx waits for the caller's ACK (ACK is end to end for 2xx).
    pending_b_ack: Option<usize>,
}

impl Call {
    /// Starts a call that arrived from trunk `trunk` for number `dialed` (the DID), which
    /// rings `target` (the dial plan's answer or the trunk's inbound destination).
    #[allow(clippy::too_many_arguments)]
    pub fn start_from_trunk(env: Arc<CallEnv>, invite: Arc<Message>, responder: Responder, source: Source, caller: String, dialed: String, target: String, trunk: String) {
        Self::spawn(env, invite, responder, source, caller, dialed, Some(target), Some(trunk));
    }

    /// Starts a call for an authenticated INVITE whose Request-URI is `dialed`.
    pub fn start(env: Arc<CallEnv>, invite: Arc<Message>, responder: Responder, source: Source, caller: String, dialed: String) {
        Self::spawn(env, invite, responder, source, caller, dialed, None, None);
    }

    #[allow(clippy::too_many_arguments)]
    fn spawn(
        env: Arc<CallEnv>,
        invite: Arc<Message>,
        responder: Responder,
        source: Source,
        caller: String,
        dialed: String,
        target: Option<String>,
        trunk: Option<String>,
    ) {
        let id = uuid::Uuid::now_v7().to_string();
        let (tx, rx) = mpsc::unbounded_channel();
        let started = Utc::now();
        let view = Arc::new(std::sync::RwLock::new(CallView {
            id: id.clone(),
            caller: caller.clone(),
            dialed: dialed.clone(),
            state: "trying".into(),
            started_at: started,
            answered_at: None,
            legs: vec![LegView { role: "caller".into(), number: caller.clone(), state: "trying".into(), contact: source.addr.to_string() }],
        }));
        let a = Dialog::uas(&invite, responder.to_tag(), source, env.endpoint.local_addr_on(source.addr.ip(), source.proto));
        let a_key = super::Calls::a_key(&invite.call_id, invite.from.tag().unwrap_or_default());
        let handle = Arc::new(CallHandle { events: tx.clone(), view: view.clone() });
        env.calls.register(&id, handle, a_key, TxKey::of(&invite));
        let call = Call {
            id,
            env,
            rx,
            tx,
            view,
            invite,
            responder,
            a,
            a_acked: Arc::new(AtomicBool::new(false)),
            caller,
            first_target: target.unwrap_or_else(|| dialed.clone()),
            dialed,
            forks: Vec::new(),
            chain: Vec::new(),
            lua_depth: 0,
            ring_group: None,
            started,
            answered: None,
            involved: HashSet::new(),
            trunk,
            caller_100rel: false,
            a_rseq: 0,
            a_prack: None,
            pending_b_ack: None,
        };
        let mut call = call;
        call.caller_100rel = call
            .invite
            .header_all("Supported")
            .chain(call.invite.header_all("Require"))
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case("100rel"));
        tokio::spawn(call.run());
    }

    fn parties(&self) -> CallParties {
        CallParties { call_id: self.id.clone(), caller: self.caller.clone(), dialed: self.dialed.clone(), click_to_call: None }
    }

    fn publish(&self, payload: EventPayload) {
        self.env.bus.publish(payload);
    }

    fn set_view(&self, change: impl FnOnce(&mut CallView)) {
        if let Ok(mut v) = self.view.write() {
            change(&mut v);
        }
    }

    async fn run(mut self) {
        self.involve(self.caller.clone());
        if let Some(trunk) = self.trunk.clone() {
            // A call that came in through a trunk occupies it until the end.
            self.involve(crate::sip::trunk::call_key(&trunk));
        }
        self.publish(EventPayload::CallCreated(CallCreatedData { call: self.parties() }));
        let _ = self.responder.provisional(100, "Trying", &[], None).await;
        let end = self.ring(self.first_target.clone()).await;
        let (code, cause, side) = match end {
            RingEnd::Answered(leg) => self.talk(leg).await,
            RingEnd::Failed(code, reason) => {
                let _ = self.responder.respond(code, &reason, &[], None).await;
                (code, reason, "none".to_owned())
            }
            RingEnd::Cancelled => {
                let _ = self.responder.respond(487, "Request Terminated", &[], None).await;
                (487, "cancelled by the caller".to_owned(), "caller".to_owned())
            }
        };
        self.finish(code, cause, side).await;
    }

    fn stop_reliable_provisionals(&self) {
        if let Some(flag) = &self.a_prack {
            flag.store(true, Ordering::Release);
        }
    }

    async fn finish(&mut self, code: u16, cause: String, side: String) {
        self.stop_reliable_provisionals();
        if let Some(leg) = self.pending_b_ack.take() {
            self.ack_callee(leg, None).await;
        }
        let ended = Utc::now();
        let duration = self.answered.map(|a| (ended - a).num_milliseconds() as f64 / 1000.0).unwrap_or(0.0);
        let final_callee = self.forks.iter().find(|f| f.state == ForkState::Answered).map(|f| f.number.clone());
        let cdr = Cdr {
            id: self.id.clone(),
            caller: self.caller.clone(),
            dialed: self.dialed.clone(),
            final_callee: final_callee.clone(),
            forwarding_chain: self.chain.clone(),
            ring_group: self.ring_group.clone(),
            trunk: self.trunk.clone(),
            started_at: self.started,
            answered_at: self.answered,
            ended_at: ended,
            duration_s: duration,
            final_code: code,
            disposition: super::cdr::disposition(code, self.answered.is_some()),
            hangup_side: side.clone(),
        };
        // The CDR is queued before `call.ended` goes out, so a consumer that sees the event
        // and flushes the writer finds the CDR.
        self.env.cdrs.record(cdr);
        self.publish(EventPayload::CallEnded(CallEndedData {
            call: self.parties(),
            code,
            cause,
            duration_s: duration,
            hangup_side: side,
            final_callee,
        }));
        for n in self.involved.drain() {
            self.env.calls.leave(&n);
        }
        self.env.calls.remove(&self.id);
        // Answers that raced the end of the call (a 200 crossing our CANCEL) may already be
        // queued: close the queue (later ones are handled by the leg's forwarder) and end them.
        self.rx.close();
        while let Ok(event) = self.rx.try_recv() {
            if let CallEvent::Fork { leg, outcome } = event {
                self.late_answer(leg, outcome);
            }
        }
    }

    fn involve(&mut self, number: String) {
        if self.involved.insert(number.clone()) {
            self.env.calls.enter(&number);
        }
    }

    /// Rings `number`, following forwarding, until an answer, a final failure or CANCEL.
    async fn ring(&mut self, first: String) -> RingEnd {
        let mut target = first;
        let mut visited: HashSet<String> = HashSet::new();
        let max_hops = self.env.settings.max_forward_hops;
        loop {
            if !visited.insert(target.clone()) {
                return RingEnd::Failed(482, format!("Loop Detected (forwarding returns to {target})"));
            }
            if self.chain.len() > max_hops as usize {
                return RingEnd::Failed(483, "Too Many Hops (forwarding chain too long)".into());
            }
            let snapshot = self.env.snapshot.get();
            let Some(owner) = snapshot.numbers.get(&target).cloned() else {
                return self.ring_routes(&target).await;
            };
            let group = match owner.kind {
                ResourceKind::Extension => None,
                ResourceKind::RingGroup => match snapshot.ring_groups.get(&owner.id) {
                    Some(g) => Some(g.clone()),
                    None => return RingEnd::Failed(404, "Not Found".into()),
                },
                _ => return RingEnd::Failed(404, "Not Found".into()),
            };
            if let Some(g) = group {
                if !g.enabled {
                    return RingEnd::Failed(403, "Forbidden (ring group disabled)".into());
                }
                self.ring_group.get_or_insert(g.number.clone());
                match self.ring_group_members(&g).await {
                    Some(end) => return end,
                    None => match g.fallback.clone() {
                        Some(next) => {
                            self.forwarded(&target, &next, ForwardReason::Fallback).await;
                            target = next;
                            continue;
                        }
                        None => {
                            let code = g.reject_code.unwrap_or(480);
                            return RingEnd::Failed(code, reason_for(code).into());
                        }
                    },
                }
            }
            let Some(ext) = snapshot.extensions.get(&owner.id) else { return RingEnd::Failed(404, "Not Found".into()) };
            if !ext.extension.enabled {
                return RingEnd::Failed(403, "Forbidden (extension disabled)".into());
            }
            let f = ext.extension.forwarding.clone();
            let timeout = if f.no_answer.is_some() { Duration::from_secs(u64::from(f.no_answer_timeout_s)) } else { DEFAULT_RING_TIMEOUT };
            let forwarding = Some(f);
            if let Some(next) = forwarding.as_ref().and_then(|f| f.unconditional.clone()) {
                self.forwarded(&target, &next, ForwardReason::Unconditional).await;
                target = next;
                continue;
            }
            let at_limit = ext.extension.max_calls.is_some_and(|m| self.env.calls.active(&target) >= m as usize);
            if at_limit && !self.involved.contains(&target) {
                match forwarding.as_ref().and_then(|f| f.busy.clone()) {
                    Some(next) => {
                        self.forwarded(&target, &next, ForwardReason::Busy).await;
                        target = next;
                        continue;
                    }
                    None => return RingEnd::Failed(486, "Busy Here (call limit)".into()),
                }
            }
            self.involve(target.clone());
            let now = Utc::now();
            let bindings: Vec<(String, Binding)> =
                self.env.registrar.table.lookup(&target, now).into_iter().map(|b| (target.clone(), b)).collect();
            if bindings.is_empty() {
                if let Some(next) = forwarding.as_ref().and_then(|f| f.unavailable.clone()) {
                    self.forwarded(&target, &next, ForwardReason::Unavailable).await;
                    target = next;
                    continue;
                }
                return RingEnd::Failed(480, "Temporarily Unavailable".into());
            }
            match self.fork(bindings, timeout).await {
                ForkEnd::Answered(leg) => return RingEnd::Answered(leg),
                ForkEnd::Cancelled => return RingEnd::Cancelled,
                ForkEnd::Redirect(next) => {
                    self.forwarded(&target, &next, ForwardReason::Redirect).await;
                    target = next;
                }
                ForkEnd::Busy => match forwarding.as_ref().and_then(|f| f.busy.clone()) {
                    Some(next) => {
                        self.forwarded(&target, &next, ForwardReason::Busy).await;
                        target = next;
                    }
                    None => return RingEnd::Failed(486, "Busy Here".into()),
                },
                ForkEnd::NoAnswer => match forwarding.as_ref().and_then(|f| f.no_answer.clone()) {
                    Some(next) => {
                        self.forwarded(&target, &next, ForwardReason::NoAnswer).await;
                        target = next;
                    }
                    None => return RingEnd::Failed(480, "Temporarily Unavailable (no answer)".into()),
                },
                ForkEnd::Failed(code, reason) => return RingEnd::Failed(code, reason),
            }
        }
    }

    /// Calls an outside number through the trunks of the routes it matches, best first,
    /// moving to the next route when a trunk fails with 5xx, 408 or no answer.
    async fn ring_routes(&mut self, number: &str) -> RingEnd {
        use crate::model::route::RouteTargetKind;
        let snapshot = self.env.snapshot.get();
        let candidates = crate::dialplan::routes_for(&snapshot, number);
        if candidates.is_empty() {
            return RingEnd::Failed(404, "Not Found".into());
        }
        let mut last = RingEnd::Failed(404, "Not Found".into());
        for (route, dialed) in candidates {
            match route.target.kind {
                RouteTargetKind::Trunk => {}
                RouteTargetKind::Extension | RouteTargetKind::RingGroup => {
                    let internal = match route.target.kind {
                        RouteTargetKind::Extension => snapshot.extensions.get(&route.target.id).map(|e| e.extension.number.clone()),
                        _ => snapshot.ring_groups.get(&route.target.id).map(|g| g.number.clone()),
                    };
                    return match internal {
                        Some(n) => Box::pin(self.ring(n)).await,
                        None => RingEnd::Failed(404, "Not Found".into()),
                    };
                }
                RouteTargetKind::LuaService => {
                    match self.ask_service(&snapshot, &route.target.id, &dialed).await {
                        Some(Decision::Route(n)) => return Box::pin(self.ring(n)).await,
                        Some(Decision::Reject(code, reason)) => return RingEnd::Failed(code, reason),
                        // Continue, or the service failed: the next route decides.
                        Some(Decision::Continue) | None => continue,
                    }
                }
            }
            let Some(trunk) = snapshot.trunks.get(&route.target.id).cloned() else { continue };
            if !trunk.trunk.enabled {
                continue;
            }
            self.trunk = Some(trunk.trunk.name.clone());
            match self.ring_trunk(&trunk, &dialed).await {
                ForkEnd::Answered(leg) => return RingEnd::Answered(leg),
                ForkEnd::Cancelled => return RingEnd::Cancelled,
                ForkEnd::NoAnswer => {
                    tracing::info!(trunk = %trunk.trunk.name, "no answer through trunk, trying the next route");
                    last = RingEnd::Failed(480, "Temporarily Unavailable (no answer)".into());
                }
                ForkEnd::Failed(code, reason) if code == 408 || code >= 500 => {
                    tracing::info!(trunk = %trunk.trunk.name, code, "trunk failed, trying the next route");
                    last = RingEnd::Failed(code, reason);
                }
                ForkEnd::Failed(code, reason) => return RingEnd::Failed(code, reason),
                ForkEnd::Busy => return RingEnd::Failed(486, "Busy Here".into()),
                ForkEnd::Redirect(_) => return RingEnd::Failed(480, "Temporarily Unavailable (redirected by the carrier)".into()),
            }
        }
        last
    }

    /// Asks a Lua service where the call goes; `None` when it is disabled, missing or failed
    /// (a failure is announced with `service.failed` and the dial plan goes on).
    async fn ask_service(&mut self, snapshot: &crate::snapshot::Snapshot, id: &str, dialed: &str) -> Option<Decision> {
        let service = snapshot.lua_services.get(id).filter(|s| s.enabled)?.clone();
        let failed = |call: &Self, kind: &str, error: String| {
            tracing::warn!(service = %service.name, call = %call.id, kind, %error, "Lua service failed; going on with the dial plan");
            call.publish(EventPayload::ServiceFailed(ServiceFailedData {
                service_id: service.id.clone(),
                name: service.name.clone(),
                call_id: call.id.clone(),
                kind: kind.to_owned(),
                error,
            }));
        };
        self.lua_depth += 1;
        if self.lua_depth > MAX_LUA_DEPTH {
            failed(self, "loop", format!("more than {MAX_LUA_DEPTH} Lua services consulted for one call"));
            return None;
        }
        let selected = ["User-Agent", "P-Asserted-Identity", "Diversion", "Referred-By"];
        let info = CallInfo {
            call_id: self.id.clone(),
            caller: self.caller.clone(),
            caller_name: self.invite.from.display.clone(),
            dialed: dialed.to_owned(),
            trunk: self.trunk.clone(),
            headers: selected.iter().filter_map(|h| self.invite.header(h).map(|v| ((*h).to_owned(), v.to_owned()))).collect(),
        };
        match self.env.lua.route(&service, info).await {
            Ok(decision) => Some(decision),
            Err(f) => {
                failed(self, f.kind, f.message);
                None
            }
        }
    }

    /// A call out through a trunk, within the trunk's concurrent-call limit and the caller's
    /// daily limit; the trunk counts the call while it rings and, if answered, until the end.
    async fn ring_trunk(&mut self, entry: &crate::snapshot::TrunkEntry, dialed: &str) -> ForkEnd {
        let key = crate::sip::trunk::call_key(&entry.trunk.name);
        if entry.trunk.max_calls.is_some_and(|m| self.env.calls.active(&key) >= m as usize) {
            tracing::info!(trunk = %entry.trunk.name, "trunk at its call limit");
            return ForkEnd::Failed(503, "Service Unavailable (the trunk is at its call limit)".into());
        }
        let daily = self.env.snapshot.get().extension_by_number(&self.caller).and_then(|e| e.extension.daily_trunk_calls);
        if let Some(limit) = daily {
            if !self.env.calls.take_daily_trunk_call(&self.caller, limit) {
                tracing::warn!(caller = %self.caller, limit, "daily limit of calls through trunks reached");
                return ForkEnd::Failed(403, "Forbidden (daily outbound call limit reached)".into());
            }
        }
        let fresh = !self.involved.contains(&key);
        self.involve(key.clone());
        let end = self.ring_trunk_once(entry, dialed).await;
        if fresh && !matches!(end, ForkEnd::Answered(_)) {
            self.involved.remove(&key);
            self.env.calls.leave(&key);
        }
        end
    }

    /// One INVITE to a trunk (strip/prepend applied), with its caller identity and quirks.
    async fn ring_trunk_once(&mut self, entry: &crate::snapshot::TrunkEntry, dialed: &str) -> ForkEnd {
        let t = &entry.trunk;
        let Some(dest) = crate::sip::trunk::register::target(&self.env.endpoint, entry).await else {
            return ForkEnd::Failed(503, "Service Unavailable (cannot resolve the trunk)".into());
        };
        let local = self.env.endpoint.local_addr_on(dest.addr.ip(), dest.proto);
        let from_user = t.caller_id.number.clone().unwrap_or_else(|| self.caller.clone());
        let display = t.caller_id.display_name.clone().or_else(|| self.invite.from.display.clone());
        let host = if t.port == 5060 { t.host.clone() } else { format!("{}:{}", t.host, t.port) };
        let params = t.quirks.request_uri_params.trim_start_matches(';');
        let target = if params.is_empty() { format!("sip:{dialed}@{host}") } else { format!("sip:{dialed}@{host};{params}") };
        let mut dialog = Dialog {
            call_id: crate::sip::endpoint::ids::new_call_id(),
            local_uri: format!("sip:{from_user}@{}", t.host),
            local_display: display,
            local_tag: crate::sip::endpoint::ids::new_tag(),
            remote_uri: format!("sip:{dialed}@{}", t.host),
            remote_tag: None,
            remote_target: target,
            // RFC 3261 section 8.1.2: the outbound proxy is a pre-loaded route.
            route_set: t.outbound_proxy.as_deref().map(|p| vec![format!("sip:{p};lr")]).unwrap_or_default(),
            dest,
            local,
            cseq: 1,
            max_forwards: 70,
            tcp_for_large: t.quirks.force_tcp_for_large,
            follow_contact: true,
        };
        let mut extra: Vec<(&'static str, String)> = Vec::new();
        if !t.quirks.disable_100rel {
            extra.push(("Supported", "100rel".to_owned()));
        }
        if t.caller_id.p_asserted_identity {
            extra.push(("P-Asserted-Identity", format!("<sip:{from_user}@{}>", t.host)));
        }
        let body = outbound::body_of(&self.invite);
        let leg = self.forks.len();
        let branch = super::legs::invite_with(&self.env, &self.id, &mut dialog, body.as_ref(), &extra, 1, self.tx.clone(), leg);
        let credentials = match (&t.username, &entry.password) {
            (Some(u), Some(p)) => Some((t.auth_username.clone().unwrap_or_else(|| u.clone()), p.clone())),
            _ => None,
        };
        self.set_view(|v| {
            v.legs.push(LegView { role: "callee".into(), number: dialed.to_owned(), state: "trying".into(), contact: format!("trunk {}", t.name) })
        });
        self.forks.push(Fork { dialog, branch, invite_cseq: 1, number: dialed.to_owned(), state: ForkState::Trying, credentials, extra });
        let timeout = t.quirks.no_answer_timeout_s.map_or(DEFAULT_RING_TIMEOUT, |s| Duration::from_secs(u64::from(s)));
        self.wait_forks(vec![leg], timeout).await
    }

    /// Answers a trunk's 401/407 to our INVITE once, with a new INVITE carrying credentials.
    fn retry_with_credentials(&mut self, leg: usize, resp: &Message) -> bool {
        let Some((user, password)) = self.forks[leg].credentials.take() else { return false };
        let name = if resp.status() == Some(401) { "WWW-Authenticate" } else { "Proxy-Authenticate" };
        let header_name = if resp.status() == Some(401) { "Authorization" } else { "Proxy-Authorization" };
        let fork = &mut self.forks[leg];
        let uri = fork.dialog.remote_target.clone();
        let Some(answer) = resp
            .header_all(name)
            .filter_map(crate::sip::wire::digest::Challenge::parse)
            .find_map(|c| c.answer("INVITE", &uri, &user, &password, &crate::sip::endpoint::ids::new_tag(), 1))
        else {
            return false;
        };
        fork.dialog.cseq += 1;
        let mut extra = fork.extra.clone();
        extra.push((header_name, answer));
        let body = outbound::body_of(&self.invite);
        let cseq = fork.dialog.cseq;
        let mut dialog = fork.dialog.clone();
        let branch = super::legs::invite_with(&self.env, &self.id, &mut dialog, body.as_ref(), &extra, cseq, self.tx.clone(), leg);
        let fork = &mut self.forks[leg];
        fork.dialog = dialog;
        fork.branch = branch;
        fork.invite_cseq = cseq;
        true
    }

    /// Rings a ring group's members: all at once (simultaneous) or one after another for
    /// `member_timeout_s` each (sequential, round-robin starting after the last answerer),
    /// within the group's `timeout_s`. `None` when nobody answered: the fallback applies.
    async fn ring_group_members(&mut self, g: &crate::model::ring_group::RingGroup) -> Option<RingEnd> {
        use crate::model::ring_group::RingStrategy;
        let started = tokio::time::Instant::now();
        let total = Duration::from_secs(u64::from(g.timeout_s));
        let attempts: Vec<(Vec<String>, Duration)> = match g.strategy {
            RingStrategy::Simultaneous => vec![(g.members.clone(), total)],
            RingStrategy::Sequential | RingStrategy::RoundRobin => {
                let start = if g.strategy == RingStrategy::RoundRobin { self.env.calls.next_round_robin(&g.id, g.members.len()) } else { 0 };
                (0..g.members.len())
                    .map(|i| (vec![g.members[(start + i) % g.members.len()].clone()], Duration::from_secs(u64::from(g.member_timeout_s))))
                    .collect()
            }
        };
        for (members, timeout) in attempts {
            let left = total.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            let now = Utc::now();
            let bindings: Vec<(String, Binding)> = members
                .iter()
                .flat_map(|m| self.env.registrar.table.lookup(m, now).into_iter().map(move |b| (m.clone(), b)))
                .collect();
            if bindings.is_empty() {
                continue;
            }
            match self.fork(bindings, timeout.min(left)).await {
                ForkEnd::Answered(leg) => {
                    if g.strategy == RingStrategy::RoundRobin {
                        if let Some(i) = g.members.iter().position(|m| *m == self.forks[leg].number) {
                            self.env.calls.set_round_robin(&g.id, i + 1);
                        }
                    }
                    return Some(RingEnd::Answered(leg));
                }
                ForkEnd::Cancelled => return Some(RingEnd::Cancelled),
                ForkEnd::Busy | ForkEnd::NoAnswer | ForkEnd::Redirect(_) | ForkEnd::Failed(..) => {}
            }
        }
        None
    }

    /// RFC 3262: a reliable provisional from a callee is acknowledged with PRACK on its
    /// early dialog (each leg terminates 100rel on its own).
    fn prack_if_reliable(&mut self, leg: usize, resp: &Message) {
        let reliable = resp.header_all("Require").flat_map(|v| v.split(',')).any(|t| t.trim().eq_ignore_ascii_case("100rel"));
        let Some(rseq) = resp.header("RSeq").and_then(|v| v.trim().parse::<u32>().ok()) else { return };
        if !reliable {
            return;
        }
        let fork = &mut self.forks[leg];
        fork.dialog.cseq += 1;
        // The early dialog of this 18x (RFC 3262 section 4: PRACK is sent within it).
        let mut d = fork.dialog.clone();
        d.establish(resp);
        let branch = crate::sip::endpoint::ids::new_branch();
        let bytes = outbound::request(&d, &Method::Prack, d.cseq, &branch, &[("RAck", format!("{rseq} 1 INVITE"))], None);
        let mut rx = self.env.endpoint.client.start(
            self.env.endpoint.transports.clone(),
            Outgoing { bytes, branch, method: Method::Prack, target: d.dest, ack_for: None },
        );
        tokio::spawn(async move { while rx.recv().await.is_some() {} });
    }

    /// Relays a 18x to the caller: reliably (Require: 100rel, RSeq, retransmitted until its
    /// PRACK) when the caller supports 100rel, plainly otherwise.
    async fn relay_provisional(&mut self, code: u16, reason: &str, body: Option<(String, Vec<u8>)>) {
        let body = body.as_ref().map(|(c, b)| (c.as_str(), b.as_slice()));
        if !self.caller_100rel {
            self.responder.provisional(code, reason, &[], body).await;
            return;
        }
        self.a_rseq += 1;
        let extra = [
            ("Require", "100rel".to_owned()),
            ("RSeq", self.a_rseq.to_string()),
            ("Contact", outbound::contact(self.a.local, self.a.dest.proto)),
        ];
        let bytes = self.responder.provisional(code, reason, &extra, body).await;
        let acked = Arc::new(AtomicBool::new(false));
        if let Some(previous) = self.a_prack.replace(acked.clone()) {
            previous.store(true, Ordering::Release);
        }
        if self.a.dest.proto == crate::sip::transport::Proto::Udp {
            retransmit::until_acknowledged(self.env.endpoint.transports.clone(), self.responder.dest(), bytes, acked);
        }
    }

    /// Tells the caller the call now goes from `from` to `to` (181 + Call-Info).
    async fn forwarded(&mut self, from: &str, to: &str, reason: ForwardReason) {
        self.chain.push(format!("{from}>{to}"));
        let info = format!(
            "<sip:{from}@{}>;purpose=forwarding;username=\"{from}\";contact=\"{to}\"",
            self.a.local
        );
        let _ = self.responder.provisional(181, "Call Is Being Forwarded", &[("Call-Info", info)], None).await;
        self.publish(EventPayload::CallForwarded(CallForwardedData {
            call: self.parties(),
            from: from.to_owned(),
            to: to.to_owned(),
            reason,
            hop: self.chain.len() as u32,
        }));
    }

    fn start_fork(&mut self, number: String, binding: &Binding) -> Option<usize> {
        let dest = Source { addr: binding.source_addr()?, proto: binding.transport.into() };
        let local = self.env.endpoint.local_addr_on(dest.addr.ip(), dest.proto);
        let host = local.to_string();
        let mut dialog = Dialog {
            call_id: crate::sip::endpoint::ids::new_call_id(),
            local_uri: format!("sip:{}@{host}", self.caller),
            local_display: self.invite.from.display.clone(),
            local_tag: crate::sip::endpoint::ids::new_tag(),
            remote_uri: format!("sip:{number}@{host}"),
            remote_tag: None,
            remote_target: binding.contact.clone(),
            // RFC 3327 section 5.4: the binding's Path is the pre-loaded route set.
            route_set: binding.path.clone(),
            dest,
            local,
            cseq: 1,
            max_forwards: self
                .invite
                .header("Max-Forwards")
                .and_then(|v| v.trim().parse::<u8>().ok())
                .map_or(70, |m| m.saturating_sub(1)),
            tcp_for_large: true,
            follow_contact: false,
        };
        dialog.aim();
        let body = outbound::body_of(&self.invite);
        let leg = self.forks.len();
        let branch = super::legs::invite(&self.env, &self.id, &mut dialog, body.as_ref(), self.tx.clone(), leg);
        self.set_view(|v| {
            v.legs.push(LegView { role: "callee".into(), number: number.clone(), state: "trying".into(), contact: binding.contact.clone() })
        });
        self.forks.push(Fork { dialog, branch, invite_cseq: 1, number, state: ForkState::Trying, credentials: None, extra: vec![] });
        Some(leg)
    }

    fn cancel_fork(&mut self, leg: usize) {
        let Some(f) = self.forks.get_mut(leg) else { return };
        if !matches!(f.state, ForkState::Trying | ForkState::Ringing) {
            return;
        }
        f.state = ForkState::Done;
        super::legs::cancel(&self.env, &f.dialog, &f.branch, f.invite_cseq);
    }

    fn cancel_all(&mut self, except: Option<usize>) {
        for leg in 0..self.forks.len() {
            if Some(leg) != except {
                self.cancel_fork(leg);
            }
        }
    }

    /// Rings every binding at once until one answers, all fail, `timeout` or CANCEL.
    async fn fork(&mut self, bindings: Vec<(String, Binding)>, timeout: Duration) -> ForkEnd {
        let mut legs = Vec::new();
        for (number, b) in &bindings {
            if let Some(leg) = self.start_fork(number.clone(), b) {
                legs.push(leg);
            }
        }
        if legs.is_empty() {
            return ForkEnd::Failed(480, "Temporarily Unavailable".into());
        }
        self.wait_forks(legs, timeout).await
    }

    /// Waits for the outcome of the legs just started (see `fork`).
    async fn wait_forks(&mut self, legs: Vec<usize>, timeout: Duration) -> ForkEnd {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut finals: Vec<u16> = Vec::new();
        let mut redirect: Option<String> = None;
        let mut ringing_sent = false;
        loop {
            let event = tokio::select! {
                e = self.rx.recv() => e,
                _ = tokio::time::sleep_until(deadline) => {
                    for leg in &legs {
                        self.cancel_fork(*leg);
                    }
                    return ForkEnd::NoAnswer;
                }
            };
            let Some(event) = event else { return ForkEnd::Cancelled };
            match event {
                CallEvent::Cancel | CallEvent::Hangup => {
                    self.cancel_all(None);
                    return ForkEnd::Cancelled;
                }
                CallEvent::FromA { msg, responder } if msg.method() == Some(&Method::Prack) => {
                    if let Some(flag) = &self.a_prack {
                        flag.store(true, Ordering::Release);
                    }
                    let _ = responder.respond(200, "OK", &[], None).await;
                }
                CallEvent::FromA { responder, .. } | CallEvent::FromB { responder, .. } => {
                    let _ = responder.respond(491, "Request Pending", &[], None).await;
                }
                CallEvent::AckFromA(_) => {}
                CallEvent::Fork { leg, outcome } => {
                    if !legs.contains(&leg) || self.forks[leg].state == ForkState::Done {
                        self.late_answer(leg, outcome);
                        continue;
                    }
                    let Outcome::Response(resp) = outcome else {
                        self.forks[leg].state = ForkState::Done;
                        finals.push(408);
                        if let Some(end) = self.all_failed(&legs, &finals, &redirect) {
                            return end;
                        }
                        continue;
                    };
                    let code = resp.status().unwrap_or(500);
                    match code {
                        100 => {}
                        101..=199 => {
                            self.forks[leg].state = ForkState::Ringing;
                            self.prack_if_reliable(leg, &resp);
                            let body = outbound::body_of(&resp);
                            if !ringing_sent || body.is_some() {
                                ringing_sent = true;
                                let reason = if code == 183 { "Session Progress" } else { "Ringing" };
                                self.relay_provisional(code, reason, body).await;
                                let number = self.forks[leg].number.clone();
                                self.set_view(|v| v.state = "ringing".into());
                                self.publish(EventPayload::CallRinging(CallRingingData { call: self.parties(), callee: number, code: Some(code) }));
                            }
                        }
                        200..=299 => {
                            self.take_answer(leg, &resp).await;
                            self.cancel_all(Some(leg));
                            return ForkEnd::Answered(leg);
                        }
                        300..=399 => {
                            self.forks[leg].state = ForkState::Done;
                            let next = resp
                                .contacts()
                                .next()
                                .and_then(|c| NameAddr::parse(c).ok())
                                .and_then(|c| c.uri.number());
                            if let Some(n) = next {
                                redirect.get_or_insert(n);
                                self.cancel_all(None);
                                return ForkEnd::Redirect(redirect.unwrap_or_default());
                            }
                            finals.push(code);
                        }
                        401 | 407 if self.retry_with_credentials(leg, &resp) => {}
                        _ => {
                            self.forks[leg].state = ForkState::Done;
                            finals.push(code);
                        }
                    }
                    if let Some(end) = self.all_failed(&legs, &finals, &redirect) {
                        return end;
                    }
                }
            }
        }
    }

    fn all_failed(&self, legs: &[usize], finals: &[u16], redirect: &Option<String>) -> Option<ForkEnd> {
        if legs.iter().any(|l| matches!(self.forks[*l].state, ForkState::Trying | ForkState::Ringing)) {
            return None;
        }
        if let Some(r) = redirect {
            return Some(ForkEnd::Redirect(r.clone()));
        }
        if !finals.is_empty() && finals.iter().all(|c| *c == 486 || *c == 600) {
            return Some(ForkEnd::Busy);
        }
        // RFC 3261 section 16.7 step 6 in spirit: prefer the most telling answer.
        let best = finals.iter().copied().min_by_key(|c| match c {
            486 | 600 => 0,
            603 => 1,
            480 | 408 => 3,
            _ => 2,
        });
        Some(ForkEnd::Failed(best.unwrap_or(480), reason_for(best.unwrap_or(480)).into()))
    }

    /// The callee answered on `leg`: ACK it, answer the caller with its SDP.
    async fn take_answer(&mut self, leg: usize, resp: &Message) {
        self.stop_reliable_provisionals();
        let now = Utc::now();
        self.answered = Some(now);
        let fork = &mut self.forks[leg];
        fork.state = ForkState::Answered;
        fork.dialog.establish(resp);
        fork.dialog.resolve_dest().await;
        self.env.calls.mark_answered(&fork.dialog.call_id);
        let number = fork.number.clone();
        // The callee's 2xx is ACKed end to end: when the caller's ACK arrives, with its body
        // (the SDP answer of a late offer). Its retransmissions wait until then.
        self.env.calls.hold_acks.insert(fork.dialog.call_id.clone());
        self.pending_b_ack = Some(leg);
        let body = outbound::body_of(resp);
        let contact = outbound::contact(self.a.local, self.a.dest.proto);
        let _ = self
            .responder
            .respond(200, "OK", &[("Contact", contact)], body.as_ref().map(|(c, b)| (c.as_str(), b.as_slice())))
            .await;
        self.retransmit_2xx_until_ack();
        self.set_view(|v| {
            v.state = "answered".into();
            v.answered_at = Some(now);
            for l in v.legs.iter_mut() {
                if l.role == "callee" && l.number == number {
                    l.state = "answered".into();
                }
            }
        });
        self.publish(EventPayload::CallAnswered(CallAnsweredData { call: self.parties(), callee: number }));
    }

    /// ACK for the callee's 2xx (end to end: with the caller's answer for a late offer).
    async fn ack_callee(&mut self, leg: usize, body: Option<(String, Vec<u8>)>) {
        let d = &self.forks[leg].dialog;
        self.env.calls.hold_acks.remove(&d.call_id);
        let ack = outbound::request(d, &Method::Ack, 1, &crate::sip::endpoint::ids::new_branch(), &[], body.as_ref().map(|(c, b)| (c.as_str(), b.as_slice())));
        let _ = self.env.endpoint.transports.send(d.dest, ack).await;
    }

    /// RFC 3261 section 13.3.1.4: the 2xx goes again (T1 doubling to T2) until the ACK.
    fn retransmit_2xx_until_ack(&self) {
        if self.a.dest.proto != crate::sip::transport::Proto::Udp {
            return;
        }
        let Some((bytes, dest)) = self.responder.last_final() else { return };
        retransmit::until_acknowledged(self.env.endpoint.transports.clone(), dest, bytes, self.a_acked.clone());
    }

    /// The call is up: relay requests both ways until someone hangs up.
    async fn talk(&mut self, leg: usize) -> (u16, String, String) {
        while let Some(event) = self.rx.recv().await {
            match event {
                CallEvent::AckFromA(body) => {
                    self.a_acked.store(true, Ordering::Release);
                    if let Some(pending) = self.pending_b_ack.take() {
                        self.ack_callee(pending, body).await;
                    }
                }
                // 100rel ends on each leg: a late PRACK is answered here, never relayed.
                CallEvent::FromA { msg, responder } | CallEvent::FromB { msg, responder } if msg.method() == Some(&Method::Prack) => {
                    self.stop_reliable_provisionals();
                    let _ = responder.respond(200, "OK", &[], None).await;
                }
                CallEvent::FromA { msg, responder } => {
                    if msg.method() == Some(&Method::Bye) {
                        let _ = responder.respond(200, "OK", &[], None).await;
                        self.send_bye_b(leg);
                        return (200, "caller hung up".into(), "caller".into());
                    }
                    self.relay(msg, responder, true, leg);
                }
                CallEvent::FromB { msg, responder } => {
                    if msg.method() == Some(&Method::Bye) {
                        let _ = responder.respond(200, "OK", &[], None).await;
                        self.send_bye_a();
                        return (200, "callee hung up".into(), "callee".into());
                    }
                    self.relay(msg, responder, false, leg);
                }
                CallEvent::Hangup => {
                    self.send_bye_a();
                    self.send_bye_b(leg);
                    return (200, "hung up through the API".into(), "api".into());
                }
                CallEvent::Fork { leg: other, outcome } if other != leg => self.late_answer(other, outcome),
                CallEvent::Cancel | CallEvent::Fork { .. } => {}
            }
        }
        (200, "call task ended".into(), "none".into())
    }

    /// A 2xx from a fork that lost (cancelled, or another answered first): ACK and BYE it.
    fn late_answer(&self, leg: usize, outcome: Outcome) {
        if let (Outcome::Response(r), Some(f)) = (outcome, self.forks.get(leg)) {
            if is_2xx(&r) {
                super::stray_answer(&self.env, &r, f.dialog.dest);
            }
        }
    }

    fn send_bye_b(&mut self, leg: usize) {
        super::legs::bye(&self.env, &mut self.forks[leg].dialog);
    }

    fn send_bye_a(&mut self) {
        super::legs::bye(&self.env, &mut self.a);
    }

    /// Relays re-INVITE, UPDATE, INFO (and anything else in dialog) to the other leg and
    /// its final answer back.
    fn relay(&mut self, msg: Arc<Message>, responder: Responder, from_a: bool, leg: usize) {
        let Some(method) = msg.method().cloned() else { return };
        // RFC 3261 section 12.2.2: re-INVITE and UPDATE (RFC 3311 section 5.2) refresh the
        // sender's remote target.
        if matches!(method, Method::Invite | Method::Update) {
            if from_a {
                self.a.refresh_target(&msg);
            } else {
                self.forks[leg].dialog.refresh_target(&msg);
            }
        }
        let d = if from_a {
            self.forks[leg].dialog.cseq += 1;
            self.forks[leg].dialog.clone()
        } else {
            self.a.cseq += 1;
            self.a.clone()
        };
        let mut rx = super::legs::send_in_dialog(&self.env, &d, method.clone(), outbound::body_of(&msg));
        let transports = self.env.endpoint.transports.clone();
        tokio::spawn(async move {
            while let Some(outcome) = rx.recv().await {
                match outcome {
                    Outcome::Response(r) if r.status().unwrap_or(0) < 200 => {}
                    Outcome::Response(r) => {
                        let code = r.status().unwrap_or(500);
                        if method == Method::Invite && (200..300).contains(&code) {
                            let ack = outbound::request(&d, &Method::Ack, d.cseq, &crate::sip::endpoint::ids::new_branch(), &[], None);
                            let _ = transports.send(d.dest, ack).await;
                        }
                        let reason = match &r.start {
                            crate::sip::wire::StartLine::Response { reason, .. } => reason.clone(),
                            _ => String::new(),
                        };
                        let body = outbound::body_of(&r);
                        let _ = responder.respond(code, &reason, &[], body.as_ref().map(|(c, b)| (c.as_str(), b.as_slice()))).await;
                        break;
                    }
                    Outcome::Timeout => {
                        let _ = responder.respond(408, "Request Timeout", &[], None).await;
                        break;
                    }
                }
            }
        });
    }
}

fn reason_for(code: u16) -> &'static str {
    match code {
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        480 => "Temporarily Unavailable",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        500 => "Server Internal Error",
        503 => "Service Unavailable",
        600 => "Busy Everywhere",
        603 => "Decline",
        _ => "Call Failed",
    }
}

/// Lua services one call may consult (each routing decision may lead to another).
const MAX_LUA_DEPTH: u8 = 4;



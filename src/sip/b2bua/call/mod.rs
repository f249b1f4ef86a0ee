//! One call, as one task that owns its state: it follows the routing decision
//! (`routing.rs`: forwarding, ring groups, the dial plan) and announces each forwarding
//! hop to the caller with `181 Call Is Being Forwarded`; its parts live beside it:
//! `fork.rs` rings devices in parallel, `group.rs` ring groups, `trunk_leg.rs` dials out
//! through trunks, `reliable.rs` handles reliable provisional responses (RFC 3262),
//! `bridge.rs` joins the answered legs and relays between them. It writes the CDR when
//! it ends.

use crate::sip::b2bua::{CallState, LegRole};
use crate::events::EventPayload;
use crate::events::types::ServiceFailedData;
use crate::lua::engine::{CallInfo, Decision};
use crate::events::types::{CallCreatedData, CallEndedData, CallForwardedData, CallParties, ForwardReason};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use chrono::Utc;
use tokio::sync::mpsc;

use crate::sip::dialog::request as outbound;
use crate::sip::dialog::session_timer;
use crate::model::cdr::{Ending, HangupReason, HangupSide};
use super::event::CallEvent;
use super::routing::{self, Next, RingEnd, Step, TrunkOutcome};
use crate::sip::dialog::Dialog;
use super::{CallHandle, CallView, LegView};
use super::env::CallEnv;
use crate::sip::endpoint::responder::Responder;
use crate::sip::registrar::binding::Binding;
use crate::sip::transaction::key::TxKey;
use crate::sip::transport::Source;
use crate::sip::wire::Message;


#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ForkState {
    Trying,
    Ringing,
    Answered,
    Done,
}

pub(super) struct Fork {
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
    /// The session description this callee answered with.
    sdp: Option<(String, Vec<u8>)>,
    /// The leg's session timer (RFC 4028), once its 2xx negotiated one.
    timer: Option<session::LegTimer>,
    /// For a dialog where Callplane is the UAS (an INVITE with Replaces): set by its ACK,
    /// which stops the 2xx retransmissions.
    acked: Option<Arc<AtomicBool>>,
    /// Whether the callee listed UPDATE in the Allow of its 2xx (`None`: no Allow).
    allows_update: Option<bool>,
    /// Its Contact names another address than the one it registered from.
    behind_nat: bool,
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
    /// The trunk the call came in from, if any (the caller is that trunk's carrier).
    inbound_trunk: Option<String>,
    /// The caller supports reliable provisional responses (RFC 3262).
    caller_100rel: bool,
    /// RSeq of the last reliable provisional sent to the caller.
    a_rseq: u32,
    /// Set when the caller's PRACK for it arrived (stops its retransmission).
    a_prack: Option<Arc<AtomicBool>>,
    /// The callee leg whose 2xx waits for the caller's ACK (ACK is end to end for 2xx).
    pending_b_ack: Option<usize>,
    /// Set once a callee answered: the caller's dialog is confirmed, so nothing more is
    /// said on its INVITE transaction (later rounds of ringing come from transfers).
    connected: bool,
    /// When the caller's ACK for our 2xx is overdue (RFC 3261 section 13.3.1.4: 64*T1).
    ack_deadline: Option<tokio::time::Instant>,
    /// The session description each party sent last (offered to a transfer target).
    caller_sdp: Option<(String, Vec<u8>)>,
    /// The offer sent to new callee legs: the caller's, or a transferee's.
    offer: Option<(String, Vec<u8>)>,
    /// The number new callee legs show as the caller (the caller, or the transferee).
    presented: String,
    /// The party that stays while a transfer target rings.
    transfer_keep: Option<Party>,
    /// How a transfer's ringing was interrupted (the party that stayed hung up).
    interrupted: Option<Ending>,
    /// CDR segments: the id of this segment, and the id tying a transferred call's
    /// segments together (the call's id).
    segment_id: String,
    transfer_group: Option<String>,
    /// The caller's session timer (RFC 4028), from its INVITE.
    a_timer: Option<session::LegTimer>,
    /// The party handed to another call by an attended transfer (it gets no BYE here).
    handed_off: Option<Party>,
    /// Media through the relay (`media.rs`).
    media: media::MediaPlan,
    /// Whose session `offer` is: the caller's, or a transferee's.
    offerer: Party,
    /// `offer` as new callee legs get it (rewritten by the relay when the call is relayed).
    leg_offer: Option<(String, Vec<u8>)>,
    /// What of Callplane's own answered the caller (a voicemail box), for the CDR.
    answered_by_callplane: Option<String>,
    /// Callplane's own media end while it talks to the caller (an IVR menu), and the
    /// session the caller got in Callplane's answer.
    own_sink: Option<crate::media::sink::Sink>,
    callplane_answer: Option<(String, Vec<u8>)>,
}

impl Fork {
    /// An answered leg that joined the call from elsewhere (an attended transfer, an
    /// INVITE with Replaces): no INVITE of ours is in progress on it.
    fn joined(dialog: Dialog, number: String, sdp: Option<(String, Vec<u8>)>, allows_update: Option<bool>) -> Fork {
        Fork {
            dialog,
            branch: String::new(),
            invite_cseq: 0,
            number,
            state: ForkState::Answered,
            credentials: None,
            extra: vec![],
            sdp,
            timer: None,
            acked: None,
            allows_update,
            behind_nat: false,
        }
    }
}

/// One party of a call: the caller (the dialog of the INVITE that started the call) or a
/// callee leg Callplane placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Party {
    Caller,
    Leg(usize),
}
mod bridge;
mod fork;
mod transfer;
mod group;
mod join;
mod park;
mod pickup;
mod ivr;
mod voicemail;
mod voicemail_access;
pub(super) mod media;
mod reliable;
mod session;
mod trunk_leg;

impl Call {
    /// Starts a call that arrived from trunk `trunk` for number `dialed` (the DID), which
    /// rings `target` (the dial plan's answer or the trunk's inbound destination).
    #[allow(clippy::too_many_arguments)]
    pub fn start_from_trunk(env: Arc<CallEnv>, invite: Arc<Message>, responder: Responder, source: Source, caller: String, dialed: String, target: String, trunk: String) {
        Self::spawn(env, invite, responder, source, caller, dialed, Some(target), Some(trunk));
    }

    /// Starts a call that goes to `target` (an internal target such as a voicemail box)
    /// rather than to the number dialled.
    pub fn start_to(env: Arc<CallEnv>, invite: Arc<Message>, responder: Responder, source: Source, caller: String, dialed: String, target: String) {
        Self::spawn(env, invite, responder, source, caller, dialed, Some(target), None);
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
            node: None,
            caller: caller.clone(),
            dialed: dialed.clone(),
            state: CallState::Trying,
            started_at: started,
            answered_at: None,
            legs: vec![LegView { role: LegRole::Caller, number: caller.clone(), state: CallState::Trying, contact: source.addr.to_string() }],
        }));
        let a = Dialog::uas(&invite, responder.to_tag(), source, env.endpoint.local_addr_on(source.addr.ip(), source.proto));
        let a_key = super::Calls::a_key(&invite.call_id, invite.from.tag().unwrap_or_default());
        let a_acked = Arc::new(AtomicBool::new(false));
        let handle = Arc::new(CallHandle { events: tx.clone(), view: view.clone(), transferable: true, caller_ack: Some((invite.call_id.clone(), a_acked.clone())) });
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
            a_acked,
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
            inbound_trunk: trunk.clone(),
            trunk,
            caller_100rel: false,
            a_rseq: 0,
            a_prack: None,
            pending_b_ack: None,
            connected: false,
            ack_deadline: None,
            caller_sdp: None,
            offer: None,
            presented: String::new(),
            transfer_keep: None,
            interrupted: None,
            segment_id: String::new(),
            transfer_group: None,
            a_timer: None,
            handed_off: None,
            media: media::MediaPlan::default(),
            offerer: Party::Caller,
            leg_offer: None,
            answered_by_callplane: None,
            own_sink: None,
            callplane_answer: None,
        };
        let mut call = call;
        call.media.caller_nat = media::sender_behind_nat(&call.invite, source.addr.ip());
        call.caller_sdp = outbound::body_of(&call.invite);
        let settings = &call.env.settings;
        if let session_timer::UasDecision::Timer(t) = session_timer::uas_negotiate(&call.invite, settings.session_expires_s, settings.min_se_s) {
            call.a_timer = Some(session::LegTimer::new(t, session::allows_update(&call.invite)));
        }
        call.offer = call.caller_sdp.clone();
        call.presented = call.caller.clone();
        call.segment_id = call.id.clone();
        call.caller_100rel = call
            .invite
            .header_all("Supported")
            .chain(call.invite.header_all("Require"))
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case("100rel"));
        tokio::spawn(call.run());
    }

    /// Stores the call as answered (its CDR so far and the dialogs of the two parties
    /// talking), so it is finished properly if this node dies (`b2bua::live_calls`).
    async fn store_live(&self, pair: (Party, Party)) {
        let legs = vec![self.dialog(pair.0).clone(), self.dialog(pair.1).clone()];
        let record = super::live_calls::LiveRecord {
            parties: self.parties(),
            cdr: self.segment_cdr(Utc::now(), 200, HangupSide::None, crate::model::cdr::HangupReason::NodeLost),
            legs,
        };
        self.env.live.answered(&self.id, &record).await;
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
        let ending = match end {
            RingEnd::Answered(leg) => self.talk(leg).await,
            RingEnd::Failed(code, reason) => {
                let _ = self.responder.respond(code, &reason, &[], None).await;
                Ending::new(code, reason, HangupSide::None, HangupReason::NotAnswered)
            }
            RingEnd::Cancelled if self.env.calls.is_draining() => {
                let _ = self.responder.respond(503, "Service Unavailable (shutting down)", &[("Retry-After", "60".to_owned())], None).await;
                Ending::new(503, "Callplane stopped while the call rang", HangupSide::None, HangupReason::Shutdown)
            }
            RingEnd::Cancelled => {
                let _ = self.responder.respond(487, "Request Terminated", &[], None).await;
                Ending::new(487, "cancelled by the caller", HangupSide::Caller, HangupReason::Cancelled)
            }
            RingEnd::Handled(ending) => ending,
        };
        self.finish(ending).await;
    }

    async fn finish(&mut self, ending: Ending) {
        let Ending { code, cause, side, reason } = ending;
        self.stop_reliable_provisionals();
        self.flush_pending_ack().await;
        // Before `call.ended`: whoever sees the event finds the relay's session gone.
        self.media_end().await;
        let ended = Utc::now();
        let cdr = self.segment_cdr(ended, code, side, reason);
        let duration = cdr.duration_s;
        let final_callee = cdr.final_callee.clone();
        // The CDR is queued before `call.ended` goes out, so a consumer that sees the event
        // and flushes the writer finds the CDR.
        self.env.cdrs.record(cdr);
        self.publish(EventPayload::CallEnded(CallEndedData {
            call: self.parties(),
            code,
            cause,
            duration_s: duration,
            hangup_side: side,
            hangup_reason: reason,
            final_callee,
        }));
        // After `call.ended`: the recordings are made from what the relay wrote.
        self.collect_recordings();
        if self.answered.is_some() || self.transfer_group.is_some() {
            self.env.live.ended(&self.id);
        }
        for n in self.involved.drain() {
            self.env.calls.leave(&n);
        }
        // Every dialog of this call is forgotten as answered, but one handed to another
        // call by an attended transfer (that call owns it now).
        if self.handed_off != Some(Party::Caller) {
            self.env.calls.unmark_answered(&self.a.call_id);
        }
        for (i, f) in self.forks.iter().enumerate() {
            if self.handed_off != Some(Party::Leg(i)) {
                self.env.calls.unmark_answered(&f.dialog.call_id);
            }
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
        loop {
            if let Some(to) = routing::deposit_target(&self.env.snapshot.get().feature_codes, &target) {
                target = to;
            }
            if let Some(owner) = routing::voicemail_box(&target) {
                return self.voicemail(&owner.to_owned()).await;
            }
            if let Some(owner) = routing::listening_box(&target) {
                return self.voicemail_access(&owner.to_owned()).await;
            }
            if let Err(end) = routing::hop_allowed(&mut visited, &target, self.chain.len(), self.env.settings.max_forward_hops) {
                return end;
            }
            let snapshot = self.env.snapshot.get();
            let step = routing::step(&snapshot, &target, self.env.calls.active(&target), self.involved.contains(&target));
            let next = match step {
                Step::Fail(code, reason) => return RingEnd::Failed(code, reason),
                Step::Routes => return self.ring_routes(&target).await,
                Step::Menu(menu) => return self.ivr(menu).await,
                Step::Forward { to, reason } => Next::Forward { to, reason },
                Step::Group(g) => {
                    self.ring_group.get_or_insert(g.number.to_string());
                    match self.ring_group_members(&g).await {
                        Some(end) => return end,
                        None => routing::group_exhausted(&g),
                    }
                }
                Step::Ring { timeout, forwarding } => {
                    self.involve(target.clone());
                    let bindings: Vec<(String, Binding)> =
                        self.env.registrar.reachable(&target, Utc::now()).into_iter().map(|b| (target.clone(), b)).collect();
                    if bindings.is_empty() {
                        routing::unavailable(&forwarding, &target)
                    } else {
                        routing::after_ring(&forwarding, &target, self.fork(bindings, timeout).await)
                    }
                }
            };
            match next {
                Next::End(end) => return end,
                Next::Forward { to, reason } => {
                    self.forwarded(&target, &to, reason).await;
                    target = to;
                }
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
                        RouteTargetKind::Extension => snapshot.extensions.get(&route.target.id).map(|e| e.extension.number.to_string()),
                        _ => snapshot.ring_groups.get(&route.target.id).map(|g| g.number.to_string()),
                    };
                    return match internal {
                        Some(n) => Box::pin(self.ring(n)).await,
                        None => RingEnd::Failed(404, "Not Found".into()),
                    };
                }
                RouteTargetKind::Ivr => {
                    return match snapshot.ivr_menus.get(&route.target.id) {
                        Some(m) => Box::pin(self.ring(m.number.to_string())).await,
                        None => RingEnd::Failed(404, "Not Found".into()),
                    };
                }
                RouteTargetKind::Voicemail => {
                    return match snapshot.extensions.get(&route.target.id) {
                        Some(e) => Box::pin(self.ring(format!("{}{}", routing::VOICEMAIL_TARGET, e.extension.number))).await,
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
            match routing::trunk_outcome(self.ring_trunk(&trunk, &dialed).await) {
                TrunkOutcome::Done(end) => return end,
                TrunkOutcome::TryNext(failure) => {
                    tracing::info!(trunk = %trunk.trunk.name, ?failure, "trunk failed, trying the next route");
                    last = failure;
                }
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

    /// Tells the caller the call now goes from `from` to `to` (181 + Call-Info).
    async fn forwarded(&mut self, from: &str, to: &str, reason: ForwardReason) {
        self.chain.push(format!("{from}>{to}"));
        let info = format!(
            "<sip:{from}@{}>;purpose=forwarding;username=\"{from}\";contact=\"{to}\"",
            self.a.local
        );
        if !self.connected {
            let _ = self.responder.provisional(181, "Call Is Being Forwarded", &[("Call-Info", info)], None).await;
        }
        self.publish(EventPayload::CallForwarded(CallForwardedData {
            call: self.parties(),
            from: from.to_owned(),
            to: to.to_owned(),
            reason,
            hop: self.chain.len() as u32,
        }));
    }
}

/// Lua services one call may consult (each routing decision may lead to another).
const MAX_LUA_DEPTH: u8 = 4;

//! Click-to-call (third-party call control, RFC 3725 flow I): Callplane rings extension A
//! with an INVITE without SDP; A's answer carries the offer; Callplane then calls B with
//! that offer, and when B answers ACKs B and ACKs A with B's answer. Both legs are
//! Callplane's own dialogs; either side's BYE (or the API) ends both. Other requests in
//! either dialog (hold and resume re-INVITEs, UPDATE, INFO) are relayed to the other leg
//! and its answer back; a leg whose TCP/TLS connection closes ends the call. The INVITEs
//! offer neither 100rel nor session timers: a phone that wants a session timer refreshes
//! it itself, and that refresh is relayed like any re-INVITE or UPDATE. When A answers, the
//! media policy decides whether the two legs' media go through the relay (then every offer
//! and answer between them is rewritten by it, and its session is deleted at the end).

use crate::sip::b2bua::{CallState, LegRole};
use crate::events::EventPayload;
use crate::events::types::{CallAnsweredData, CallCreatedData, CallEndedData, CallParties, CallRingingData};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;

use super::event::CallEvent;
use crate::model::cdr::{Ending, HangupReason, HangupSide};
use super::cdr::{Cdr, disposition};
use super::legs;
use crate::sip::dialog::Dialog;
use crate::sip::dialog::request as outbound;
use super::{CallHandle, CallView, LegView};
use super::env::CallEnv;
use crate::sip::registrar::binding::Binding;
use crate::sip::transaction::client::Outcome;
use crate::sip::wire::Method;

/// How long each side may ring.
const RING_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum ClickError {
    #[error("`{0}` is not an extension")]
    NotAnExtension(String),
    #[error("extension {0} has no registered device")]
    NotRegistered(String),
    #[error("`{0}` does not reach an extension or ring group")]
    Unreachable(String),
}

struct Leg {
    dialog: Dialog,
    branch: String,
    ringing: bool,
    done: bool,
    /// Its Contact or SDP names another address than the one it answers from.
    behind_nat: bool,
}

pub struct ClickToCall {
    id: String,
    env: Arc<CallEnv>,
    rx: mpsc::UnboundedReceiver<CallEvent>,
    tx: mpsc::UnboundedSender<CallEvent>,
    view: Arc<std::sync::RwLock<CallView>>,
    from: String,
    to: String,
    legs: Vec<Leg>,
    started: chrono::DateTime<Utc>,
    answered: Option<chrono::DateTime<Utc>>,
    /// The two legs' media go through the relay (decided when A answers).
    relayed: bool,
}

enum Rang {
    Answered(usize, crate::sip::wire::Message),
    Failed(u16),
    HungUp,
}

impl ClickToCall {
    /// Checks both numbers and starts the call; returns its id.
    pub fn start(env: Arc<CallEnv>, from: &str, to: &str) -> Result<String, ClickError> {
        let snapshot = env.snapshot.get();
        if snapshot.extension_by_number(from).is_none() {
            return Err(ClickError::NotAnExtension(from.to_owned()));
        }
        if env.registrar.reachable(from, Utc::now()).is_empty() {
            return Err(ClickError::NotRegistered(from.to_owned()));
        }
        let target = match crate::dialplan::resolve(&snapshot, to) {
            crate::dialplan::Resolution::Internal { .. } => to.to_owned(),
            _ => return Err(ClickError::Unreachable(to.to_owned())),
        };
        let id = uuid::Uuid::now_v7().to_string();
        let (tx, rx) = mpsc::unbounded_channel();
        let started = Utc::now();
        let view = Arc::new(std::sync::RwLock::new(CallView {
            id: id.clone(),
            node: None,
            caller: from.to_owned(),
            dialed: target.clone(),
            state: CallState::Trying,
            started_at: started,
            answered_at: None,
            legs: vec![],
        }));
        env.calls.by_id.insert(id.clone(), Arc::new(CallHandle { events: tx.clone(), view: view.clone(), transferable: false, caller_ack: None }));
        let call = ClickToCall { id: id.clone(), env, rx, tx, view, from: from.to_owned(), to: target, legs: vec![], started, answered: None, relayed: false };
        tokio::spawn(call.run());
        Ok(id)
    }

    fn parties(&self) -> CallParties {
        CallParties { call_id: self.id.clone(), caller: self.from.clone(), dialed: self.to.clone(), click_to_call: Some(true) }
    }

    fn publish(&self, payload: EventPayload) {
        self.env.bus.publish(payload);
    }

    fn leg_dialog(&self, identity: &str, display: Option<String>, number: &str, b: &Binding) -> Option<Dialog> {
        let endpoint = &self.env.endpoint;
        Dialog::toward_device(b, |d| endpoint.local_addr_on(d.addr.ip(), d.proto), identity, display, number)
    }

    /// Rings every device of `number` with `body` until one answers.
    async fn ring(&mut self, number: &str, identity: &str, display: Option<String>, body: Option<(String, Vec<u8>)>) -> Rang {
        let mut mine = Vec::new();
        for b in self.env.registrar.reachable(number, Utc::now()) {
            let Some(mut dialog) = self.leg_dialog(identity, display.clone(), number, &b) else { continue };
            let leg = self.legs.len();
            let branch = legs::invite_with(&self.env, &self.id, &mut dialog, body.as_ref(), &[], 1, self.tx.clone(), leg);
            let behind_nat = super::call::media::contact_behind_nat(&b.contact, b.source_addr().map(|a| a.ip()));
            self.legs.push(Leg { dialog, branch, ringing: false, done: false, behind_nat });
            mine.push(leg);
        }
        if mine.is_empty() {
            return Rang::Failed(480);
        }
        let deadline = tokio::time::Instant::now() + RING_TIMEOUT;
        let mut last_code = 480;
        loop {
            let event = tokio::select! {
                e = self.rx.recv() => e,
                _ = tokio::time::sleep_until(deadline) => { self.cancel(&mine); return Rang::Failed(480); }
            };
            match event {
                None | Some(CallEvent::Hangup) | Some(CallEvent::Cancel) => {
                    self.cancel(&mine);
                    return Rang::HungUp;
                }
                Some(CallEvent::Fork { leg, outcome }) => {
                    if !mine.contains(&leg) || self.legs[leg].done {
                        if let Outcome::Response(r) = outcome {
                            if legs::is_2xx(&r) {
                                super::stray_answer(&self.env, &r, self.legs[leg].dialog.dest);
                            }
                        }
                        continue;
                    }
                    match outcome {
                        Outcome::Response(r) => match r.status().unwrap_or(500) {
                            100 => {}
                            101..=199 => {
                                if !self.legs[leg].ringing {
                                    self.legs[leg].ringing = true;
                                    self.publish(EventPayload::CallRinging(CallRingingData { call: self.parties(), callee: number.to_owned(), code: None, dialog: None }));
                                }
                            }
                            200..=299 => {
                                self.legs[leg].done = true;
                                let others: Vec<usize> = mine.iter().copied().filter(|l| *l != leg).collect();
                                self.cancel(&others);
                                let d = &mut self.legs[leg].dialog;
                                d.establish(&r);
                                d.resolve_dest(&self.env.endpoint.locator).await;
                                self.env.calls.mark_answered(&d.call_id);
                                return Rang::Answered(leg, *r);
                            }
                            code => {
                                self.legs[leg].done = true;
                                last_code = code;
                            }
                        },
                        Outcome::Timeout => {
                            self.legs[leg].done = true;
                            last_code = 408;
                        }
                    }
                    if mine.iter().all(|l| self.legs[*l].done) {
                        return Rang::Failed(last_code);
                    }
                }
                Some(CallEvent::FromA { responder, .. }) | Some(CallEvent::FromB { responder, .. }) => {
                    let _ = responder.respond(491, "Request Pending", &[], None).await;
                }
                Some(CallEvent::AckFromA { .. }) | Some(CallEvent::Transfer { .. }) | Some(CallEvent::ConnectionLost(_)) | Some(CallEvent::Refreshed { .. }) | Some(CallEvent::MediaLost) | Some(CallEvent::Dtmf { .. }) => {}
                Some(CallEvent::Record { reply, .. }) => {
                    let _ = reply.send(super::event::RecordAnswer::NotRelayed);
                }
                Some(CallEvent::Adopt { reply, .. }) => {
                    let _ = reply.send(false);
                }
                Some(CallEvent::Replace { responder, .. }) => {
                    let _ = responder.respond(481, "Call/Transaction Does Not Exist", &[], None).await;
                }
                Some(CallEvent::Retrieve(request)) => {
                    let _ = request.responder.respond(480, "Temporarily Unavailable (nothing parked there)", &[], None).await;
                }
                Some(CallEvent::Pickup(request)) => {
                    let _ = request.responder.respond(481, "Call/Transaction Does Not Exist (a click-to-call cannot be picked up)", &[], None).await;
                }
            }
        }
    }

    fn cancel(&mut self, which: &[usize]) {
        for l in which {
            let leg = &mut self.legs[*l];
            if !leg.done {
                leg.done = true;
                legs::cancel(&self.env, &leg.dialog, &leg.branch, 1);
            }
        }
    }

    fn ack(&self, d: &Dialog, body: Option<(String, Vec<u8>)>) {
        let ack = outbound::request(d, &Method::Ack, 1, &crate::sip::endpoint::ids::new_branch(), &[], body.as_ref().map(|(c, b)| (c.as_str(), b.as_slice())));
        let transports = self.env.endpoint.transports.clone();
        let dest = d.dest;
        tokio::spawn(async move {
            let _ = transports.send(dest, ack).await;
        });
    }

    async fn run(mut self) {
        self.publish(EventPayload::CallCreated(CallCreatedData { call: self.parties() }));
        self.env.calls.enter(&self.from);
        let (Ending { code, cause, side, reason }, callee) = self.connect().await;
        if self.relayed {
            if let Err(e) = self.env.media.delete(&self.id).await {
                tracing::warn!(call = %self.id, error = %e, "could not delete the media relay session");
            }
        }
        let ended = Utc::now();
        let duration = self.answered.map(|a| (ended - a).num_milliseconds() as f64 / 1000.0).unwrap_or(0.0);
        self.env.cdrs.record(Cdr {
            id: self.id.clone(),
            caller: self.from.clone(),
            dialed: self.to.clone(),
            final_callee: callee.clone(),
            forwarding_chain: vec![],
            ring_group: None,
            trunk: None,
            started_at: self.started,
            answered_at: self.answered,
            ended_at: ended,
            duration_s: duration,
            final_code: code,
            disposition: disposition(code, self.answered.is_some()),
            hangup_side: side,
            hangup_reason: Some(reason),
            transfer_group: None,
        });
        self.publish(EventPayload::CallEnded(CallEndedData {
            call: self.parties(),
            code,
            cause,
            duration_s: duration,
            hangup_side: side,
            hangup_reason: reason,
            final_callee: callee,
        }));
        self.env.calls.leave(&self.from);
        self.env.calls.remove(&self.id);
    }

    /// Relays an in-dialog request of leg `from` to leg `to` and its answer back; a
    /// re-INVITE or UPDATE refreshes the sender's remote target (RFC 3261 section 12.2.2).
    /// Through the relay, an offer and its answer are rewritten like a call's.
    async fn relay(&mut self, method: Method, msg: &crate::sip::wire::Message, responder: crate::sip::endpoint::responder::Responder, from: usize, to: usize) {
        let offer = matches!(method, Method::Invite | Method::Update) && !msg.body.is_empty();
        if matches!(method, Method::Invite | Method::Update) {
            self.legs[from].dialog.refresh_target(msg);
        }
        let mut body = outbound::body_of(msg);
        let mut rewrite = None;
        if offer && self.relayed {
            body = self.media_offer(from, Some(to), body).await;
            let (tag, source, behind_nat) = self.side(to);
            rewrite = Some(legs::AnswerRewrite {
                relay: self.env.media.clone(),
                session: self.id.clone(),
                offerer_tag: self.legs[from].dialog.local_tag.clone(),
                answerer_tag: tag,
                source,
                behind_nat,
            });
        }
        let d = &mut self.legs[to].dialog;
        d.cseq += 1;
        legs::relay_to(&self.env, d.clone(), method, body, &[], vec![], responder, rewrite);
    }

    /// A leg as the relay sees it: our tag on it, its address, whether it is behind NAT.
    fn side(&self, leg: usize) -> (String, std::net::IpAddr, bool) {
        let d = &self.legs[leg].dialog;
        (d.local_tag.clone(), d.dest.addr.ip(), self.legs[leg].behind_nat)
    }

    /// Leg `from`'s offer rewritten by the relay for leg `to` (unchanged when it fails).
    async fn media_offer(&self, from: usize, to: Option<usize>, body: Option<(String, Vec<u8>)>) -> Option<(String, Vec<u8>)> {
        let (tag, source, behind_nat) = self.side(from);
        let to_tag = to.map(|t| self.legs[t].dialog.local_tag.clone());
        self.env.media.offer_or_unchanged(&self.id, &crate::media::Side { tag: &tag, source, behind_nat }, to_tag.as_deref(), body).await
    }

    /// Leg `answerer`'s answer to leg `offerer`'s offer, rewritten for `offerer`.
    async fn media_answer(&self, offerer: usize, answerer: usize, body: Option<(String, Vec<u8>)>) -> Option<(String, Vec<u8>)> {
        let (tag, source, behind_nat) = self.side(answerer);
        let offerer_tag = self.legs[offerer].dialog.local_tag.clone();
        self.env.media.answer_or_unchanged(&self.id, &offerer_tag, &crate::media::Side { tag: &tag, source, behind_nat }, body).await
    }

    /// The media policy for the two extensions (`media::policy`): A as it answered, B by
    /// its registered devices.
    fn decide_media(&mut self, a_leg: usize, a_answer: &crate::sip::wire::Message) {
        use crate::media::policy::{self, PartyMedia};
        if !self.env.media.is_available() {
            return;
        }
        let a_source = self.legs[a_leg].dialog.dest.addr.ip();
        self.legs[a_leg].behind_nat = super::call::media::sender_behind_nat(a_answer, a_source);
        let snapshot = self.env.snapshot.get();
        let mode = |n: &str| snapshot.extension_by_number(n).map_or(crate::model::media_mode::MediaMode::Auto, |e| e.extension.media_mode);
        let b_nat = self
            .env
            .registrar
            .table
            .lookup(&self.to, Utc::now())
            .iter()
            .any(|b| super::call::media::contact_behind_nat(&b.contact, b.source_addr().map(|a| a.ip())));
        self.relayed = policy::relay(&[
            // Click-to-call calls are not recorded (yet): `recording` does not weigh here.
            PartyMedia { mode: mode(&self.from), behind_nat: self.legs[a_leg].behind_nat, trunk: false, records_always: false },
            PartyMedia { mode: mode(&self.to), behind_nat: b_nat, trunk: false, records_always: false },
        ]);
    }

    /// Rings A, then B with A's offer, bridges them and waits for the end.
    async fn connect(&mut self) -> (Ending, Option<String>) {
        let (from, to) = (self.from.clone(), self.to.clone());
        let (a_leg, a_answer) = match self.ring(&from, &to, Some(format!("Call to {to}")), None).await {
            Rang::Answered(leg, r) => (leg, r),
            Rang::Failed(code) => return (Ending::new(code, format!("{from} did not answer"), HangupSide::None, HangupReason::NotAnswered), None),
            Rang::HungUp => return (Ending::new(487, "hung up through the API", HangupSide::Api, HangupReason::Api), None),
        };
        let a_call_id = self.legs[a_leg].dialog.call_id.clone();
        self.env.calls.add_caller_leg(&self.id, &a_call_id);
        // A's 2xx carries the offer: its ACK must carry the answer, so retransmissions of
        // that 2xx wait for B instead of being ACKed at once.
        self.env.calls.hold_acks.insert(a_call_id.clone());
        self.decide_media(a_leg, &a_answer);
        let offer = if self.relayed { self.media_offer(a_leg, None, outbound::body_of(&a_answer)).await } else { outbound::body_of(&a_answer) };
        let b_leg = match self.ring(&to, &from, None, offer).await {
            Rang::Answered(leg, r) => {
                self.ack(&self.legs[leg].dialog, None);
                let answer = if self.relayed { self.media_answer(a_leg, leg, outbound::body_of(&r)).await } else { outbound::body_of(&r) };
                self.ack(&self.legs[a_leg].dialog, answer);
                self.env.calls.hold_acks.remove(&a_call_id);
                leg
            }
            Rang::Failed(code) => {
                self.env.calls.hold_acks.remove(&a_call_id);
                self.ack(&self.legs[a_leg].dialog, None);
                legs::bye(&self.env, &mut self.legs[a_leg].dialog);
                return (Ending::new(code, format!("{to} did not answer"), HangupSide::None, HangupReason::NotAnswered), None);
            }
            Rang::HungUp => {
                self.env.calls.hold_acks.remove(&a_call_id);
                self.ack(&self.legs[a_leg].dialog, None);
                legs::bye(&self.env, &mut self.legs[a_leg].dialog);
                return (Ending::new(487, "hung up through the API", HangupSide::Api, HangupReason::Api), None);
            }
        };
        let now = Utc::now();
        self.answered = Some(now);
        if let Ok(mut v) = self.view.write() {
            v.state = CallState::Answered;
            v.answered_at = Some(now);
            v.legs = vec![
                LegView { role: LegRole::Caller, number: from.clone(), state: CallState::Answered, contact: self.legs[a_leg].dialog.remote_target.clone() },
                LegView { role: LegRole::Callee, number: to.clone(), state: CallState::Answered, contact: self.legs[b_leg].dialog.remote_target.clone() },
            ];
        }
        self.publish(EventPayload::CallAnswered(CallAnsweredData { call: self.parties(), callee: to.clone() }));
        while let Some(event) = self.rx.recv().await {
            match event {
                CallEvent::FromA { msg, responder } | CallEvent::FromB { msg, responder } => {
                    let from_a = msg.call_id == self.legs[a_leg].dialog.call_id;
                    let (from, other) = if from_a { (a_leg, b_leg) } else { (b_leg, a_leg) };
                    match msg.method() {
                        Some(Method::Bye) => {
                            let _ = responder.respond(200, "OK", &[], None).await;
                            legs::bye(&self.env, &mut self.legs[other].dialog);
                            let side = if from_a { HangupSide::Caller } else { HangupSide::Callee };
                            return (Ending::new(200, format!("{} hung up", side.as_str()), side, HangupReason::HungUp), Some(to));
                        }
                        Some(Method::Refer) => {
                            let warning = ("Warning", "399 callplane \"click-to-call calls cannot be transferred yet\"".to_owned());
                            let _ = responder.respond(403, "Forbidden", &[warning], None).await;
                        }
                        Some(method) => self.relay(method.clone(), &msg, *responder, from, other).await,
                        None => {}
                    }
                }
                CallEvent::ConnectionLost(source) => {
                    let lost = [a_leg, b_leg].into_iter().find(|l| source.proto.is_reliable() && self.legs[*l].dialog.dest == source);
                    if let Some(lost) = lost {
                        let other = if lost == a_leg { b_leg } else { a_leg };
                        tracing::info!(call = %self.id, peer = %source.addr, "a leg's connection closed: ending the call");
                        legs::bye(&self.env, &mut self.legs[other].dialog);
                        let (side, number) = if lost == a_leg { (HangupSide::Caller, &from) } else { (HangupSide::Callee, &to) };
                        return (Ending::new(200, format!("the connection to {number} closed"), side, HangupReason::ConnectionLost), Some(to));
                    }
                }
                CallEvent::Hangup => {
                    legs::bye(&self.env, &mut self.legs[a_leg].dialog);
                    legs::bye(&self.env, &mut self.legs[b_leg].dialog);
                    return (Ending::new(200, "hung up through the API", HangupSide::Api, HangupReason::Api), Some(to));
                }
                CallEvent::Record { reply, .. } => {
                    let _ = reply.send(super::event::RecordAnswer::NotRelayed);
                }
                CallEvent::MediaLost if self.relayed => {
                    legs::bye(&self.env, &mut self.legs[a_leg].dialog);
                    legs::bye(&self.env, &mut self.legs[b_leg].dialog);
                    return (Ending::new(200, "the media relay stopped answering", HangupSide::None, HangupReason::MediaLost), Some(to));
                }
                CallEvent::Fork { leg, outcome: Outcome::Response(r) } if legs::is_2xx(&r) && leg != a_leg && leg != b_leg => {
                    super::stray_answer(&self.env, &r, self.legs[leg].dialog.dest);
                }
                _ => {}
            }
        }
        (Ending::new(200, "call task ended", HangupSide::None, HangupReason::HungUp), Some(to))
    }
}

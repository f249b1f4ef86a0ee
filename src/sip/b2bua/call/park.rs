//! Call park: a transfer to the park number leaves the party that stays waiting in a slot
//! (with music on hold when the call is relayed). Whoever dials the slot takes the call;
//! nobody within the park timeout: the call rings the parker again.

use chrono::Utc;

use super::super::event::{CallEvent, PickupRequest};
use super::super::routing::RingEnd;
use super::{Call, Party};
use crate::events::EventPayload;
use crate::events::types::{CallAnsweredData, CallParkedData, CallUnparkedData, UnparkReason};
use crate::model::cdr::{Ending, HangupReason, HangupSide};
use crate::sip::b2bua::{CallState, LegRole, LegView};
use crate::sip::wire::Method;

impl Call {
    /// `keep` waits in `slot` (taken already) until someone dials it, it hangs up, or the
    /// timeout rings `parker`. Returns how the ringing that follows ended, as a transfer's.
    pub(super) async fn park(&mut self, keep: Party, slot: String, parker: String) -> RingEnd {
        let timeout_s = self.env.snapshot.get().feature_codes.park_timeout_s;
        let timeout_at = Utc::now() + chrono::Duration::seconds(i64::from(timeout_s));
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(u64::from(timeout_s));
        tracing::info!(call = %self.id, %slot, parked = %self.number_of(keep), %parker, "call parked");
        self.publish(EventPayload::CallParked(CallParkedData { call: self.parties(), slot: slot.clone(), parked: self.number_of(keep), parked_by: parker.clone(), timeout_at }));
        let music = self.park_music(keep, true).await;
        let (reason, to, end) = loop {
            let event = tokio::select! {
                e = self.rx.recv() => e,
                _ = tokio::time::sleep_until(deadline) => {
                    self.env.calls.free_slot(&slot, &self.id);
                    tracing::info!(call = %self.id, %slot, %parker, "park timed out: ringing the parker");
                    self.publish(EventPayload::CallUnparked(CallUnparkedData { call: self.parties(), slot: slot.clone(), reason: UnparkReason::TimedOut, to: Some(parker.clone()) }));
                    let end = Box::pin(self.ring(parker.clone())).await;
                    if music {
                        self.park_music(keep, false).await;
                    }
                    return end;
                }
            };
            let Some(event) = event else { break (UnparkReason::HungUp, None, RingEnd::Cancelled) };
            match event {
                CallEvent::Retrieve(request) => {
                    let leg = self.retrieve(keep, *request).await;
                    let to = self.forks[leg].number.clone();
                    break (UnparkReason::Retrieved, Some(to), RingEnd::Answered(leg));
                }
                CallEvent::FromA { msg, responder } | CallEvent::FromB { msg, responder } => {
                    let from = self.party_of(&msg);
                    match msg.method() {
                        Some(Method::Bye) => {
                            let _ = responder.respond(200, "OK", &[], None).await;
                            if from == Some(keep) {
                                self.interrupted = Some(Ending::new(200, format!("{} hung up while parked", self.number_of(keep)), self.side_of(keep), HangupReason::HungUp));
                                break (UnparkReason::HungUp, None, RingEnd::Cancelled);
                            }
                        }
                        // Nobody to relay to: a session refresh without a new session is
                        // answered here; a new offer waits until someone takes the call.
                        Some(Method::Update | Method::Options | Method::Info) if msg.body.is_empty() => {
                            let _ = responder.respond(200, "OK", &[], None).await;
                        }
                        _ => {
                            let _ = responder.respond(491, "Request Pending (the call is parked)", &[], None).await;
                        }
                    }
                }
                CallEvent::AckFromA { call_id, .. } => {
                    if let Some(flag) = self.forks.iter().find(|f| f.dialog.call_id == call_id).and_then(|f| f.acked.as_ref()) {
                        flag.store(true, std::sync::atomic::Ordering::Release);
                    }
                }
                CallEvent::Hangup => {
                    self.send_bye(keep).await;
                    self.interrupted = Some(self.hung_up_by_us(" while parked"));
                    break (UnparkReason::HungUp, None, RingEnd::Cancelled);
                }
                CallEvent::ConnectionLost(source) if self.uses_stream(keep, source) => {
                    self.interrupted = Some(Ending::new(200, "the parked party's connection closed", self.side_of(keep), HangupReason::ConnectionLost));
                    break (UnparkReason::HungUp, None, RingEnd::Cancelled);
                }
                CallEvent::MediaLost if self.media.relayed => {
                    self.send_bye(keep).await;
                    self.interrupted = Some(Ending::new(200, "the media relay stopped answering", HangupSide::None, HangupReason::MediaLost));
                    break (UnparkReason::HungUp, None, RingEnd::Cancelled);
                }
                CallEvent::Pickup(request) => {
                    let _ = request.responder.respond(481, "Call/Transaction Does Not Exist (the call is parked)", &[], None).await;
                }
                CallEvent::Replace { responder, .. } => {
                    let _ = responder.respond(481, "Call/Transaction Does Not Exist (the call is parked)", &[], None).await;
                }
                CallEvent::Record { reply, .. } => {
                    let _ = reply.send(crate::sip::b2bua::event::RecordAnswer::NotAnswered);
                }
                CallEvent::Adopt { reply, .. } => {
                    let _ = reply.send(false);
                }
                CallEvent::Dtmf { tag, digit, duration_ms } => self.relay_dtmf(&tag, digit, duration_ms),
                CallEvent::Fork { leg, outcome } => self.late_answer(leg, outcome),
                CallEvent::Cancel | CallEvent::Transfer { .. } | CallEvent::Refreshed { .. } | CallEvent::ConnectionLost(_) | CallEvent::MediaLost => {}
            }
        };
        self.env.calls.free_slot(&slot, &self.id);
        if music {
            self.park_music(keep, false).await;
        }
        self.publish(EventPayload::CallUnparked(CallUnparkedData { call: self.parties(), slot, reason, to }));
        end
    }

    /// The INVITE to the slot is answered with the parked party's session (shaped as the
    /// answer to its offer); the parked party is offered the newcomer's next.
    async fn retrieve(&mut self, keep: Party, request: PickupRequest) -> usize {
        let PickupRequest { invite, responder, source, .. } = request;
        let answer = self.takeover_answer(&invite, responder.to_tag(), source.addr.ip(), keep).await;
        let fork = self.join_by_invite(&invite, &responder, source, answer).await;
        let number = fork.number.clone();
        self.forks.push(fork);
        let leg = self.forks.len() - 1;
        self.involve(number.clone());
        let now = Utc::now();
        self.answered = Some(now);
        self.set_view(|v| {
            v.state = CallState::Answered;
            v.legs.push(LegView { role: LegRole::Callee, number: number.clone(), state: CallState::Answered, contact: source.addr.to_string() });
        });
        self.publish(EventPayload::CallAnswered(CallAnsweredData { call: self.parties(), callee: number }));
        leg
    }
}

//! Forking: rings every device of a target at once (RFC 3261 section 16.7 from the B2BUA's
//! side), takes the first answer, cancels the others and picks the caller's final answer
//! when every branch failed.

use crate::sip::b2bua::{CallState, LegRole};
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::super::event::{CallEvent, PickupRequest, PickupTarget};
use crate::events::types::PickupVia;
use super::super::routing::{self, ForkEnd};
use super::super::LegView;
use super::{Call, Fork, ForkState, Party};
use crate::model::cdr::{Ending, HangupReason};
use crate::events::EventPayload;
use crate::events::types::{CallRingingData, SipDialogIds};
use crate::sip::dialog::Dialog;
use crate::sip::dialog::request as outbound;
use crate::sip::registrar::binding::Binding;
use crate::sip::transaction::client::Outcome;
use crate::sip::wire::Method;
use crate::sip::wire::name_addr::NameAddr;

impl Call {
    pub(super) fn start_fork(&mut self, number: String, binding: &Binding) -> Option<usize> {
        let endpoint = &self.env.endpoint;
        let mut dialog = Dialog::toward_device(binding, |d| endpoint.local_addr_on(d.addr.ip(), d.proto), &self.presented, self.invite.from.display.clone(), &number)?;
        dialog.max_forwards = self.invite.header("Max-Forwards").and_then(|v| v.trim().parse::<u8>().ok()).map_or(70, |m| m.saturating_sub(1));
        let body = self.leg_offer.clone();
        let leg = self.forks.len();
        let behind_nat = super::media::contact_behind_nat(&binding.contact, binding.source_addr().map(|a| a.ip()));
        let extra = self.invite_headers(true);
        let branch = crate::sip::b2bua::legs::invite_with(&self.env, &self.id, &mut dialog, body.as_ref(), &extra, 1, self.tx.clone(), leg);
        self.set_view(|v| {
            v.legs.push(LegView { role: LegRole::Callee, number: number.clone(), state: CallState::Trying, contact: binding.contact.clone() })
        });
        self.forks.push(Fork { dialog, branch, invite_cseq: 1, number, state: ForkState::Trying, credentials: None, extra, sdp: None, timer: None, acked: None, allows_update: None, behind_nat });
        Some(leg)
    }

    pub(super) fn cancel_fork(&mut self, leg: usize) {
        let Some(f) = self.forks.get_mut(leg) else { return };
        if !matches!(f.state, ForkState::Trying | ForkState::Ringing) {
            return;
        }
        f.state = ForkState::Done;
        crate::sip::b2bua::legs::cancel(&self.env, &f.dialog, &f.branch, f.invite_cseq);
    }

    pub(super) fn cancel_all(&mut self, except: Option<usize>) {
        for leg in 0..self.forks.len() {
            if Some(leg) != except {
                self.cancel_fork(leg);
            }
        }
    }

    /// Rings every binding at once until one answers, all fail, `timeout` or CANCEL.
    pub(super) async fn fork(&mut self, bindings: Vec<(String, Binding)>, timeout: Duration) -> ForkEnd {
        let callees: Vec<_> = bindings
            .iter()
            .map(|(n, b)| self.callee_media(n, super::media::contact_behind_nat(&b.contact, b.source_addr().map(|a| a.ip())), None))
            .collect();
        self.decide_media(&callees);
        self.leg_offer = self.media_offer(self.offerer, None, self.offer.clone()).await;
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
    pub(super) async fn wait_forks(&mut self, legs: Vec<usize>, timeout: Duration) -> ForkEnd {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut finals: Vec<u16> = Vec::new();
        let mut redirect: Option<String> = None;
        let mut ringing_sent = false;
        let mut announced: std::collections::HashSet<String> = std::collections::HashSet::new();
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
                CallEvent::FromA { msg, responder } | CallEvent::FromB { msg, responder } if msg.method() == Some(&Method::Bye) => {
                    // Only a confirmed dialog can send BYE here: the party that stays while a
                    // transfer target rings (that ends the call), or one that already left.
                    let _ = responder.respond(200, "OK", &[], None).await;
                    let from = self.party_of(&msg);
                    if let (Some(from), Some(keep)) = (from, self.transfer_keep) {
                        if from == keep {
                            self.interrupted = Some(Ending::new(200, format!("{} hung up during the transfer", self.number_of(keep)), self.side_of(keep), HangupReason::HungUp));
                            self.cancel_all(None);
                            return ForkEnd::Cancelled;
                        }
                    }
                }
                CallEvent::FromA { responder, .. } | CallEvent::FromB { responder, .. } => {
                    let _ = responder.respond(491, "Request Pending", &[], None).await;
                }
                CallEvent::ConnectionLost(source) => {
                    // The caller's connection before the answer, or the party that stays
                    // during a transfer: nobody is left to connect.
                    let gone = match self.transfer_keep {
                        Some(keep) => self.uses_stream(keep, source),
                        None => !self.connected && self.uses_stream(Party::Caller, source),
                    };
                    if gone {
                        if let Some(keep) = self.transfer_keep {
                            self.interrupted = Some(Ending::new(200, "the connection of the party being transferred closed", self.side_of(keep), HangupReason::ConnectionLost));
                        }
                        self.cancel_all(None);
                        return ForkEnd::Cancelled;
                    }
                }
                // The relay that this ringing call's offer went through is gone: the callees
                // hold addresses nobody serves. The caller gets 503 (a new call uses direct
                // media until the relay is back).
                CallEvent::MediaLost if self.media.relayed => {
                    self.cancel_all(None);
                    return ForkEnd::Failed(503, "Service Unavailable (the media relay stopped answering)".into());
                }
                // A transfer asked for while this call still rings: the API checks the state first.
                CallEvent::Transfer { .. } | CallEvent::AckFromA { .. } | CallEvent::Refreshed { .. } | CallEvent::MediaLost => {}
                CallEvent::Record { reply, .. } => {
                    let _ = reply.send(crate::sip::b2bua::event::RecordAnswer::NotAnswered);
                }
                // A keypress in early media (an IVR at the far end while it rings).
                CallEvent::Dtmf { tag, digit, duration_ms } => self.relay_dtmf(&tag, digit, duration_ms),
                // Not answered yet: no party to replace.
                CallEvent::Adopt { reply, .. } => {
                    let _ = reply.send(false);
                }
                // RFC 3891 section 3: Replaces naming an early dialog this call placed picks
                // the call up; any other dialog is not there to replace yet.
                CallEvent::Replace { replaces, invite, responder, source } => {
                    let request = PickupRequest { target: PickupTarget::Dialog(replaces), via: PickupVia::Replaces, invite, responder: *responder, source };
                    if let Some(leg) = self.pickup(&legs, request).await {
                        return ForkEnd::Answered(leg);
                    }
                }
                CallEvent::Retrieve(request) => {
                    let _ = request.responder.respond(480, "Temporarily Unavailable (nothing parked there)", &[], None).await;
                }
                CallEvent::Pickup(request) => {
                    if let Some(leg) = self.pickup(&legs, *request).await {
                        return ForkEnd::Answered(leg);
                    }
                }
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
                            let body = self.early_media(leg, outbound::body_of(&resp)).await;
                            if !ringing_sent || body.is_some() {
                                ringing_sent = true;
                                let reason = if code == 183 { "Session Progress" } else { "Ringing" };
                                self.relay_provisional(code, reason, body).await;
                                self.set_view(|v| v.state = CallState::Ringing);
                            }
                            // Once per number rung (each member of a ring group lights its lamp).
                            let fork = &self.forks[leg];
                            if announced.insert(fork.number.clone()) {
                                let dialog = resp.to.tag().map(|tag| SipDialogIds { call_id: fork.dialog.call_id.clone(), local_tag: tag.to_owned(), remote_tag: fork.dialog.local_tag.clone() });
                                let callee = fork.number.clone();
                                self.publish(EventPayload::CallRinging(CallRingingData { call: self.parties(), callee, code: Some(code), dialog }));
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
                        422 if self.retry_with_min_se(leg, &resp) => {}
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

    pub(super) fn all_failed(&self, legs: &[usize], finals: &[u16], redirect: &Option<String>) -> Option<ForkEnd> {
        if legs.iter().any(|l| matches!(self.forks[*l].state, ForkState::Trying | ForkState::Ringing)) {
            return None;
        }
        if let Some(r) = redirect {
            return Some(ForkEnd::Redirect(r.clone()));
        }
        Some(routing::fork_failed(finals))
    }
}

//! The bridge: the answer reaches the caller, the callee's 2xx is ACKed end to end, and
//! while the call is up every in-dialog request is relayed to the other leg and its
//! answer back, until someone hangs up.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use chrono::Utc;

use super::super::event::CallEvent;
use super::super::legs::is_2xx;
use super::{Call, ForkState};
use crate::events::EventPayload;
use crate::events::types::CallAnsweredData;
use crate::sip::dialog::request as outbound;
use crate::sip::endpoint::responder::Responder;
use crate::sip::transaction::client::Outcome;
use crate::sip::transaction::retransmit;
use crate::sip::wire::{Message, Method};

impl Call {
    /// The callee answered on `leg`: ACK it, answer the caller with its SDP.
    pub(super) async fn take_answer(&mut self, leg: usize, resp: &Message) {
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
    pub(super) async fn ack_callee(&mut self, leg: usize, body: Option<(String, Vec<u8>)>) {
        let d = &self.forks[leg].dialog;
        self.env.calls.hold_acks.remove(&d.call_id);
        let ack = outbound::request(d, &Method::Ack, 1, &crate::sip::endpoint::ids::new_branch(), &[], body.as_ref().map(|(c, b)| (c.as_str(), b.as_slice())));
        let _ = self.env.endpoint.transports.send(d.dest, ack).await;
    }

    /// RFC 3261 section 13.3.1.4: the 2xx goes again (T1 doubling to T2) until the ACK.
    pub(super) fn retransmit_2xx_until_ack(&self) {
        if self.a.dest.proto != crate::sip::transport::Proto::Udp {
            return;
        }
        let Some((bytes, dest)) = self.responder.last_final() else { return };
        retransmit::until_acknowledged(self.env.endpoint.transports.clone(), dest, bytes, self.a_acked.clone());
    }

    /// The call is up: relay requests both ways until someone hangs up.
    pub(super) async fn talk(&mut self, leg: usize) -> (u16, String, String) {
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
    pub(super) fn late_answer(&self, leg: usize, outcome: Outcome) {
        if let (Outcome::Response(r), Some(f)) = (outcome, self.forks.get(leg)) {
            if is_2xx(&r) {
                crate::sip::b2bua::stray_answer(&self.env, &r, f.dialog.dest);
            }
        }
    }

    pub(super) fn send_bye_b(&mut self, leg: usize) {
        crate::sip::b2bua::legs::bye(&self.env, &mut self.forks[leg].dialog);
    }

    pub(super) fn send_bye_a(&mut self) {
        crate::sip::b2bua::legs::bye(&self.env, &mut self.a);
    }

    /// Relays re-INVITE, UPDATE, INFO (and anything else in dialog) to the other leg and
    /// its final answer back.
    pub(super) fn relay(&mut self, msg: Arc<Message>, responder: Responder, from_a: bool, leg: usize) {
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
        let mut rx = crate::sip::b2bua::legs::send_in_dialog(&self.env, &d, method.clone(), outbound::body_of(&msg));
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

//! The bridge: the answer reaches the caller, the callee's 2xx is ACKed end to end, and
//! while the call is up every in-dialog request is relayed to the other leg and its
//! answer back, until someone hangs up.

use crate::sip::b2bua::{CallState, LegRole};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use chrono::Utc;

use super::super::event::CallEvent;
use super::super::legs::is_2xx;
use super::super::event::Keep;
use super::{Call, ForkState, Party};
use crate::model::cdr::{Ending, HangupReason, HangupSide};
use crate::events::EventPayload;
use crate::events::types::CallAnsweredData;
use crate::sip::dialog::request as outbound;
use crate::sip::endpoint::responder::Responder;
use crate::sip::transaction::client::Outcome;
use crate::sip::transaction::retransmit;
use crate::sip::wire::{Message, Method};

impl Call {
    /// The callee answered on `leg`. The first answer goes to the caller with its SDP; it
    /// is ACKed at once, or end to end for a late offer; a transfer target's answer (the caller's dialog is already
    /// confirmed) is ACKed at once, and the transfer reconnects the party that stayed.
    pub(super) async fn take_answer(&mut self, leg: usize, resp: &Message) {
        let first = !self.connected;
        self.stop_reliable_provisionals();
        let now = Utc::now();
        self.answered.get_or_insert(now);
        let fork = &mut self.forks[leg];
        fork.state = ForkState::Answered;
        fork.sdp = outbound::body_of(resp);
        fork.allows_update = super::session::declares_update(resp);
        fork.timer = crate::sip::dialog::session_timer::uac_negotiate(resp).map(|t| super::session::LegTimer::new(t, super::session::allows_update(resp)));
        fork.dialog.establish(resp);
        fork.dialog.resolve_dest(&self.env.endpoint.locator).await;
        self.env.calls.mark_answered(&fork.dialog.call_id);
        let number = fork.number.clone();
        if self.connected {
            self.ack_callee(leg, None).await;
        } else if self.offer.is_some() {
            // The offer was in the INVITE, so the ACK carries nothing the caller has to say:
            // the callee's 2xx is ACKed at once (RFC 3261 section 13.2.2.4), and its
            // retransmissions stop whatever the caller's side is doing.
            self.ack_callee(leg, None).await;
            let body = self.early_media(leg, outbound::body_of(resp)).await;
            self.answer_caller(body).await;
        } else {
            // A late offer: the callee's 2xx is ACKed end to end, when the caller's ACK
            // arrives with the SDP answer (section 13.2.1). Its retransmissions wait until then.
            self.env.calls.hold_acks.insert(self.forks[leg].dialog.call_id.clone());
            self.pending_b_ack = Some(leg);
            let body = self.early_media(leg, outbound::body_of(resp)).await;
            self.answer_caller(body).await;
        }
        // Stored before anyone hears of the answer: a node lost from now on loses no CDR.
        // (A transfer's new pair is stored by `talk` once the transfer is done.)
        if first {
            self.store_live((Party::Caller, Party::Leg(leg))).await;
            let setup = (now - self.started).num_milliseconds().max(0) as f64 / 1000.0;
            crate::metrics::metrics().call_setup.observe(setup);
        }
        self.set_view(|v| {
            v.state = CallState::Answered;
            v.answered_at.get_or_insert(now);
            for l in v.legs.iter_mut() {
                if l.role == LegRole::Callee && l.number == number {
                    l.state = CallState::Answered;
                }
            }
        });
        self.publish(EventPayload::CallAnswered(CallAnsweredData { call: self.parties(), callee: number }));
        self.record_if_always(Party::Leg(leg)).await;
    }

    /// The caller's INVITE gets its 2xx with `body` (the session it talks to): the call is
    /// connected, and the 2xx goes again until the caller's ACK.
    pub(super) async fn answer_caller(&mut self, body: Option<(String, Vec<u8>)>) {
        self.connected = true;
        // A retransmitted 2xx to a later re-INVITE towards the caller is ACKed again,
        // never taken for a stray answer.
        self.env.calls.mark_answered(&self.a.call_id);
        let contact = outbound::contact(self.a.local, self.a.dest.proto);
        // RFC 4028 section 9: the 2xx tells the caller the interval and who refreshes.
        if let Some(t) = self.a_timer.as_mut() {
            t.restart();
        }
        let mut headers = vec![("Contact", contact)];
        headers.extend(self.timer_headers(Party::Caller));
        let _ = self.responder.respond(200, "OK", &headers, body.as_ref().map(|(c, b)| (c.as_str(), b.as_slice()))).await;
        self.retransmit_2xx_until_ack();
        self.ack_deadline = Some(tokio::time::Instant::now() + crate::sip::consts::TIMER_64T1);
    }

    /// ACK for the callee's 2xx (end to end: with the caller's answer for a late offer).
    pub(super) async fn ack_callee(&mut self, leg: usize, body: Option<(String, Vec<u8>)>) {
        let d = &self.forks[leg].dialog;
        self.env.calls.hold_acks.remove(&d.call_id);
        let ack = outbound::request(d, &Method::Ack, 1, &crate::sip::endpoint::ids::new_branch(), &[], body.as_ref().map(|(c, b)| (c.as_str(), b.as_slice())));
        let _ = self.env.endpoint.transports.send(d.dest, ack).await;
    }

    /// A callee's 2xx still waiting for the caller's ACK is ACKed now (without a body):
    /// the leg is about to get a BYE or a new session, which must not come before its ACK.
    pub(super) async fn flush_pending_ack(&mut self) {
        if let Some(pending) = self.pending_b_ack.take() {
            self.ack_callee(pending, None).await;
        }
    }

    /// RFC 3261 section 13.3.1.4: the 2xx goes again (T1 doubling to T2) until the ACK.
    pub(super) fn retransmit_2xx_until_ack(&self) {
        if self.a.dest.proto != crate::sip::transport::Proto::Udp {
            return;
        }
        let Some((bytes, dest)) = self.responder.last_final() else { return };
        retransmit::until_acknowledged(self.env.endpoint.transports.clone(), dest, bytes, self.a_acked.clone());
    }

    /// The call is up: relay requests both ways until someone hangs up, the caller never
    /// ACKs, a leg's connection closes, or a transfer moves a party on.
    pub(super) async fn talk(&mut self, leg: usize) -> Ending {
        let mut pair = (Party::Caller, Party::Leg(leg));
        let mut stored = pair;
        loop {
            // A transfer changed who talks: the stored call follows.
            if pair != stored {
                self.store_live(pair).await;
                stored = pair;
            }
            let ack_deadline = self.ack_deadline;
            let timer = self.next_timer(pair);
            let event = tokio::select! {
                e = self.rx.recv() => e,
                _ = sleep_until(timer.map(|(due, _)| due)) => {
                    let Some((_, party)) = timer else { continue };
                    let other = if party == pair.0 { pair.1 } else { pair.0 };
                    if let Some(end) = self.on_timer(party, other).await {
                        return end;
                    }
                    continue;
                }
                _ = sleep_until(ack_deadline) => {
                    // RFC 3261 section 13.3.1.4: no ACK within 64*T1 ends the session.
                    tracing::info!(call = %self.id, "no ACK for the answer within 64*T1: ending the call");
                    self.ack_deadline = None;
                    self.a_acked.store(true, Ordering::Release);
                    self.send_bye(pair.0).await;
                    self.send_bye(pair.1).await;
                    return Ending::new(200, "the caller never acknowledged the answer", HangupSide::Caller, HangupReason::AckTimeout);
                }
            };
            let Some(event) = event else { return Ending::new(200, "call task ended", HangupSide::None, HangupReason::HungUp) };
            match event {
                CallEvent::AckFromA { call_id, .. } if call_id != self.a.call_id => {
                    if let Some(flag) = self.forks.iter().find(|f| f.dialog.call_id == call_id).and_then(|f| f.acked.as_ref()) {
                        flag.store(true, Ordering::Release);
                    }
                }
                CallEvent::AckFromA { body, .. } => {
                    self.a_acked.store(true, Ordering::Release);
                    self.ack_deadline = None;
                    if body.is_some() {
                        self.caller_sdp = body.clone();
                    }
                    if let Some(pending) = self.pending_b_ack.take() {
                        // A late offer's answer (RFC 3261 section 13.2.1) goes back to the callee.
                        let body = if self.offer.is_none() { self.media_answer(Party::Leg(pending), Party::Caller, body).await } else { body };
                        self.ack_callee(pending, body).await;
                    }
                }
                // 100rel ends on each leg: a late PRACK is answered here, never relayed.
                CallEvent::FromA { msg, responder } | CallEvent::FromB { msg, responder } if msg.method() == Some(&Method::Prack) => {
                    self.stop_reliable_provisionals();
                    let _ = responder.respond(200, "OK", &[], None).await;
                }
                CallEvent::FromA { msg, responder } | CallEvent::FromB { msg, responder } => {
                    let Some(from) = self.party_of(&msg) else {
                        let _ = responder.respond(481, "Call/Transaction Does Not Exist", &[], None).await;
                        continue;
                    };
                    if let Some(end) = self.in_dialog(from, msg, *responder, &mut pair).await {
                        return end;
                    }
                }
                CallEvent::Hangup => {
                    self.send_bye(pair.0).await;
                    self.send_bye(pair.1).await;
                    return self.hung_up_by_us("");
                }
                CallEvent::Transfer { keep, to } => {
                    let (keep, release) = match keep {
                        Keep::Caller => (pair.0, pair.1),
                        Keep::Callee => (pair.1, pair.0),
                    };
                    match self.transfer(keep, release, to, None).await {
                        Ok(next) => pair = next,
                        Err(end) => return end,
                    }
                }
                CallEvent::MediaLost if self.media.relayed => {
                    tracing::warn!(call = %self.id, "the media relay is gone: ending the call");
                    self.send_bye(pair.0).await;
                    self.send_bye(pair.1).await;
                    return Ending::new(200, "the media relay stopped answering", HangupSide::None, HangupReason::MediaLost);
                }
                CallEvent::MediaLost => {}
                CallEvent::Dtmf { tag, digit, duration_ms } => self.relay_dtmf(&tag, digit, duration_ms),
                CallEvent::Record { start, reply } => {
                    let answer = self.record(start, pair).await;
                    let _ = reply.send(answer);
                }
                CallEvent::ConnectionLost(source) => {
                    if let Some(lost) = [pair.0, pair.1].into_iter().find(|p| self.uses_stream(*p, source)) {
                        let other = if lost == pair.0 { pair.1 } else { pair.0 };
                        tracing::info!(call = %self.id, peer = %source.addr, "a leg's connection closed: ending the call");
                        self.send_bye(other).await;
                        return Ending::new(200, format!("the connection to {} closed", self.number_of(lost)), self.side_of(lost), HangupReason::ConnectionLost);
                    }
                }
                CallEvent::Adopt { replaces, leg, reply } => match self.adopt(&replaces, *leg, pair).await {
                    Some(Ok(next)) => {
                        let _ = reply.send(true);
                        pair = next;
                    }
                    Some(Err(end)) => {
                        let _ = reply.send(true);
                        return end;
                    }
                    None => {
                        let _ = reply.send(false);
                    }
                },
                CallEvent::Replace { replaces, invite, responder, source } => match self.replace_by_invite(&replaces, invite, *responder, source, pair).await {
                    Ok(Some(next)) => pair = next,
                    Ok(None) => {}
                    Err(end) => return end,
                },
                CallEvent::Retrieve(request) => {
                    let _ = request.responder.respond(480, "Temporarily Unavailable (nothing parked there)", &[], None).await;
                }
                // Answered meanwhile: nothing rings to pick up.
                CallEvent::Pickup(request) => {
                    let _ = request.responder.respond(481, "Call/Transaction Does Not Exist (already answered)", &[], None).await;
                }
                CallEvent::Refreshed { call_id, code, by_update } => {
                    if let Some(end) = self.on_refreshed(&call_id, code, by_update, pair).await {
                        return end;
                    }
                }
                CallEvent::Fork { leg: other, outcome } if !self.in_pair(pair, other) => self.late_answer(other, outcome),
                CallEvent::Cancel | CallEvent::Fork { .. } => {}
            }
        }
    }

    /// How a call ends that Callplane hangs up: through the API, or because Callplane is
    /// stopping (the drain time ran out). `while_` says what the call was doing.
    pub(super) fn hung_up_by_us(&self, while_: &str) -> Ending {
        if self.env.calls.is_draining() {
            Ending::new(200, format!("Callplane stopped{while_}"), HangupSide::None, HangupReason::Shutdown)
        } else {
            Ending::new(200, format!("hung up through the API{while_}"), HangupSide::Api, HangupReason::Api)
        }
    }

    /// A request in the dialog of `from`: BYE ends the call, REFER transfers it, anything
    /// else is relayed to the other party. A party that already left only gets its BYE
    /// answered.
    async fn in_dialog(&mut self, from: Party, msg: Arc<Message>, responder: Responder, pair: &mut (Party, Party)) -> Option<Ending> {
        let method = msg.method().cloned()?;
        if from != pair.0 && from != pair.1 {
            let (code, reason) = if method == Method::Bye { (200, "OK") } else { (481, "Call/Transaction Does Not Exist") };
            let _ = responder.respond(code, reason, &[], None).await;
            return None;
        }
        let to = if from == pair.0 { pair.1 } else { pair.0 };
        match method {
            Method::Bye => {
                let _ = responder.respond(200, "OK", &[], None).await;
                self.send_bye(to).await;
                let side = self.side_of(from);
                Some(Ending::new(200, format!("{} hung up", self.number_of(from)), side, HangupReason::HungUp))
            }
            // RFC 4028 / RFC 3311: an UPDATE without a body only refreshes the session. It
            // is relayed like any request, but not to a party that said it does not take
            // UPDATE: that refresh is answered here.
            Method::Update if msg.body.is_empty() && self.takes_update(to) == Some(false) => {
                self.session_refreshed(from);
                let _ = responder.respond(200, "OK", &self.timer_headers(from), None).await;
                None
            }
            Method::Refer => match self.refer(from, to, &msg, &responder).await {
                Ok(Some(next)) => {
                    *pair = next;
                    None
                }
                Ok(None) => None,
                Err(end) => Some(end),
            },
            _ => {
                if method == Method::Info {
                    self.info_dtmf(from, &msg);
                }
                self.relay(msg, responder, from, to).await;
                None
            }
        }
    }

    /// The callee leg an in-dialog request belongs to (by its Call-ID, ours on B legs).
    pub(super) fn leg_of(&self, msg: &Message) -> Option<Party> {
        self.forks.iter().position(|f| f.dialog.call_id == msg.call_id).map(Party::Leg)
    }

    /// The party whose dialog an in-dialog request came on: the caller's, or a leg's
    /// (placed by Callplane, or joined by Replaces).
    pub(super) fn party_of(&self, msg: &Message) -> Option<Party> {
        if msg.call_id == self.a.call_id { Some(Party::Caller) } else { self.leg_of(msg) }
    }

    fn in_pair(&self, pair: (Party, Party), leg: usize) -> bool {
        pair.0 == Party::Leg(leg) || pair.1 == Party::Leg(leg)
    }

    /// Whether `party`'s requests go over the stream connection `source`.
    pub(super) fn uses_stream(&self, party: Party, source: crate::sip::transport::Source) -> bool {
        source.proto.is_reliable() && self.dialog(party).dest == source
    }

    pub(super) fn dialog(&self, party: Party) -> &crate::sip::dialog::Dialog {
        match party {
            Party::Caller => &self.a,
            Party::Leg(i) => &self.forks[i].dialog,
        }
    }

    pub(super) fn dialog_mut(&mut self, party: Party) -> &mut crate::sip::dialog::Dialog {
        match party {
            Party::Caller => &mut self.a,
            Party::Leg(i) => &mut self.forks[i].dialog,
        }
    }

    pub(super) fn number_of(&self, party: Party) -> String {
        match party {
            Party::Caller => self.caller.clone(),
            Party::Leg(i) => self.forks[i].number.clone(),
        }
    }

    pub(super) fn side_of(&self, party: Party) -> HangupSide {
        match party {
            Party::Caller => HangupSide::Caller,
            Party::Leg(_) => HangupSide::Callee,
        }
    }

    /// The session description `party` sent last.
    pub(super) fn sdp_of(&self, party: Party) -> Option<(String, Vec<u8>)> {
        match party {
            Party::Caller => self.caller_sdp.clone(),
            Party::Leg(i) => self.forks[i].sdp.clone(),
        }
    }

    /// BYE on `party`'s dialog; a 2xx of that leg still waiting for the caller's ACK is
    /// ACKed first (no request may come before it).
    pub(super) async fn send_bye(&mut self, party: Party) {
        self.settle_ack(party).await;
        let env = self.env.clone();
        crate::sip::b2bua::legs::bye(&env, self.dialog_mut(party));
    }

    /// ACKs `party`'s 2xx now when it still waits for the caller's ACK (end to end).
    pub(super) async fn settle_ack(&mut self, party: Party) {
        if let (Party::Leg(i), Some(pending)) = (party, self.pending_b_ack) {
            if i == pending {
                self.flush_pending_ack().await;
            }
        }
    }

    /// A 2xx from a fork that lost (cancelled, or another answered first): ACK and BYE it.
    pub(super) fn late_answer(&self, leg: usize, outcome: Outcome) {
        if let (Outcome::Response(r), Some(f)) = (outcome, self.forks.get(leg)) {
            if is_2xx(&r) {
                crate::sip::b2bua::stray_answer(&self.env, &r, f.dialog.dest);
            }
        }
    }

    /// Relays re-INVITE, UPDATE, INFO (and anything else in dialog) to the other leg and
    /// its final answer back.
    pub(super) async fn relay(&mut self, msg: Arc<Message>, responder: Responder, from: Party, to: Party) {
        let Some(method) = msg.method().cloned() else { return };
        // RFC 3261 section 12.2.2: re-INVITE and UPDATE (RFC 3311 section 5.2) refresh the
        // sender's remote target.
        if matches!(method, Method::Invite | Method::Update) {
            self.dialog_mut(from).refresh_target(&msg);
        }
        let mut body = outbound::body_of(&msg);
        let offer = body.is_some() && matches!(method, Method::Invite | Method::Update);
        if offer {
            // A new offer from `from`: what a later transfer target is offered.
            match from {
                Party::Caller => self.caller_sdp = body.clone(),
                Party::Leg(i) => self.forks[i].sdp = body.clone(),
            }
        }
        // RFC 4028: a re-INVITE or UPDATE refreshes the session on both legs; each leg's
        // messages carry that leg's own interval and refresher.
        let (request_headers, answer_headers) = if matches!(method, Method::Invite | Method::Update) {
            self.session_refreshed(from);
            self.session_refreshed(to);
            (self.timer_headers(to), self.timer_headers(from))
        } else {
            (vec![], vec![])
        };
        let d = {
            let d = self.dialog_mut(to);
            d.cseq += 1;
            d.clone()
        };
        let rewrite = if offer { self.answer_rewrite(from, to) } else { None };
        if offer {
            let sent = body.as_ref().map(|(_, b)| b.clone()).unwrap_or_default();
            body = self.media_offer(from, Some(to), body).await;
            self.hold_or_resume(from, to, &sent).await;
        }
        crate::sip::b2bua::legs::relay_to(&self.env, d, method, body, &request_headers, answer_headers, responder, rewrite);
    }
}

/// Sleeps until `deadline`, or forever when there is none.
pub(super) async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

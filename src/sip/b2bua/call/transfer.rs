//! Transfer, terminated by Callplane itself: a phone's REFER (RFC 3515) or the API names
//! a party that stays and a number it goes on to. The number is reached through the same
//! routing as any call (extensions, forwarding, ring groups, trunks, Lua services); the
//! other party is released; when the target answers, the party that stayed is offered
//! the target's session by re-INVITE. Each transfer ends a CDR segment and starts one.

use chrono::Utc;

use super::super::cdr::Cdr;
use super::super::event::CallEvent;
use super::super::routing::RingEnd;
use super::{Call, ForkState, Party};
use crate::events::EventPayload;
use crate::events::types::{CallTransferredData, TransferVia};
use crate::model::cdr::{Ending, HangupReason, HangupSide};
use crate::sip::dialog::request as outbound;
use crate::sip::endpoint::responder::Responder;
use crate::sip::transaction::client::Outcome;
use crate::sip::wire::name_addr::NameAddr;
use crate::sip::wire::{Message, Method};

/// What a REFER asks for.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum ReferTarget {
    /// A number to dial (blind transfer, RFC 3515 section 2.4.2; RFC 5589 section 6).
    Number(String),
    /// Refer-To carries Replaces (attended transfer, RFC 3891 section 3 / RFC 5589
    /// section 7): the target is a dialog of another call.
    Replaces(String),
}

/// RFC 3515 section 2.1: exactly one Refer-To, a name-addr whose URI names the target;
/// an embedded `Replaces` header (RFC 3891) makes it an attended transfer. `None` when
/// the header is missing, repeated or names no number.
pub(super) fn refer_target(refer: &Message) -> Option<ReferTarget> {
    let mut values = refer.header_all("Refer-To");
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    let addr = NameAddr::parse(value).ok()?;
    if let Some(headers) = &addr.uri.headers {
        if let Some(replaces) = headers.split('&').find_map(|h| h.split_once('=').filter(|(n, _)| n.eq_ignore_ascii_case("Replaces")).map(|(_, v)| v)) {
            return Some(ReferTarget::Replaces(crate::sip::wire::uri::unescape(replaces)?));
        }
    }
    addr.uri.number().filter(|n| !n.is_empty()).map(ReferTarget::Number)
}

impl Call {
    /// A REFER from `from` in a call with `other`: accepted (202), and `other` is
    /// transferred to the Refer-To target. `Ok(None)`: refused, the call goes on as it was.
    pub(super) async fn refer(&mut self, from: Party, other: Party, msg: &Message, responder: &Responder) -> Result<Option<(Party, Party)>, Ending> {
        let target = match refer_target(msg) {
            Some(ReferTarget::Number(n)) => n,
            Some(ReferTarget::Replaces(replaces)) => return self.attended(from, other, &replaces, responder).await,
            None => {
                let _ = responder.respond(400, "Bad Request (one Refer-To with a number is needed)", &[], None).await;
                return Ok(None);
            }
        };
        // RFC 3515 section 2.4.2: 202, then the progress as NOTIFY with a sipfrag body.
        let _ = responder.respond(202, "Accepted", &[], None).await;
        self.notify_refer_answered(from, "SIP/2.0 100 Trying", false).await;
        self.transfer(other, from, target, Some(from)).await.map(Some)
    }

    /// Attended transfer (RFC 5589 section 7): `other` goes to the call holding the dialog
    /// that `replaces` names (the transferor's other call) and takes the transferor's place
    /// there; this call ends for the transferor. On failure both calls go on as they were
    /// and the transferor hears the failure by NOTIFY.
    async fn attended(&mut self, from: Party, other: Party, replaces: &str, responder: &Responder) -> Result<Option<(Party, Party)>, Ending> {
        let (call_id, tags) = crate::sip::dialog::replaces::parse(replaces);
        let target = self.env.calls.find_dialog(&call_id, &tags.iter().map(String::as_str).collect::<Vec<_>>()).filter(|(id, _)| *id != self.id);
        let _ = responder.respond(202, "Accepted", &[], None).await;
        self.notify_refer_answered(from, "SIP/2.0 100 Trying", false).await;
        let Some((target_id, handle)) = target else {
            self.notify_refer(from, "SIP/2.0 481 Call/Transaction Does Not Exist", true);
            return Ok(None);
        };
        let group = self.transfer_group.clone().unwrap_or_else(|| self.id.clone());
        let leg = super::super::event::AdoptedLeg {
            dialog: self.dialog(other).clone(),
            number: self.number_of(other),
            sdp: self.sdp_of(other),
            seen: self.sdp_of(from),
            transfer_group: group.clone(),
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        let sent = handle.events.send(CallEvent::Adopt { replaces: call_id, leg: Box::new(leg), reply: tx }).is_ok();
        if !(sent && rx.await.unwrap_or(false)) {
            self.notify_refer(from, "SIP/2.0 481 Call/Transaction Does Not Exist", true);
            return Ok(None);
        }
        tracing::info!(call = %self.id, to = %target_id, "attended transfer: the party that stayed moved to the other call");
        self.notify_refer_answered(from, "SIP/2.0 200 OK", true).await;
        self.send_bye(from).await;
        self.handed_off = Some(other);
        self.transfer_group = Some(group);
        Err(Ending::new(200, format!("{} transferred {} to its other call", self.number_of(from), self.number_of(other)), self.side_of(from), HangupReason::Transferred))
    }

    /// The other half of an attended transfer: `leg` replaces this call's party whose
    /// dialog has Call-ID `replaces`; that party is released and the two that remain are
    /// offered each other's sessions. Returns the new pair, `None` when no party matches.
    pub(super) async fn adopt(&mut self, replaces: &str, leg: super::super::event::AdoptedLeg, pair: (Party, Party)) -> Option<Result<(Party, Party), Ending>> {
        let replaced = [pair.0, pair.1].into_iter().find(|p| self.dialog(*p).call_id == replaces)?;
        let stays = if replaced == pair.0 { pair.1 } else { pair.0 };
        let seen = leg.seen.clone();
        self.env.calls.add_b_leg(&self.id, &leg.dialog.call_id);
        self.env.calls.mark_answered(&leg.dialog.call_id);
        let number = leg.number.clone();
        let target = self.number_of(stays);
        let fork = super::Fork::joined(leg.dialog, leg.number, leg.sdp, None);
        let new = self.take_place(replaced, fork, leg.transfer_group, number, target, TransferVia::Refer).await;
        let (to_stays, to_new) = (self.sdp_of(new), self.sdp_of(stays));
        let seen_by_stays = self.sdp_of(replaced);
        Some(async {
            self.offer_session(stays, new, to_stays, seen_by_stays).await?;
            self.offer_session(new, stays, to_new, seen).await?;
            Ok((stays, new))
        }.await)
    }

    /// An INVITE with Replaces (RFC 3891 section 3): its sender takes the place of this
    /// call's party whose dialog has Call-ID `replaces`. The INVITE is answered with the
    /// session of the party that stays, which is offered the newcomer's; the replaced party
    /// gets BYE. `Ok(None)`: no party matches (481), the call goes on.
    pub(super) async fn replace_by_invite(
        &mut self,
        replaces: &str,
        invite: std::sync::Arc<Message>,
        responder: Responder,
        source: crate::sip::transport::Source,
        pair: (Party, Party),
    ) -> Result<Option<(Party, Party)>, Ending> {
        let Some(replaced) = [pair.0, pair.1].into_iter().find(|p| self.dialog(*p).call_id == replaces) else {
            let _ = responder.respond(481, "Call/Transaction Does Not Exist", &[], None).await;
            return Ok(None);
        };
        let stays = if replaced == pair.0 { pair.1 } else { pair.0 };
        let number = invite.from.uri.number().unwrap_or_default();
        let offer = outbound::body_of(&invite);
        // Answer with the session of the party that stays (the newcomer saw none before).
        let answer = self.takeover_answer(&invite, responder.to_tag(), source.addr.ip(), stays).await;
        let fork = self.join_by_invite(&invite, &responder, source, answer).await;
        let (group, transferee) = (self.id.clone(), self.number_of(stays));
        let new = self.take_place(replaced, fork, group, transferee, number, TransferVia::Replaces).await;
        let seen = self.sdp_of(replaced);
        self.offer_session(stays, new, offer, seen).await?;
        Ok(Some((stays, new)))
    }

    /// `fork` takes the place of `replaced`, which gets BYE: the CDR segment ends and the
    /// next starts with the newcomer answered; `call.transferred` says so. Returns the
    /// newcomer's party.
    async fn take_place(&mut self, replaced: Party, fork: super::Fork, group: String, transferee: String, target: String, via: TransferVia) -> Party {
        self.send_bye(replaced).await;
        self.transfer_group.get_or_insert(group);
        let ended_segment = self.close_segment(self.side_of(replaced), &fork.number);
        self.forks.push(fork);
        self.answered = Some(Utc::now());
        self.publish(EventPayload::CallTransferred(CallTransferredData {
            call: self.parties(),
            transferee,
            transferor: self.number_of(replaced),
            target,
            via,
            ended_segment,
        }));
        Party::Leg(self.forks.len() - 1)
    }

    /// Transfers `keep` to `to`; `release` leaves the call. `transferor` is the phone that
    /// sent REFER (told the outcome by NOTIFY), `None` for the API. Returns the new pair,
    /// or how the call ended when the target could not be reached.
    pub(super) async fn transfer(&mut self, keep: Party, release: Party, to: String, transferor: Option<Party>) -> Result<(Party, Party), Ending> {
        // Blind transfer (RFC 5589 section 6): the transferor learns at once that the
        // transfer was accepted and leaves; the party that stays waits for the target.
        // A transfer to the park number takes the first free slot, announced to the
        // transferor in the final NOTIFY's sipfrag before it leaves.
        let codes = self.env.snapshot.get().feature_codes.clone();
        let slot = if codes.park == to { self.env.calls.take_slot(codes.park_slots(), &self.id).ok_or(()) } else { Err(()) };
        if codes.park == to && slot.is_err() {
            tracing::info!(call = %self.id, "park refused: every slot is taken");
            if let Some(t) = transferor {
                self.notify_refer(t, "SIP/2.0 486 Busy Here (every park slot is taken)", true);
            }
            return Ok((keep, release));
        }
        if let Some(t) = transferor {
            let sipfrag = slot.as_ref().map_or_else(|_| "SIP/2.0 200 OK".to_owned(), |s| format!("SIP/2.0 200 Parked in slot {s}"));
            self.notify_refer_answered(t, &sipfrag, true).await;
        }
        let parker = self.number_of(release);
        // The party that stays may be a callee whose 2xx waits for the caller's ACK: it is
        // re-INVITEd later, never before that ACK.
        self.settle_ack(keep).await;
        self.send_bye(release).await;
        let side = if transferor.is_some() { self.side_of(release) } else { HangupSide::Api };
        let ended_segment = self.close_segment(side, &to);
        self.publish(EventPayload::CallTransferred(CallTransferredData {
            call: self.parties(),
            transferee: self.number_of(keep),
            transferor: self.number_of(release),
            target: to.clone(),
            via: if transferor.is_some() { TransferVia::Refer } else { TransferVia::Api },
            ended_segment,
        }));
        self.offer = self.sdp_of(keep);
        self.offerer = keep;
        self.presented = self.number_of(keep);
        self.transfer_keep = Some(keep);
        self.interrupted = None;
        let end = match slot {
            Ok(slot) => self.park(keep, slot, parker).await,
            Err(()) => self.ring(to.clone()).await,
        };
        self.transfer_keep = None;
        match end {
            RingEnd::Answered(leg) => {
                let new = Party::Leg(leg);
                self.reconnect(keep, release, new).await?;
                Ok((keep, new))
            }
            RingEnd::Failed(code, reason) => {
                self.send_bye(keep).await;
                Err(Ending::new(code, format!("transfer to {to} failed: {reason}"), HangupSide::None, HangupReason::NotAnswered))
            }
            RingEnd::Cancelled => Err(match self.interrupted.take() {
                Some(end) => end,
                None => {
                    self.send_bye(keep).await;
                    Ending::new(487, "hung up through the API while the transfer target rang", HangupSide::Api, HangupReason::Api)
                }
            }),
            RingEnd::Handled(ending) => Err(ending),
        }
    }

    /// Offers `keep` the session of `new` (re-INVITE, under the origin `keep` saw from
    /// `old`), and ACKs its answer.
    async fn reconnect(&mut self, keep: Party, old: Party, new: Party) -> Result<(), Ending> {
        let (offer, seen) = (self.sdp_of(new), self.sdp_of(old));
        self.offer_session(keep, new, offer, seen).await
    }

    /// Offers `keep` the session `offer` (from `new`) by re-INVITE, under the origin of
    /// `seen`, the session `keep` saw last; ACKs its answer.
    pub(super) async fn offer_session(&mut self, keep: Party, new: Party, offer: Option<(String, Vec<u8>)>, seen: Option<(String, Vec<u8>)>) -> Result<(), Ending> {
        let Some((content_type, sdp)) = offer else { return Ok(()) };
        let body = if self.media.relayed {
            // The relay puts its address in the origin; the rest continues what `keep` saw.
            let relayed = self.media_offer(new, Some(keep), Some((content_type.clone(), sdp))).await.map(|(_, b)| b).unwrap_or_default();
            match seen {
                Some((_, seen)) => crate::sip::sdp::continue_origin_at_relay(&seen, &relayed),
                None => relayed,
            }
        } else {
            match seen {
                Some((_, seen)) => crate::sip::sdp::continue_origin(&seen, &sdp),
                None => sdp,
            }
        };
        let d = {
            let d = self.dialog_mut(keep);
            d.cseq += 1;
            d.clone()
        };
        let mut rx = crate::sip::b2bua::legs::send_in_dialog(&self.env, &d, Method::Invite, Some((content_type, body)), &[]);
        while let Some(outcome) = rx.recv().await {
            match outcome {
                Outcome::Response(r) if r.status().unwrap_or(0) < 200 => {}
                Outcome::Response(r) if crate::sip::b2bua::legs::is_2xx(&r) => {
                    let ack = outbound::request(&d, &Method::Ack, d.cseq, &crate::sip::endpoint::ids::new_branch(), &[], None);
                    let _ = self.env.endpoint.transports.send(d.dest, ack).await;
                    if let Some(answer) = outbound::body_of(&r) {
                        // The relay learns `keep`'s answer (what `new` hears goes on as before).
                        let _ = self.media_answer(new, keep, Some(answer.clone())).await;
                        match keep {
                            Party::Caller => self.caller_sdp = Some(answer),
                            Party::Leg(i) => self.forks[i].sdp = Some(answer),
                        }
                    }
                    return Ok(());
                }
                Outcome::Response(r) => {
                    let code = r.status().unwrap_or(500);
                    tracing::info!(call = %self.id, code, "the transferee refused the target's session");
                    break;
                }
                Outcome::Timeout => break,
            }
        }
        self.send_bye(keep).await;
        self.send_bye(new).await;
        Err(Ending::new(500, "the party that stayed did not take the transfer target's session", HangupSide::None, HangupReason::NotAnswered))
    }

    /// NOTIFY of a REFER's progress to `party` (RFC 3515 section 2.4.4, sipfrag body).
    fn notify_refer(&mut self, party: Party, sipfrag: &str, last: bool) {
        let mut rx = self.send_refer_notify(party, sipfrag, last);
        tokio::spawn(async move { while rx.recv().await.is_some() {} });
    }

    /// A NOTIFY of a REFER, answered (or 4 s without an answer) before the call goes on:
    /// the transferor gets the next NOTIFY, and its BYE, after this one, never before (UDP
    /// does not keep the order of two requests in flight).
    async fn notify_refer_answered(&mut self, party: Party, sipfrag: &str, last: bool) {
        let mut rx = self.send_refer_notify(party, sipfrag, last);
        let answered = async {
            while let Some(outcome) = rx.recv().await {
                if !matches!(&outcome, Outcome::Response(r) if r.status().unwrap_or(0) < 200) {
                    break;
                }
            }
        };
        if tokio::time::timeout(std::time::Duration::from_secs(4), answered).await.is_err() {
            tracing::info!(call = %self.id, "the transferor did not answer a NOTIFY in 4 s");
        }
    }

    fn send_refer_notify(&mut self, party: Party, sipfrag: &str, last: bool) -> tokio::sync::mpsc::UnboundedReceiver<Outcome> {
        let state = if last { "terminated;reason=noresource" } else { "active;expires=60" };
        let d = {
            let d = self.dialog_mut(party);
            d.cseq += 1;
            d.clone()
        };
        let extra = [("Event", "refer".to_owned()), ("Subscription-State", state.to_owned())];
        let body = ("message/sipfrag;version=2.0".to_owned(), format!("{sipfrag}\r\n").into_bytes());
        crate::sip::b2bua::legs::send_in_dialog(&self.env, &d, Method::Notify, Some(body), &extra)
    }

    /// Ends the current CDR segment (the transfer) and starts the next, towards `to`.
    /// Returns the id of the segment that ended.
    fn close_segment(&mut self, side: HangupSide, to: &str) -> String {
        let group = self.transfer_group.get_or_insert_with(|| self.id.clone()).clone();
        let ended = Utc::now();
        let cdr = self.segment_cdr(ended, 200, side, HangupReason::Transferred);
        let ended_id = cdr.id.clone();
        self.env.cdrs.record(cdr);
        self.segment_id = uuid::Uuid::now_v7().to_string();
        self.transfer_group = Some(group);
        self.started = ended;
        self.answered = None;
        self.chain.clear();
        self.ring_group = None;
        self.dialed = to.to_owned();
        for f in self.forks.iter_mut().filter(|f| f.state == ForkState::Answered) {
            // The segment's answering party is whoever answers next.
            f.state = ForkState::Done;
        }
        ended_id
    }

    /// The CDR of the current segment, ended at `ended`.
    pub(super) fn segment_cdr(&self, ended: chrono::DateTime<Utc>, code: u16, side: HangupSide, reason: HangupReason) -> Cdr {
        let duration = self.answered.map(|a| (ended - a).num_milliseconds() as f64 / 1000.0).unwrap_or(0.0);
        Cdr {
            id: self.segment_id.clone(),
            caller: self.presented.clone(),
            dialed: self.dialed.clone(),
            final_callee: self.forks.iter().rev().find(|f| f.state == ForkState::Answered).map(|f| f.number.clone()).or_else(|| self.answered_by_callplane.clone()),
            forwarding_chain: self.chain.clone(),
            ring_group: self.ring_group.clone(),
            trunk: self.trunk.clone(),
            started_at: self.started,
            answered_at: self.answered,
            ended_at: ended,
            duration_s: duration,
            final_code: code,
            disposition: super::super::cdr::disposition(code, self.answered.is_some()),
            hangup_side: side,
            hangup_reason: Some(reason),
            transfer_group: self.transfer_group.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refer(refer_to: &str) -> Message {
        let text = format!(
            "REFER sip:pbx SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nFrom: <sip:1002@pbx>;tag=a\r\n\
             To: <sip:1001@pbx>;tag=b\r\nCall-ID: r1\r\nCSeq: 2 REFER\r\nContact: <sip:1002@10.0.0.5>\r\n{refer_to}Content-Length: 0\r\n\r\n"
        );
        crate::sip::wire::parse(text.as_bytes(), true).expect("REFER")
    }

    // RFC 3515 section 2.4.2: the Refer-To URI names the target.
    #[test]
    fn blind_refer_names_a_number() {
        assert_eq!(refer_target(&refer("Refer-To: <sip:1003@pbx>\r\n")), Some(ReferTarget::Number("1003".into())));
        assert_eq!(refer_target(&refer("Refer-To: sip:+442071234567@pbx\r\n")), Some(ReferTarget::Number("+442071234567".into())));
    }

    // RFC 3891 section 3: Replaces embedded in Refer-To, escaped, makes it attended.
    #[test]
    fn refer_with_replaces_is_attended() {
        let r = refer("Refer-To: <sip:1003@pbx?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>\r\n");
        assert_eq!(refer_target(&r), Some(ReferTarget::Replaces("abc@host;to-tag=1;from-tag=2".into())));
    }

    // RFC 3515 section 2.4.1: a REFER without exactly one Refer-To is refused (400).
    #[test]
    fn refer_needs_exactly_one_refer_to() {
        assert_eq!(refer_target(&refer("")), None);
        assert_eq!(refer_target(&refer("Refer-To: <sip:1003@pbx>\r\nRefer-To: <sip:1004@pbx>\r\n")), None);
    }
}

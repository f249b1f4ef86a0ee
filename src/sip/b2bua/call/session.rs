//! Session timers (RFC 4028) on each leg on its own: negotiated from the caller's INVITE
//! and from each callee's 2xx (`dialog::session_timer`), refreshed by Callplane where it
//! is the refresher (UPDATE when the peer allows it, else re-INVITE with the session it
//! has), and ending the call when a refresh does not come or is not answered.

use std::time::Duration;

use tokio::time::Instant;

use super::super::event::CallEvent;
use super::{Call, Party};
use crate::model::cdr::{Ending, HangupReason};
use crate::sip::dialog::request as outbound;
use crate::sip::dialog::session_timer::{self, Refresher, SessionTimer};
use crate::sip::transaction::client::Outcome;
use crate::sip::wire::{Message, Method};

/// A leg's timer and what is due next.
#[derive(Debug, Clone)]
pub(in crate::sip::b2bua) struct LegTimer {
    pub timer: SessionTimer,
    pub due: Instant,
    /// Our refresh is on its way (its outcome comes back as `CallEvent::Refreshed`).
    pub in_flight: bool,
    /// Refresh by UPDATE (the peer allows it), else by re-INVITE.
    pub by_update: bool,
}

impl LegTimer {
    pub fn new(timer: SessionTimer, by_update: bool) -> LegTimer {
        let mut t = LegTimer { timer, due: Instant::now(), in_flight: false, by_update };
        t.restart();
        t
    }

    /// The session was just refreshed (either side): the next refresh or expiry.
    pub fn restart(&mut self) {
        self.in_flight = false;
        let wait = match self.timer.refresher {
            Refresher::Us => self.timer.refresh_after(),
            Refresher::Peer => self.timer.expire_after(),
        };
        self.due = Instant::now() + wait;
    }
}

/// Whether `msg` lists UPDATE in Allow (RFC 3311 section 5.1).
pub(super) fn allows_update(msg: &Message) -> bool {
    declares_update(msg).unwrap_or(false)
}

/// Whether `msg` lists UPDATE in Allow; `None` when it has no Allow at all (unknown).
pub(super) fn declares_update(msg: &Message) -> Option<bool> {
    let mut allow = msg.header_all("Allow").peekable();
    allow.peek()?;
    Some(allow.flat_map(|v| v.split(',')).any(|m| m.trim().eq_ignore_ascii_case("UPDATE")))
}

impl Call {
    /// Headers of every INVITE Callplane sends on a callee leg: 100rel (unless a trunk's
    /// quirk turns it off) and timers supported, our Session-Expires and Min-SE.
    pub(super) fn invite_headers(&self, reliable: bool) -> Vec<(&'static str, String)> {
        let s = &self.env.settings;
        let supported = if reliable { "100rel, timer" } else { "timer" };
        vec![
            ("Supported", supported.to_owned()),
            ("Session-Expires", s.session_expires_s.max(session_timer::MIN_SE_FLOOR).to_string()),
            ("Min-SE", s.min_se_s.max(session_timer::MIN_SE_FLOOR).to_string()),
        ]
    }

    /// RFC 4028 section 7.1: a 422 names the callee's Min-SE; the INVITE goes again once
    /// with a Session-Expires that large.
    pub(super) fn retry_with_min_se(&mut self, leg: usize, resp: &Message) -> bool {
        let ours = self.env.settings.min_se_s.max(session_timer::MIN_SE_FLOOR);
        let Some(min_se) = session_timer::min_se_of(resp, ours) else { return false };
        let fork = &mut self.forks[leg];
        let asked = fork.extra.iter().find(|(n, _)| *n == "Session-Expires").and_then(|(_, v)| v.parse::<u32>().ok());
        if asked.is_some_and(|a| a >= min_se) {
            return false;
        }
        fork.extra.retain(|(n, _)| *n != "Session-Expires" && *n != "Min-SE");
        fork.extra.push(("Session-Expires", min_se.to_string()));
        fork.extra.push(("Min-SE", min_se.to_string()));
        let extra = fork.extra.clone();
        self.resend_invite(leg, &extra);
        true
    }

    pub(super) fn timer_mut(&mut self, party: Party) -> Option<&mut LegTimer> {
        match party {
            Party::Caller => self.a_timer.as_mut(),
            Party::Leg(i) => self.forks.get_mut(i).and_then(|f| f.timer.as_mut()),
        }
    }

    fn timer_of(&self, party: Party) -> Option<&LegTimer> {
        match party {
            Party::Caller => self.a_timer.as_ref(),
            Party::Leg(i) => self.forks.get(i).and_then(|f| f.timer.as_ref()),
        }
    }

    /// The next timer due among the two parties talking.
    pub(super) fn next_timer(&self, pair: (Party, Party)) -> Option<(Instant, Party)> {
        [pair.0, pair.1]
            .into_iter()
            .filter_map(|p| self.timer_of(p).filter(|t| !t.in_flight).map(|t| (t.due, p)))
            .min_by_key(|(due, _)| *due)
    }

    /// Headers for a message to `party` about its session timer: Session-Expires with the
    /// refresher named from the INVITE's roles, and Require: timer when it supports them.
    pub(super) fn timer_headers(&self, party: Party) -> Vec<(&'static str, String)> {
        let Some(t) = self.timer_of(party) else { return vec![] };
        let mut h = vec![("Session-Expires", t.timer.header(party == Party::Caller))];
        if t.timer.peer_supports {
            h.push(("Require", "timer".to_owned()));
        }
        h
    }

    /// Whether `party` said it takes UPDATE (`None`: it sent no Allow).
    pub(super) fn takes_update(&self, party: Party) -> Option<bool> {
        match party {
            Party::Caller => declares_update(&self.invite),
            Party::Leg(i) => self.forks.get(i).and_then(|f| f.allows_update),
        }
    }

    /// A re-INVITE or UPDATE passed on the session of `party`: it counts as a refresh.
    pub(super) fn session_refreshed(&mut self, party: Party) {
        if let Some(t) = self.timer_mut(party) {
            t.restart();
        }
    }

    /// `party`'s timer is due: refresh it (we are the refresher) or end the call (the
    /// peer's refresh never came; RFC 4028 section 10).
    pub(super) async fn on_timer(&mut self, party: Party, other: Party) -> Option<Ending> {
        let t = self.timer_of(party)?.clone();
        if t.timer.refresher == Refresher::Peer {
            tracing::info!(call = %self.id, party = %self.number_of(party), "no session refresh in time: ending the call");
            self.send_bye(party).await;
            self.send_bye(other).await;
            return Some(Ending::new(200, format!("{} did not refresh the session", self.number_of(party)), self.side_of(party), HangupReason::SessionExpired));
        }
        self.send_refresh(party, other, t.by_update).await;
        None
    }

    /// Our refresh of `party`'s session: UPDATE without a body, or a re-INVITE with the
    /// session it has from `other` (unchanged, so the same version: RFC 3264 section 8).
    async fn send_refresh(&mut self, party: Party, other: Party, by_update: bool) {
        let headers = self.timer_headers(party);
        // Through the relay, `party` has the relay's description of `other`'s session.
        let body = if by_update { None } else { self.media_offer(other, Some(party), self.sdp_of(other)).await };
        let method = if by_update { Method::Update } else { Method::Invite };
        let d = {
            let d = self.dialog_mut(party);
            d.cseq += 1;
            d.clone()
        };
        if let Some(t) = self.timer_mut(party) {
            t.in_flight = true;
        }
        let mut rx = crate::sip::b2bua::legs::send_in_dialog(&self.env, &d, method.clone(), body, &headers);
        let events = self.tx.clone();
        let transports = self.env.endpoint.transports.clone();
        let call_id = d.call_id.clone();
        tokio::spawn(async move {
            let mut code = None;
            while let Some(outcome) = rx.recv().await {
                match outcome {
                    Outcome::Response(r) if r.status().unwrap_or(0) < 200 => continue,
                    Outcome::Response(r) => {
                        let c = r.status().unwrap_or(500);
                        if method == Method::Invite && (200..300).contains(&c) {
                            let ack = outbound::request(&d, &Method::Ack, d.cseq, &crate::sip::endpoint::ids::new_branch(), &[], None);
                            let _ = transports.send(d.dest, ack).await;
                        }
                        code = Some(c);
                    }
                    Outcome::Timeout => {}
                }
                break;
            }
            let _ = events.send(CallEvent::Refreshed { call_id, code, by_update: method == Method::Update });
        });
    }

    /// The outcome of our refresh on the leg with `call_id`: a 2xx restarts the timer; an
    /// UPDATE the peer does not take (405, 501) is tried again as re-INVITE; anything else
    /// (408, 481, no answer) ends the call (RFC 4028 section 10).
    pub(super) async fn on_refreshed(&mut self, call_id: &str, code: Option<u16>, by_update: bool, pair: (Party, Party)) -> Option<Ending> {
        let party = [pair.0, pair.1].into_iter().find(|p| self.dialog(*p).call_id == call_id)?;
        let other = if party == pair.0 { pair.1 } else { pair.0 };
        match code {
            Some(c) if (200..300).contains(&c) => {
                self.session_refreshed(party);
                None
            }
            Some(405 | 501) if by_update => {
                if let Some(t) = self.timer_mut(party) {
                    t.by_update = false;
                }
                self.send_refresh(party, other, false).await;
                None
            }
            // A refresh crossing one of theirs: try again shortly (RFC 3261 section 14.1).
            Some(491) => {
                if let Some(t) = self.timer_mut(party) {
                    t.in_flight = false;
                    t.due = Instant::now() + Duration::from_secs(2);
                }
                None
            }
            _ => {
                tracing::info!(call = %self.id, ?code, "session refresh not answered: ending the call");
                self.send_bye(party).await;
                self.send_bye(other).await;
                Some(Ending::new(200, format!("{} did not answer the session refresh", self.number_of(party)), self.side_of(party), HangupReason::SessionExpired))
            }
        }
    }
}

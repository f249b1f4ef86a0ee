//! A call going out through a trunk: the trunk's call limit and the caller's daily limit,
//! the INVITE that `trunk::dial` builds, and the digest answer to a carrier's challenge.

use crate::sip::b2bua::{CallState, LegRole};
use std::time::Duration;

use super::super::routing::{DEFAULT_RING_TIMEOUT, ForkEnd};
use super::super::LegView;
use super::{Call, Fork, ForkState};
use crate::sip::wire::Message;

impl Call {
    /// A call out through a trunk, within the trunk's concurrent-call limit and the caller's
    /// daily limit; the trunk counts the call while it rings and, if answered, until the end.
    pub(super) async fn ring_trunk(&mut self, entry: &crate::snapshot::TrunkEntry, dialed: &str) -> ForkEnd {
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

    /// The INVITE to a trunk, to its servers in the order DNS gives them: no answer (408)
    /// or 503 moves to the next server (RFC 3263 section 4.3).
    pub(super) async fn ring_trunk_once(&mut self, entry: &crate::snapshot::TrunkEntry, dialed: &str) -> ForkEnd {
        let key = crate::sip::trunk::register::locator_key(&entry.trunk.id);
        loop {
            let Some(target) = crate::sip::trunk::register::target(&self.env.endpoint, entry).await else {
                return ForkEnd::Failed(503, "Service Unavailable (cannot resolve the trunk)".into());
            };
            let end = self.invite_trunk(entry, dialed, target.source()).await;
            let why = match &end {
                ForkEnd::Failed(408, _) => "no answer",
                ForkEnd::Failed(503, _) => "503",
                _ => return end,
            };
            if !self.env.endpoint.locator.failed(&key, &target, why) {
                return end;
            }
        }
    }

    /// One INVITE to a trunk's server `dest` (strip/prepend applied), with its caller
    /// identity and quirks.
    async fn invite_trunk(&mut self, entry: &crate::snapshot::TrunkEntry, dialed: &str, dest: crate::sip::transport::Source) -> ForkEnd {
        let t = &entry.trunk;
        let local = self.env.endpoint.local_addr_on(dest.addr.ip(), dest.proto);
        let crate::sip::trunk::dial::TrunkLeg { mut dialog, headers, credentials } =
            crate::sip::trunk::dial::leg(entry, dialed, &self.presented, self.invite.from.display.clone(), dest, local);
        let mut extra = self.invite_headers(!t.quirks.disable_100rel);
        extra.extend(headers);
        let callee = self.callee_media(dialed, false, Some(&t.name));
        self.decide_media(&[callee]);
        self.leg_offer = self.media_offer(self.offerer, None, self.offer.clone()).await;
        let body = self.leg_offer.clone();
        let leg = self.forks.len();
        let branch = crate::sip::b2bua::legs::invite_with(&self.env, &self.id, &mut dialog, body.as_ref(), &extra, 1, self.tx.clone(), leg);
        self.set_view(|v| {
            v.legs.push(LegView { role: LegRole::Callee, number: dialed.to_owned(), state: CallState::Trying, contact: format!("trunk {}", t.name) })
        });
        self.forks.push(Fork { dialog, branch, invite_cseq: 1, number: dialed.to_owned(), state: ForkState::Trying, credentials, extra, sdp: None, timer: None, acked: None, allows_update: None, behind_nat: false });
        let timeout = t.quirks.no_answer_timeout_s.map_or(DEFAULT_RING_TIMEOUT, |s| Duration::from_secs(u64::from(s)));
        self.wait_forks(vec![leg], timeout).await
    }

    /// Answers a trunk's 401/407 to our INVITE once, with a new INVITE carrying credentials.
    pub(super) fn retry_with_credentials(&mut self, leg: usize, resp: &Message) -> bool {
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
        let mut extra = fork.extra.clone();
        extra.push((header_name, answer));
        self.resend_invite(leg, &extra);
        true
    }

    /// The INVITE of `leg` again, as a new transaction with the next CSeq and `extra`
    /// headers (after a challenge or a 422).
    pub(super) fn resend_invite(&mut self, leg: usize, extra: &[(&'static str, String)]) {
        let body = self.leg_offer.clone();
        let fork = &mut self.forks[leg];
        fork.dialog.cseq += 1;
        let cseq = fork.dialog.cseq;
        let mut dialog = fork.dialog.clone();
        let branch = crate::sip::b2bua::legs::invite_with(&self.env, &self.id, &mut dialog, body.as_ref(), extra, cseq, self.tx.clone(), leg);
        let fork = &mut self.forks[leg];
        fork.dialog = dialog;
        fork.branch = branch;
        fork.invite_cseq = cseq;
    }
}

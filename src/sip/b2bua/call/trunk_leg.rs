//! Calls out through a trunk: the trunk's call limit and the caller's daily limit, the
//! INVITE with the trunk's identity, quirks and pre-loaded route, and the digest answer to
//! a carrier's challenge.

use crate::sip::b2bua::{CallState, LegRole};
use std::time::Duration;

use super::super::routing::{DEFAULT_RING_TIMEOUT, ForkEnd};
use super::super::LegView;
use super::{Call, Fork, ForkState};
use crate::sip::dialog::Dialog;
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

    /// One INVITE to a trunk (strip/prepend applied), with its caller identity and quirks.
    pub(super) async fn ring_trunk_once(&mut self, entry: &crate::snapshot::TrunkEntry, dialed: &str) -> ForkEnd {
        let t = &entry.trunk;
        let Some(dest) = crate::sip::trunk::register::target(&self.env.endpoint, entry).await else {
            return ForkEnd::Failed(503, "Service Unavailable (cannot resolve the trunk)".into());
        };
        let local = self.env.endpoint.local_addr_on(dest.addr.ip(), dest.proto);
        let from_user = t.caller_id.number.clone().unwrap_or_else(|| self.presented.clone());
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
        let mut extra = self.invite_headers(!t.quirks.disable_100rel);
        if t.caller_id.p_asserted_identity {
            extra.push(("P-Asserted-Identity", format!("<sip:{from_user}@{}>", t.host)));
        }
        let body = self.offer.clone();
        let leg = self.forks.len();
        let branch = crate::sip::b2bua::legs::invite_with(&self.env, &self.id, &mut dialog, body.as_ref(), &extra, 1, self.tx.clone(), leg);
        let credentials = match (&t.username, &entry.password) {
            (Some(u), Some(p)) => Some((t.auth_username.clone().unwrap_or_else(|| u.clone()), p.clone())),
            _ => None,
        };
        self.set_view(|v| {
            v.legs.push(LegView { role: LegRole::Callee, number: dialed.to_owned(), state: CallState::Trying, contact: format!("trunk {}", t.name) })
        });
        self.forks.push(Fork { dialog, branch, invite_cseq: 1, number: dialed.to_owned(), state: ForkState::Trying, credentials, extra, sdp: None, timer: None });
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
        let body = self.offer.clone();
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

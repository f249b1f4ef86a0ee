//! The call's media through the relay (`crate::media`): whether this call is relayed is
//! decided once, when its first callee is tried (`media::policy`); from then on every
//! session description that crosses from one party to another goes through rtpengine —
//! an offer as `offer` (from the sender's tag to the receiver's), an answer as `answer` —
//! so each party only ever sees the relay's address. When the relay fails, the
//! description passes unchanged (direct media) and the log says so. The relay's session
//! is the call's id, deleted when the call ends.

use std::net::IpAddr;

use crate::media::policy::{self, PartyMedia};
use crate::media::{MediaRelay, Side};
use crate::model::media_mode::MediaMode;
use crate::sip::wire::Message;

use super::{Call, Party};

type Body = (String, Vec<u8>);

/// What the call knows of its media.
#[derive(Debug, Default)]
pub(super) struct MediaPlan {
    /// The policy ran (at the first callee).
    decided: bool,
    /// Session descriptions go through the relay.
    pub(super) relayed: bool,
    /// The caller advertised another address than the one its INVITE came from.
    pub(super) caller_nat: bool,
    /// Parties on hold now, by their tag in the relay's session.
    held: Vec<String>,
    /// The relay records the call now.
    recording: bool,
    /// The relay recorded some of it (its pcaps become recordings when the call ends).
    pub(super) recorded: bool,
}

/// Whether the sender of `msg` (which came from `source`) is behind NAT: its Contact's host
/// or its SDP's connection address is not `source`.
pub(in crate::sip::b2bua) fn sender_behind_nat(msg: &Message, source: IpAddr) -> bool {
    let contact = msg
        .contacts()
        .next()
        .and_then(|c| crate::sip::wire::name_addr::NameAddr::parse(c).ok())
        .and_then(|na| ip_of(&na.uri.host));
    let sdp = crate::media::sdp::connection_address(&msg.body);
    policy::behind_nat(source, &[contact, sdp])
}

fn ip_of(host: &crate::sip::wire::uri::Host) -> Option<IpAddr> {
    match host {
        crate::sip::wire::uri::Host::Ip(ip) => Some(*ip),
        crate::sip::wire::uri::Host::Name(_) => None,
    }
}

/// Whether a binding's Contact names another address than the one it registered from.
pub(in crate::sip::b2bua) fn contact_behind_nat(contact: &str, source: Option<IpAddr>) -> bool {
    let Some(source) = source else { return false };
    let host = crate::sip::wire::name_addr::NameAddr::parse(contact).ok().and_then(|na| ip_of(&na.uri.host));
    policy::behind_nat(source, &[host])
}

impl Call {
    pub(super) fn media_relay(&self) -> &MediaRelay {
        &self.env.media
    }

    /// The party's tag in the relay's session: the caller's From tag, our tag on a leg.
    pub(super) fn media_tag(&self, party: Party) -> String {
        match party {
            Party::Caller => self.a.remote_tag.clone().unwrap_or_else(|| "caller".to_owned()),
            Party::Leg(i) => self.forks[i].dialog.local_tag.clone(),
        }
    }

    fn side(&self, party: Party) -> (String, IpAddr, bool) {
        let nat = match party {
            Party::Caller => self.media.caller_nat,
            Party::Leg(i) => self.forks[i].behind_nat,
        };
        (self.media_tag(party), self.dialog(party).dest.addr.ip(), nat)
    }

    /// The `media_mode` of the extension or trunk a number belongs to (`auto` otherwise).
    fn mode_of(&self, number: &str, trunk: Option<&str>) -> MediaMode {
        let snapshot = self.env.snapshot.get();
        if let Some(name) = trunk {
            return snapshot.trunks.values().find(|t| t.trunk.name == name).map_or(MediaMode::Auto, |t| t.trunk.media_mode);
        }
        snapshot.extension_by_number(number).map_or(MediaMode::Auto, |e| e.extension.media_mode)
    }

    /// Runs the policy once, with the callees about to be tried; later callees (a
    /// forwarding, a transfer) follow the call's choice.
    pub(super) fn decide_media(&mut self, callees: &[PartyMedia]) {
        if self.media.decided {
            return;
        }
        self.media.decided = true;
        if !self.media_relay().is_available() {
            if self.media_relay().is_enabled() {
                tracing::warn!(call = %self.id, "the media relay is not answering: this call uses direct media");
            }
            return;
        }
        let caller_trunk = self.inbound_trunk.clone();
        let caller = PartyMedia { behind_nat: self.media.caller_nat, ..self.callee_media(&self.caller, false, caller_trunk.as_deref()) };
        let mut all = vec![caller];
        all.extend_from_slice(callees);
        self.media.relayed = policy::relay(&all);
        tracing::debug!(call = %self.id, relayed = self.media.relayed, "media policy");
    }

    /// What a party (a callee about to be tried, or the caller) looks like to the policy.
    pub(super) fn callee_media(&self, number: &str, behind_nat: bool, trunk: Option<&str>) -> PartyMedia {
        PartyMedia {
            mode: self.mode_of(number, trunk),
            behind_nat,
            trunk: trunk.is_some(),
            records_always: self.recording_of(number, trunk) == crate::model::media_mode::RecordingMode::Always,
        }
    }

    /// `from`'s offer on its way to `to` (`None`: new callee legs, not created yet).
    pub(super) async fn media_offer(&self, from: Party, to: Option<Party>, body: Option<Body>) -> Option<Body> {
        if !self.media.relayed {
            return body;
        }
        let (tag, source, behind_nat) = self.side(from);
        let to_tag = to.map(|p| self.media_tag(p));
        self.media_relay().offer_or_unchanged(&self.id, &Side { tag: &tag, source, behind_nat }, to_tag.as_deref(), body).await
    }

    /// `answerer`'s answer to `offerer`'s offer, on its way to `offerer`.
    pub(super) async fn media_answer(&self, offerer: Party, answerer: Party, body: Option<Body>) -> Option<Body> {
        if !self.media.relayed {
            return body;
        }
        let offerer_tag = self.media_tag(offerer);
        let (tag, source, behind_nat) = self.side(answerer);
        self.media_relay().answer_or_unchanged(&self.id, &offerer_tag, &Side { tag: &tag, source, behind_nat }, body).await
    }

    /// Callplane answers the caller itself (a voicemail box): the call is relayed from
    /// here on, the caller's offer goes to the relay, and the relay's description for the
    /// other side comes back (`None`: no relay, or it failed).
    pub(super) async fn relay_caller_to_callplane(&mut self) -> Option<Body> {
        if !self.env.media.is_available() {
            return None;
        }
        self.media.decided = true;
        self.media.relayed = true;
        let (content_type, sdp) = self.offer.clone()?;
        let (tag, source, behind_nat) = self.side(Party::Caller);
        match self.media_relay().offer(&self.id, &Side { tag: &tag, source, behind_nat }, None, &sdp).await {
            Ok(relayed) => Some((content_type, relayed)),
            Err(e) => {
                tracing::warn!(call = %self.id, error = %e, "the media relay did not take the caller's offer");
                None
            }
        }
    }

    /// Callplane's own answer (`sdp`, from `source`, tagged `tag`) to the caller's offer,
    /// rewritten by the relay for the caller.
    pub(super) async fn relay_answer_from_callplane(&self, tag: &str, source: IpAddr, sdp: &[u8]) -> Option<Vec<u8>> {
        let caller = self.media_tag(Party::Caller);
        match self.media_relay().answer(&self.id, &caller, &Side { tag, source, behind_nat: false }, sdp).await {
            Ok(relayed) => Some(relayed),
            Err(e) => {
                tracing::warn!(call = %self.id, error = %e, "the media relay did not take Callplane's answer");
                None
            }
        }
    }

    /// Plays `file` once to the caller; how long it lasts (ms), when the relay says.
    pub(super) async fn play_to_caller(&self, file: &std::path::Path) -> Option<u64> {
        let caller = self.media_tag(Party::Caller);
        match self.media_relay().play_file(&self.id, &caller, file).await {
            Ok(ms) => ms,
            Err(e) => {
                tracing::warn!(call = %self.id, error = %e, "the media relay did not play the prompt");
                None
            }
        }
    }

    /// A callee's session description (18x or 2xx) on its way to the caller: the answer to
    /// the offer its INVITE carried, or (INVITE without SDP) its own offer.
    pub(super) async fn early_media(&self, leg: usize, body: Option<Body>) -> Option<Body> {
        if self.offer.is_some() {
            self.media_answer(self.offerer, Party::Leg(leg), body).await
        } else {
            self.media_offer(Party::Leg(leg), Some(Party::Caller), body).await
        }
    }

    /// The answer to an INVITE with Replaces whose sender (tagged `new_tag` in our dialog
    /// with it) takes a party's place opposite `stays`: through the relay, its offer is
    /// registered towards `stays` and `stays`' session rewritten for it.
    pub(super) async fn takeover_answer(&self, invite: &Message, new_tag: &str, source: IpAddr, stays: Party) -> Option<Body> {
        let answer = self.sdp_of(stays);
        if !self.media.relayed {
            // RFC 3264 section 6: shaped as the answer to the newcomer's offer.
            let shaped = answer.as_ref().and_then(|(c, stays_sdp)| crate::sip::sdp_answer::answer_from(&invite.body, stays_sdp).map(|b| (c.clone(), b)));
            return shaped.or(answer);
        }
        let (content_type, stays_sdp) = answer?;
        let behind_nat = sender_behind_nat(invite, source);
        let side = Side { tag: new_tag, source, behind_nat };
        let stays_tag = self.media_tag(stays);
        let relayed = async {
            self.media_relay().offer(&self.id, &side, Some(&stays_tag), &invite.body).await?;
            let (tag, source, behind_nat) = self.side(stays);
            self.media_relay().answer(&self.id, new_tag, &Side { tag: &tag, source, behind_nat }, &stays_sdp).await
        };
        match relayed.await {
            Ok(sdp) => Some((content_type, sdp)),
            Err(e) => {
                tracing::warn!(call = %self.id, error = %e, "media relay failed: the session passes unchanged (direct media)");
                Some((content_type, stays_sdp))
            }
        }
    }

    /// How the answer to a relayed in-dialog offer from `from` to `to` is rewritten on its
    /// way back (handed to the relay task of `legs::relay_to`).
    pub(super) fn answer_rewrite(&self, from: Party, to: Party) -> Option<crate::sip::b2bua::legs::AnswerRewrite> {
        if !self.media.relayed {
            return None;
        }
        let (tag, source, behind_nat) = self.side(to);
        Some(crate::sip::b2bua::legs::AnswerRewrite {
            relay: self.env.media.clone(),
            session: self.id.clone(),
            offerer_tag: self.media_tag(from),
            answerer_tag: tag,
            source,
            behind_nat,
        })
    }

    /// An offer from `from` to `to` (re-INVITE or UPDATE): one that puts `to` on hold starts
    /// the music on hold for it (relayed calls), one that does not ends it; `call.held` and
    /// `call.resumed` say so.
    pub(super) async fn hold_or_resume(&mut self, from: Party, to: Party, offer: &[u8]) {
        let tag = self.media_tag(to);
        let holds = crate::media::sdp::puts_on_hold(offer);
        let was_held = self.media.held.contains(&tag);
        if holds == was_held {
            return;
        }
        let music = self.media.relayed;
        let holder = self.media_tag(from);
        if holds {
            self.media.held.push(tag.clone());
            if music {
                let relay = self.media_relay();
                if let Err(e) = relay.play_music(&self.id, &tag).await {
                    tracing::warn!(call = %self.id, error = %e, "cannot play the music on hold");
                } else if let Err(e) = relay.block_media_from(&self.id, &holder, true).await {
                    tracing::warn!(call = %self.id, error = %e, "cannot keep the holder's audio from the music");
                }
            }
        } else {
            self.media.held.retain(|t| *t != tag);
            if music {
                let relay = self.media_relay();
                if let Err(e) = relay.block_media_from(&self.id, &holder, false).await {
                    tracing::warn!(call = %self.id, error = %e, "cannot let the holder's audio through again");
                }
                if let Err(e) = relay.stop_music(&self.id, &tag).await {
                    tracing::warn!(call = %self.id, error = %e, "cannot stop the music on hold");
                }
            }
        }
        let data = crate::events::types::CallHoldData { call: self.parties(), party: self.number_of(to), by: self.number_of(from), music };
        self.publish(if holds { crate::events::EventPayload::CallHeld(data) } else { crate::events::EventPayload::CallResumed(data) });
    }

    /// Music on hold for the parked party (relayed calls whose party is not held already);
    /// returns whether it was started.
    pub(super) async fn park_music(&mut self, keep: Party, on: bool) -> bool {
        if !self.media.relayed {
            return false;
        }
        let tag = self.media_tag(keep);
        if on && self.media.held.contains(&tag) {
            return false;
        }
        let relay = self.media_relay();
        let result = if on { relay.play_music(&self.id, &tag).await } else { relay.stop_music(&self.id, &tag).await };
        if let Err(e) = &result {
            tracing::warn!(call = %self.id, error = %e, "music for the parked party");
        }
        result.is_ok()
    }

    /// A keypress the relay saw from the party tagged `tag`: published as `call.dtmf`.
    pub(super) fn relay_dtmf(&self, tag: &str, digit: char, duration_ms: u32) {
        let party = if self.a.remote_tag.as_deref() == Some(tag) {
            Some(Party::Caller)
        } else {
            self.forks.iter().position(|f| f.dialog.local_tag == tag).map(Party::Leg)
        };
        if let Some(party) = party {
            self.publish_dtmf(party, digit, Some(duration_ms), crate::events::types::DtmfVia::Rtp);
        }
    }

    /// A keypress sent as SIP INFO by `from` (it is relayed on as well).
    pub(super) fn info_dtmf(&self, from: Party, msg: &Message) {
        let content_type = msg.header("Content-Type").unwrap_or_default();
        if let Some((digit, duration_ms)) = crate::sip::wire::dtmf_info::parse(content_type, &msg.body) {
            self.publish_dtmf(from, digit, duration_ms, crate::events::types::DtmfVia::Info);
        }
    }

    fn publish_dtmf(&self, party: Party, digit: char, duration_ms: Option<u32>, via: crate::events::types::DtmfVia) {
        self.publish(crate::events::EventPayload::CallDtmf(crate::events::types::CallDtmfData {
            call: self.parties(),
            party: self.number_of(party),
            digit: digit.to_string(),
            duration_ms,
            via,
        }));
    }

    /// The `recording` setting of a party: its extension's, or its trunk's.
    fn recording_mode(&self, party: Party) -> crate::model::media_mode::RecordingMode {
        let number = self.number_of(party);
        let trunk = match party {
            Party::Caller => self.inbound_trunk.clone(),
            // A callee that is no extension was reached through the call's outbound trunk.
            Party::Leg(_) => self.trunk.clone(),
        };
        self.recording_of(&number, trunk.as_deref())
    }

    /// The `recording` setting of extension `number`, or else of the trunk named `trunk`.
    fn recording_of(&self, number: &str, trunk: Option<&str>) -> crate::model::media_mode::RecordingMode {
        let snapshot = self.env.snapshot.get();
        if let Some(e) = snapshot.extension_by_number(number) {
            return e.extension.recording;
        }
        trunk
            .and_then(|name| snapshot.trunks.values().find(|t| t.trunk.name == name).map(|t| t.trunk.recording))
            .unwrap_or(crate::model::media_mode::RecordingMode::OnDemand)
    }

    /// Starts or stops recording the pair talking now.
    pub(super) async fn record(&mut self, start: bool, pair: (Party, Party)) -> crate::sip::b2bua::event::RecordAnswer {
        use crate::model::media_mode::RecordingMode;
        use crate::sip::b2bua::event::RecordAnswer;
        if !self.media.relayed || self.media_relay().recordings.is_none() {
            return RecordAnswer::NotRelayed;
        }
        if start && [pair.0, pair.1].iter().any(|p| self.recording_mode(*p) == RecordingMode::Never) {
            return RecordAnswer::Refused;
        }
        if self.media.recording == start {
            return RecordAnswer::Done;
        }
        match self.media_relay().record(&self.id, start).await {
            Ok(()) => {
                self.media.recording = start;
                self.media.recorded |= start;
                tracing::info!(call = %self.id, start, "recording");
                RecordAnswer::Done
            }
            Err(e) => {
                tracing::warn!(call = %self.id, error = %e, "the relay did not record");
                RecordAnswer::Failed
            }
        }
    }

    /// A party whose `recording` is `always` has the call recorded from its answer on.
    pub(super) async fn record_if_always(&mut self, answered: Party) {
        use crate::model::media_mode::RecordingMode;
        let pair = (Party::Caller, answered);
        let modes = [self.recording_mode(pair.0), self.recording_mode(pair.1)];
        if modes.contains(&RecordingMode::Always) && !modes.contains(&RecordingMode::Never) && self.media.relayed {
            self.record(true, pair).await;
        }
    }

    /// After the relay's session is deleted (its pcaps are complete): the call's recordings
    /// are made, announced with `recording.ready`, and retention applied.
    pub(super) fn collect_recordings(&self) {
        let Some(recordings) = self.media_relay().recordings.clone() else { return };
        if !self.media.recorded {
            return;
        }
        let (id, bus) = (self.id.clone(), self.env.bus.clone());
        tokio::task::spawn_blocking(move || {
            match recordings.collect(&id) {
                Ok(done) => {
                    for r in done {
                        bus.publish(crate::events::EventPayload::RecordingReady(crate::events::types::RecordingReadyData {
                            recording_id: r.id,
                            call_id: r.call_id,
                            duration_s: r.duration_s,
                            download: r.download,
                        }));
                    }
                }
                Err(e) => tracing::error!(call = %id, error = %e, "cannot make the call's recording"),
            }
            recordings.apply_retention();
        });
    }

    /// The relay's session ends with the call.
    pub(super) async fn media_end(&self) {
        if self.media.relayed {
            if let Err(e) = self.media_relay().delete(&self.id).await {
                tracing::warn!(call = %self.id, error = %e, "could not delete the media relay session");
            }
        }
    }
}

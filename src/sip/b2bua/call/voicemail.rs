//! A call that reaches a voicemail box: Callplane answers the caller itself, through the
//! media relay (which plays the greeting and tone and sends the caller's audio to a sink
//! of Callplane's), records until the caller hangs up, stays silent, or the box's maximum
//! length, and leaves the message in the box (`crate::voicemail`).

use std::sync::atomic::Ordering;
use std::time::Duration;

use chrono::Utc;

use super::voicemail_access::Input;
use super::super::routing::RingEnd;
use super::{Call, Party};
use crate::media::sink::Sink;
use crate::model::cdr::{Ending, HangupReason, HangupSide};
use crate::sip::b2bua::CallState;

/// The relay's tag for Callplane's side of a voicemail call.
const VOICEMAIL_TAG: &str = "callplane-voicemail";
/// Silence that ends a message.
const SILENCE_ENDS_MS: u64 = 5000;
/// How often the recording's length and silence are looked at.
const CHECK: Duration = Duration::from_millis(200);

/// Why the relay could not be paired with Callplane's end.
pub(super) enum Pairing {
    RelayFailed,
    NoCommonCodec,
}

impl Call {
    /// Callplane answers the caller itself (voicemail `what`): through the relay, towards a
    /// sink of its own, which it returns; the caller has its 200.
    pub(super) async fn answer_as_callplane(&mut self, what: &str) -> Result<Sink, RingEnd> {
        if let Some(sink) = self.own_sink.take() {
            // Callplane answered already (an IVR menu): the relay is paired with its end
            // again (a choice that rang meanwhile took the caller's session elsewhere).
            if self.pair_relay_with(&sink).await.is_err() {
                self.own_sink = Some(sink);
                return Err(RingEnd::Failed(500, "Server Internal Error (the media relay failed)".into()));
            }
            self.answered_by_callplane = Some(what.to_owned());
            return Ok(sink);
        }
        // A party that stays in a transfer already has a session: not supported yet.
        if self.connected {
            return Err(RingEnd::Failed(480, "Temporarily Unavailable (voicemail after a transfer)".into()));
        }
        if self.offer.is_none() {
            return Err(RingEnd::Failed(488, "Not Acceptable Here (voicemail needs the caller's offer)".into()));
        }
        if !self.env.media.is_available() {
            return Err(RingEnd::Failed(480, "Temporarily Unavailable (voicemail needs the media relay)".into()));
        }
        let sink = Sink::bind(self.a.local.ip()).await.map_err(|e| {
            tracing::warn!(call = %self.id, error = %e, "no socket for the voicemail's media");
            RingEnd::Failed(500, "Server Internal Error (voicemail)".into())
        })?;
        let (content_type, for_caller) = match self.pair_relay_with(&sink).await {
            Ok(pair) => pair,
            Err(Pairing::NoCommonCodec) => return Err(RingEnd::Failed(488, "Not Acceptable Here (voicemail takes G.711 only)".into())),
            Err(Pairing::RelayFailed) => return Err(RingEnd::Failed(480, "Temporarily Unavailable (the media relay failed)".into())),
        };
        tracing::info!(call = %self.id, %what, "voicemail answers");
        self.stop_reliable_provisionals();
        self.answered_by_callplane = Some(what.to_owned());
        self.callplane_answer = Some((content_type.clone(), for_caller.clone()));
        self.answer_caller(Some((content_type, for_caller))).await;
        let now = Utc::now();
        self.answered = Some(now);
        self.set_view(|v| {
            v.state = CallState::Answered;
            v.answered_at.get_or_insert(now);
        });
        Ok(sink)
    }

    /// Pairs the caller's side of the relay with `sink` (the caller's offer, answered by
    /// the sink's G.711 session): when Callplane answers, and again after a menu's choice
    /// took the caller's session elsewhere. Returns the session for the caller, as the
    /// relay rewrote it.
    pub(super) async fn pair_relay_with(&mut self, sink: &Sink) -> Result<(String, Vec<u8>), Pairing> {
        self.offer = self.caller_sdp.clone();
        let (content_type, relay_sdp) = self.relay_caller_to_callplane().await.ok_or(Pairing::RelayFailed)?;
        let version = Utc::now().timestamp().unsigned_abs();
        let answer = crate::sip::sdp_answer::answer_from(&relay_sdp, &sink.description(version)).ok_or(Pairing::NoCommonCodec)?;
        let for_caller = self.relay_answer_from_callplane(VOICEMAIL_TAG, sink.addr().ip(), &answer).await.ok_or(Pairing::RelayFailed)?;
        Ok((content_type, for_caller))
    }

    /// The caller reaches the voicemail box of extension `owner`.
    pub(super) async fn voicemail(&mut self, owner: &str) -> RingEnd {
        let snapshot = self.env.snapshot.get();
        let Some(ext) = snapshot.extension_by_number(owner).cloned() else { return RingEnd::Failed(404, "Not Found".into()) };
        let Some(settings) = ext.extension.voicemail.clone().filter(|v| v.enabled) else {
            return RingEnd::Failed(480, "Temporarily Unavailable (no voicemail box)".into());
        };
        let Some(boxes) = self.env.voicemail.clone() else { return RingEnd::Failed(480, "Temporarily Unavailable (voicemail is not set up)".into()) };
        if boxes.is_full(&ext.extension.id).await {
            tracing::info!(call = %self.id, box_ = %owner, "the voicemail box is full");
            return RingEnd::Failed(480, "Temporarily Unavailable (voicemail box full)".into());
        }
        let sink = match self.answer_as_callplane(&format!("{}{owner}", super::super::routing::VOICEMAIL_TARGET)).await {
            Ok(sink) => sink,
            Err(end) => return end,
        };
        let greeting = self.play_to_caller(&boxes.greeting(&ext.extension.id)).await.unwrap_or(7000);
        let record_at = tokio::time::Instant::now() + Duration::from_millis(greeting);
        let give_up = record_at + Duration::from_secs(u64::from(settings.max_message_s));
        let mut recording = false;
        // `Ok`: the call ended on its own; `Err(why)`: Callplane ends it.
        let ended: Result<Ending, &str> = loop {
            match self.next_input(CHECK, false).await {
                Input::Gone(end) => break Ok(end),
                Input::Key(_) => {}
                Input::Idle => {
                    let now = tokio::time::Instant::now();
                    if !recording && now >= record_at {
                        sink.record();
                        recording = true;
                    }
                    if recording && sink.progress_ms().1 >= SILENCE_ENDS_MS {
                        break Err("the caller went silent");
                    }
                    if recording && now >= give_up {
                        break Err("the message reached its maximum length");
                    }
                    if self.ack_deadline.is_some_and(|d| now >= d) {
                        break Ok(Ending::new(200, "the caller never acknowledged the answer", HangupSide::Caller, HangupReason::AckTimeout));
                    }
                }
            }
        };
        self.a_acked.store(true, Ordering::Release);
        let ending = match ended {
            Ok(end) => end,
            Err(why) => {
                self.send_bye(Party::Caller).await;
                Ending::new(200, format!("message left for {owner} ({why})"), HangupSide::None, HangupReason::HungUp)
            }
        };
        let samples = if recording { sink.take() } else { Vec::new() };
        drop(sink);
        if let Err(e) = boxes.deposit(&ext.extension.id, owner, &self.caller, &self.id, &samples, settings.email.as_deref()).await {
            tracing::error!(call = %self.id, box_ = %owner, error = %e, "the voicemail message could not be stored");
        }
        RingEnd::Handled(ending)
    }
}

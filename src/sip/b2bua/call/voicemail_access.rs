//! Listening to a voicemail box from a phone (the voicemail feature code, `*97`): Callplane
//! answers, asks for the box's PIN by keypress (RFC 4733 events the relay reports), then
//! plays the messages: 1 the next one (which is then heard), 2 the same one again, 3
//! deletes the one just played, # hangs up. Three wrong PINs end the call and count as one authentication
//! failure of the caller's address (fail-to-ban).

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::super::event::CallEvent;
use super::super::routing::RingEnd;
use super::{Call, Party};
use crate::model::cdr::{Ending, HangupReason, HangupSide};
use crate::model::voicemail::{VoicemailMessage, pin_matches};
use crate::sip::wire::Method;
use crate::media::prompts::Prompt;

/// Wrong PINs before the call ends.
const PIN_TRIES: u32 = 3;
/// Without a keypress this long, the call ends.
const IDLE: Duration = Duration::from_secs(30);
/// Digits of a PIN, at most (then it is checked without waiting for #).
const MAX_PIN: usize = 10;

/// What the caller did next.
pub(super) enum Input {
    Key(char),
    Idle,
    Gone(Ending),
}

impl Call {
    /// The caller (an extension) listens to its own box.
    pub(super) async fn voicemail_access(&mut self, owner: &str) -> RingEnd {
        let snapshot = self.env.snapshot.get();
        let Some(ext) = snapshot.extension_by_number(owner).cloned() else { return RingEnd::Failed(404, "Not Found".into()) };
        let Some(pin_hash) = ext.extension.voicemail.as_ref().filter(|v| v.enabled).and_then(|v| v.pin_hash.clone()) else {
            return RingEnd::Failed(403, "Forbidden (no voicemail box with a PIN)".into());
        };
        let Some(boxes) = self.env.voicemail.clone() else { return RingEnd::Failed(503, "Service Unavailable (voicemail is not set up)".into()) };
        let _sink = match self.answer_as_callplane(&format!("{}{owner}", super::super::routing::LISTEN_TARGET)).await {
            Ok(sink) => sink,
            Err(end) => return end,
        };
        // The PIN: digits until #, up to three tries.
        let mut tries = 0;
        let mut digits = String::new();
        self.prompt(&boxes.prompt(Prompt::Pin)).await;
        loop {
            let key = match self.next_key().await {
                Input::Gone(end) => return RingEnd::Handled(end),
                Input::Idle => return self.goodbye(&boxes, "no PIN entered").await,
                Input::Key(k) => k,
            };
            match key {
                // The longest PIN is checked without waiting for #.
                d if d.is_ascii_digit() => {
                    digits.push(d);
                    if digits.len() < MAX_PIN {
                        continue;
                    }
                }
                '#' => {}
                _ => continue,
            }
            if pin_matches(&pin_hash, &digits) {
                break;
            }
            tries += 1;
            digits.clear();
            tracing::info!(call = %self.id, box_ = %owner, tries, "wrong voicemail PIN");
            if tries >= PIN_TRIES {
                let origin = self.env.security.origin(&self.invite, self.a.dest.addr.ip());
                let failures = self.env.security.auth_failed(origin);
                tracing::warn!(call = %self.id, box_ = %owner, source = %origin, failures, "three wrong voicemail PINs: counted as an authentication failure");
                return self.goodbye(&boxes, "three wrong PINs").await;
            }
            self.prompt(&boxes.prompt(Prompt::WrongPin)).await;
            self.prompt(&boxes.prompt(Prompt::Pin)).await;
        }
        // The messages, new ones first.
        let mut queue: std::collections::VecDeque<VoicemailMessage> = boxes.messages_to_hear(&ext.extension.id).await.unwrap_or_default().into();
        let mut current: Option<VoicemailMessage> = None;
        self.prompt(&boxes.prompt(Prompt::Menu)).await;
        loop {
            match self.next_key().await {
                Input::Gone(end) => return RingEnd::Handled(end),
                Input::Idle | Input::Key('#') => return self.goodbye(&boxes, "listened").await,
                Input::Key('1') => match queue.pop_front() {
                    Some(m) => {
                        self.prompt(&boxes.audio_path(&m.extension_id, &m.id)).await;
                        if !m.heard {
                            if let Err(e) = boxes.set_heard(&m.extension_id, &m.number, &m.id, true).await {
                                tracing::warn!(call = %self.id, error = %e, "a played message could not be marked heard");
                            }
                        }
                        current = Some(m);
                    }
                    None => self.prompt(&boxes.prompt(Prompt::NoMore)).await,
                },
                Input::Key('2') => match &current {
                    Some(m) => self.prompt(&boxes.audio_path(&m.extension_id, &m.id)).await,
                    None => self.prompt(&boxes.prompt(Prompt::Menu)).await,
                },
                Input::Key('3') => {
                    if let Some(m) = current.take() {
                        match boxes.delete(&m.extension_id, &m.number, &m.id).await {
                            Ok(_) => self.prompt(&boxes.prompt(Prompt::Deleted)).await,
                            Err(e) => tracing::warn!(call = %self.id, error = %e, "a message could not be deleted"),
                        }
                    }
                }
                Input::Key(_) => self.prompt(&boxes.prompt(Prompt::Menu)).await,
            }
        }
    }

    /// Plays `file` to the caller (what played before stops).
    async fn prompt(&self, file: &std::path::Path) {
        let _ = self.play_to_caller(file).await;
    }

    /// "Goodbye", then BYE once it played.
    async fn goodbye(&mut self, boxes: &crate::voicemail::Voicemail, why: &str) -> RingEnd {
        let ms = self.play_to_caller(&boxes.prompt(Prompt::Goodbye)).await.unwrap_or(1000);
        // The goodbye is heard out unless the caller hangs up first.
        let until = tokio::time::Instant::now() + Duration::from_millis(ms);
        loop {
            match tokio::time::timeout_at(until, self.next_key()).await {
                Ok(Input::Gone(end)) => return RingEnd::Handled(end),
                Ok(_) => continue,
                Err(_) => break,
            }
        }
        self.a_acked.store(true, Ordering::Release);
        self.send_bye(Party::Caller).await;
        RingEnd::Handled(Ending::new(200, format!("voicemail: {why}"), HangupSide::None, HangupReason::HungUp))
    }

    /// Waits for the caller's next keypress, answering what else comes meanwhile.
    async fn next_key(&mut self) -> Input {
        self.next_input(IDLE, false).await
    }

    /// The caller's next keypress, `Idle` after `wait` without one, or how the call ended;
    /// everything else that comes meanwhile is answered here (nobody to relay it to).
    /// Keys are published as `call.dtmf` only when `publish` (a menu's choices; never a PIN).
    pub(super) async fn next_input(&mut self, wait: Duration, publish: bool) -> Input {
        let idle = tokio::time::Instant::now() + wait;
        loop {
            let event = tokio::select! {
                e = self.rx.recv() => e,
                _ = tokio::time::sleep_until(idle) => return Input::Idle,
            };
            let Some(event) = event else { return Input::Gone(Ending::new(200, "call task ended", HangupSide::None, HangupReason::HungUp)) };
            // Keypresses, refreshes and the like: nobody to relay them to.
            match event {
                CallEvent::Dtmf { tag, digit, duration_ms } if Some(tag.as_str()) == self.a.remote_tag.as_deref() => {
                    if publish {
                        self.relay_dtmf(&tag, digit, duration_ms);
                    }
                    return Input::Key(digit);
                }
                CallEvent::Dtmf { .. } => {}
                CallEvent::AckFromA { .. } => {
                    self.a_acked.store(true, Ordering::Release);
                    self.ack_deadline = None;
                }
                CallEvent::FromA { msg, responder } if msg.method() == Some(&Method::Bye) => {
                    let _ = responder.respond(200, "OK", &[], None).await;
                    return Input::Gone(Ending::new(200, "the caller hung up in voicemail", HangupSide::Caller, HangupReason::HungUp));
                }
                // A keypress as SIP INFO (phones that do not send RFC 4733 events).
                CallEvent::FromA { msg, responder } if msg.method() == Some(&Method::Info) && crate::sip::wire::dtmf_info::parse(msg.header("Content-Type").unwrap_or_default(), &msg.body).is_some() => {
                    let _ = responder.respond(200, "OK", &[], None).await;
                    if let Some((digit, _)) = crate::sip::wire::dtmf_info::parse(msg.header("Content-Type").unwrap_or_default(), &msg.body) {
                        if publish {
                            self.info_dtmf(Party::Caller, &msg);
                        }
                        return Input::Key(digit);
                    }
                }
                CallEvent::FromA { msg, responder } => {
                    let (code, reason) = if msg.body.is_empty() { (200, "OK") } else { (488, "Not Acceptable Here") };
                    let _ = responder.respond(code, reason, &[], None).await;
                }
                CallEvent::FromB { responder, .. } => {
                    let _ = responder.respond(481, "Call/Transaction Does Not Exist", &[], None).await;
                }
                CallEvent::Hangup => {
                    self.send_bye(Party::Caller).await;
                    return Input::Gone(self.hung_up_by_us(""));
                }
                CallEvent::ConnectionLost(source) if self.uses_stream(Party::Caller, source) => {
                    return Input::Gone(Ending::new(200, "the caller's connection closed", HangupSide::Caller, HangupReason::ConnectionLost));
                }
                CallEvent::MediaLost => {
                    self.send_bye(Party::Caller).await;
                    return Input::Gone(Ending::new(200, "the media relay stopped answering", HangupSide::None, HangupReason::MediaLost));
                }
                CallEvent::Pickup(request) | CallEvent::Retrieve(request) => {
                    let _ = request.responder.respond(481, "Call/Transaction Does Not Exist (in voicemail)", &[], None).await;
                }
                CallEvent::Replace { responder, .. } => {
                    let _ = responder.respond(481, "Call/Transaction Does Not Exist (in voicemail)", &[], None).await;
                }
                CallEvent::Record { reply, .. } => {
                    let _ = reply.send(crate::sip::b2bua::event::RecordAnswer::Refused);
                }
                CallEvent::Adopt { reply, .. } => {
                    let _ = reply.send(false);
                }
                CallEvent::Fork { leg, outcome } => self.late_answer(leg, outcome),
                CallEvent::Cancel | CallEvent::Transfer { .. } | CallEvent::Refreshed { .. } | CallEvent::ConnectionLost(_) => {}
            }
        }
    }
}

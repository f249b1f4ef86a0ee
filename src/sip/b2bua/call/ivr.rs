//! A call that reaches an IVR menu: Callplane answers the caller itself through the media
//! relay, plays the menu's prompt, and takes the key the caller presses (RFC 4733 events
//! the relay reports, or SIP INFO). The choice rings like any call while the caller hears
//! a ringback tone; when it answers, the caller is offered its session by re-INVITE (as a
//! transfer's party that stays). A choice that fails brings the caller back to the menu.

use std::sync::Arc;
use std::time::Duration;

use super::super::menu::{self, AfterMiss, MenuStep};
use super::super::routing::RingEnd;
use super::voicemail_access::Input;
use super::{Call, Party};
use crate::events::types::ForwardReason;
use crate::lua::Decision;
use crate::media::prompts::Prompt;
use crate::model::cdr::{Ending, HangupReason, HangupSide};
use crate::model::ivr_menu::IvrMenu;
use crate::model::ResourceKind;

/// Choices one call may make in menus before Callplane says goodbye (a caller, or a
/// script, going round in circles).
const MAX_CHOICES: u32 = 20;

/// How `choose` ended.
enum Chosen {
    /// The call leaves the menu this way.
    Leave(RingEnd),
    /// Back to the menu (the choice failed; the caller heard why).
    Back,
}

impl Call {
    /// The caller reaches menu `first` (and maybe, from there, other menus).
    pub(super) async fn ivr(&mut self, first: Arc<IvrMenu>) -> RingEnd {
        let Some(prompts) = self.env.menus.clone() else { return RingEnd::Failed(480, "Temporarily Unavailable (IVR menus are not set up)".into()) };
        let what = format!("ivr:{}", first.number);
        match self.answer_as_callplane(&what).await {
            Ok(sink) => self.own_sink = Some(sink),
            Err(end) => return end,
        }
        let mut menu = first;
        let mut misses = 0u32;
        let mut choices = 0u32;
        loop {
            let played = self.play_to_caller(&prompts.menu_prompt(&menu.id)).await.unwrap_or(3000);
            let wait = Duration::from_millis(played) + Duration::from_secs(u64::from(menu.timeout_s));
            let step = match self.next_input(wait, true).await {
                Input::Gone(end) => return RingEnd::Handled(end),
                Input::Key(key) => menu::on_key(&menu, key).ok_or(true),
                Input::Idle => Err(false),
            };
            let step = match step {
                Ok(step) => step,
                Err(invalid) => {
                    misses += 1;
                    tracing::info!(call = %self.id, menu = %menu.number, misses, invalid, "no choice in the menu");
                    match menu::after_miss(&menu, misses) {
                        AfterMiss::Again => {
                            if invalid {
                                if let Err(end) = self.hear_out(&prompts.shipped(Prompt::IvrInvalid)).await {
                                    return RingEnd::Handled(end);
                                }
                            }
                            continue;
                        }
                        AfterMiss::Fallback(step) => step,
                        AfterMiss::Goodbye => return self.menu_goodbye("no choice made").await,
                    }
                }
            };
            misses = 0;
            choices += 1;
            if choices > MAX_CHOICES {
                return self.menu_goodbye("too many choices").await;
            }
            let target = match step {
                MenuStep::Repeat => continue,
                MenuStep::Hangup => return self.menu_goodbye("the caller chose to hang up").await,
                MenuStep::Go(target) => target,
                MenuStep::Service(id) => {
                    let snapshot = self.env.snapshot.get();
                    let dialed = menu.number.to_string();
                    match self.ask_service(&snapshot, &id, &dialed).await {
                        Some(Decision::Route(n)) => n,
                        Some(Decision::Reject(code, reason)) => return self.menu_goodbye(&format!("the Lua service refused ({code} {reason})")).await,
                        Some(Decision::Continue) | None => {
                            if let Err(end) = self.hear_out(&prompts.shipped(Prompt::IvrUnavailable)).await {
                                return RingEnd::Handled(end);
                            }
                            continue;
                        }
                    }
                }
            };
            let from = format!("ivr:{}", menu.number);
            self.forwarded(&from, &target, ForwardReason::Menu).await;
            // Another menu: the caller stays with Callplane.
            let snapshot = self.env.snapshot.get();
            if let Some(next) = snapshot.numbers.get(&target).filter(|o| o.kind == ResourceKind::IvrMenu).and_then(|o| snapshot.ivr_menus.get(&o.id)) {
                if next.enabled {
                    menu = next.clone();
                    continue;
                }
            }
            match self.choose(target, &prompts).await {
                Chosen::Leave(end) => return end,
                Chosen::Back => {}
            }
        }
    }

    /// Rings `target` for the caller waiting in a menu; the caller hears ringback.
    async fn choose(&mut self, target: String, prompts: &crate::ivr::MenuPrompts) -> Chosen {
        let caller = self.media_tag(Party::Caller);
        let end = if let Some(owner) = super::super::routing::voicemail_box(&target) {
            // A full box, or one that is not there, fails like a choice that rings.
            self.voicemail(owner).await
        } else {
            // The caller is the party that stays while the choice rings, as in a transfer.
            self.offer = self.caller_sdp.clone();
            self.offerer = Party::Caller;
            self.presented = self.caller.clone();
            self.transfer_keep = Some(Party::Caller);
            self.interrupted = None;
            if let Err(e) = self.media_relay().play_file_looped(&self.id, &caller, &prompts.ringback()).await {
                tracing::warn!(call = %self.id, error = %e, "no ringback for the caller");
            }
            let end = Box::pin(self.ring(target.clone())).await;
            self.transfer_keep = None;
            end
        };
        match end {
            RingEnd::Answered(leg) => {
                let _ = self.media_relay().stop_music(&self.id, &caller).await;
                let (offer, seen) = (self.sdp_of(Party::Leg(leg)), self.callplane_answer.clone());
                if let Err(end) = self.offer_session(Party::Caller, Party::Leg(leg), offer, seen).await {
                    return Chosen::Leave(RingEnd::Handled(end));
                }
                // The relay no longer sends the caller's audio to Callplane.
                self.own_sink = None;
                self.answered_by_callplane = None;
                self.store_live((Party::Caller, Party::Leg(leg))).await;
                Chosen::Leave(RingEnd::Answered(leg))
            }
            RingEnd::Handled(end) => Chosen::Leave(RingEnd::Handled(end)),
            RingEnd::Cancelled => Chosen::Leave(RingEnd::Handled(match self.interrupted.take() {
                Some(end) => end,
                None => {
                    self.send_bye(Party::Caller).await;
                    Ending::new(200, "hung up through the API while a menu's choice rang", HangupSide::Api, HangupReason::Api)
                }
            })),
            RingEnd::Failed(code, reason) => {
                tracing::info!(call = %self.id, %target, code, %reason, "the menu's choice failed: back to the menu");
                if let Some(sink) = self.own_sink.take() {
                    // The choice's ringing offered the caller's session elsewhere.
                    let _ = self.pair_relay_with(&sink).await;
                    self.own_sink = Some(sink);
                }
                match self.hear_out(&prompts.shipped(Prompt::IvrUnavailable)).await {
                    Ok(()) => Chosen::Back,
                    Err(end) => Chosen::Leave(RingEnd::Handled(end)),
                }
            }
        }
    }

    /// Plays `file` to the caller and waits until it has played (keys pressed meanwhile
    /// are ignored); `Err` when the call ended meanwhile.
    async fn hear_out(&mut self, file: &std::path::Path) -> Result<(), Ending> {
        let ms = self.play_to_caller(file).await.unwrap_or(1500);
        let until = tokio::time::Instant::now() + Duration::from_millis(ms);
        loop {
            let left = until.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            match self.next_input(left, false).await {
                Input::Gone(end) => return Err(end),
                Input::Idle => return Ok(()),
                Input::Key(_) => {}
            }
        }
    }

    /// "Goodbye", then BYE.
    async fn menu_goodbye(&mut self, why: &str) -> RingEnd {
        let goodbye = self.env.menus.as_ref().map(|p| p.shipped(Prompt::Goodbye));
        if let Some(file) = goodbye {
            if let Err(end) = self.hear_out(&file).await {
                return RingEnd::Handled(end);
            }
        }
        self.a_acked.store(true, std::sync::atomic::Ordering::Release);
        self.send_bye(Party::Caller).await;
        RingEnd::Handled(Ending::new(200, format!("IVR: {why}"), HangupSide::None, HangupReason::HungUp))
    }
}

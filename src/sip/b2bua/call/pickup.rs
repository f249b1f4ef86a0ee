//! Call pickup: another extension answers a call that rings elsewhere. The picker's INVITE
//! (to a pickup code, or with `Replaces` naming the ringing device's early dialog, RFC 3891
//! section 3) becomes the answering leg; every device still ringing gets CANCEL; the
//! caller gets its 2xx as if the picker had answered where it rang.

use super::{Call, ForkState};
use crate::events::EventPayload;
use crate::events::types::{CallAnsweredData, CallPickedUpData};
use crate::sip::b2bua::event::{PickupRequest, PickupTarget};
use crate::sip::b2bua::{CallState, LegRole, LegView};
use crate::sip::dialog::request as outbound;
use crate::sip::sdp_answer::answer_from;

impl Call {
    /// The legs among `legs` still ringing that `target` names.
    fn picked_legs(&self, legs: &[usize], target: &PickupTarget) -> Vec<usize> {
        legs.iter()
            .copied()
            .filter(|l| matches!(self.forks[*l].state, ForkState::Trying | ForkState::Ringing))
            .filter(|l| match target {
                PickupTarget::Dialog(call_id) => self.forks[*l].dialog.call_id == *call_id,
                PickupTarget::Numbers(numbers) => numbers.contains(&self.forks[*l].number),
                PickupTarget::Slot(_) => false,
            })
            .collect()
    }

    /// Answers the caller with the picker, or refuses the picker (the call rings on).
    /// Returns the picker's leg when the call was picked up.
    pub(super) async fn pickup(&mut self, legs: &[usize], request: PickupRequest) -> Option<usize> {
        let PickupRequest { target, via, invite, responder, source } = request;
        let refuse = |code: u16, reason: &'static str| {
            let responder = responder.clone();
            async move {
                let _ = responder.respond(code, reason, &[], None).await;
            }
        };
        let picked = self.picked_legs(legs, &target);
        let Some(&first) = picked.first() else {
            refuse(481, "Call/Transaction Does Not Exist (no longer ringing)").await;
            return None;
        };
        if self.connected {
            refuse(481, "Call/Transaction Does Not Exist (a transfer's ringing cannot be picked up)").await;
            return None;
        }
        let picker = invite.from.uri.number().unwrap_or_default();
        if picker == self.caller {
            refuse(403, "Forbidden (the caller cannot pick up its own call)").await;
            return None;
        }
        // Both the caller and the picker offered a session: each gets the other's, shaped
        // as the answer to its own offer (RFC 3264 section 6).
        let (Some((content_type, offer)), Some((_, leg_offer))) = (outbound::body_of(&invite), self.leg_offer.clone()) else {
            refuse(488, "Not Acceptable Here (a pickup needs a session offer)").await;
            return None;
        };
        let (Some(to_picker), Some(for_caller)) = (answer_from(&offer, &leg_offer), answer_from(&leg_offer, &offer)) else {
            refuse(488, "Not Acceptable Here (no codec in common with the caller)").await;
            return None;
        };
        let ringing = self.forks[first].number.clone();
        tracing::info!(call = %self.id, %picker, %ringing, ?via, "call picked up");
        self.cancel_all(None);
        self.stop_reliable_provisionals();
        let fork = self.join_by_invite(&invite, &responder, source, Some((content_type.clone(), to_picker))).await;
        self.forks.push(fork);
        let leg = self.forks.len() - 1;
        self.involve(picker.clone());
        // Through the relay, the picker's session is registered as the callee's answer.
        let body = self.early_media(leg, Some((content_type, for_caller))).await;
        self.answer_caller(body).await;
        let now = chrono::Utc::now();
        self.answered.get_or_insert(now);
        self.store_live((super::Party::Caller, super::Party::Leg(leg))).await;
        self.set_view(|v| {
            v.state = CallState::Answered;
            v.answered_at.get_or_insert(now);
            v.legs.retain(|l| l.role != LegRole::Callee);
            v.legs.push(LegView { role: LegRole::Callee, number: picker.clone(), state: CallState::Answered, contact: source.addr.to_string() });
        });
        self.publish(EventPayload::CallPickedUp(CallPickedUpData { call: self.parties(), picked_up_by: picker.clone(), ringing, via }));
        self.publish(EventPayload::CallAnswered(CallAnsweredData { call: self.parties(), callee: picker }));
        self.record_if_always(super::Party::Leg(leg)).await;
        Some(leg)
    }
}

//! An INVITE from an extension to a feature code (`/api/v1/feature-codes`): pickup goes to
//! the ringing call, park slots to the parked call; do-not-disturb and forwarding change
//! the extension and are confirmed by a session that answers and hangs up saying what was
//! done. What cannot be done is refused with a reason phrase that says why.

use std::sync::Arc;

use chrono::Utc;

use crate::events::types::PickupVia;
use crate::model::extension::{Extension, ExtensionPatch};
use crate::model::feature_codes::Feature;
use crate::model::Resource;
use crate::model::values::Number;
use crate::sip::b2bua::confirm::confirm;
use crate::sip::b2bua::event::{CallEvent, PickupRequest, PickupTarget};
use crate::sip::core::SipCore;
use crate::sip::endpoint::responder::{Reply, Responder};
use crate::sip::transport::Source;
use crate::sip::wire::Message;
use crate::snapshot::ExtensionEntry;

pub fn handle(core: &Arc<SipCore>, msg: &Arc<Message>, source: Source, responder: &Responder, ext: &ExtensionEntry, feature: Feature) -> Option<Reply> {
    let me = ext.extension.number.as_str().to_owned();
    tracing::info!(extension = %me, ?feature, "feature code dialled");
    match feature {
        Feature::GroupPickup => {
            let Some(group) = ext.extension.pickup_group.clone() else {
                return Some(Reply::new(403, "Forbidden (this extension is in no pickup group)"));
            };
            let snapshot = core.snapshot.get();
            let numbers: Vec<String> = snapshot
                .extensions
                .values()
                .filter(|e| e.extension.pickup_group.as_deref() == Some(group.as_str()) && e.extension.number.as_str() != me)
                .map(|e| e.extension.number.as_str().to_owned())
                .collect();
            pickup(core, msg, source, responder, numbers, PickupVia::GroupCode)
        }
        Feature::DirectedPickup(number) if number == me => Some(Reply::new(403, "Forbidden (an extension cannot pick up its own calls)")),
        Feature::DirectedPickup(number) => pickup(core, msg, source, responder, vec![number], PickupVia::DirectedCode),
        Feature::DndOn => change(core, msg, source, responder, ext, "do-not-disturb on", ExtensionPatch { do_not_disturb: Some(true), ..ExtensionPatch::default() }),
        Feature::DndOff => change(core, msg, source, responder, ext, "do-not-disturb off", ExtensionPatch { do_not_disturb: Some(false), ..ExtensionPatch::default() }),
        Feature::ForwardOn(target) => {
            let Ok(number) = target.parse::<Number>() else { return Some(Reply::new(484, "Address Incomplete (forward to which number?)")) };
            if number.as_str() == me {
                return Some(Reply::new(403, "Forbidden (an extension cannot forward to itself)"));
            }
            let mut forwarding = ext.extension.forwarding.clone();
            forwarding.unconditional = Some(number.into());
            let text = format!("all calls forwarded to {target}");
            change(core, msg, source, responder, ext, &text, ExtensionPatch { forwarding: Some(forwarding), ..ExtensionPatch::default() })
        }
        Feature::ForwardOff => {
            let mut forwarding = ext.extension.forwarding.clone();
            forwarding.unconditional = None;
            change(core, msg, source, responder, ext, "forwarding off", ExtensionPatch { forwarding: Some(forwarding), ..ExtensionPatch::default() })
        }
        Feature::Voicemail => {
            let dialled = msg.request_uri().and_then(|u| u.number()).unwrap_or_default();
            let target = format!("{}{me}", crate::sip::b2bua::routing::LISTEN_TARGET);
            crate::sip::b2bua::call::Call::start_to(core.b2bua.clone(), msg.clone(), responder.clone(), source, me, dialled, target);
            None
        }
        Feature::VoicemailDeposit(number) => {
            let dialled = msg.request_uri().and_then(|u| u.number()).unwrap_or_default();
            let target = format!("{}{number}", crate::sip::b2bua::routing::VOICEMAIL_TARGET);
            crate::sip::b2bua::call::Call::start_to(core.b2bua.clone(), msg.clone(), responder.clone(), source, me, dialled, target);
            None
        }
        Feature::Park => Some(Reply::new(403, "Forbidden (transfer a call to the park number to park it)")),
        Feature::Retrieve(slot) => match core.b2bua.calls.parked(&slot) {
            Some(handle) => {
                let request = PickupRequest { target: PickupTarget::Slot(slot), via: PickupVia::DirectedCode, invite: msg.clone(), responder: responder.clone(), source };
                if handle.events.send(CallEvent::Retrieve(Box::new(request))).is_err() {
                    return Some(Reply::new(480, "Temporarily Unavailable (nothing parked there)"));
                }
                None
            }
            None => Some(Reply::new(480, "Temporarily Unavailable (nothing parked there)")),
        },
    }
}

/// Hands the INVITE to the oldest call ringing one of `numbers`.
fn pickup(core: &Arc<SipCore>, msg: &Arc<Message>, source: Source, responder: &Responder, numbers: Vec<String>, via: PickupVia) -> Option<Reply> {
    let Some(call) = core.b2bua.calls.ringing_for(&numbers) else {
        return Some(Reply::new(480, "Temporarily Unavailable (no call to pick up)"));
    };
    let request = PickupRequest { target: PickupTarget::Numbers(numbers), via, invite: msg.clone(), responder: responder.clone(), source };
    if call.events.send(CallEvent::Pickup(Box::new(request))).is_err() {
        return Some(Reply::new(480, "Temporarily Unavailable (no call to pick up)"));
    }
    None
}

/// Changes the calling extension, then confirms by answering and hanging up.
fn change(core: &Arc<SipCore>, msg: &Arc<Message>, source: Source, responder: &Responder, ext: &ExtensionEntry, text: &str, patch: ExtensionPatch) -> Option<Reply> {
    let (core, msg, responder, id, number, text) = (core.clone(), msg.clone(), responder.clone(), ext.extension.id.clone(), ext.extension.number.as_str().to_owned(), text.to_owned());
    tokio::spawn(async move {
        match core.provisioner.modify::<Extension>(&id, |old| old.patch(Utc::now(), patch)).await {
            Ok(_) => confirm(&core.b2bua, msg, responder, source, number, text),
            Err(e) => {
                tracing::warn!(extension = %number, error = %e, "a feature code's change failed");
                responder.respond(500, "Server Internal Error (the change was not stored)", &[], None).await;
            }
        }
    });
    None
}

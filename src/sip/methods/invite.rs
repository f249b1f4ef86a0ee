//! INVITE outside a dialog: authenticate the caller (407 digest or IP address), resolve the
//! dialled number through the dial plan, and start a call for internal numbers.

use std::sync::Arc;

use crate::dialplan::{self, Resolution};
use crate::sip::b2bua::call::Call;
use crate::sip::core::SipCore;
use crate::sip::endpoint::responder::{Reply, Responder};
use crate::sip::methods::authenticate::{Challenger, Outcome, authenticate};
use crate::sip::transport::Source;
use crate::sip::wire::Message;

pub fn handle(core: &Arc<SipCore>, msg: &Arc<Message>, source: Source, responder: &Responder) -> Option<Reply> {
    let snapshot = core.snapshot.get();
    // A request whose From is one of our extensions is a phone's, even from a trunk's
    // address (phones and a peer PBX may share one): it must authenticate as that extension.
    let from_extension = msg.from.uri.number().is_some_and(|n| snapshot.extension_by_number(&n).is_some());
    if !from_extension {
        if let Some((trunk, called)) = crate::sip::trunk::inbound::match_trunk(&snapshot, msg, source.addr.ip()) {
            return from_trunk(core, msg, source, responder, &trunk, called);
        }
    }
    let caller = msg.from.uri.number().unwrap_or_default();
    let ext = match authenticate(core, msg, source, &caller, Challenger::Proxy) {
        Outcome::Reply(reply) => return Some(reply),
        Outcome::Extension(e) => e,
    };
    if let Some(reply) = session_interval_too_small(core, msg) {
        return Some(reply);
    }
    if let Some(replaces) = msg.header("Replaces") {
        return replace(core, msg, source, responder, replaces);
    }
    // Feature codes (pickup, park slots, do-not-disturb, forwarding) before the dial plan.
    let dialled = msg.request_uri().and_then(|u| u.number()).map(|n| crate::sip::wire::uri::unescape(&n).unwrap_or(n));
    if let Some(feature) = dialled.and_then(|d| snapshot.feature_codes.classify(&d)) {
        return super::feature_code::handle(core, msg, source, responder, &ext, feature);
    }
    if ext.extension.max_calls.is_some_and(|m| core.b2bua.calls.active(&caller) >= m as usize) {
        return Some(Reply::new(403, "Forbidden (too many concurrent calls)"));
    }
    let Some(number) = msg.request_uri().and_then(|u| u.number()) else {
        return Some(Reply::new(404, "Not Found"));
    };
    match dialplan::resolve(&core.snapshot.get(), &number) {
        Resolution::NoMatch => Some(Reply::new(404, "Not Found")),
        Resolution::Internal { .. } => {
            Call::start(core.b2bua.clone(), msg.clone(), responder.clone(), source, caller, number);
            None
        }
        Resolution::Route { .. } => {
            // The call resolves the routes itself (internal targets, trunks with failover).
            Call::start(core.b2bua.clone(), msg.clone(), responder.clone(), source, caller, number);
            None
        }
    }
}

/// A call from a carrier or a peer PBX: no digest; the called number goes through the dial
/// plan, else to the trunk's inbound destination.
fn from_trunk(
    core: &Arc<SipCore>,
    msg: &Arc<Message>,
    source: Source,
    responder: &Responder,
    trunk: &crate::snapshot::TrunkEntry,
    called: Result<String, crate::sip::trunk::inbound::InboundRefusal>,
) -> Option<Reply> {
    let Ok(called) = called else {
        return Some(Reply::new(416, "Unsupported URI Scheme").with("Warning", "399 callplane \"tel URIs are not accepted on this trunk\""));
    };
    if let Some(reply) = session_interval_too_small(core, msg) {
        return Some(reply);
    }
    let caller = msg.from.uri.number().unwrap_or_default();
    let target = match dialplan::resolve(&core.snapshot.get(), &called) {
        Resolution::NoMatch => match &trunk.trunk.inbound_destination {
            Some(dest) => dest.to_string(),
            None => return Some(Reply::new(404, "Not Found")),
        },
        _ => called.clone(),
    };
    let key = crate::sip::trunk::call_key(&trunk.trunk.name);
    if trunk.trunk.max_calls.is_some_and(|m| core.b2bua.calls.active(&key) >= m as usize) {
        tracing::info!(trunk = %trunk.trunk.name, "inbound call refused: the trunk is at its call limit");
        return Some(Reply::new(503, "Service Unavailable (the trunk is at its call limit)"));
    }
    tracing::info!(trunk = %trunk.trunk.name, %caller, %called, %target, "inbound call from a trunk");
    Call::start_from_trunk(core.b2bua.clone(), msg.clone(), responder.clone(), source, caller, called, target, trunk.trunk.name.clone());
    None
}

/// RFC 4028 section 9: a Session-Expires below our Min-SE gets 422 with our Min-SE.
fn session_interval_too_small(core: &SipCore, msg: &Message) -> Option<Reply> {
    use crate::sip::dialog::session_timer::{UasDecision, uas_negotiate};
    match uas_negotiate(msg, core.settings.session_expires_s, core.settings.min_se_s) {
        UasDecision::TooSmall { min_se } => Some(Reply::new(422, "Session Interval Too Small").with("Min-SE", min_se.to_string())),
        UasDecision::Timer(_) => None,
    }
}

/// RFC 3891: an INVITE with Replaces joins the call holding the named dialog in place of
/// that dialog's party; 481 when no live call holds it.
fn replace(core: &Arc<SipCore>, msg: &Arc<Message>, source: Source, responder: &Responder, replaces: &str) -> Option<Reply> {
    let (call_id, tags) = crate::sip::dialog::replaces::parse(replaces);
    let tag_refs: Vec<&str> = tags.iter().map(String::as_str).collect();
    let Some((_, handle)) = core.b2bua.calls.find_dialog(&call_id, &tag_refs) else {
        return Some(Reply::new(481, "Call/Transaction Does Not Exist"));
    };
    // RFC 3891 section 3: `early-only` refuses to replace a confirmed dialog.
    let answered = handle.view.read().is_ok_and(|v| v.state == crate::sip::b2bua::CallState::Answered);
    if answered && crate::sip::dialog::replaces::early_only(replaces) {
        return Some(Reply::new(486, "Busy Here (the dialog is no longer early)"));
    }
    let event = crate::sip::b2bua::event::CallEvent::Replace { replaces: call_id, invite: msg.clone(), responder: Box::new(responder.clone()), source };
    if handle.events.send(event).is_err() {
        return Some(Reply::new(481, "Call/Transaction Does Not Exist"));
    }
    None
}

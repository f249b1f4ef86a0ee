//! A feature code that did what it says is confirmed by a session of its own: Callplane
//! answers the phone's INVITE (without media), waits for the ACK, and hangs up with a
//! `Reason` that says what happened (RFC 3326). The phone sees the call answered and ended.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use chrono::Utc;
use tokio::sync::mpsc;

use super::env::CallEnv;
use super::event::CallEvent;
use super::{CallHandle, CallState, CallView, Calls, LegRole, LegView};
use crate::sip::dialog::Dialog;
use crate::sip::dialog::request as outbound;
use crate::sip::endpoint::ids::new_branch;
use crate::sip::endpoint::responder::Responder;
use crate::sip::transaction::client::Outgoing;
use crate::sip::transaction::key::TxKey;
use crate::sip::transport::{Proto, Source};
use crate::sip::wire::{Message, Method};

/// Answers `invite`, then ends the session saying `text` (e.g. "do-not-disturb on").
pub fn confirm(env: &Arc<CallEnv>, invite: Arc<Message>, responder: Responder, source: Source, caller: String, text: String) {
    let id = uuid::Uuid::now_v7().to_string();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let dialed = invite.request_uri().and_then(|u| u.number()).unwrap_or_default();
    let view = Arc::new(std::sync::RwLock::new(CallView {
        id: id.clone(),
        node: None,
        caller: caller.clone(),
        dialed,
        state: CallState::Answered,
        started_at: Utc::now(),
        answered_at: Some(Utc::now()),
        legs: vec![LegView { role: LegRole::Caller, number: caller, state: CallState::Answered, contact: source.addr.to_string() }],
    }));
    let handle = Arc::new(CallHandle { events: tx, view, transferable: false, caller_ack: None });
    env.calls.register(&id, handle, Calls::a_key(&invite.call_id, invite.from.tag().unwrap_or_default()), TxKey::of(&invite));
    let env = env.clone();
    tokio::spawn(async move {
        let local = env.endpoint.local_addr_on(source.addr.ip(), source.proto);
        let mut dialog = Dialog::uas(&invite, responder.to_tag(), source, local);
        let offer = outbound::body_of(&invite);
        let sdp = crate::sip::sdp_answer::no_media(offer.as_ref().map(|(_, b)| b.as_slice()), local.ip(), Utc::now().timestamp().unsigned_abs());
        let warning = format!("399 callplane \"{}\"", text.replace('"', "'"));
        let headers = [("Contact", outbound::contact(local, source.proto)), ("Warning", warning)];
        responder.respond(200, "OK", &headers, Some(("application/sdp", sdp.as_slice()))).await;
        let acked = Arc::new(AtomicBool::new(false));
        if source.proto == Proto::Udp {
            if let Some((bytes, dest)) = responder.last_final() {
                crate::sip::transaction::retransmit::until_acknowledged(env.endpoint.transports.clone(), dest, bytes, acked.clone());
            }
        }
        // RFC 3261 section 15: no BYE before the ACK (or 64*T1 without one).
        let deadline = tokio::time::Instant::now() + crate::sip::consts::TIMER_64T1;
        let mut hung_up = false;
        loop {
            let event = tokio::select! {
                e = rx.recv() => e,
                _ = tokio::time::sleep_until(deadline) => None,
            };
            match event {
                Some(CallEvent::AckFromA { .. }) => break,
                Some(CallEvent::FromA { msg, responder }) if msg.method() == Some(&Method::Bye) => {
                    let _ = responder.respond(200, "OK", &[], None).await;
                    hung_up = true;
                    break;
                }
                Some(CallEvent::FromA { responder, .. } | CallEvent::FromB { responder, .. }) => {
                    let _ = responder.respond(481, "Call/Transaction Does Not Exist", &[], None).await;
                }
                Some(CallEvent::Pickup(request)) => {
                    let _ = request.responder.respond(481, "Call/Transaction Does Not Exist", &[], None).await;
                }
                Some(CallEvent::Replace { responder, .. }) => {
                    let _ = responder.respond(481, "Call/Transaction Does Not Exist", &[], None).await;
                }
                Some(_) => {}
                None => break,
            }
        }
        acked.store(true, std::sync::atomic::Ordering::Release);
        if !hung_up {
            // RFC 3326: the Reason header says why the session ends.
            let reason = format!("SIP;cause=200;text=\"{}\"", text.replace('"', "'"));
            dialog.cseq += 1;
            let branch = new_branch();
            let bytes = outbound::request(&dialog, &Method::Bye, dialog.cseq, &branch, &[("Reason", reason)], None);
            let mut answers = env.endpoint.client.start(env.endpoint.transports.clone(), Outgoing { bytes, branch, method: Method::Bye, target: dialog.dest, ack_for: None });
            while answers.recv().await.is_some() {}
        }
        env.calls.remove(&id);
    });
}

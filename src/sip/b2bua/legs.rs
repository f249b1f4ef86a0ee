//! Starting and cancelling the INVITE of a leg Callplane places (shared by calls and
//! click-to-call).

use std::sync::Arc;

use tokio::sync::mpsc;

use super::event::CallEvent;
use crate::sip::dialog::Dialog;
use crate::sip::dialog::request as outbound;
use super::env::CallEnv;
use crate::sip::transaction::client::{Outcome, Outgoing};
use crate::sip::wire::{Message, Method};

/// Sends the INVITE of `dialog` (switching it to TCP when too large for UDP) and forwards
/// every outcome to the call as `CallEvent::Fork { leg }`. A 2xx that arrives after the
/// call ended is ACKed and ended. Returns the INVITE's branch.
pub fn invite(
    env: &Arc<CallEnv>,
    call_id: &str,
    dialog: &mut Dialog,
    body: Option<&(String, Vec<u8>)>,
    events: mpsc::UnboundedSender<CallEvent>,
    leg: usize,
) -> String {
    invite_with(env, call_id, dialog, body, &[("Supported", "100rel".to_owned())], 1, events, leg)
}

/// Like `invite`, with the extra headers and CSeq given (trunk identity, credentials).
#[allow(clippy::too_many_arguments)]
pub fn invite_with(
    env: &Arc<CallEnv>,
    call_id: &str,
    dialog: &mut Dialog,
    body: Option<&(String, Vec<u8>)>,
    extra: &[(&'static str, String)],
    cseq: u32,
    events: mpsc::UnboundedSender<CallEvent>,
    leg: usize,
) -> String {
    let branch = crate::sip::endpoint::ids::new_branch();
    let mut headers: Vec<(&str, String)> = vec![("Allow", crate::sip::consts::ALLOW.to_owned())];
    headers.extend(extra.iter().map(|(n, v)| (*n, v.clone())));
    let bytes = outbound::build_sized(dialog, |d| {
        outbound::request(d, &Method::Invite, cseq, &branch, &headers, body.map(|(ct, b)| (ct.as_str(), b.as_slice())))
    });
    let target = dialog.dest;
    let ack_dialog = dialog.clone();
    let ack_branch = branch.clone();
    let ack_for: Box<dyn Fn(&Message) -> Vec<u8> + Send + Sync> =
        Box::new(move |resp| outbound::ack_for_error(&ack_dialog, cseq, &ack_branch, resp));
    let mut outcomes = env.endpoint.client.start(
        env.endpoint.transports.clone(),
        Outgoing { bytes, branch: branch.clone(), method: Method::Invite, target, ack_for: Some(ack_for) },
    );
    env.calls.add_b_leg(call_id, &dialog.call_id);
    let env = env.clone();
    tokio::spawn(async move {
        while let Some(outcome) = outcomes.recv().await {
            if let Err(mpsc::error::SendError(CallEvent::Fork { outcome: Outcome::Response(r), .. })) =
                events.send(CallEvent::Fork { leg, outcome })
            {
                if is_2xx(&r) {
                    super::stray_answer(&env, &r, target);
                }
            }
        }
    });
    branch
}

/// CANCEL of a leg's INVITE (RFC 3261 section 9.1: same branch, Request-URI, Route and
/// CSeq number as the INVITE it cancels, so every proxy on the path can match it).
pub fn cancel(env: &Arc<CallEnv>, dialog: &Dialog, branch: &str, invite_cseq: u32) {
    let mut d = dialog.clone();
    d.remote_tag = None;
    let bytes = outbound::request(&d, &Method::Cancel, invite_cseq, branch, &[], None);
    let mut rx = env.endpoint.client.start(
        env.endpoint.transports.clone(),
        Outgoing { bytes, branch: branch.to_owned(), method: Method::Cancel, target: d.dest, ack_for: None },
    );
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
}

/// A request in the dialog of `d` (its CSeq already advanced); the outcomes are drained.
pub fn send_in_dialog(
    env: &Arc<CallEnv>,
    d: &Dialog,
    method: Method,
    body: Option<(String, Vec<u8>)>,
    extra: &[(&str, String)],
) -> mpsc::UnboundedReceiver<Outcome> {
    let branch = crate::sip::endpoint::ids::new_branch();
    let mut sized = d.clone();
    let bytes = outbound::build_sized(&mut sized, |d| {
        outbound::request(d, &method, d.cseq, &branch, extra, body.as_ref().map(|(c, b)| (c.as_str(), b.as_slice())))
    });
    let target = sized.dest;
    env.endpoint.client.start(env.endpoint.transports.clone(), Outgoing { bytes, branch, method, target, ack_for: None })
}

/// How a relayed answer is rewritten by the media relay before it goes back (see
/// `call/media.rs`).
pub struct AnswerRewrite {
    pub relay: Arc<crate::media::MediaRelay>,
    pub session: String,
    pub offerer_tag: String,
    pub answerer_tag: String,
    pub source: std::net::IpAddr,
    pub behind_nat: bool,
}

impl AnswerRewrite {
    async fn apply(&self, body: Option<(String, Vec<u8>)>) -> Option<(String, Vec<u8>)> {
        let side = crate::media::Side { tag: &self.answerer_tag, source: self.source, behind_nat: self.behind_nat };
        self.relay.answer_or_unchanged(&self.session, &self.offerer_tag, &side, body).await
    }
}

/// Sends `method` (with `body`) on `d` (its CSeq already advanced) and answers `responder`
/// with the final response, its body included: the relay of an in-dialog request to the
/// other leg. A 2xx to a re-INVITE is ACKed on `d` (RFC 3261 section 13.2.2.4); a
/// timeout answers 408. `answer_headers` go on a 2xx only.
pub fn relay_to(
    env: &Arc<CallEnv>,
    d: Dialog,
    method: Method,
    body: Option<(String, Vec<u8>)>,
    request_headers: &[(&str, String)],
    answer_headers: Vec<(&'static str, String)>,
    responder: crate::sip::endpoint::responder::Responder,
    rewrite: Option<AnswerRewrite>,
) {
    let mut rx = send_in_dialog(env, &d, method.clone(), body, request_headers);
    let transports = env.endpoint.transports.clone();
    tokio::spawn(async move {
        while let Some(outcome) = rx.recv().await {
            match outcome {
                Outcome::Response(r) if r.status().unwrap_or(0) < 200 => {}
                Outcome::Response(r) => {
                    let code = r.status().unwrap_or(500);
                    if method == Method::Invite && (200..300).contains(&code) {
                        let ack = outbound::request(&d, &Method::Ack, d.cseq, &crate::sip::endpoint::ids::new_branch(), &[], None);
                        let _ = transports.send(d.dest, ack).await;
                    }
                    let reason = match &r.start {
                        crate::sip::wire::StartLine::Response { reason, .. } => reason.clone(),
                        _ => String::new(),
                    };
                    let mut body = outbound::body_of(&r);
                    if let (Some(rewrite), true) = (&rewrite, (200..300).contains(&code)) {
                        body = rewrite.apply(body).await;
                    }
                    let headers: &[(&str, String)] = if (200..300).contains(&code) { &answer_headers } else { &[] };
                    let _ = responder.respond(code, &reason, headers, body.as_ref().map(|(c, b)| (c.as_str(), b.as_slice()))).await;
                    break;
                }
                Outcome::Timeout => {
                    let _ = responder.respond(408, "Request Timeout", &[], None).await;
                    break;
                }
            }
        }
    });
}

/// BYE on a dialog, fire and forget.
pub fn bye(env: &Arc<CallEnv>, d: &mut Dialog) {
    d.cseq += 1;
    let mut rx = send_in_dialog(env, d, Method::Bye, None, &[]);
    tokio::spawn(async move { while rx.recv().await.is_some() {} });
}

pub fn is_2xx(r: &Message) -> bool {
    r.status().is_some_and(|c| (200..300).contains(&c))
}

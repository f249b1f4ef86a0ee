//! SUBSCRIBE (RFC 6665): a new subscription is authenticated like an INVITE (the subscriber
//! is the From extension) and watches the extension in the Request-URI; a SUBSCRIBE in its
//! dialog refreshes it, or ends it with `Expires: 0`.

use std::sync::Arc;

use crate::sip::core::SipCore;
use crate::sip::dialog::Dialog;
use crate::sip::endpoint::responder::{Reply, Responder};
use crate::sip::methods::authenticate::{Challenger, Outcome, authenticate};
use crate::sip::subscriptions::package::{self, ALLOW_EVENTS, Package};
use crate::sip::subscriptions::Subscription;
use crate::sip::transport::Source;
use crate::sip::wire::Message;

/// Answers now (`Some`) or after the subscription is set up (`None`: the 200 is sent, then
/// the first NOTIFY, in that order).
pub fn handle(core: &Arc<SipCore>, msg: &Arc<Message>, source: Source, responder: &Responder) -> Option<Reply> {
    let Some((package, event_id)) = msg.header("Event").and_then(package::parse_event) else {
        // RFC 6665 section 4.2.1.1: an unknown or missing package is refused with 489.
        return Some(Reply::new(489, "Bad Event").with("Allow-Events", ALLOW_EVENTS));
    };
    let expires = match package::granted_expires(msg.expires(), core.settings.min_expires.min(60), core.settings.max_expires) {
        Ok(e) => e,
        Err(min) => return Some(Reply::new(423, "Interval Too Brief").with("Min-Expires", min.to_string())),
    };
    let notifier = core.subscriptions.clone();
    if let Some(local_tag) = msg.to.tag() {
        // A refresh, or the end, of a subscription in its dialog.
        let remote_tag = msg.from.tag().unwrap_or_default();
        let Some(id) = notifier.find(&msg.call_id, local_tag, remote_tag, package, event_id.as_deref()) else {
            // Gone (expired, or Callplane restarted): the phone subscribes again.
            return Some(Reply::new(481, "Subscription Does Not Exist"));
        };
        let responder = responder.clone();
        tokio::spawn(async move {
            responder.respond(200, "OK", &[("Expires", expires.to_string())], None).await;
            notifier.refresh(&id, expires).await;
        });
        return None;
    }
    let subscriber = msg.from.uri.number().unwrap_or_default();
    let ext = match authenticate(core, msg, source, &subscriber, Challenger::Proxy) {
        Outcome::Extension(e) => e,
        Outcome::Reply(r) => return Some(r),
    };
    let Some(uri) = msg.request_uri() else { return Some(Reply::new(400, "Bad Request")) };
    let Some(resource) = uri.number() else { return Some(Reply::new(404, "Not Found")) };
    let snapshot = core.snapshot.get();
    // A park slot has a lamp too (dialog package): lit while a call is parked there.
    let slot = package == Package::Dialog && snapshot.feature_codes.is_park_slot(&resource);
    if snapshot.extension_by_number(&resource).is_none() && !slot {
        return Some(Reply::new(404, "Not Found"));
    }
    // RFC 3842 section 3.2: a mailbox is its owner's to watch.
    if package == Package::MessageSummary && resource != ext.extension.number.as_str() {
        return Some(Reply::new(403, "Forbidden (another extension's mailbox)"));
    }
    let local = core.endpoint.local_addr_on(source.addr.ip(), source.proto);
    let dialog = Dialog::uas(msg, responder.to_tag(), source, local);
    let host = uri.host.to_string();
    let sub = Subscription::new(uuid::Uuid::now_v7().to_string(), package, event_id, resource, host, subscriber, source, dialog, expires);
    let responder = responder.clone();
    tokio::spawn(async move {
        let contact = crate::sip::dialog::request::contact(local, source.proto);
        if expires == 0 {
            // A fetch: the state once, then the end (RFC 6665 section 4.4.3).
            responder.respond(200, "OK", &[("Expires", "0".into()), ("Contact", contact)], None).await;
            notifier.fetch(sub).await;
            return;
        }
        match notifier.check(&sub) {
            Err(_) => {
                responder.respond(403, "Forbidden (too many subscriptions)", &[], None).await;
            }
            Ok(()) => {
                responder.respond(200, "OK", &[("Expires", expires.to_string()), ("Contact", contact)], None).await;
                notifier.add(sub).await;
            }
        }
    });
    None
}

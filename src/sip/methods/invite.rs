//! INVITE: the caller is authenticated (407 digest or IP) and the dialled number resolved.
//! Until the B2BUA lands, a resolvable number answers 480.

use crate::dialplan::{self, Resolution};
use crate::sip::core::{Reply, SipCore};
use crate::sip::methods::authenticate::{Challenger, Outcome, authenticate};
use crate::sip::transport::Source;
use crate::sip::wire::Message;

pub fn handle(core: &SipCore, msg: &Message, source: Source) -> Reply {
    let caller = msg.from.uri.number().unwrap_or_default();
    if let Outcome::Reply(reply) = authenticate(core, msg, source, &caller, Challenger::Proxy) {
        return reply;
    }
    let Some(number) = msg.request_uri().and_then(|u| u.number()) else {
        return Reply::new(404, "Not Found");
    };
    match dialplan::resolve(&core.snapshot.get(), &number) {
        Resolution::NoMatch => Reply::new(404, "Not Found"),
        Resolution::Internal { .. } | Resolution::Route { .. } => Reply::new(480, "Temporarily Unavailable"),
    }
}

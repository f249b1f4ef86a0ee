//! OPTIONS (RFC 3261 section 11): what Callplane supports.

use crate::sip::consts::{ACCEPT, ALLOW, SUPPORTED};
use crate::sip::endpoint::responder::Reply;

pub fn handle() -> Reply {
    Reply::new(200, "OK")
        .with("Allow", ALLOW)
        .with("Supported", SUPPORTED)
        .with("Accept", ACCEPT)
        .with("Accept-Language", "en")
        .with("Allow-Events", crate::sip::subscriptions::package::ALLOW_EVENTS)
}

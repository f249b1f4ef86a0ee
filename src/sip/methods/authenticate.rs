//! Who sent a request: an extension by IP-address authentication or by digest.

use std::sync::Arc;

use crate::sip::auth::Verdict;
use crate::sip::core::SipCore;
use crate::sip::endpoint::responder::Reply;
use crate::sip::transport::Source;
use crate::sip::wire::Message;
use crate::sip::wire::digest::Credentials;
use crate::snapshot::ExtensionEntry;

/// Which challenge a request gets: 401 (registrar) or 407 (calls).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Challenger {
    Registrar,
    Proxy,
}

pub enum Outcome {
    Extension(Arc<ExtensionEntry>),
    Reply(Reply),
}

/// Authenticates the request as extension `user` (by its source address when the
/// extension lists it, else by digest). Unknown users are challenged exactly
/// like known ones, and their answers fail the same way, so the responses do not reveal
/// which extensions exist.
pub fn authenticate(core: &SipCore, msg: &Message, source: Source, user: &str, mode: Challenger) -> Outcome {
    let snapshot = core.snapshot.get();
    let ext = snapshot.extension_by_number(user).cloned();
    // Behind a trusted edge the phone's address is the one the edge names, never the
    // edge's own (which would let anyone through the edge in).
    let origin = core.security.origin(msg, source.addr.ip());
    if let Some(e) = &ext {
        if e.extension.ip_auth.iter().any(|net| net.contains(&origin)) {
            return enabled(e.clone());
        }
    }
    let (header, challenge_header, code, reason) = match mode {
        Challenger::Registrar => ("Authorization", "WWW-Authenticate", 401, "Unauthorized"),
        Challenger::Proxy => ("Proxy-Authorization", "Proxy-Authenticate", 407, "Proxy Authentication Required"),
    };
    let credentials = msg
        .header_all(header)
        .filter_map(|v| Credentials::parse(v).ok())
        .find(|c| c.realm == core.auth.realm());
    let challenge = |stale: bool| {
        let mut reply = Reply::new(code, reason);
        for c in core.auth.challenges(stale) {
            reply = reply.with(challenge_header, c);
        }
        Outcome::Reply(reply)
    };
    let Some(credentials) = credentials else { return challenge(false) };
    let password = ext.as_ref().and_then(|e| e.password.as_deref());
    let method = msg.method().map(|m| m.as_str().to_owned()).unwrap_or_default();
    match core.auth.verify(&credentials, &method, user, password) {
        Verdict::Authenticated => match ext {
            Some(e) => enabled(e),
            None => Outcome::Reply(Reply::new(403, "Forbidden")),
        },
        Verdict::Challenge => challenge(false),
        Verdict::Stale => challenge(true),
        Verdict::Failed => {
            let count = core.security.auth_failed(core.security.origin(msg, source.addr.ip()));
            tracing::warn!(source = %source.addr, user, failures = count, "authentication failed");
            Outcome::Reply(Reply::new(403, "Forbidden"))
        }
    }
}

fn enabled(e: Arc<ExtensionEntry>) -> Outcome {
    if e.extension.enabled {
        Outcome::Extension(e)
    } else {
        Outcome::Reply(Reply::new(403, "Forbidden (extension disabled)"))
    }
}

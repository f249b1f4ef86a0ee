//! REGISTER (RFC 3261 section 10.3).

use chrono::Utc;

use crate::sip::core::SipCore;
use crate::sip::endpoint::responder::Reply;
use crate::sip::methods::authenticate::{Challenger, Outcome, authenticate};
use crate::sip::registrar::table::{ContactRequest, RegisterContext, RegisterError};
use crate::sip::transport::Source;
use crate::sip::wire::Message;
use crate::sip::wire::header::unquote;
use crate::sip::wire::name_addr::NameAddr;

pub fn handle(core: &SipCore, msg: &Message, source: Source) -> Reply {
    let Some(aor) = msg.to.uri.number() else {
        return Reply::new(404, "Not Found");
    };
    if !core.is_local_domain(&msg.to.uri.host.to_string()) {
        return Reply::new(403, "Forbidden (not a domain of this PBX)");
    }
    let ext = match authenticate(core, msg, source, &aor, Challenger::Registrar) {
        Outcome::Extension(e) => e,
        Outcome::Reply(r) => return r,
    };
    let settings = &core.settings;
    let header_expires = msg.expires();
    let raw_contacts: Vec<&str> = msg.contacts().collect();
    let now = Utc::now();

    if raw_contacts.iter().any(|c| c.trim() == "*") {
        if raw_contacts.len() != 1 || header_expires != Some(0) {
            return Reply::new(400, "Bad Request (Contact: * needs Expires: 0 and no other contact)");
        }
        let removed = core.registrar.table.remove_all(&aor);
        core.registrar.record(removed);
        return answer(core, msg, &aor, now);
    }

    let mut contacts = Vec::with_capacity(raw_contacts.len());
    for raw in raw_contacts {
        let Ok(c) = NameAddr::parse(raw) else {
            return Reply::new(400, "Bad Request (invalid Contact)");
        };
        let asked = c
            .param("expires")
            .flatten()
            .and_then(|e| e.parse::<u64>().ok())
            .map(|e| e.min(u64::from(u32::MAX)) as u32)
            .or(header_expires)
            .unwrap_or(settings.default_expires);
        if asked != 0 && asked < settings.min_expires {
            return Reply::new(423, "Interval Too Brief").with("Min-Expires", settings.min_expires.to_string());
        }
        let expires = asked.min(settings.max_expires);
        let instance = c.param("+sip.instance").flatten().map(unquote);
        let mut uri = c.uri.clone();
        uri.params.retain(|(n, _)| n != "expires");
        contacts.push(ContactRequest { contact: uri.to_string(), instance, expires });
    }

    if !contacts.is_empty() {
        let ctx = RegisterContext {
            aor: aor.clone(),
            extension_id: ext.extension.id.clone(),
            max_contacts: ext.extension.max_contacts as usize,
            call_id: msg.call_id.clone(),
            cseq: msg.cseq.0,
            source: source.addr.to_string(),
            transport: source.proto.into(),
            user_agent: msg.header("User-Agent").map(str::to_owned),
            path: crate::sip::dialog::route::path_of(msg),
            node: Some(core.registrar.node.clone()),
        };
        match core.registrar.table.register(&ctx, &contacts, now) {
            Ok(changes) => core.registrar.record(changes),
            Err(RegisterError::OutOfOrder) => return Reply::new(500, "Server Internal Error (out-of-order REGISTER)"),
        }
    }

    answer(core, msg, &aor, now)
}

/// The 200 to a REGISTER of `aor` that was processed: RFC 3261 section 10.3 step 8 lists
/// every current binding with its remaining time. It is a function of the request and of
/// the bindings, so a retransmission gets it rendered again (`render_again`) instead of
/// the transaction keeping its bytes for 64*T1.
fn answer(core: &SipCore, msg: &Message, aor: &str, now: chrono::DateTime<Utc>) -> Reply {
    let mut reply = Reply::new(200, "OK").with("Date", http_date(now)).rendered_again();
    // RFC 3327 section 5.3: the stored Path is echoed when the UA supports it.
    let path = crate::sip::dialog::route::path_of(msg);
    if !path.is_empty() && supports(msg, "path") {
        reply = reply.with("Path", path.iter().map(|p| format!("<{p}>")).collect::<Vec<_>>().join(", "));
    }
    for b in core.registrar.table.lookup(aor, now) {
        reply = reply.with("Contact", format!("<{}>;expires={}", b.contact, b.expires_in(now)));
    }
    reply
}

/// The answer to a retransmission of a REGISTER that was answered `code` (RFC 3261
/// section 17.2.2: the request is not processed again): the 200 with the bindings as they
/// are now. `None` for any other code, which is kept as bytes and never rendered.
pub fn render_again(core: &SipCore, msg: &Message, code: u16) -> Option<Reply> {
    let aor = msg.to.uri.number()?;
    (code == 200).then(|| answer(core, msg, &aor, Utc::now()))
}

fn supports(msg: &Message, option: &str) -> bool {
    msg.header_all("Supported").flat_map(|v| v.split(',')).any(|t| t.trim().eq_ignore_ascii_case(option))
}

fn http_date(t: chrono::DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

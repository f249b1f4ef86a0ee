//! Recognising calls that arrive from a trunk (RFC 3261 gives no standard way; carriers
//! differ): by source address, by the contact user Callplane registered, or by To user.

use std::net::IpAddr;
use std::sync::Arc;

use crate::model::trunk::InboundMatch;
use crate::sip::wire::Message;
use crate::sip::wire::uri::Scheme;
use crate::snapshot::{Snapshot, TrunkEntry};

/// Why an inbound trunk call cannot be taken.
#[derive(Debug, PartialEq, Eq)]
pub enum InboundRefusal {
    /// A `tel:` URI on a trunk with `accept_tel_uri: false` (416).
    TelUriRefused,
}

/// The trunk `msg` came from and the number it calls, if it came from one.
pub fn match_trunk(snapshot: &Snapshot, msg: &Message, source: IpAddr) -> Option<(Arc<TrunkEntry>, Result<String, InboundRefusal>)> {
    let ruri = msg.request_uri()?;
    let mut trunks: Vec<&Arc<TrunkEntry>> = snapshot.trunks.values().filter(|t| t.trunk.enabled).collect();
    trunks.sort_by(|a, b| a.trunk.id.cmp(&b.trunk.id));
    for entry in trunks {
        let t = &entry.trunk;
        let matched = match &t.inbound_match {
            InboundMatch::Source(s) if s.cidrs.is_empty() => t.host.ip() == Some(source),
            InboundMatch::Source(s) => s.cidrs.iter().any(|net| net.contains(&source)),
            InboundMatch::Registration(_) => t.username.is_some() && ruri.user.as_deref() == t.username.as_deref(),
            InboundMatch::ToUser(u) => msg.to.uri.user.as_deref() == Some(u.user.as_str()),
        };
        if !matched {
            continue;
        }
        let uses_tel = ruri.scheme == Scheme::Tel || msg.to.uri.scheme == Scheme::Tel;
        if uses_tel && !t.quirks.accept_tel_uri {
            return Some((entry.clone(), Err(InboundRefusal::TelUriRefused)));
        }
        // A registered line is called at the contact we registered; the DID is in To.
        let number = match &t.inbound_match {
            InboundMatch::Registration(_) | InboundMatch::ToUser(_) => msg.to.uri.number(),
            InboundMatch::Source(_) => ruri.number(),
        };
        return Some((entry.clone(), Ok(number.unwrap_or_default())));
    }
    None
}

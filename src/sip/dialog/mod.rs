//! Dialogs (RFC 3261 section 12) from Callplane's side: the state every leg keeps (tags,
//! CSeq, remote target, route set) and how requests on it are built and routed. Used by
//! calls, click-to-call and trunk legs alike; knows nothing of calls.

pub mod replaces;
pub mod request;
pub mod route;
pub mod session_timer;

use std::net::SocketAddr;

use crate::model::binding::Binding;
use crate::sip::transport::{Proto, Source};
use crate::sip::wire::Message;
use crate::sip::wire::name_addr::NameAddr;
use crate::sip::wire::uri::{Host, Uri};

/// Dialog state of one leg, from Callplane's side. Serialisable: an answered call's
/// dialogs are stored, so its parties can be sent a BYE if the node dies.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Dialog {
    pub call_id: String,
    /// Our URI in From (the caller's identity on B legs).
    pub local_uri: String,
    pub local_display: Option<String>,
    pub local_tag: String,
    /// The peer's URI in To.
    pub remote_uri: String,
    pub remote_tag: Option<String>,
    /// Request-URI of requests on this leg: the peer's Contact (RFC 3261 section 12.1).
    pub remote_target: String,
    /// Route set (URIs), pre-loaded (Path, a trunk's outbound proxy) before the dialog
    /// exists and taken from Record-Route once it does (RFC 3261 section 12.1).
    pub route_set: Vec<String>,
    /// Where requests go: the first route, else the binding's source address (NAT-safe)
    /// or the remote target.
    pub dest: Source,
    /// Our address as the peer reaches it (Via and Contact).
    pub local: SocketAddr,
    pub cseq: u32,
    /// Max-Forwards of requests on this leg (the caller's minus one on callee legs).
    pub max_forwards: u8,
    /// Whether requests over 1300 bytes may move from UDP to TCP (the trunk quirk
    /// `force_tcp_for_large`; always for phones).
    pub tcp_for_large: bool,
    /// Whether requests follow the remote target's address when there is no route set
    /// (trunk legs: the first hop may be a proxy that does not stay in the path). Phone
    /// legs keep the address the phone registered from, which survives NAT.
    pub follow_contact: bool,
}

impl Dialog {
    /// The UAS side of a dialog created by `request` (RFC 3261 section 12.1.1): route set
    /// from its Record-Route in order, remote target from its Contact.
    pub fn uas(request: &Message, local_tag: &str, source: Source, local: SocketAddr) -> Dialog {
        let remote_target = first_contact(request).unwrap_or_else(|| request.from.uri.to_string());
        let mut d = Dialog {
            call_id: request.call_id.clone(),
            local_uri: request.to.uri.to_string(),
            local_display: None,
            local_tag: local_tag.to_owned(),
            remote_uri: request.from.uri.to_string(),
            remote_tag: request.from.tag().map(str::to_owned),
            remote_target,
            route_set: route::uas_route_set(request),
            dest: source,
            local,
            cseq: 0,
            max_forwards: 70,
            tcp_for_large: true,
            follow_contact: false,
        };
        d.aim();
        d
    }

    /// A new UAC dialog towards a registered device, before any answer: its Contact as the
    /// remote target, its Path as the pre-loaded route set (RFC 3327 section 5.4), requests
    /// sent to the address it registered from (which survives NAT). `local_of` gives our
    /// address towards that one. We appear as `local_user` (shown as `display`), the device
    /// as `number`. `None` when the binding has no usable source address.
    pub fn toward_device(b: &Binding, local_of: impl FnOnce(Source) -> SocketAddr, local_user: &str, display: Option<String>, number: &str) -> Option<Dialog> {
        let dest = Source { addr: b.source_addr()?, proto: b.transport.into() };
        let local = local_of(dest);
        let mut d = Dialog {
            call_id: crate::sip::endpoint::ids::new_call_id(),
            local_uri: format!("sip:{local_user}@{local}"),
            local_display: display,
            local_tag: crate::sip::endpoint::ids::new_tag(),
            remote_uri: format!("sip:{number}@{local}"),
            remote_tag: None,
            remote_target: b.contact.clone(),
            route_set: b.path.clone(),
            dest,
            local,
            cseq: 1,
            max_forwards: 70,
            tcp_for_large: true,
            follow_contact: false,
        };
        d.aim();
        Some(d)
    }

    /// The UAC side once a response with a To tag arrives (RFC 3261 section 12.1.2): the
    /// remote tag, the remote target from its Contact and the route set from its
    /// Record-Route, reversed. A 2xx fixes the route set; a 18x gives the early dialog's.
    pub fn establish(&mut self, response: &Message) {
        self.remote_tag = response.to.tag().map(str::to_owned);
        if let Some(target) = first_contact(response) {
            self.remote_target = target;
        }
        let set = route::uac_route_set(response);
        if !set.is_empty() || self.follow_contact {
            self.route_set = set;
        }
        self.aim();
    }

    /// A target refresh request or its 2xx (re-INVITE, UPDATE; RFC 3261 section 12.2)
    /// replaces the remote target; the route set stays.
    pub fn refresh_target(&mut self, msg: &Message) {
        if let Some(target) = first_contact(msg) {
            self.remote_target = target;
            self.aim();
        }
    }

    /// Points `dest` at the first hop: the first route, else (for legs that follow their
    /// Contact) the remote target. A host name is left for `resolve_dest`.
    pub fn aim(&mut self) {
        let hop = route::next_hop(&self.route_set, &self.remote_target);
        if self.route_set.is_empty() && !self.follow_contact {
            return;
        }
        if let Some(dest) = Uri::parse(&hop.first_hop).ok().and_then(|u| request::dest_of(&u, self.dest.proto)) {
            self.dest = dest;
        }
    }

    /// The first hop's host name when it is not an IP address (to resolve before sending),
    /// with the port and transport the URI gives (`None`: RFC 3263 lets DNS say).
    pub fn unresolved_first_hop(&self) -> Option<(String, Option<u16>, Option<Proto>)> {
        if self.route_set.is_empty() && !self.follow_contact {
            return None;
        }
        let hop = route::next_hop(&self.route_set, &self.remote_target);
        let uri = Uri::parse(&hop.first_hop).ok()?;
        let Host::Name(name) = &uri.host else { return None };
        let explicit = uri.param("transport").is_some() || uri.scheme_is_sips();
        let proto = explicit.then(|| request::proto_of(&uri, self.dest.proto));
        Some((name.clone(), uri.port, proto))
    }

    /// Resolves a first hop named by host (RFC 3263: NAPTR, SRV, A/AAAA) and points `dest`
    /// at the best server. Without an answer `dest` stays as it was.
    pub async fn resolve_dest(&mut self, locator: &crate::sip::locate::Locator) {
        let Some((name, port, proto)) = self.unresolved_first_hop() else { return };
        match locator.locate(&name, port, proto).await.targets.first() {
            Some(target) => self.dest = target.source(),
            None => tracing::warn!(host = %name, "cannot resolve a dialog's next hop"),
        }
    }
}

fn first_contact(msg: &Message) -> Option<String> {
    msg.contacts().next().filter(|c| NameAddr::parse(c).is_ok()).and_then(route::raw_uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Message {
        crate::sip::wire::parse(text.replace('\n', "\r\n").as_bytes(), true).expect("message")
    }

    fn src(addr: &str) -> Source {
        Source { addr: addr.parse().expect("addr"), proto: Proto::Udp }
    }

    const INVITE: &str = "INVITE sip:1002@10.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 10.0.0.9:5080;branch=z9hG4bK1
Record-Route: <sip:10.0.0.9:5080;lr>
Max-Forwards: 69
From: <sip:+4420@carrier>;tag=far
To: <sip:1002@pbx>
Call-ID: d1
CSeq: 1 INVITE
Contact: <sip:far@192.0.2.1:5999;alias=10.0.0.9~5070~1>
Content-Length: 0

";

    // RFC 3261 section 12.1.1 and 12.2.1.1: behind a record-routing proxy, requests of the
    // UAS go to the proxy, with the far end's Contact as Request-URI.
    #[test]
    fn uas_dialog_sends_through_the_record_route() {
        let d = Dialog::uas(&parse(INVITE), "ours", src("10.0.0.9:5080"), "10.0.0.1:5060".parse().expect("addr"));
        assert_eq!(d.route_set, vec!["sip:10.0.0.9:5080;lr"]);
        assert_eq!(d.remote_target, "sip:far@192.0.2.1:5999;alias=10.0.0.9~5070~1");
        assert_eq!(d.dest, src("10.0.0.9:5080"));
        assert_eq!(d.remote_tag.as_deref(), Some("far"));
    }

    // RFC 3261 section 12.1.2: a trunk leg's 2xx through an SBC puts the SBC first; the
    // far end's unreachable Contact is only the Request-URI.
    #[test]
    fn uac_dialog_follows_the_reversed_record_route() {
        let mut d = Dialog::uas(&parse(INVITE), "x", src("10.0.0.9:5080"), "10.0.0.1:5060".parse().expect("addr"));
        d.route_set = vec![];
        d.follow_contact = true;
        let ok = parse(
            "SIP/2.0 200 OK
Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1
Record-Route: <sip:10.0.0.9:5080;lr>, <sip:10.0.0.8;lr>
From: <sip:1001@pbx>;tag=x
To: <sip:far@carrier>;tag=t2
Call-ID: d1
CSeq: 1 INVITE
Contact: <sip:far@192.0.2.1:5999>
Content-Length: 0

",
        );
        d.establish(&ok);
        assert_eq!(d.route_set, vec!["sip:10.0.0.8;lr", "sip:10.0.0.9:5080;lr"]);
        assert_eq!(d.dest, src("10.0.0.8:5060"));
        assert_eq!(d.remote_target, "sip:far@192.0.2.1:5999");
    }

    // Phone legs without a route set keep the NAT-safe address they registered from.
    #[test]
    fn phone_leg_without_route_set_keeps_its_source() {
        let mut d = Dialog::uas(&parse(&INVITE.replace("Record-Route: <sip:10.0.0.9:5080;lr>\n", "")), "x", src("203.0.113.5:40000"), "10.0.0.1:5060".parse().expect("addr"));
        assert_eq!(d.dest, src("203.0.113.5:40000"));
        d.refresh_target(&parse(&INVITE.replace("192.0.2.1:5999", "192.168.1.7:5060")));
        assert_eq!(d.dest, src("203.0.113.5:40000"));
        assert!(d.remote_target.contains("192.168.1.7"));
    }
}

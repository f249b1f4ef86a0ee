//! Requests Callplane sends on a dialog it owns (either leg of a call, trunk and click-to-call
//! legs), written out and routed through the dialog's route set.

use std::net::SocketAddr;

use crate::sip::consts::{SERVER, UDP_MTU_THRESHOLD};
use crate::sip::wire::compose::Compose;
use crate::sip::transport::{Proto, Source};
use crate::sip::wire::uri::Uri;
use crate::sip::wire::{Message, Method};

use super::Dialog;
use super::route;

/// Our Contact on a leg.
pub fn contact(local: SocketAddr, proto: Proto) -> String {
    match proto {
        Proto::Udp => format!("<sip:callplane@{local}>"),
        Proto::Tcp => format!("<sip:callplane@{local};transport=tcp>"),
        // `sip:` with transport=tls, as phones expect; `sips:` is accepted inbound.
        Proto::Tls => format!("<sip:callplane@{local};transport=tls>"),
    }
}

/// A request on `d` with the given CSeq, branch, extra headers and body.
pub fn request(
    d: &Dialog,
    method: &Method,
    cseq: u32,
    branch: &str,
    extra: &[(&str, String)],
    body: Option<(&str, &[u8])>,
) -> Vec<u8> {
    let hop = route::next_hop(&d.route_set, &d.remote_target);
    let mut out = Compose::request(method.as_str(), &hop.request_uri);
    out.header("Via", &format!("SIP/2.0/{} {};branch={branch};rport", d.dest.proto.as_str(), d.local));
    out.header("Max-Forwards", &d.max_forwards.to_string());
    for r in &hop.routes {
        out.header("Route", r);
    }
    let from = match &d.local_display {
        Some(name) => format!("\"{}\" <{}>;tag={}", name.replace('"', ""), d.local_uri, d.local_tag),
        None => format!("<{}>;tag={}", d.local_uri, d.local_tag),
    };
    out.header("From", &from);
    let to = match &d.remote_tag {
        Some(t) => format!("<{}>;tag={t}", d.remote_uri),
        None => format!("<{}>", d.remote_uri),
    };
    out.header("To", &to);
    out.header("Call-ID", &d.call_id);
    out.header("CSeq", &format!("{cseq} {}", method.as_str()));
    if !matches!(method, Method::Ack | Method::Cancel | Method::Bye) {
        out.header("Contact", &contact(d.local, d.dest.proto));
    }
    out.header("User-Agent", SERVER);
    for (n, v) in extra {
        out.header(n, v);
    }
    out.finish(body)
}

/// RFC 3261 section 18.1.1: a UDP request over 1300 bytes goes over TCP instead.
pub fn transport_for(dest: Source, size: usize) -> Source {
    if dest.proto == Proto::Udp && size > UDP_MTU_THRESHOLD {
        Source { addr: dest.addr, proto: Proto::Tcp }
    } else {
        dest
    }
}

/// Builds a request with `build`; when it is too large for UDP the leg switches to TCP
/// (the Via then names TCP) and the request is built again.
pub fn build_sized(d: &mut Dialog, build: impl Fn(&Dialog) -> Vec<u8>) -> Vec<u8> {
    let bytes = build(d);
    if !d.tcp_for_large {
        return bytes;
    }
    let target = transport_for(d.dest, bytes.len());
    if target == d.dest {
        return bytes;
    }
    d.dest = target;
    build(d)
}

/// The ACK for a non-2xx final response to `invite` (RFC 3261 section 17.1.1.3): same
/// branch and Request-URI, To with the response's tag.
pub fn ack_for_error(d: &Dialog, invite_cseq: u32, branch: &str, response: &Message) -> Vec<u8> {
    let mut d = d.clone();
    d.remote_tag = response.to.tag().map(str::to_owned);
    request(&d, &Method::Ack, invite_cseq, branch, &[], None)
}

/// Body and its Content-Type of a message, when it has one.
pub fn body_of(msg: &Message) -> Option<(String, Vec<u8>)> {
    if msg.body.is_empty() {
        return None;
    }
    let ct = msg.header("Content-Type").unwrap_or("application/sdp").to_owned();
    Some((ct, msg.body.clone()))
}

/// Where requests to `uri` go when it names an IP address (its port, else 5060; its
/// `transport` parameter, else `proto`). Host names are not resolved here.
pub fn dest_of(uri: &Uri, proto: Proto) -> Option<Source> {
    let crate::sip::wire::uri::Host::Ip(ip) = uri.host else { return None };
    let proto = proto_of(uri, proto);
    let default_port = if proto == Proto::Tls { 5061 } else { 5060 };
    Some(Source { addr: SocketAddr::new(ip, uri.port.unwrap_or(default_port)), proto })
}

/// The transport a URI asks for: its `transport` parameter, TLS for `sips:`, else `proto`.
pub fn proto_of(uri: &Uri, proto: Proto) -> Proto {
    match uri.param("transport").flatten().map(str::to_ascii_lowercase).as_deref() {
        Some("tcp") => Proto::Tcp,
        Some("udp") => Proto::Udp,
        Some("tls") => Proto::Tls,
        _ if uri.scheme_is_sips() => Proto::Tls,
        _ => proto,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialog(route_set: Vec<String>) -> Dialog {
        Dialog {
            call_id: "c1@callplane".into(),
            local_uri: "sip:1001@10.0.0.1".into(),
            local_display: None,
            local_tag: "ours".into(),
            remote_uri: "sip:+4420@carrier".into(),
            remote_tag: Some("theirs".into()),
            remote_target: "sip:far@192.0.2.1:5999;alias=10.0.0.9~5070~1".into(),
            route_set,
            dest: Source { addr: "10.0.0.9:5080".parse().expect("addr"), proto: Proto::Udp },
            local: "10.0.0.1:5060".parse().expect("addr"),
            cseq: 2,
            max_forwards: 70,
            tcp_for_large: true,
            follow_contact: true,
        }
    }

    // RFC 3261 section 12.2.1.1: the BYE of a dialog behind a loose router names the remote
    // target and carries the whole route set, in order.
    #[test]
    fn in_dialog_requests_carry_the_route_set() {
        let d = dialog(vec!["sip:10.0.0.9:5080;lr;ftag=x".into(), "sip:core.example;lr".into()]);
        let text = String::from_utf8(request(&d, &Method::Bye, 3, "z9hG4bKt", &[], None)).expect("utf8");
        assert!(text.starts_with("BYE sip:far@192.0.2.1:5999;alias=10.0.0.9~5070~1 SIP/2.0\r\n"), "{text}");
        let routes: Vec<&str> = text.lines().filter(|l| l.starts_with("Route:")).collect();
        assert_eq!(routes, vec!["Route: <sip:10.0.0.9:5080;lr;ftag=x>", "Route: <sip:core.example;lr>"]);
        assert!(text.contains("To: <sip:+4420@carrier>;tag=theirs\r\n"));
    }

    #[test]
    fn without_a_route_set_there_is_no_route_header() {
        let text = String::from_utf8(request(&dialog(vec![]), &Method::Bye, 3, "z9hG4bKt", &[], None)).expect("utf8");
        assert!(!text.contains("Route:"), "{text}");
    }
}

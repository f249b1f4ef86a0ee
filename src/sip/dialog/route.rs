//! Route sets (RFC 3261 sections 12.1 and 12.2.1.1) and loose routing (section 16.12):
//! which Request-URI and Route headers a request in a dialog carries, and where it goes
//! first. Pure functions over URIs; sending is the caller's business.

use crate::sip::wire::Message;
use crate::sip::wire::name_addr::NameAddr;
use crate::sip::wire::uri::Uri;

/// The URIs of every `name` header (Record-Route, Path) in order, each entry of a
/// comma-separated list on its own; entries that do not parse are skipped. Each URI is
/// kept exactly as received: proxies put state in their parameters (escaped values
/// included) and recognise it only byte for byte.
fn uris_of(msg: &Message, name: &str) -> Vec<String> {
    msg.header_all(name)
        .flat_map(crate::sip::wire::header::split_commas)
        .filter(|v| NameAddr::parse(v).is_ok())
        .filter_map(raw_uri)
        .collect()
}

/// The URI text of a name-addr (`<...>`) or addr-spec, untouched.
pub fn raw_uri(value: &str) -> Option<String> {
    let value = value.trim();
    // A URI holds no unescaped `>`: the first one after `<` closes it (header parameters
    // after it may quote more brackets, as `+sip.instance="<urn:...>"` does).
    match value.find('<') {
        Some(open) => value[open + 1..].find('>').map(|close| value[open + 1..open + 1 + close].to_owned()),
        None => value.split(';').next().map(str::to_owned),
    }
}

/// RFC 3261 section 12.1.1: the UAS takes the Record-Route URIs of the request in order.
pub fn uas_route_set(request: &Message) -> Vec<String> {
    uris_of(request, "Record-Route")
}

/// RFC 3261 section 12.1.2: the UAC takes the Record-Route URIs of the response in
/// reverse order (the first is then the proxy nearest to the UAC).
pub fn uac_route_set(response: &Message) -> Vec<String> {
    let mut set = uris_of(response, "Record-Route");
    set.reverse();
    set
}

/// RFC 3327 section 5.3: the Path URIs of a REGISTER, in order; they become the pre-loaded
/// route set of requests to that contact (section 5.4).
pub fn path_of(register: &Message) -> Vec<String> {
    uris_of(register, "Path")
}

/// A route URI with the `lr` parameter marks a loose router (RFC 3261 section 19.1.1).
pub fn is_loose(route: &str) -> bool {
    Uri::parse(route).is_ok_and(|u| u.param("lr").is_some())
}

/// What a request in a dialog carries, and the URI of its first hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextHop {
    pub request_uri: String,
    /// Route header values, in order (`<uri>`).
    pub routes: Vec<String>,
    /// Where the request is sent: the first route, else the Request-URI.
    pub first_hop: String,
}

/// RFC 3261 section 12.2.1.1. An empty route set: the Request-URI is the remote target
/// and there is no Route. A first route with `lr`: the Request-URI is the remote target
/// and every route goes in Route. Otherwise (a strict router): the Request-URI is the
/// first route and Route holds the rest followed by the remote target.
pub fn next_hop(route_set: &[String], remote_target: &str) -> NextHop {
    let Some(first) = route_set.first() else {
        return NextHop { request_uri: remote_target.to_owned(), routes: vec![], first_hop: remote_target.to_owned() };
    };
    if is_loose(first) {
        return NextHop {
            request_uri: remote_target.to_owned(),
            routes: route_set.iter().map(|r| format!("<{r}>")).collect(),
            first_hop: first.clone(),
        };
    }
    let mut routes: Vec<String> = route_set[1..].iter().map(|r| format!("<{r}>")).collect();
    routes.push(format!("<{remote_target}>"));
    NextHop { request_uri: strip_uri_headers(first), routes, first_hop: first.clone() }
}

/// The Request-URI form of a route URI (RFC 3261 section 12.2.1.1: parameters not allowed
/// in a Request-URI are stripped; a route never carries `?headers` that matter here).
fn strip_uri_headers(uri: &str) -> String {
    uri.split_once('?').map_or(uri, |(u, _)| u).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Message {
        crate::sip::wire::parse(text.replace('\n', "\r\n").as_bytes(), true).expect("message")
    }

    const INVITE_WITH_RR: &str = "INVITE sip:1002@10.0.0.1 SIP/2.0
Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK1
Via: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK2
Record-Route: <sip:p2.example;lr>, <sip:10.0.0.9;lr;ftag=x>
Record-Route: <sip:p1.example;lr>
Max-Forwards: 69
From: <sip:1001@a>;tag=1
To: <sip:1002@b>
Call-ID: rr1
CSeq: 1 INVITE
Contact: <sip:1001@10.0.0.5>
Content-Length: 0

";

    // RFC 3261 section 12.1.1: the UAS keeps the order of the request's Record-Route.
    #[test]
    fn uas_route_set_keeps_record_route_order_across_lists_and_headers() {
        let set = uas_route_set(&parse(INVITE_WITH_RR));
        assert_eq!(set, vec!["sip:p2.example;lr", "sip:10.0.0.9;lr;ftag=x", "sip:p1.example;lr"]);
    }

    // RFC 3261 section 12.1.2: the UAC reverses the response's Record-Route.
    #[test]
    fn uac_route_set_reverses_record_route() {
        let resp = "SIP/2.0 200 OK
Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1
Record-Route: <sip:near-uas;lr>, <sip:near-uac;lr>
From: <sip:1001@a>;tag=1
To: <sip:1002@b>;tag=2
Call-ID: rr2
CSeq: 1 INVITE
Contact: <sip:1002@10.0.0.7>
Content-Length: 0

";
        assert_eq!(uac_route_set(&parse(resp)), vec!["sip:near-uac;lr", "sip:near-uas;lr"]);
    }

    // Route URIs are opaque to the UA: escaped parameters come back byte for byte.
    #[test]
    fn route_uris_are_kept_verbatim() {
        let resp = "SIP/2.0 200 OK
Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1
Record-Route: <sip:10.0.0.9;lr;received=sip:10.0.0.5%3A5062;ftag=a%20b>
From: <sip:1001@a>;tag=1
To: <sip:1002@b>;tag=2
Call-ID: rr3
CSeq: 1 INVITE
Content-Length: 0

";
        assert_eq!(uac_route_set(&parse(resp)), vec!["sip:10.0.0.9;lr;received=sip:10.0.0.5%3A5062;ftag=a%20b"]);
    }

    // A Contact whose header parameters quote brackets (RFC 5626 +sip.instance).
    #[test]
    fn the_uri_ends_at_its_own_bracket() {
        let c = "<sip:1002@127.0.0.1:52503;transport=udp>;expires=300;+sip.instance=\"<urn:uuid:0260-77f7>\"";
        assert_eq!(raw_uri(c).as_deref(), Some("sip:1002@127.0.0.1:52503;transport=udp"));
    }

    // RFC 3327 section 5.3: Path entries are stored in order.
    #[test]
    fn path_keeps_order() {
        let reg = "REGISTER sip:pbx SIP/2.0
Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK1
Path: <sip:edge1;lr>
Path: <sip:edge2;lr>
Max-Forwards: 69
From: <sip:1001@pbx>;tag=1
To: <sip:1001@pbx>
Call-ID: p1
CSeq: 1 REGISTER
Contact: <sip:1001@10.0.0.5>
Content-Length: 0

";
        assert_eq!(path_of(&parse(reg)), vec!["sip:edge1;lr", "sip:edge2;lr"]);
    }

    // RFC 3261 section 12.2.1.1: no route set, the request goes to the remote target.
    #[test]
    fn empty_route_set_sends_to_remote_target() {
        let hop = next_hop(&[], "sip:1002@10.0.0.7:5062");
        assert_eq!(hop.request_uri, "sip:1002@10.0.0.7:5062");
        assert!(hop.routes.is_empty());
        assert_eq!(hop.first_hop, "sip:1002@10.0.0.7:5062");
    }

    // RFC 3261 section 12.2.1.1: a loose first route keeps the remote target as
    // Request-URI and lists every route.
    #[test]
    fn loose_first_route_keeps_remote_target() {
        let set = vec!["sip:sbc.example;lr".to_owned(), "sip:core.example;lr".to_owned()];
        let hop = next_hop(&set, "sip:far@192.0.2.1;alias=127.0.0.1~5070~1");
        assert_eq!(hop.request_uri, "sip:far@192.0.2.1;alias=127.0.0.1~5070~1");
        assert_eq!(hop.routes, vec!["<sip:sbc.example;lr>", "<sip:core.example;lr>"]);
        assert_eq!(hop.first_hop, "sip:sbc.example;lr");
    }

    // RFC 3261 section 12.2.1.1: a strict first route becomes the Request-URI and the
    // remote target goes last in Route.
    #[test]
    fn strict_first_route_becomes_request_uri() {
        let set = vec!["sip:old-proxy.example".to_owned(), "sip:next.example;lr".to_owned()];
        let hop = next_hop(&set, "sip:far@192.0.2.1");
        assert_eq!(hop.request_uri, "sip:old-proxy.example");
        assert_eq!(hop.routes, vec!["<sip:next.example;lr>", "<sip:far@192.0.2.1>"]);
        assert_eq!(hop.first_hop, "sip:old-proxy.example");
    }

    // RFC 3261 section 19.1.1: `lr` with or without a value marks a loose router.
    #[test]
    fn lr_with_a_value_is_loose() {
        assert!(is_loose("sip:127.0.0.1:5080;lr=on;ftag=abc"));
        assert!(!is_loose("sip:127.0.0.1:5080;ftag=abc"));
    }

}

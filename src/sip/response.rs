//! Building responses to requests (RFC 3261 section 8.2.6), and where
//! they go (section 18.2.2 with RFC 3581 `rport`/`received`).

use std::net::SocketAddr;

use super::consts::SERVER;
use super::transport::{Proto, Source};
use super::wire::Message;
use super::wire::compose::Compose;
use super::wire::uri::Host;

/// Headers copied into responses, in order.
const COPIED: &[&str] = &["From", "Call-ID", "CSeq"];

/// The top Via with `received` and `rport` filled in from where the request came from.
fn top_via(request_via: &str, source: Source) -> String {
    let mut via = request_via.to_owned();
    let parsed = super::wire::via::Via::parse(request_via).ok();
    let host_is_source = parsed.as_ref().is_some_and(|v| matches!(v.host, Host::Ip(ip) if ip == source.addr.ip()));
    let has_rport_flag = parsed.as_ref().is_some_and(|v| v.param("rport") == Some(None));
    if has_rport_flag {
        via = strip_param(&via, "rport");
        via.push_str(&format!(";rport={}", source.addr.port()));
    }
    if !host_is_source || has_rport_flag {
        via = strip_param(&via, "received");
        via.push_str(&format!(";received={}", source.addr.ip()));
    }
    via
}

fn strip_param(value: &str, name: &str) -> String {
    value
        .split(';')
        .enumerate()
        .filter(|(i, p)| *i == 0 || !p.trim().split('=').next().is_some_and(|n| n.trim().eq_ignore_ascii_case(name)))
        .map(|(_, p)| p)
        .collect::<Vec<_>>()
        .join(";")
}

/// A response to `request` from raw request headers (used also for requests that failed
/// validation but whose headers could be read).
pub fn build_from_headers(
    request_headers: &[(String, String)],
    source: Source,
    code: u16,
    reason: &str,
    to_tag: Option<&str>,
    extra: &[(&str, String)],
) -> Option<Vec<u8>> {
    build_with_body(request_headers, source, code, reason, to_tag, extra, None)
}

/// A response with an optional body (`Content-Type`, bytes).
pub fn build_with_body(
    request_headers: &[(String, String)],
    source: Source,
    code: u16,
    reason: &str,
    to_tag: Option<&str>,
    extra: &[(&str, String)],
    body: Option<(&str, &[u8])>,
) -> Option<Vec<u8>> {
    let mut vias = request_headers.iter().filter(|(n, _)| n == "Via").map(|(_, v)| v.as_str());
    let first = vias.next()?;
    let mut out = Compose::response(code, reason);
    out.header("Via", &top_via(first, source));
    for v in vias {
        out.header("Via", v);
    }
    let get = |name: &str| request_headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    for name in COPIED {
        if let Some(v) = get(name) {
            out.header(name, v);
        }
    }
    // RFC 3261 section 12.1.1: a response that can create a dialog carries the request's
    // Record-Route, so the UAC learns the route set.
    let invite = get("CSeq").is_some_and(|c| c.split_whitespace().nth(1).is_some_and(|m| m.eq_ignore_ascii_case("INVITE")));
    if invite && (101..300).contains(&code) {
        for (_, v) in request_headers.iter().filter(|(n, _)| n == "Record-Route") {
            out.header("Record-Route", v);
        }
    }
    if let Some(to) = get("To") {
        let has_tag = super::wire::name_addr::NameAddr::parse(to).map(|n| n.tag().is_some()).unwrap_or(true);
        match to_tag {
            Some(tag) if code > 100 && !has_tag => out.header("To", &format!("{to};tag={tag}")),
            _ => out.header("To", to),
        };
    }
    out.header("Server", SERVER);
    for (name, value) in extra {
        out.header(name, value);
    }
    Some(out.finish(body))
}

/// A response to a validated request.
pub fn build(
    request: &Message,
    source: Source,
    code: u16,
    reason: &str,
    to_tag: Option<&str>,
    extra: &[(&str, String)],
) -> Vec<u8> {
    build_from_headers(&request.headers, source, code, reason, to_tag, extra).unwrap_or_default()
}

/// Where a response goes: back over the same TCP or TLS connection; over UDP to the source
/// address when `rport` was asked for (RFC 3581), else the source IP and the Via port.
pub fn destination(request: &Message, source: Source) -> Source {
    match source.proto {
        Proto::Tcp | Proto::Tls => source,
        Proto::Udp => {
            let via = request.top_via();
            if via.param("rport").is_some() {
                source
            } else {
                let port = via.port.unwrap_or(5060);
                Source { addr: SocketAddr::new(source.addr.ip(), port), proto: Proto::Udp }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_and_rport_are_added() {
        let source = Source { addr: "198.51.100.7:40000".parse().expect("addr"), proto: Proto::Udp };
        let via = top_via("SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa;rport", source);
        assert_eq!(via, "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa;rport=40000;received=198.51.100.7");
        let same = Source { addr: "10.0.0.5:5060".parse().expect("addr"), proto: Proto::Udp };
        assert_eq!(top_via("SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa", same), "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa");
    }

    #[test]
    fn a_response_is_parseable_sip() {
        let headers: Vec<(String, String)> = [
            ("Via", "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa"),
            ("From", "<sip:1001@pbx>;tag=1"),
            ("To", "<sip:1001@pbx>"),
            ("Call-ID", "c1"),
            ("CSeq", "1 REGISTER"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
        let source = Source { addr: "10.0.0.5:5060".parse().expect("addr"), proto: Proto::Udp };
        let bytes = build_from_headers(&headers, source, 401, "Unauthorized", Some("t1"), &[("WWW-Authenticate", "Digest realm=\"x\"".into())])
            .expect("response");
        let parsed = crate::sip::wire::parse(&bytes, true).expect("our own response parses");
        assert_eq!(parsed.status(), Some(401));
        assert_eq!(parsed.to.tag(), Some("t1"));
        assert!(parsed.header("WWW-Authenticate").is_some());
    }
}

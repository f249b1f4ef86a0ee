//! Shaping one party's session description into the answer to another party's offer.
//! Call pickup needs it: the caller and the phone that picks up both sent offers, and each
//! must get an answer (RFC 3264 section 6) built from the other's description.

/// One media section (`m=` line and the lines after it).
struct Section<'a> {
    kind: &'a str,
    port: &'a str,
    proto: &'a str,
    formats: Vec<&'a str>,
    lines: Vec<&'a str>,
}

impl<'a> Section<'a> {
    /// `name/rate[/channels]` of payload type `pt` (RFC 3551 for the static ones it omits).
    fn encoding(&self, pt: &str) -> Option<String> {
        let mapped = self.lines.iter().find_map(|l| {
            let rest = l.strip_prefix("a=rtpmap:")?;
            let (p, enc) = rest.split_once(' ')?;
            (p == pt).then(|| enc.trim().to_ascii_lowercase())
        });
        mapped.or_else(|| static_encoding(pt).map(str::to_owned))
    }

    fn attributes_of(&self, pt: &str) -> impl Iterator<Item = &&'a str> {
        let rtpmap = format!("a=rtpmap:{pt} ");
        let fmtp = format!("a=fmtp:{pt} ");
        self.lines.iter().filter(move |l| l.starts_with(&rtpmap) || l.starts_with(&fmtp))
    }

    fn direction(&self) -> Option<&'a str> {
        self.lines.iter().find_map(|l| match *l {
            "a=sendrecv" | "a=sendonly" | "a=recvonly" | "a=inactive" => Some(&l[2..]),
            _ => None,
        })
    }
}

/// RFC 3551 section 6: the static payload types phones use without an `a=rtpmap`.
fn static_encoding(pt: &str) -> Option<&'static str> {
    Some(match pt {
        "0" => "pcmu/8000",
        "3" => "gsm/8000",
        "4" => "g723/8000",
        "8" => "pcma/8000",
        "9" => "g722/8000",
        "18" => "g729/8000",
        _ => return None,
    })
}

/// Splits a description into its session part and media sections.
fn parse(sdp: &str) -> (Vec<&str>, Vec<Section<'_>>) {
    let mut session = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    for line in sdp.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        if let Some(m) = line.strip_prefix("m=") {
            let mut parts = m.split_whitespace();
            let (kind, port, proto) = (parts.next().unwrap_or(""), parts.next().unwrap_or("0"), parts.next().unwrap_or("RTP/AVP"));
            sections.push(Section { kind, port, proto, formats: parts.collect(), lines: Vec::new() });
        } else if let Some(s) = sections.last_mut() {
            s.lines.push(line);
        } else {
            session.push(line);
        }
    }
    (session, sections)
}

/// RFC 3264 section 6.1: the answer's direction for a stream offered with `offered`, given
/// what the answering party itself wants (`own`, from its own description).
fn answer_direction(offered: Option<&str>, own: Option<&str>) -> &'static str {
    let sends = !matches!(own, Some("recvonly" | "inactive")) && !matches!(offered, Some("sendonly" | "inactive"));
    let receives = !matches!(own, Some("sendonly" | "inactive")) && !matches!(offered, Some("recvonly" | "inactive"));
    match (sends, receives) {
        (true, true) => "sendrecv",
        (true, false) => "sendonly",
        (false, true) => "recvonly",
        (false, false) => "inactive",
    }
}

/// The answer to `offer` built from `other` (a description the answering party sent as
/// its own offer elsewhere): its session lines and addresses, with each offered stream
/// answered by the first unused stream of the same kind in `other`, keeping the codecs
/// both list under the offer's payload type numbers (RFC 3264 section 6.1). A stream with
/// no counterpart or no common codec is rejected with port 0. `None` when no stream is
/// accepted (the answering party cannot take this session) or either is not text.
pub fn answer_from(offer: &[u8], other: &[u8]) -> Option<Vec<u8>> {
    let (offer, other) = (std::str::from_utf8(offer).ok()?, std::str::from_utf8(other).ok()?);
    let (_, offered) = parse(offer);
    let (session, own) = parse(other);
    let mut used = vec![false; own.len()];
    let mut out: Vec<String> = session.iter().filter(|l| !matches!(**l, "a=sendrecv" | "a=sendonly" | "a=recvonly" | "a=inactive")).map(|l| (*l).to_owned()).collect();
    let session_direction = session.iter().find_map(|l| match *l {
        "a=sendrecv" | "a=sendonly" | "a=recvonly" | "a=inactive" => Some(&l[2..]),
        _ => None,
    });
    let mut accepted = 0;
    for s in &offered {
        let counterpart = own.iter().enumerate().position(|(i, o)| !used[i] && o.kind == s.kind && o.port != "0");
        let common: Vec<&str> = match counterpart {
            Some(i) => s
                .formats
                .iter()
                .copied()
                .filter(|pt| s.encoding(pt).is_some_and(|enc| own[i].formats.iter().any(|q| own[i].encoding(q).as_deref() == Some(enc.as_str()))))
                .collect(),
            None => Vec::new(),
        };
        let (Some(i), false) = (counterpart, common.is_empty()) else {
            out.push(format!("m={} 0 {} {}", s.kind, s.proto, s.formats.first().copied().unwrap_or("0")));
            continue;
        };
        used[i] = true;
        accepted += 1;
        let o = &own[i];
        out.push(format!("m={} {} {} {}", s.kind, o.port, s.proto, common.join(" ")));
        for l in &o.lines {
            let per_format = l.starts_with("a=rtpmap:") || l.starts_with("a=fmtp:") || l.starts_with("a=rtcp-fb:");
            if !per_format && o.direction() != Some(l.get(2..).unwrap_or_default()) {
                out.push((*l).to_owned());
            }
        }
        for pt in &common {
            out.extend(s.attributes_of(pt).map(|l| (*l).to_owned()));
        }
        out.push(format!("a={}", answer_direction(s.direction(), o.direction().or(session_direction))));
    }
    if accepted == 0 {
        return None;
    }
    let mut text = out.join("\r\n");
    text.push_str("\r\n");
    Some(text.into_bytes())
}

/// A session without media from `address`: the answer to `offer` rejecting each of its
/// streams (RFC 3264 section 6: port 0, in place), or, with no offer, an offer of one
/// inactive audio stream (RFC 3264 section 5.1). For sessions Callplane answers only to
/// say something by answering (a feature code's confirmation).
pub fn no_media(offer: Option<&[u8]>, address: std::net::IpAddr, version: u64) -> Vec<u8> {
    let family = if address.is_ipv4() { "IP4" } else { "IP6" };
    let mut out = format!("v=0\r\no=callplane {version} {version} IN {family} {address}\r\ns=-\r\nc=IN {family} {address}\r\nt=0 0\r\n");
    let offered = offer.and_then(|o| std::str::from_utf8(o).ok()).map(|o| parse(o).1).unwrap_or_default();
    if offered.is_empty() {
        out.push_str("m=audio 9 RTP/AVP 0\r\na=inactive\r\n");
    }
    for s in &offered {
        out.push_str(&format!("m={} 0 {} {}\r\n", s.kind, s.proto, s.formats.first().copied().unwrap_or("0")));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALLER: &str = "v=0\r\no=alice 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n";
    const PICKER: &str = "v=0\r\no=bob 7 7 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 9 8 96\r\na=rtpmap:9 G722/8000\r\na=rtpmap:96 telephone-event/8000\r\na=ptime:20\r\n";

    fn text(b: Vec<u8>) -> String {
        String::from_utf8(b).unwrap_or_default()
    }

    // RFC 3264 section 6.1: the answer keeps only codecs both sides have, under the offer's
    // payload type numbers, and carries the answerer's address and port.
    #[test]
    fn the_answer_is_the_other_partys_address_with_the_common_codecs() {
        let answer = text(answer_from(CALLER.as_bytes(), PICKER.as_bytes()).unwrap_or_default());
        assert!(answer.contains("o=bob 7 7 IN IP4 10.0.0.2"), "{answer}");
        assert!(answer.contains("c=IN IP4 10.0.0.2"), "{answer}");
        assert!(answer.contains("m=audio 5000 RTP/AVP 8 101\r\n"), "{answer}");
        assert!(answer.contains("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16"), "{answer}");
        assert!(!answer.contains("a=rtpmap:96"), "{answer}");
        assert!(answer.contains("a=ptime:20"), "{answer}");
        assert!(answer.ends_with("a=sendrecv\r\n"), "{answer}");
        let reverse = text(answer_from(PICKER.as_bytes(), CALLER.as_bytes()).unwrap_or_default());
        assert!(reverse.contains("m=audio 4000 RTP/AVP 8 96\r\n"), "{reverse}");
        assert!(reverse.contains("c=IN IP4 10.0.0.1"), "{reverse}");
    }

    // RFC 3264 section 6: a stream the answerer cannot take is answered with port 0, in
    // its place; with no stream taken there is no answer at all.
    #[test]
    fn streams_without_a_common_codec_are_rejected() {
        let video = format!("{CALLER}m=video 4002 RTP/AVP 97\r\na=rtpmap:97 H264/90000\r\n");
        let answer = text(answer_from(video.as_bytes(), PICKER.as_bytes()).unwrap_or_default());
        assert!(answer.contains("m=audio 5000 RTP/AVP 8 101"), "{answer}");
        assert!(answer.ends_with("m=video 0 RTP/AVP 97\r\n"), "{answer}");
        let g729 = "v=0\r\no=x 1 1 IN IP4 10.0.0.3\r\ns=-\r\nc=IN IP4 10.0.0.3\r\nt=0 0\r\nm=audio 6000 RTP/AVP 18\r\n";
        assert_eq!(answer_from(g729.as_bytes(), PICKER.as_bytes()), None);
    }

    // RFC 3264 section 6: every stream rejected in its place; without an offer, an
    // inactive one is offered.
    #[test]
    fn a_session_without_media() {
        let ip: std::net::IpAddr = "10.0.0.9".parse().unwrap_or(std::net::IpAddr::from([0, 0, 0, 0]));
        let answer = text(no_media(Some(format!("{CALLER}m=video 4002 RTP/AVP 97\r\n").as_bytes()), ip, 5));
        assert!(answer.contains("o=callplane 5 5 IN IP4 10.0.0.9\r\n"), "{answer}");
        assert!(answer.ends_with("m=audio 0 RTP/AVP 0\r\nm=video 0 RTP/AVP 97\r\n"), "{answer}");
        let offer = text(no_media(None, ip, 5));
        assert!(offer.ends_with("m=audio 9 RTP/AVP 0\r\na=inactive\r\n"), "{offer}");
    }

    // RFC 3264 section 6.1: a sendonly offer is answered recvonly, a recvonly one sendonly.
    #[test]
    fn the_direction_mirrors_the_offer() {
        assert_eq!(answer_direction(Some("sendonly"), None), "recvonly");
        assert_eq!(answer_direction(Some("recvonly"), Some("sendrecv")), "sendonly");
        assert_eq!(answer_direction(Some("inactive"), None), "inactive");
        assert_eq!(answer_direction(None, Some("sendonly")), "sendonly");
        let held = CALLER.replace("a=sendrecv", "a=sendonly");
        let answer = text(answer_from(held.as_bytes(), PICKER.as_bytes()).unwrap_or_default());
        assert!(answer.ends_with("a=recvonly\r\n"), "{answer}");
    }
}

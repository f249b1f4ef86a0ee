//! The little Callplane does to session descriptions it passes between legs (no media
//! plane yet): keeping one origin per leg when the party behind it changes.

/// RFC 3264 section 8: in a session, each new description from a party keeps the `o=`
/// line of its previous one (username, session id, network and address) with the version
/// one higher. When a transfer puts a new party behind a leg, its description goes out
/// under the origin the leg saw before. `previous` is the description the leg saw last;
/// without a usable origin there, `next` goes out as it is.
pub fn continue_origin(previous: &[u8], next: &[u8]) -> Vec<u8> {
    with_origin(previous, next, false)
}

/// As `continue_origin`, keeping the address of `next`'s origin: for descriptions the
/// media relay rewrote, whose origin address is the relay's in every description while
/// `previous` is the one the party behind the leg sent.
pub fn continue_origin_at_relay(previous: &[u8], next: &[u8]) -> Vec<u8> {
    with_origin(previous, next, true)
}

fn with_origin(previous: &[u8], next: &[u8], keep_address: bool) -> Vec<u8> {
    let (Ok(prev), Ok(text)) = (std::str::from_utf8(previous), std::str::from_utf8(next)) else { return next.to_vec() };
    let Some(origin) = prev.lines().find_map(|l| l.strip_prefix("o=")) else { return next.to_vec() };
    let fields: Vec<&str> = origin.split_whitespace().collect();
    let [user, session, version, mut net, mut addr_type, mut addr] = fields[..] else { return next.to_vec() };
    let Ok(version) = version.parse::<u64>() else { return next.to_vec() };
    let next_origin: Vec<&str> = text.lines().find_map(|l| l.strip_prefix("o=")).map(|o| o.split_whitespace().collect()).unwrap_or_default();
    if let (true, [_, _, _, n, t, a]) = (keep_address, &next_origin[..]) {
        (net, addr_type, addr) = (n, t, a);
    }
    let line = format!("o={user} {session} {} {net} {addr_type} {addr}", version.saturating_add(1));
    let ending = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut replaced = false;
    let mut out: Vec<String> = Vec::new();
    for l in text.lines() {
        if !replaced && l.starts_with("o=") {
            out.push(line.clone());
            replaced = true;
        } else {
            out.push(l.to_owned());
        }
    }
    let mut joined = out.join(ending);
    if text.ends_with('\n') {
        joined.push_str(ending);
    }
    joined.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 3264 section 8: same origin, version incremented, the rest from the new party.
    #[test]
    fn the_new_description_keeps_the_legs_origin_with_a_higher_version() {
        let seen = b"v=0\r\no=bob 100 7 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        let next = b"v=0\r\no=carol 555 1 IN IP4 10.0.0.3\r\ns=-\r\nc=IN IP4 10.0.0.3\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n";
        let out = String::from_utf8(continue_origin(seen, next)).expect("utf8");
        assert!(out.contains("o=bob 100 8 IN IP4 10.0.0.2\r\n"), "{out}");
        assert!(out.contains("c=IN IP4 10.0.0.3\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n"), "{out}");
        assert!(!out.contains("carol"));
    }

    // RFC 3264 section 8 through the relay: the party's username, session id and next
    // version, at the relay's address (which the relay put in every description).
    #[test]
    fn through_the_relay_the_origin_keeps_the_relays_address() {
        let seen = b"v=0\r\no=bob 100 7 IN IP4 10.0.0.2\r\ns=-\r\n";
        let next = b"v=0\r\no=carol 555 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\n";
        let out = String::from_utf8(continue_origin_at_relay(seen, next)).expect("utf8");
        assert!(out.contains("o=bob 100 8 IN IP4 192.0.2.9\r\n"), "{out}");
    }

    #[test]
    fn without_a_usable_previous_origin_the_description_is_unchanged() {
        let next = b"v=0\r\no=carol 555 1 IN IP4 10.0.0.3\r\n";
        assert_eq!(continue_origin(b"v=0\r\n", next), next.to_vec());
    }
}

//! What the media plane reads in a session description: the connection address it
//! advertises, and whether an offer puts the other party on hold.

use std::net::IpAddr;

/// The connection address (RFC 4566 section 5.7): the session-level `c=` line, else the
/// first media-level one.
pub fn connection_address(sdp: &[u8]) -> Option<IpAddr> {
    let text = std::str::from_utf8(sdp).ok()?;
    text.lines().find_map(|line| {
        let rest = line.trim_end().strip_prefix("c=IN ")?;
        let mut parts = rest.split_whitespace();
        let _family = parts.next()?;
        // A multicast address may carry /ttl; strip it.
        parts.next()?.split('/').next()?.parse().ok()
    })
}

/// Whether an offer puts the party it goes to on hold: its audio is `sendonly` or
/// `inactive` (RFC 3264 section 8.4; a media-level attribute overrides the session-level
/// one, RFC 4566 section 6), or its connection address is `0.0.0.0` (the RFC 2543 way
/// older phones still use).
pub fn puts_on_hold(sdp: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(sdp) else { return false };
    let mut session_direction: Option<&str> = None;
    let mut audio_direction: Option<&str> = None;
    let mut in_audio = false;
    let mut seen_media = false;
    let mut zero_address = false;
    for line in text.lines().map(str::trim_end) {
        if let Some(m) = line.strip_prefix("m=") {
            // Only the first audio stream counts.
            in_audio = !seen_media && m.starts_with("audio");
            seen_media = seen_media || in_audio;
            continue;
        }
        let direction = match line {
            "a=sendonly" | "a=inactive" | "a=sendrecv" | "a=recvonly" => Some(&line[2..]),
            _ => None,
        };
        if let Some(d) = direction {
            if in_audio {
                audio_direction = Some(d);
            } else if !seen_media {
                session_direction = Some(d);
            }
        }
        if (in_audio || !seen_media) && line.starts_with("c=IN IP4 0.0.0.0") {
            zero_address = true;
        }
    }
    zero_address || matches!(audio_direction.or(session_direction), Some("sendonly" | "inactive"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hold_offers() {
        let base = "v=0\r\no=- 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        assert!(!puts_on_hold(base.as_bytes()));
        assert!(puts_on_hold(format!("{base}a=sendonly\r\n").as_bytes()));
        assert!(puts_on_hold(format!("{base}a=inactive\r\n").as_bytes()));
        assert!(!puts_on_hold(format!("{base}a=sendrecv\r\n").as_bytes()));
        assert!(!puts_on_hold(format!("{base}a=recvonly\r\n").as_bytes()));
        // Session level, overridden at media level.
        let session = "v=0\r\nc=IN IP4 10.0.0.9\r\na=sendonly\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        assert!(puts_on_hold(session.as_bytes()));
        assert!(!puts_on_hold(format!("{session}a=sendrecv\r\n").as_bytes()));
        // RFC 2543 hold.
        assert!(puts_on_hold(b"v=0\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"));
        // A video stream's direction does not hold the audio.
        assert!(!puts_on_hold(format!("{base}a=sendrecv\r\nm=video 4002 RTP/AVP 96\r\na=inactive\r\n").as_bytes()));
    }

    #[test]
    fn first_connection_line() {
        let sdp = b"v=0\r\no=- 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 198.19.1.2\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        assert_eq!(connection_address(sdp), "198.19.1.2".parse().ok());
        assert_eq!(connection_address(b"v=0\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP6 2001:db8::7\r\n"), "2001:db8::7".parse().ok());
        assert_eq!(connection_address(b"v=0\r\n"), None);
        assert_eq!(connection_address(b"c=IN IP4 bogus\r\n"), None);
    }
}

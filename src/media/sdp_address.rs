//! The connection address a session description advertises (RFC 4566 section 5.7): the
//! session-level `c=` line, else the first media-level one.

use std::net::IpAddr;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_connection_line() {
        let sdp = b"v=0\r\no=- 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 198.19.1.2\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        assert_eq!(connection_address(sdp), "198.19.1.2".parse().ok());
        assert_eq!(connection_address(b"v=0\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP6 2001:db8::7\r\n"), "2001:db8::7".parse().ok());
        assert_eq!(connection_address(b"v=0\r\n"), None);
        assert_eq!(connection_address(b"c=IN IP4 bogus\r\n"), None);
    }
}

//! Framing of stream transports (TCP, TLS): a message ends after its headers plus
//! `Content-Length` body bytes (RFC 3261 section 18.3). CRLF keep-alives (RFC 5626
//! section 4.4.1) between messages are reported separately.

use crate::sip::consts::MAX_MESSAGE_SIZE;

#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A complete message (headers and body).
    Message(Vec<u8>),
    /// A double-CRLF keep-alive ping; answer with a single CRLF pong.
    Ping,
    /// A single CRLF (a pong, or stray line ending); ignore it.
    Pong,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FrameError {
    #[error("message larger than {0} bytes")]
    TooLarge(usize),
    #[error("invalid Content-Length")]
    BadContentLength,
}

/// Takes the next frame off the front of `buf`; `Ok(None)` means more bytes are needed.
pub fn next_frame(buf: &mut Vec<u8>) -> Result<Option<Frame>, FrameError> {
    if buf.starts_with(b"\r\n\r\n") {
        buf.drain(..4);
        return Ok(Some(Frame::Ping));
    }
    if buf.starts_with(b"\r\n") {
        if buf.len() < 4 && b"\r\n\r\n".starts_with(buf.as_slice()) {
            return Ok(None);
        }
        buf.drain(..2);
        return Ok(Some(Frame::Pong));
    }
    let Some((head_len, sep_len)) = find_head_end(buf) else {
        if buf.len() > MAX_MESSAGE_SIZE {
            return Err(FrameError::TooLarge(MAX_MESSAGE_SIZE));
        }
        return Ok(None);
    };
    let head = &buf[..head_len];
    let body_len = content_length(head)?.unwrap_or(0);
    let total = head_len + sep_len + body_len;
    if total > MAX_MESSAGE_SIZE {
        return Err(FrameError::TooLarge(MAX_MESSAGE_SIZE));
    }
    if buf.len() < total {
        return Ok(None);
    }
    let message: Vec<u8> = buf.drain(..total).collect();
    Ok(Some(Frame::Message(message)))
}

/// Position of the blank line ending the headers and its length (CRLFCRLF or LFLF).
pub fn find_head_end(buf: &[u8]) -> Option<(usize, usize)> {
    let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| (p, 4));
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|p| (p, 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The Content-Length of a header block (`Content-Length` or compact `l`), if present.
pub fn content_length(head: &[u8]) -> Result<Option<usize>, FrameError> {
    let text = String::from_utf8_lossy(head);
    let mut found = None;
    for line in text.split('\n') {
        let Some((name, value)) = line.split_once(':') else { continue };
        let name = name.trim();
        if name.eq_ignore_ascii_case("content-length") || name.eq_ignore_ascii_case("l") {
            let n: usize = value.trim().parse().map_err(|_| FrameError::BadContentLength)?;
            if found.is_some_and(|f| f != n) {
                return Err(FrameError::BadContentLength);
            }
            found = Some(n);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_back_to_back_messages_and_keepalives() {
        let mut buf = b"\r\n\r\nOPTIONS sip:a SIP/2.0\r\nl: 3\r\n\r\nabcREG".to_vec();
        assert_eq!(next_frame(&mut buf), Ok(Some(Frame::Ping)));
        match next_frame(&mut buf) {
            Ok(Some(Frame::Message(m))) => assert!(m.ends_with(b"\r\n\r\nabc")),
            other => panic!("expected a message, got {other:?}"),
        }
        assert_eq!(next_frame(&mut buf), Ok(None));
        assert_eq!(buf, b"REG");
    }

    #[test]
    fn waits_for_the_whole_body() {
        let mut buf = b"OPTIONS sip:a SIP/2.0\r\nContent-Length: 10\r\n\r\n12345".to_vec();
        assert_eq!(next_frame(&mut buf), Ok(None));
        buf.extend_from_slice(b"67890");
        assert!(matches!(next_frame(&mut buf), Ok(Some(Frame::Message(_)))));
    }

    #[test]
    fn refuses_oversized_and_bad_lengths() {
        let mut buf = vec![b'a'; MAX_MESSAGE_SIZE + 1];
        assert!(next_frame(&mut buf).is_err());
        let mut buf = b"OPTIONS sip:a SIP/2.0\r\nContent-Length: -5\r\n\r\n".to_vec();
        assert_eq!(next_frame(&mut buf), Err(FrameError::BadContentLength));
    }
}

//! Writing a SIP message (RFC 3261 section 7): the start line, one `Name: value` line per
//! header, `Content-Length` (section 20.14, always written), a blank line and the body.
//! Straight to bytes: building typed headers only to print them again cost a parse and a
//! format per header on every message sent.

use std::io::Write;

pub struct Compose {
    out: Vec<u8>,
}

impl Compose {
    /// A response's status line (section 7.2); an empty reason takes the code's usual one.
    pub fn response(code: u16, reason: &str) -> Compose {
        let mut out = Vec::with_capacity(640);
        let reason = if reason.is_empty() { usual_reason(code) } else { reason };
        let _ = write!(out, "SIP/2.0 {code} {}\r\n", one_line(reason));
        Compose { out }
    }

    /// A request line (section 7.1). The Request-URI is written without a header part
    /// (section 19.1.5); one that does not parse is written as given.
    pub fn request(method: &str, uri: &str) -> Compose {
        let mut out = Vec::with_capacity(768);
        // Only a URI with a `?` has a header part: the others are written without a parse.
        let without_headers = uri.contains('?').then(|| super::uri::Uri::parse(uri).ok()).flatten().map(|mut u| {
            u.headers = None;
            u.to_string()
        });
        let _ = write!(out, "{method} {} SIP/2.0\r\n", one_line(without_headers.as_deref().unwrap_or(uri)));
        Compose { out }
    }

    /// One header line. A value is kept to one line: a CR or LF in it (from a peer's data)
    /// becomes a space, so nothing can be smuggled in as another header.
    pub fn header(&mut self, name: &str, value: &str) -> &mut Compose {
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b": ");
        self.out.extend_from_slice(one_line(value).as_bytes());
        self.out.extend_from_slice(b"\r\n");
        self
    }

    /// `Content-Type` (with a body), `Content-Length`, the blank line and the body.
    pub fn finish(mut self, body: Option<(&str, &[u8])>) -> Vec<u8> {
        let bytes = match body {
            Some((content_type, bytes)) => {
                self.header("Content-Type", content_type);
                bytes
            }
            None => &[],
        };
        let _ = write!(self.out, "Content-Length: {}\r\n\r\n", bytes.len());
        self.out.extend_from_slice(bytes);
        self.out
    }
}

/// The reason phrases of RFC 3261 section 21 (and RFC 3262, 3265, 4028, 6665 for the
/// codes they add); the class's generic phrase for any other code.
pub fn usual_reason(code: u16) -> &'static str {
    match code {
        100 => "Trying",
        180 => "Ringing",
        181 => "Call Is Being Forwarded",
        182 => "Queued",
        183 => "Session Progress",
        200 => "OK",
        202 => "Accepted",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Moved Temporarily",
        305 => "Use Proxy",
        380 => "Alternative Service",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        410 => "Gone",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme",
        420 => "Bad Extension",
        421 => "Extension Required",
        422 => "Session Interval Too Small",
        423 => "Interval Too Brief",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        482 => "Loop Detected",
        483 => "Too Many Hops",
        484 => "Address Incomplete",
        485 => "Ambiguous",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        489 => "Bad Event",
        491 => "Request Pending",
        493 => "Undecipherable",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Server Time-out",
        505 => "Version Not Supported",
        513 => "Message Too Large",
        600 => "Busy Everywhere",
        603 => "Decline",
        604 => "Does Not Exist Anywhere",
        606 => "Not Acceptable",
        _ => match code / 100 {
            1 => "Session Progress",
            2 => "OK",
            3 => "Redirect",
            4 => "Request Failure",
            5 => "Server Failure",
            _ => "Global Failure",
        },
    }
}

fn one_line(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains(['\r', '\n']) { value.replace(['\r', '\n'], " ").into() } else { value.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_has_its_status_line_headers_length_and_body() {
        let mut c = Compose::response(200, "OK");
        c.header("Call-ID", "a@b");
        let bytes = c.finish(Some(("application/sdp", b"v=0\r\n")));
        assert_eq!(bytes, b"SIP/2.0 200 OK\r\nCall-ID: a@b\r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n");
    }

    #[test]
    fn an_empty_reason_takes_the_usual_one_and_a_request_line_is_written() {
        assert!(Compose::response(486, "").finish(None).starts_with(b"SIP/2.0 486 Busy Here\r\n"));
        assert_eq!(Compose::request("BYE", "sip:a@b").finish(None), b"BYE sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n");
        assert!(Compose::request("INVITE", "sip:a@b?Subject=x").finish(None).starts_with(b"INVITE sip:a@b SIP/2.0\r\n"), "19.1.5");
    }

    #[test]
    fn line_breaks_in_a_value_cannot_start_another_header() {
        let mut c = Compose::response(200, "OK");
        c.header("To", "<sip:a@b>\r\nX-Evil: 1");
        let text = String::from_utf8(c.finish(None)).expect("text");
        assert!(text.contains("To: <sip:a@b>  X-Evil: 1\r\n"));
        assert!(!text.contains("\r\nX-Evil"));
    }
}

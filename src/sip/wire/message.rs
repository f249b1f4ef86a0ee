//! Parsing and validating one SIP message (RFC 3261 sections 7 and 25) into [`Message`].

use super::frame::find_head_end;
use super::header::{canonical_name, is_multi_value, is_token, split_commas};
use super::name_addr::NameAddr;
use super::uri::{Uri, UriError};
use super::via::Via;
use crate::sip::consts::{MAX_HEADERS, MAX_MESSAGE_SIZE};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Method {
    Invite,
    Ack,
    Bye,
    Cancel,
    Options,
    Register,
    Prack,
    Update,
    Info,
    Message,
    Notify,
    Refer,
    Subscribe,
    Publish,
    /// A syntactically valid method Callplane does not know (answered 501).
    Other(String),
}

impl Method {
    pub fn parse(token: &str) -> Method {
        match token {
            "INVITE" => Method::Invite,
            "ACK" => Method::Ack,
            "BYE" => Method::Bye,
            "CANCEL" => Method::Cancel,
            "OPTIONS" => Method::Options,
            "REGISTER" => Method::Register,
            "PRACK" => Method::Prack,
            "UPDATE" => Method::Update,
            "INFO" => Method::Info,
            "MESSAGE" => Method::Message,
            "NOTIFY" => Method::Notify,
            "REFER" => Method::Refer,
            "SUBSCRIBE" => Method::Subscribe,
            "PUBLISH" => Method::Publish,
            other => Method::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Method::Invite => "INVITE",
            Method::Ack => "ACK",
            Method::Bye => "BYE",
            Method::Cancel => "CANCEL",
            Method::Options => "OPTIONS",
            Method::Register => "REGISTER",
            Method::Prack => "PRACK",
            Method::Update => "UPDATE",
            Method::Info => "INFO",
            Method::Message => "MESSAGE",
            Method::Notify => "NOTIFY",
            Method::Refer => "REFER",
            Method::Subscribe => "SUBSCRIBE",
            Method::Publish => "PUBLISH",
            Method::Other(s) => s,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartLine {
    Request { method: Method, uri: Uri },
    Response { code: u16, reason: String },
}

/// A validated message. Multi-value headers (Via, Contact, Route, Record-Route, Path) are
/// split into one entry per value; names are canonical; the body is exactly
/// Content-Length bytes.
#[derive(Debug, Clone)]
pub struct Message {
    pub start: StartLine,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Parsed at validation: every request and response has them.
    pub vias: Vec<Via>,
    pub from: NameAddr,
    pub to: NameAddr,
    pub call_id: String,
    pub cseq: (u32, Method),
}

/// Why a message was refused, with what is needed to answer it when it can be answered.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ParseError {
    /// Not even a SIP message (or a broken response): drop it.
    #[error("unparseable: {0}")]
    Unparseable(String),
    /// A request that can be answered with `status` and `reason`.
    #[error("{status} {reason}")]
    Reject { status: u16, reason: String, headers: Vec<(String, String)> },
}

fn reject(status: u16, reason: impl Into<String>, headers: &[(String, String)]) -> ParseError {
    ParseError::Reject { status, reason: reason.into(), headers: headers.to_vec() }
}

impl Message {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn method(&self) -> Option<&Method> {
        match &self.start {
            StartLine::Request { method, .. } => Some(method),
            StartLine::Response { .. } => None,
        }
    }

    pub fn request_uri(&self) -> Option<&Uri> {
        match &self.start {
            StartLine::Request { uri, .. } => Some(uri),
            StartLine::Response { .. } => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match &self.start {
            StartLine::Response { code, .. } => Some(*code),
            StartLine::Request { .. } => None,
        }
    }

    pub fn top_via(&self) -> &Via {
        // Validation guarantees at least one Via.
        &self.vias[0]
    }

    pub fn contacts(&self) -> impl Iterator<Item = &str> {
        self.header_all("Contact")
    }

    pub fn expires(&self) -> Option<u32> {
        self.header("Expires").and_then(|v| v.trim().parse().ok())
    }
}

/// Parses one message. `datagram`: the bytes are a whole UDP datagram (Content-Length may
/// truncate it; a shorter body than declared is an error, RFC 3261 section 18.3).
pub fn parse(bytes: &[u8], datagram: bool) -> Result<Message, ParseError> {
    if bytes.len() > MAX_MESSAGE_SIZE {
        return Err(ParseError::Unparseable("message too large".into()));
    }
    let start = bytes.iter().position(|b| *b != b'\r' && *b != b'\n').unwrap_or(bytes.len());
    let bytes = &bytes[start..];
    let (head, body) = match find_head_end(bytes) {
        Some((end, sep)) => (&bytes[..end], &bytes[end + sep..]),
        None => (bytes, &[][..]),
    };
    let head = std::str::from_utf8(head).map_err(|_| ParseError::Unparseable("headers are not UTF-8".into()))?;
    let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let first = lines.next().unwrap_or_default();
    let headers = parse_headers(lines)?;
    let is_response = first.starts_with("SIP/");
    let no_blank_line = find_head_end(bytes).is_none();

    let start_line = if is_response {
        parse_status_line(first)?
    } else {
        parse_request_line(first, &headers)?
    };
    if no_blank_line {
        return Err(refuse(is_response, "no empty line after the headers", &headers));
    }
    if headers.len() > MAX_HEADERS {
        return Err(refuse(is_response, "too many headers", &headers));
    }

    // Body by Content-Length.
    let lengths: Vec<&str> = headers.iter().filter(|(n, _)| n == "Content-Length").map(|(_, v)| v.as_str()).collect();
    let declared = match lengths.as_slice() {
        [] => None,
        [one] => Some(one.trim().parse::<usize>().map_err(|_| refuse(is_response, "invalid Content-Length", &headers))?),
        _ => return Err(refuse(is_response, "more than one Content-Length", &headers)),
    };
    let body = match declared {
        Some(n) if n > body.len() => return Err(refuse(is_response, "body shorter than Content-Length", &headers)),
        Some(n) => body[..n].to_vec(),
        None if datagram => body.to_vec(),
        None => Vec::new(),
    };

    let one = |name: &'static str| -> Result<&str, ParseError> {
        let mut values = headers.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str());
        let v = values.next().ok_or_else(|| refuse(is_response, format!("missing {name}"), &headers))?;
        if values.next().is_some() {
            return Err(refuse(is_response, format!("more than one {name}"), &headers));
        }
        Ok(v)
    };
    let vias = headers
        .iter()
        .filter(|(n, _)| n == "Via")
        .map(|(_, v)| Via::parse(v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| refuse(is_response, e, &headers))?;
    if vias.is_empty() {
        return Err(refuse(is_response, "missing Via", &headers));
    }
    let from = NameAddr::parse(one("From")?).map_err(|e| refuse(is_response, format!("From: {e}"), &headers))?;
    let to = NameAddr::parse(one("To")?).map_err(|e| refuse(is_response, format!("To: {e}"), &headers))?;
    let call_id = one("Call-ID")?.trim().to_owned();
    if call_id.is_empty() || call_id.contains(char::is_whitespace) {
        return Err(refuse(is_response, "invalid Call-ID", &headers));
    }
    let cseq_text = one("CSeq")?;
    let (num, cseq_method) = cseq_text
        .trim()
        .split_once(char::is_whitespace)
        .ok_or_else(|| refuse(is_response, "invalid CSeq", &headers))?;
    let num: u32 = num.parse().ok().filter(|n| *n < 1 << 31).ok_or_else(|| refuse(is_response, "CSeq number out of range", &headers))?;
    let cseq_method = cseq_method.trim();
    if !is_token(cseq_method) {
        return Err(refuse(is_response, "invalid CSeq method", &headers));
    }
    let cseq = (num, Method::parse(cseq_method));

    if let StartLine::Request { method, .. } = &start_line {
        if *method != cseq.1 {
            return Err(reject(400, "CSeq method does not match the request", &headers));
        }
        for (name, value) in &headers {
            let ok = match name.as_str() {
                "Max-Forwards" => value.trim().parse::<u8>().is_ok(),
                "Expires" => value.trim().parse::<u32>().is_ok(),
                "Date" => value.trim().ends_with("GMT"),
                "Contact" => value.trim() == "*" || NameAddr::parse(value).is_ok(),
                _ => true,
            };
            if !ok {
                return Err(reject(400, format!("invalid {name}"), &headers));
            }
        }
    }
    Ok(Message { start: start_line, headers, body, vias, from, to, call_id, cseq })
}

fn refuse(is_response: bool, why: impl Into<String>, headers: &[(String, String)]) -> ParseError {
    if is_response { ParseError::Unparseable(why.into()) } else { reject(400, why, headers) }
}

fn parse_headers<'a>(lines: impl Iterator<Item = &'a str>) -> Result<Vec<(String, String)>, ParseError> {
    let mut raw: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            // Folded continuation of the previous header (RFC 3261 section 7.3.1).
            match raw.last_mut() {
                Some((_, value)) => {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                None => return Err(ParseError::Unparseable("continuation line without a header".into())),
            }
            continue;
        }
        if line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ParseError::Reject { status: 400, reason: format!("malformed header line"), headers: raw });
        };
        let name = name.trim_end();
        if !is_token(name) {
            return Err(ParseError::Reject { status: 400, reason: "malformed header name".into(), headers: raw });
        }
        raw.push((canonical_name(name), value.trim().to_owned()));
        if raw.len() > MAX_HEADERS * 2 {
            return Err(ParseError::Unparseable("too many headers".into()));
        }
    }
    let mut headers = Vec::with_capacity(raw.len());
    for (name, value) in raw {
        if is_multi_value(&name) && value != "*" {
            for part in split_commas(&value) {
                headers.push((name.clone(), part.to_owned()));
            }
        } else {
            headers.push((name, value));
        }
    }
    Ok(headers)
}

fn parse_status_line(line: &str) -> Result<StartLine, ParseError> {
    let drop = |why: &str| ParseError::Unparseable(format!("{why}: `{}`", line.chars().take(80).collect::<String>()));
    let rest = line.strip_prefix("SIP/2.0 ").ok_or_else(|| drop("unsupported version"))?;
    let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
    if code.len() != 3 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(drop("invalid status code"));
    }
    let code: u16 = code.parse().map_err(|_| drop("invalid status code"))?;
    if !(100..700).contains(&code) {
        return Err(drop("status code out of range"));
    }
    Ok(StartLine::Response { code, reason: reason.to_owned() })
}

fn parse_request_line(line: &str, headers: &[(String, String)]) -> Result<StartLine, ParseError> {
    let parts: Vec<&str> = line.split(' ').collect();
    let [method, uri, version] = parts.as_slice() else {
        if parts.len() < 2 || !is_token(parts[0]) {
            return Err(ParseError::Unparseable("not a SIP request line".into()));
        }
        return Err(reject(400, "malformed Request-Line", headers));
    };
    if !is_token(method) {
        return Err(ParseError::Unparseable("not a SIP request line".into()));
    }
    if *version != "SIP/2.0" {
        let looks_like_sip = version.strip_prefix("SIP/").is_some_and(|v| v.split('.').all(|p| p.parse::<u32>().is_ok()));
        return Err(if looks_like_sip { reject(505, "Version Not Supported", headers) } else { reject(400, "malformed Request-Line", headers) });
    }
    let uri = match Uri::parse(uri) {
        Ok(u) if u.headers.is_some() => return Err(reject(400, "headers are not allowed in the Request-URI", headers)),
        Ok(u) => u,
        Err(UriError::UnsupportedScheme(s)) => return Err(reject(416, format!("Unsupported URI Scheme {s}"), headers)),
        Err(e) => return Err(reject(400, e.to_string(), headers)),
    };
    Ok(StartLine::Request { method: Method::parse(method), uri })
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTER: &str = "REGISTER sip:pbx.example SIP/2.0\r\n\
        v: SIP/2.0/UDP 192.0.2.5:5062;branch=z9hG4bKabc;rport\r\n\
        Max-Forwards: 70\r\n\
        f: <sip:1001@pbx.example>;tag=1\r\n\
        t: <sip:1001@pbx.example>\r\n\
        i: call-1\r\n\
        CSeq: 1 REGISTER\r\n\
        m: <sip:1001@192.0.2.5:5062>;expires=60, <sip:1001@192.0.2.5:5064>\r\n\
        Subject: folded\r\n  continuation\r\n\
        l: 0\r\n\r\n";

    #[test]
    fn compact_folded_multivalue() {
        let m = parse(REGISTER.as_bytes(), true).expect("valid");
        assert_eq!(m.method(), Some(&Method::Register));
        assert_eq!(m.contacts().count(), 2);
        assert_eq!(m.header("Subject"), Some("folded continuation"));
        assert_eq!(m.call_id, "call-1");
        assert_eq!(m.top_via().branch(), Some("z9hG4bKabc"));
    }

    #[test]
    fn bare_lf_is_tolerated() {
        let lf = REGISTER.replace("\r\n", "\n");
        assert!(parse(lf.as_bytes(), true).is_ok());
    }

    #[test]
    fn datagram_content_length() {
        let short = REGISTER.replace("l: 0", "l: 10");
        assert!(matches!(parse(short.as_bytes(), true), Err(ParseError::Reject { status: 400, .. })));
        let extra = format!("{}trailing junk", REGISTER);
        assert_eq!(parse(extra.as_bytes(), true).expect("truncated").body, b"");
    }

    #[test]
    fn unknown_methods_parse_so_they_can_get_501() {
        let m = REGISTER.replace("REGISTER sip", "FOO sip").replace("1 REGISTER", "1 FOO");
        assert_eq!(parse(m.as_bytes(), true).expect("parses").method(), Some(&Method::Other("FOO".into())));
    }

    #[test]
    fn binary_junk_is_unparseable() {
        assert!(matches!(parse(&[0xff, 0xfe, 0, 1, 2], true), Err(ParseError::Unparseable(_))));
    }
}

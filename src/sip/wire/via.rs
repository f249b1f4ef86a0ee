//! Via values (RFC 3261 section 20.42, RFC 3581 `rport`).

use super::header::parse_params;
use super::uri::Host;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Via {
    /// Upper-cased transport: UDP, TCP, TLS, SCTP, WS...
    pub transport: String,
    pub host: Host,
    pub port: Option<u16>,
    pub params: Vec<(String, Option<String>)>,
}

impl Via {
    pub fn parse(value: &str) -> Result<Via, String> {
        let bad = |why: &str| format!("invalid Via `{value}`: {why}");
        let value = value.trim();
        // sent-protocol: "SIP" SLASH "2.0" SLASH transport, LWS allowed around slashes.
        let mut rest = value;
        let mut parts = Vec::new();
        for _ in 0..3 {
            rest = rest.trim_start();
            let end = rest.find(|c: char| c == '/' || c.is_whitespace()).unwrap_or(rest.len());
            parts.push(&rest[..end]);
            rest = rest[end..].trim_start();
            if parts.len() < 3 {
                rest = rest.strip_prefix('/').ok_or_else(|| bad("malformed sent-protocol"))?;
            }
        }
        if !parts[0].eq_ignore_ascii_case("SIP") || parts[1] != "2.0" || !super::header::is_token(parts[2]) {
            return Err(bad("malformed sent-protocol"));
        }
        let (sent_by, params) = rest.split_once(';').unwrap_or((rest, ""));
        let sent_by = sent_by.trim();
        if sent_by.is_empty() || sent_by.contains(char::is_whitespace) {
            return Err(bad("malformed sent-by"));
        }
        let uri = super::uri::Uri::parse(&format!("sip:{sent_by}")).map_err(|e| bad(&e.to_string()))?;
        if uri.user.is_some() || !uri.params.is_empty() {
            return Err(bad("malformed sent-by"));
        }
        let params = parse_params(params).map_err(|e| bad(&e))?;
        Ok(Via { transport: parts[2].to_ascii_uppercase(), host: uri.host, port: uri.port, params })
    }

    pub fn param(&self, name: &str) -> Option<Option<&str>> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_deref())
    }

    pub fn branch(&self) -> Option<&str> {
        self.param("branch").flatten()
    }

    /// `host[:port]` as sent.
    pub fn sent_by(&self) -> String {
        match self.port {
            Some(p) => format!("{}:{p}", self.host),
            None => self.host.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_spaces_ipv6_and_rport() {
        let v = Via::parse("SIP / 2.0 / UDP [2001:db8::9]:5070;branch=z9hG4bKx;rport").expect("via");
        assert_eq!(v.transport, "UDP");
        assert_eq!(v.port, Some(5070));
        assert_eq!(v.branch(), Some("z9hG4bKx"));
        assert_eq!(v.param("rport"), Some(None));
    }

    #[test]
    fn refuses_empty_params() {
        assert!(Via::parse("SIP/2.0/UDP 192.0.2.15;;,;,,").is_err());
        assert!(Via::parse("SIP/3.0/UDP host").is_err());
    }
}

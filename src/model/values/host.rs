//! Host names and `host[:port]` of trunks, outbound proxies and webhook URLs.

use std::borrow::Cow;
use std::net::IpAddr;
use std::str::FromStr;

use super::string_value::string_value;

/// A host name, IPv4 address or IPv6 address (written with or without brackets).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Host(String);

impl Host {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address when the host is an IP literal (brackets removed).
    pub fn ip(&self) -> Option<IpAddr> {
        unbracketed(&self.0).parse().ok()
    }

    /// The host as a SIP URI writes it: IPv6 literals in brackets (RFC 3261 section 25.1).
    pub fn uri_form(&self) -> Cow<'_, str> {
        match self.ip() {
            Some(IpAddr::V6(v6)) => Cow::Owned(format!("[{v6}]")),
            _ => Cow::Borrowed(&self.0),
        }
    }

    fn text(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }
}

fn unbracketed(value: &str) -> &str {
    value.strip_prefix('[').and_then(|v| v.strip_suffix(']')).unwrap_or(value)
}

impl FromStr for Host {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        if value.is_empty() {
            return Err("must not be empty".into());
        }
        if unbracketed(value).parse::<IpAddr>().is_ok() {
            return Ok(Host(value.to_owned()));
        }
        if value.len() > 253 {
            return Err("must be at most 253 characters".into());
        }
        let valid_label = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if value.trim_end_matches('.').split('.').all(valid_label) {
            Ok(Host(value.to_owned()))
        } else {
            Err(format!("`{value}` is not a valid host name or IP address"))
        }
    }
}

/// Read access as text (a valid value is also valid text).
impl std::ops::Deref for Host {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Host {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

string_value!(Host, "host", "A host name or IP address.");

/// `host` or `host:port` (IPv6 in brackets when a port follows).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostPort {
    pub host: Host,
    pub port: Option<u16>,
}

impl HostPort {
    fn text(&self) -> Cow<'_, str> {
        match self.port {
            Some(p) => Cow::Owned(format!("{}:{p}", self.host.uri_form())),
            None => self.host.text(),
        }
    }
}

impl FromStr for HostPort {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        if value.starts_with('[') {
            if let Some(end) = value.find(']') {
                let host = value[..=end].parse()?;
                let rest = &value[end + 1..];
                return match rest.strip_prefix(':') {
                    None if rest.is_empty() => Ok(HostPort { host, port: None }),
                    Some(p) => Ok(HostPort { host, port: Some(port(p)?) }),
                    None => Err(format!("`{value}` is not host[:port]")),
                };
            }
        }
        match value.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => Ok(HostPort { host: h.parse()?, port: Some(port(p)?) }),
            _ => Ok(HostPort { host: value.parse()?, port: None }),
        }
    }
}

fn port(p: &str) -> Result<u16, String> {
    match p.parse::<u16>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("`{p}` is not a port number (1-65535)")),
    }
}

string_value!(HostPort, "host_port", "`host` or `host:port`.");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert!("sip.carrier.example".parse::<Host>().is_ok());
        assert!("192.0.2.1".parse::<Host>().is_ok());
        let v6: Host = "[2001:db8::1]".parse().expect("v6");
        assert_eq!(v6.ip(), "2001:db8::1".parse().ok());
        let bare_v6: Host = "2001:db8::1".parse().expect("bare v6");
        assert_eq!(bare_v6.uri_form(), "[2001:db8::1]");
        assert!("bad host".parse::<Host>().is_err());
        assert!("-x.example".parse::<Host>().is_err());
    }

    #[test]
    fn host_ports() {
        let hp: HostPort = "proxy.example:5070".parse().expect("host:port");
        assert_eq!((hp.host.as_str(), hp.port), ("proxy.example", Some(5070)));
        assert_eq!(hp.to_string(), "proxy.example:5070");
        let v6: HostPort = "[2001:db8::1]:5060".parse().expect("v6");
        assert_eq!(v6.port, Some(5060));
        assert_eq!(v6.to_string(), "[2001:db8::1]:5060");
        assert_eq!("proxy.example".parse::<HostPort>().map(|h| h.port), Ok(None));
        assert!("proxy.example:0".parse::<HostPort>().is_err());
        assert!("[2001:db8::1]x".parse::<HostPort>().is_err());
    }
}

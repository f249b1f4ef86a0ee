//! SIP, SIPS and TEL URIs (RFC 3261 section 19.1, RFC 3966), including what rsip 0.4
//! refuses: global `tel:+1-201-555-0123` numbers and IPv6 hosts.

use std::fmt;
use std::net::IpAddr;

use super::header::parse_params;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Sip,
    Sips,
    Tel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Name(String),
    Ip(IpAddr),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Name(n) => f.write_str(n),
            Host::Ip(IpAddr::V6(v6)) => write!(f, "[{v6}]"),
            Host::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UriError {
    /// RFC 3261 section 8.2.2.1: answered with 416.
    #[error("unsupported URI scheme `{0}`")]
    UnsupportedScheme(String),
    #[error("invalid URI: {0}")]
    Invalid(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uri {
    pub scheme: Scheme,
    /// The user part, %-escapes decoded; for `tel:` the number.
    pub user: Option<String>,
    /// Empty for `tel:`.
    pub host: Host,
    pub port: Option<u16>,
    pub params: Vec<(String, Option<String>)>,
    /// `?headers` part, kept raw.
    pub headers: Option<String>,
}

fn invalid(s: &str, why: &str) -> UriError {
    UriError::Invalid(format!("`{s}`: {why}"))
}

/// Decodes %HH escapes; malformed escapes are errors.
pub fn unescape(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

fn parse_host_port(hp: &str, whole: &str) -> Result<(Host, Option<u16>), UriError> {
    if let Some(rest) = hp.strip_prefix('[') {
        let end = rest.find(']').ok_or_else(|| invalid(whole, "unclosed IPv6 bracket"))?;
        let ip: std::net::Ipv6Addr = rest[..end].parse().map_err(|_| invalid(whole, "bad IPv6 address"))?;
        let after = &rest[end + 1..];
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.parse::<u16>().map_err(|_| invalid(whole, "bad port"))?),
            None if after.is_empty() => None,
            None => return Err(invalid(whole, "junk after IPv6 host")),
        };
        return Ok((Host::Ip(IpAddr::V6(ip)), port));
    }
    let (host, port) = match hp.rsplit_once(':') {
        Some((h, p)) => (h, Some(p.parse::<u16>().map_err(|_| invalid(whole, "bad port"))?)),
        None => (hp, None),
    };
    if host.is_empty() {
        return Err(invalid(whole, "empty host"));
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok((Host::Ip(ip), port));
    }
    let ok = host.split('.').filter(|l| !l.is_empty()).count() > 0
        && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_');
    if !ok {
        return Err(invalid(whole, "bad host"));
    }
    Ok((Host::Name(host.to_ascii_lowercase()), port))
}

impl Uri {
    /// Whether this is a `sips:` URI (reachable over TLS only, RFC 3261 section 19.1).
    pub fn scheme_is_sips(&self) -> bool {
        self.scheme == Scheme::Sips
    }

    pub fn parse(s: &str) -> Result<Uri, UriError> {
        if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid(s, "contains whitespace or control characters"));
        }
        let (scheme, rest) = s.split_once(':').ok_or_else(|| invalid(s, "no scheme"))?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "sip" => Scheme::Sip,
            "sips" => Scheme::Sips,
            "tel" => Scheme::Tel,
            other => {
                let valid = !other.is_empty()
                    && other.starts_with(|c: char| c.is_ascii_alphabetic())
                    && other.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
                return Err(if valid { UriError::UnsupportedScheme(other.to_owned()) } else { invalid(s, "bad scheme") });
            }
        };
        if scheme == Scheme::Tel {
            let (rest, headers) = match rest.split_once('?') {
                Some((r, h)) => (r, Some(h.to_owned())),
                None => (rest, None),
            };
            let (number, params) = rest.split_once(';').unwrap_or((rest, ""));
            let valid = !number.is_empty()
                && number.chars().all(|c| c.is_ascii_hexdigit() || "+-.()*#".contains(c));
            if !valid {
                return Err(invalid(s, "bad telephone number"));
            }
            let params = parse_params(params).map_err(|e| invalid(s, &e))?;
            return Ok(Uri { scheme, user: Some(number.to_owned()), host: Host::Name(String::new()), port: None, params, headers });
        }
        // The user part ends at the last '@'; it may contain ';', '?' and '/' (RFC 4475
        // semiuri, intmeth); the host part may not contain '@'. `?headers` follow the host.
        let (userinfo, hostpart) = match rest.rfind('@') {
            Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
            None => (None, rest),
        };
        let (hostpart, headers) = match hostpart.split_once('?') {
            Some((h, hdrs)) => (h, Some(hdrs.to_owned())),
            None => (hostpart, None),
        };
        let (hp, params) = hostpart.split_once(';').unwrap_or((hostpart, ""));
        let (host, port) = parse_host_port(hp, s)?;
        let params = parse_params(params).map_err(|e| invalid(s, &e))?;
        let user = match userinfo {
            Some(ui) => {
                let user = ui.split_once(':').map_or(ui, |(u, _)| u);
                if user.is_empty() {
                    return Err(invalid(s, "empty user"));
                }
                Some(unescape(user).ok_or_else(|| invalid(s, "bad %-escape in user"))?)
            }
            None => None,
        };
        Ok(Uri { scheme, user, host, port, params, headers })
    }

    pub fn param(&self, name: &str) -> Option<Option<&str>> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_deref())
    }

    /// The dialable number this URI addresses: the user part (or the tel number) without
    /// visual separators, e.g. `tel:+1-201-555-0123` -> `+12015550123`.
    pub fn number(&self) -> Option<String> {
        let user = self.user.as_deref()?;
        let digits: String = user.chars().filter(|c| !"-.()".contains(*c)).collect();
        Some(digits)
    }
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scheme {
            Scheme::Tel => write!(f, "tel:{}", self.user.as_deref().unwrap_or_default())?,
            Scheme::Sip | Scheme::Sips => {
                f.write_str(if self.scheme == Scheme::Sip { "sip:" } else { "sips:" })?;
                if let Some(u) = &self.user {
                    for c in u.chars() {
                        if c.is_ascii_alphanumeric() || "-_.!~*'()&=+$,;?/".contains(c) {
                            write!(f, "{c}")?;
                        } else {
                            let mut buf = [0u8; 4];
                            for b in c.encode_utf8(&mut buf).bytes() {
                                write!(f, "%{b:02X}")?;
                            }
                        }
                    }
                    f.write_str("@")?;
                }
                write!(f, "{}", self.host)?;
                if let Some(p) = self.port {
                    write!(f, ":{p}")?;
                }
            }
        }
        for (n, v) in &self.params {
            match v {
                Some(v) => write!(f, ";{n}={v}")?,
                None => write!(f, ";{n}")?,
            }
        }
        if let Some(h) = &self.headers {
            write!(f, "?{h}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sip_with_params_and_port() {
        let u = Uri::parse("sip:1001@192.0.2.1:5070;transport=tcp").expect("uri");
        assert_eq!(u.user.as_deref(), Some("1001"));
        assert_eq!(u.port, Some(5070));
        assert_eq!(u.param("transport"), Some(Some("tcp")));
        assert_eq!(u.to_string(), "sip:1001@192.0.2.1:5070;transport=tcp");
    }

    #[test]
    fn what_rsip_refuses() {
        let t = Uri::parse("tel:+1-201-555-0123").expect("global tel");
        assert_eq!(t.number().as_deref(), Some("+12015550123"));
        let v6 = Uri::parse("sip:[2001:db8::10]:5070").expect("ipv6");
        assert_eq!(v6.host, Host::Ip("2001:db8::10".parse().expect("ip")));
        assert_eq!(v6.to_string(), "sip:[2001:db8::10]:5070");
        let semi = Uri::parse("sip:user;par=u%40example.net@example.com").expect("semicolon user");
        assert_eq!(semi.user.as_deref(), Some("user;par=u@example.net"));
    }

    #[test]
    fn refusals() {
        assert!(matches!(Uri::parse("soap.beep://192.0.2.103:3002"), Err(UriError::UnsupportedScheme(_))));
        assert!(Uri::parse("<sip:a@b>").is_err());
        assert!(Uri::parse("sip:a@b c").is_err());
        assert!(Uri::parse("sip:a@b:99999").is_err());
        assert!(Uri::parse("sip:%zz@b").is_err());
    }
}

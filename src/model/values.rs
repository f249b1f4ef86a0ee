//! Validators for the values configuration is made of: dialable numbers, dial-plan
//! prefixes, CIDRs, hosts. Each returns the reason a value is wrong, in words a user acts on.

use std::net::IpAddr;

use ipnet::IpNet;

/// Longest dialable number (E.164 allows 15 digits; internal schemes and prefixes add some).
pub const MAX_NUMBER_LEN: usize = 32;

/// A dialable number: digits, optionally with one leading `+` (E.164).
pub fn number(value: &str) -> Result<(), String> {
    let digits = value.strip_prefix('+').unwrap_or(value);
    if digits.is_empty() {
        return Err("must contain at least one digit".into());
    }
    if value.len() > MAX_NUMBER_LEN {
        return Err(format!("must be at most {MAX_NUMBER_LEN} characters"));
    }
    if let Some(c) = digits.chars().find(|c| !c.is_ascii_digit()) {
        return Err(format!("must contain digits only (with an optional leading +), found {c:?}"));
    }
    Ok(())
}

/// A dial-plan prefix: digits, `*`, `#` and a leading `+`; empty matches every number.
pub fn prefix(value: &str) -> Result<(), String> {
    if value.len() > MAX_NUMBER_LEN {
        return Err(format!("must be at most {MAX_NUMBER_LEN} characters"));
    }
    let rest = value.strip_prefix('+').unwrap_or(value);
    if let Some(c) = rest.chars().find(|c| !(c.is_ascii_digit() || *c == '*' || *c == '#')) {
        return Err(format!("may contain digits, * and # only (with an optional leading +), found {c:?}"));
    }
    Ok(())
}

/// An IP address or CIDR block; a bare address means a single host.
pub fn parse_cidr(value: &str) -> Result<IpNet, String> {
    let value = value.trim();
    value
        .parse::<IpNet>()
        .or_else(|_| value.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{value}` is not an IP address or CIDR block (e.g. 192.0.2.0/24)"))
}

/// A host name, IPv4 address or IPv6 address (with or without brackets).
pub fn host(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    let unbracketed = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')).unwrap_or(value);
    if unbracketed.parse::<IpAddr>().is_ok() {
        return Ok(());
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
        Ok(())
    } else {
        Err(format!("`{value}` is not a valid host name or IP address"))
    }
}

/// `host` or `host:port`, used for outbound proxies.
pub fn host_port(value: &str) -> Result<(), String> {
    if value.starts_with('[') {
        if let Some(end) = value.find(']') {
            let rest = &value[end + 1..];
            host(&value[..=end])?;
            return match rest.strip_prefix(':') {
                None if rest.is_empty() => Ok(()),
                Some(p) => port_text(p),
                None => Err(format!("`{value}` is not host[:port]")),
            };
        }
    }
    match value.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => {
            host(h)?;
            port_text(p)
        }
        _ => host(value),
    }
}

fn port_text(p: &str) -> Result<(), String> {
    match p.parse::<u16>() {
        Ok(n) if n > 0 => Ok(()),
        _ => Err(format!("`{p}` is not a port number (1-65535)")),
    }
}

/// Free text with a length limit and no control characters.
pub fn text(value: &str, max: usize) -> Result<(), String> {
    if value.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(())
}

/// A SIP user part or token (username, realm, URI parameters): printable, no spaces or `<>"`.
pub fn sip_token(value: &str, max: usize) -> Result<(), String> {
    text(value, max)?;
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\\')) {
        return Err(format!("must not contain {c:?}"));
    }
    Ok(())
}

/// An event type filter: `*`, `call.*`, `registration.created`.
pub fn event_pattern(value: &str) -> Result<(), String> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.' || c == '*');
    let star_ok = value.find('*').is_none_or(|i| i == value.len() - 1);
    if ok && star_ok {
        Ok(())
    } else {
        Err(format!("`{value}` is not an event type pattern (e.g. `call.*`, `registration.created`, `*`)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert!(number("1001").is_ok());
        assert!(number("+442071234567").is_ok());
        assert!(number("").is_err());
        assert!(number("+").is_err());
        assert!(number("10a1").is_err());
        assert!(number("1 001").is_err());
        assert!(number(&"1".repeat(33)).is_err());
    }

    #[test]
    fn prefixes() {
        assert!(prefix("").is_ok());
        assert!(prefix("*72").is_ok());
        assert!(prefix("+44").is_ok());
        assert!(prefix("9x").is_err());
    }

    #[test]
    fn cidrs() {
        assert_eq!(parse_cidr("192.0.2.7").map(|n| n.prefix_len()), Ok(32));
        assert!(parse_cidr("10.0.0.0/8").is_ok());
        assert!(parse_cidr("2001:db8::/32").is_ok());
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("office").is_err());
    }

    #[test]
    fn hosts() {
        assert!(host("sip.carrier.example").is_ok());
        assert!(host("192.0.2.1").is_ok());
        assert!(host("[2001:db8::1]").is_ok());
        assert!(host("bad host").is_err());
        assert!(host("-x.example").is_err());
        assert!(host_port("proxy.example:5070").is_ok());
        assert!(host_port("[2001:db8::1]:5060").is_ok());
        assert!(host_port("proxy.example:0").is_err());
    }

    #[test]
    fn event_patterns() {
        assert!(event_pattern("*").is_ok());
        assert!(event_pattern("call.*").is_ok());
        assert!(event_pattern("call.*.x").is_err());
        assert!(event_pattern("Call").is_err());
    }
}

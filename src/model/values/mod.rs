//! The values configuration is made of. Dialable numbers, dial-plan prefixes, CIDRs and
//! hosts are types, parsed once where they enter (API body or stored record); free text,
//! SIP tokens and event patterns are checked by the validators below, which return the
//! reason a value is wrong in words a user acts on.

mod cidr;
mod forward_target;
mod group_fallback;
mod host;
mod number;
mod string_value;

pub use cidr::Cidr;
pub use forward_target::{ForwardTarget, VOICEMAIL};
pub use group_fallback::GroupFallback;
pub use host::{Host, HostPort};
pub use number::{MAX_NUMBER_LEN, Number, Prefix};

/// How a value type's parse error starts in a serde error; the API answers these with 422.
pub const INVALID_VALUE: &str = "invalid value: ";

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

/// An e-mail address as a mail server takes it in an envelope: `name@domain.tld`, no
/// spaces, control characters or angle brackets, at most 254 characters.
pub fn email(value: &str) -> Result<(), String> {
    let mut parts = value.split('@');
    let ok = matches!((parts.next(), parts.next(), parts.next()), (Some(name), Some(domain), None) if !name.is_empty() && domain.contains('.'))
        && value.len() <= 254
        && !value.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>');
    if ok { Ok(()) } else { Err("must be an e-mail address (name@example.com)".into()) }
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
    fn event_patterns() {
        assert!(event_pattern("*").is_ok());
        assert!(event_pattern("call.*").is_ok());
        assert!(event_pattern("call.*.x").is_err());
        assert!(event_pattern("Call").is_err());
    }
}

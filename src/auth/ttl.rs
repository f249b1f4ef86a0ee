//! Token lifetimes written the way people say them: `90s`, `15m`, `12h`, `30d`.

use std::time::Duration;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid duration `{0}`: use a positive number followed by s, m, h or d (e.g. 30d)")]
pub struct InvalidTtl(pub String);

/// Longest lifetime a token may have (10 years).
pub const MAX_TTL: Duration = Duration::from_secs(10 * 365 * 86_400);

pub fn parse_ttl(text: &str) -> Result<Duration, InvalidTtl> {
    let err = || InvalidTtl(text.to_owned());
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let value: u64 = digits.parse().map_err(|_| err())?;
    let factor = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(err()),
    };
    let secs = value.checked_mul(factor).ok_or_else(err)?;
    if secs == 0 || secs > MAX_TTL.as_secs() {
        return Err(err());
    }
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units() {
        assert_eq!(parse_ttl("30d"), Ok(Duration::from_secs(30 * 86_400)));
        assert_eq!(parse_ttl("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_ttl("3600"), Ok(Duration::from_secs(3600)));
        assert!(parse_ttl("0d").is_err());
        assert!(parse_ttl("d").is_err());
        assert!(parse_ttl("5w").is_err());
        assert!(parse_ttl("99999999999999999999d").is_err());
        assert!(parse_ttl("20000d").is_err());
    }
}

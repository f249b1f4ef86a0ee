//! Keypresses sent as SIP INFO: `application/dtmf-relay` (`Signal=5` and `Duration=160`
//! lines, the de-facto format phones and gateways use) and `application/dtmf` (the key
//! alone).

/// The key and, when given, its duration in milliseconds; `None` when the body is not a
/// keypress.
pub fn parse(content_type: &str, body: &[u8]) -> Option<(char, Option<u32>)> {
    let media_type = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let text = std::str::from_utf8(body).ok()?;
    match media_type.as_str() {
        "application/dtmf-relay" => {
            let mut signal = None;
            let mut duration = None;
            for line in text.lines() {
                let Some((name, value)) = line.split_once('=') else { continue };
                match name.trim().to_ascii_lowercase().as_str() {
                    "signal" => signal = key(value.trim()),
                    "duration" => duration = value.trim().parse().ok(),
                    _ => {}
                }
            }
            signal.map(|s| (s, duration))
        }
        "application/dtmf" => key(text.trim()).map(|k| (k, None)),
        _ => None,
    }
}

/// One key: `0`-`9`, `*`, `#`, `A`-`D` (also written as the RFC 4733 codes 10-15).
fn key(value: &str) -> Option<char> {
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_digit() || matches!(c, '*' | '#') => Some(c),
        (Some(c), None) if matches!(c.to_ascii_uppercase(), 'A'..='D') => Some(c.to_ascii_uppercase()),
        _ => match value {
            "10" => Some('*'),
            "11" => Some('#'),
            "12" => Some('A'),
            "13" => Some('B'),
            "14" => Some('C'),
            "15" => Some('D'),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtmf_relay_bodies() {
        assert_eq!(parse("application/dtmf-relay", b"Signal=5\r\nDuration=160\r\n"), Some(('5', Some(160))));
        assert_eq!(parse("application/dtmf-relay", b"Signal= #\nDuration= 250\n"), Some(('#', Some(250))));
        assert_eq!(parse("Application/DTMF-Relay; charset=x", b"Signal=11\r\n"), Some(('#', None)));
        assert_eq!(parse("application/dtmf-relay", b"Duration=160\r\n"), None);
        assert_eq!(parse("application/dtmf-relay", b"Signal=55\r\n"), None);
    }

    #[test]
    fn dtmf_bodies_and_others() {
        assert_eq!(parse("application/dtmf", b"7"), Some(('7', None)));
        assert_eq!(parse("application/dtmf", b"d\r\n"), Some(('D', None)));
        assert_eq!(parse("application/sdp", b"Signal=5"), None);
    }
}

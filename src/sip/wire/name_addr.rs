//! `name-addr` / `addr-spec` values of From, To and Contact (RFC 3261 section 20.10).

use super::header::{parse_params, split_unquoted};
use super::uri::{Uri, UriError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAddr {
    pub display: Option<String>,
    pub uri: Uri,
    /// Header parameters (`tag`, `expires`, `+sip.instance`, `q`...), names lower-cased.
    pub params: Vec<(String, Option<String>)>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NameAddrError {
    #[error(transparent)]
    Uri(#[from] UriError),
    #[error("invalid address `{0}`: {1}")]
    Invalid(String, &'static str),
}

impl NameAddr {
    pub fn parse(value: &str) -> Result<NameAddr, NameAddrError> {
        let value = value.trim();
        let bad = |why| NameAddrError::Invalid(value.to_owned(), why);
        if !quotes_balanced(value) {
            return Err(bad("unbalanced quotes"));
        }
        if let Some(open) = find_unquoted(value, '<') {
            let display = value[..open].trim();
            let close = value[open..].find('>').map(|c| c + open).ok_or_else(|| bad("missing `>`"))?;
            let inner = &value[open + 1..close];
            if inner.trim() != inner {
                return Err(bad("whitespace inside `<>`"));
            }
            let display = if display.is_empty() {
                None
            } else if display.starts_with('"') {
                if !display.ends_with('"') || display.len() < 2 {
                    return Err(bad("junk around the quoted display name"));
                }
                Some(super::header::unquote(display))
            } else if display.split_whitespace().all(super::header::is_token) {
                Some(display.to_owned())
            } else {
                return Err(bad("display name must be quoted"));
            };
            let rest = value[close + 1..].trim();
            let params = match rest.strip_prefix(';') {
                Some(p) => parse_params(p).map_err(|_| bad("invalid parameter"))?,
                None if rest.is_empty() => vec![],
                None => return Err(bad("junk after `>`")),
            };
            return Ok(NameAddr { display, uri: Uri::parse(inner)?, params });
        }
        // addr-spec without brackets: parameters belong to the header, and the URI may not
        // contain `?`, `,` or `;` of its own (RFC 3261 section 20.10).
        let mut parts = split_unquoted(value, ';').into_iter();
        let uri_text = parts.next().unwrap_or_default().trim();
        if uri_text.contains(['?', ',']) {
            return Err(bad("a URI with headers or commas needs `<>`"));
        }
        let params_text: Vec<&str> = parts.collect();
        let params = parse_params(&params_text.join(";")).map_err(|_| bad("invalid parameter"))?;
        Ok(NameAddr { display: None, uri: Uri::parse(uri_text)?, params })
    }

    pub fn param(&self, name: &str) -> Option<Option<&str>> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_deref())
    }

    pub fn tag(&self) -> Option<&str> {
        self.param("tag").flatten()
    }
}

fn quotes_balanced(s: &str) -> bool {
    let (mut in_quotes, mut escaped) = (false, false);
    for c in s.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' && in_quotes {
            escaped = true;
        } else if c == '"' {
            in_quotes = !in_quotes;
        }
    }
    !in_quotes
}

fn find_unquoted(s: &str, target: char) -> Option<usize> {
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            c if c == target && !in_quotes => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let a = NameAddr::parse(r#""Alice, Sales" <sip:1001@pbx.example>;tag=abc"#).expect("name-addr");
        assert_eq!(a.display.as_deref(), Some("Alice, Sales"));
        assert_eq!(a.tag(), Some("abc"));
        let b = NameAddr::parse("sip:1001@pbx.example;tag=x").expect("addr-spec");
        assert_eq!(b.uri.params, vec![]);
        assert_eq!(b.tag(), Some("x"));
        let c = NameAddr::parse(r#"<sip:1001@192.0.2.5:5062;ob>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";expires=60"#)
            .expect("contact");
        assert_eq!(c.param("expires"), Some(Some("60")));
        assert!(c.param("+sip.instance").is_some());
    }

    #[test]
    fn rfc4475_invalid_forms() {
        assert!(NameAddr::parse(r#""Mr. J. User <sip:j.user@example.com>"#).is_err());
        assert!(NameAddr::parse("Bell, Alexander <sip:a.g.bell@example.com>;tag=43").is_err());
        assert!(NameAddr::parse("\"Watson, Thomas\" < sip:t.watson@example.org >").is_err());
        assert!(NameAddr::parse("sip:user@example.com?Route=%3Csip:sip.example.com%3E").is_err());
    }
}

//! Header names (compact forms, canonical spelling) and splitting of comma-separated values.

/// RFC 3261 section 7.3.3 and later RFCs' compact header forms.
pub fn expand_compact(name: &str) -> Option<&'static str> {
    Some(match name {
        "i" | "I" => "Call-ID",
        "m" | "M" => "Contact",
        "e" | "E" => "Content-Encoding",
        "l" | "L" => "Content-Length",
        "c" | "C" => "Content-Type",
        "f" | "F" => "From",
        "s" | "S" => "Subject",
        "k" | "K" => "Supported",
        "t" | "T" => "To",
        "v" | "V" => "Via",
        "o" | "O" => "Event",
        "r" | "R" => "Refer-To",
        "b" | "B" => "Referred-By",
        "u" | "U" => "Allow-Events",
        "x" | "X" => "Session-Expires",
        "a" | "A" => "Accept-Contact",
        "j" | "J" => "Reject-Contact",
        "d" | "D" => "Request-Disposition",
        "y" | "Y" => "Identity",
        "n" | "N" => "Identity-Info",
        _ => return None,
    })
}

const CANONICAL: &[&str] = &[
    "Accept", "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow", "Allow-Events",
    "Authentication-Info", "Authorization", "Call-ID", "Call-Info", "Contact", "Content-Disposition",
    "Content-Encoding", "Content-Language", "Content-Length", "Content-Type", "CSeq", "Date",
    "Error-Info", "Event", "Expires", "From", "In-Reply-To", "Max-Forwards", "Min-Expires",
    "MIME-Version", "Organization", "P-Asserted-Identity", "P-Preferred-Identity", "Path",
    "Priority", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Require", "RAck",
    "Reason", "Record-Route", "Refer-To", "Referred-By", "Reply-To", "Require", "Retry-After",
    "Route", "RSeq", "Server", "Session-Expires", "Subject", "Supported", "Timestamp", "To",
    "Unsupported", "User-Agent", "Via", "Warning", "WWW-Authenticate",
];

/// The canonical spelling of a header name (compact forms expanded); unknown names as sent.
pub fn canonical_name(name: &str) -> String {
    if let Some(full) = expand_compact(name) {
        return full.to_owned();
    }
    CANONICAL
        .iter()
        .find(|c| c.eq_ignore_ascii_case(name))
        .map_or_else(|| name.to_owned(), |c| (*c).to_owned())
}

/// Headers whose value may be a comma-separated list of elements that each stand alone.
pub fn is_multi_value(name: &str) -> bool {
    matches!(name, "Via" | "Contact" | "Route" | "Record-Route" | "Path")
}

/// Splits on commas that are outside quoted strings and angle brackets.
pub fn split_commas(value: &str) -> Vec<&str> {
    split_unquoted(value, ',').into_iter().map(str::trim).collect()
}

/// Parses `;name=value;flag` parameters (the text after the first `;`).
pub fn parse_params(text: &str) -> Result<Vec<(String, Option<String>)>, String> {
    let mut out = Vec::new();
    if text.trim().is_empty() {
        return Ok(out);
    }
    for part in split_unquoted(text, ';') {
        let part = part.trim();
        if part.is_empty() {
            return Err("empty parameter".into());
        }
        match part.split_once('=') {
            Some((n, v)) => {
                let n = n.trim();
                let v = v.trim();
                if !is_token(n) || v.is_empty() {
                    return Err(format!("invalid parameter `{part}`"));
                }
                if v.starts_with('"') && !(v.len() >= 2 && v.ends_with('"')) {
                    return Err(format!("unbalanced quotes in `{part}`"));
                }
                out.push((n.to_ascii_lowercase(), Some(v.to_owned())));
            }
            None if is_token(part) => out.push((part.to_ascii_lowercase(), None)),
            None => return Err(format!("invalid parameter `{part}`")),
        }
    }
    Ok(out)
}

/// Splits on `sep` outside quoted strings and angle brackets.
pub fn split_unquoted(value: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut in_quotes, mut in_angle, mut escaped) = (false, false, false);
    let mut start = 0;
    for (i, c) in value.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            '<' if !in_quotes => in_angle = true,
            '>' if !in_quotes => in_angle = false,
            c if c == sep && !in_quotes && !in_angle => {
                parts.push(&value[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts
}

/// RFC 3261 `token` characters.
pub fn is_token(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-.!%*_+`'~".contains(c))
}

/// Removes the quotes and backslash escapes of a quoted string; plain tokens are returned as is.
pub fn unquote(s: &str) -> String {
    let s = s.trim();
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        let mut out = String::with_capacity(s.len());
        let mut escaped = false;
        for c in s[1..s.len() - 1].chars() {
            if escaped {
                out.push(c);
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else {
                out.push(c);
            }
        }
        out
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(canonical_name("v"), "Via");
        assert_eq!(canonical_name("call-id"), "Call-ID");
        assert_eq!(canonical_name("cseq"), "CSeq");
        assert_eq!(canonical_name("X-Custom"), "X-Custom");
    }

    #[test]
    fn commas_inside_quotes_and_brackets_do_not_split() {
        let v = r#""Smith, J" <sip:a@b;x=1,2>;expires=3, <sip:c@d>"#;
        assert_eq!(split_commas(v), [r#""Smith, J" <sip:a@b;x=1,2>;expires=3"#, "<sip:c@d>"]);
    }

    #[test]
    fn params() {
        let p = parse_params("branch=z9hG4bK1;rport;received=1.2.3.4").expect("params");
        assert_eq!(p[1], ("rport".into(), None));
        assert!(parse_params(";;").is_err());
        assert!(parse_params("a=\"x").is_err());
    }
}

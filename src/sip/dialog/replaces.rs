//! The Replaces header (RFC 3891), which names a dialog to take over.

/// RFC 3891 section 6.1: `callid;to-tag=...;from-tag=...` (the tags in either role).
pub fn parse(value: &str) -> (String, Vec<String>) {
    let mut parts = value.split(';');
    let call_id = parts.next().unwrap_or_default().trim().to_owned();
    let tags = parts
        .filter_map(|p| p.split_once('='))
        .filter(|(n, _)| n.trim().eq_ignore_ascii_case("to-tag") || n.trim().eq_ignore_ascii_case("from-tag"))
        .map(|(_, v)| v.trim().to_owned())
        .collect();
    (call_id, tags)
}

/// RFC 3891 section 6.1: the `early-only` flag.
pub fn early_only(value: &str) -> bool {
    value.split(';').skip(1).any(|p| p.trim().eq_ignore_ascii_case("early-only"))
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 3891 section 6.1: Call-ID, then both tags.
    #[test]
    fn replaces_names_a_dialog() {
        assert_eq!(parse("abc@host;to-tag=1;from-tag=2;early-only"), ("abc@host".to_owned(), vec!["1".to_owned(), "2".to_owned()]));
        assert!(early_only("abc@host;to-tag=1;from-tag=2;early-only"));
        assert!(!early_only("abc@host;to-tag=1;from-tag=2"));
    }
}

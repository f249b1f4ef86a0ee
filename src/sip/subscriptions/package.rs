//! The event packages Callplane serves, and the rules of RFC 6665 about the `Event` and
//! `Expires` headers of a SUBSCRIBE; pure.

/// The packages, named as in the `Event` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, poem_openapi::Enum)]
#[oai(rename_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
pub enum Package {
    /// RFC 4235: the calls on a line (busy lamp fields).
    Dialog,
    /// RFC 3856: available, on the phone, do-not-disturb, offline.
    Presence,
    /// RFC 3842: waiting voice messages.
    MessageSummary,
}

/// Listed in `Allow-Events` (RFC 6665 section 8.2.2).
pub const ALLOW_EVENTS: &str = "dialog, presence, message-summary";

impl Package {
    pub fn as_str(self) -> &'static str {
        match self {
            Package::Dialog => "dialog",
            Package::Presence => "presence",
            Package::MessageSummary => "message-summary",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Package::Dialog => "application/dialog-info+xml",
            Package::Presence => "application/pidf+xml",
            Package::MessageSummary => "application/simple-message-summary",
        }
    }
}

/// The `Event` header's package and its `id` parameter (RFC 6665 section 8.2.1: the
/// package name is case-sensitive token; `id` tells subscriptions in one dialog apart).
pub fn parse_event(value: &str) -> Option<(Package, Option<String>)> {
    let mut parts = value.split(';').map(str::trim);
    let package = match parts.next()? {
        "dialog" => Package::Dialog,
        "presence" => Package::Presence,
        "message-summary" => Package::MessageSummary,
        _ => return None,
    };
    let id = parts.find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim().eq_ignore_ascii_case("id").then(|| value.trim().to_owned())
    });
    Some((package, id))
}

/// How long a subscription is granted, from its `Expires` (RFC 6665 section 4.2.1.1: the
/// notifier may shorten it, never lengthen it; absent: the package's default, 3600 s for
/// all three). `Err(min)`: too brief, answer 423 with `Min-Expires: min`. 0 is a fetch or
/// an unsubscribe.
pub fn granted_expires(requested: Option<u32>, min: u32, max: u32) -> Result<u32, u32> {
    match requested {
        Some(0) => Ok(0),
        Some(s) if s < min => Err(min),
        Some(s) => Ok(s.min(max)),
        None => Ok(3600u32.min(max)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_headers() {
        assert_eq!(parse_event("dialog"), Some((Package::Dialog, None)));
        assert_eq!(parse_event("presence;id=7"), Some((Package::Presence, Some("7".into()))));
        assert_eq!(parse_event("message-summary"), Some((Package::MessageSummary, None)));
        assert_eq!(parse_event("Dialog"), None, "RFC 6665 section 8.2.1: package names are case-sensitive");
        assert_eq!(parse_event("conference"), None);
    }

    #[test]
    fn expires_is_shortened_never_lengthened_and_too_brief_is_refused() {
        assert_eq!(granted_expires(Some(600), 60, 3600), Ok(600));
        assert_eq!(granted_expires(Some(86400), 60, 3600), Ok(3600));
        assert_eq!(granted_expires(Some(10), 60, 3600), Err(60));
        assert_eq!(granted_expires(Some(0), 60, 3600), Ok(0));
        assert_eq!(granted_expires(None, 60, 1800), Ok(1800));
    }
}

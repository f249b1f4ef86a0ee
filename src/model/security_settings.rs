//! Security settings: fail-to-ban, the whitelist, the per-source rate limit and the scanner
//! signatures. One document, stored in the store, changed with `PATCH
//! /api/v1/security/settings`; the defaults protect a PBX that nobody configured.

use ipnet::IpNet;
use poem_openapi::{Enum, Object};
use serde::{Deserialize, Serialize};

use crate::model::validate::{Checker, Invalid};
use crate::model::values::Cidr;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettings {
    pub fail2ban: FailToBan,
    /// Sources (CIDRs, or single addresses) that are never banned nor rate-limited, e.g. the
    /// office's own network or a carrier's signalling addresses.
    pub whitelist: Vec<Cidr>,
    pub rate_limit: RateLimit,
    /// Requests matching one of these get the signature's action. Replaced as a whole by
    /// PATCH.
    pub signatures: Vec<Signature>,
    /// SIP edges in front of Callplane (`deploy/kamailio/callplane-edge.cfg`): a request
    /// from one of these addresses is judged by the source the edge names in its
    /// `X-Callplane-Source` header (bans, rate limit, fail-to-ban, signatures), and the
    /// edge itself is never banned nor rate-limited. Only list edges that set the header
    /// and remove any copy a sender put there.
    #[serde(default)]
    pub edges: Vec<Cidr>,
}

/// N authentication failures from one source within a window ban the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
pub struct FailToBan {
    pub enabled: bool,
    /// Failures (wrong password, unknown user with credentials) that ban a source (1–1000).
    pub max_failures: u32,
    /// Window the failures are counted in, seconds (1–86400).
    pub window_s: u32,
    /// How long a ban lasts, seconds (1–2592000, i.e. 30 days).
    pub ban_s: u32,
}

/// A token bucket per source address: `requests_per_s` sustained, `burst` at once.
/// Requests beyond it are dropped unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    pub enabled: bool,
    /// Sustained messages per second per source (1–100000).
    pub requests_per_s: u32,
    /// Messages a source may send at once before the sustained rate applies (1–1000000).
    pub burst: u32,
}

/// Which part of a request a signature looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum SignatureField {
    /// The `User-Agent` header.
    UserAgent,
    /// The URI of the `From` header, e.g. `sip:100@1.1.1.1`.
    FromUri,
    /// The display name of the `From` header.
    DisplayName,
}

/// How the pattern is compared (always ignoring ASCII case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum SignatureMatch {
    Exact,
    Prefix,
    Contains,
}

/// What happens to a matching request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum SignatureAction {
    /// No answer; counted.
    Drop,
    /// No answer, and the source is banned like after failed logins.
    Ban,
    /// Handled normally; counted and logged.
    Log,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub field: SignatureField,
    #[serde(rename = "match")]
    #[oai(rename = "match")]
    pub matching: SignatureMatch,
    /// Compared ignoring ASCII case; 1–200 characters.
    pub pattern: String,
    pub action: SignatureAction,
}

/// Changes to the settings: each field given replaces that part.
#[derive(Debug, Clone, Default, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
pub struct SecuritySettingsPatch {
    pub fail2ban: Option<FailToBan>,
    pub whitelist: Option<Vec<Cidr>>,
    pub rate_limit: Option<RateLimit>,
    pub signatures: Option<Vec<Signature>>,
    pub edges: Option<Vec<Cidr>>,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        SecuritySettings {
            fail2ban: FailToBan { enabled: true, max_failures: 5, window_s: 60, ban_s: 3600 },
            whitelist: Vec::new(),
            // A busy office behind one NAT: 200 phones re-registering, subscribing and
            // calling stay far below 100 messages/s; a burst of 500 absorbs a reboot storm.
            rate_limit: RateLimit { enabled: true, requests_per_s: 100, burst: 500 },
            signatures: default_signatures(),
            edges: Vec::new(),
        }
    }
}

/// The scanner signatures a fresh PBX starts with (action `drop`).
pub fn default_signatures() -> Vec<Signature> {
    use SignatureField::*;
    use SignatureMatch::*;
    let sig = |field, matching, pattern: &str| Signature { field, matching, pattern: pattern.to_owned(), action: SignatureAction::Drop };
    let mut all = Vec::new();
    for ua in ["friendly-scanner", "sipvicious", "sipcli", "VaxSIPUserAgent", "SIP Call", "SimpleSIP", "Cisco-CUCM8.6"] {
        all.push(sig(UserAgent, Exact, ua));
    }
    for ua in ["Cisco-SIPGateway", "AVAYA/SPICE/v", "Z 3.14"] {
        all.push(sig(UserAgent, Prefix, ua));
    }
    all.push(sig(FromUri, Exact, "sip:100@1.1.1.1"));
    all.push(sig(FromUri, Exact, "sip:nm@nm"));
    all.push(sig(FromUri, Prefix, "sip:8888888888@"));
    for name in ["sipvicious", "MAYET", "Simple SIP", "0123456789"] {
        all.push(sig(DisplayName, Exact, name));
    }
    all
}

impl SecuritySettings {
    pub fn apply(&self, patch: SecuritySettingsPatch) -> SecuritySettings {
        SecuritySettings {
            fail2ban: patch.fail2ban.unwrap_or(self.fail2ban),
            whitelist: patch.whitelist.unwrap_or_else(|| self.whitelist.clone()),
            rate_limit: patch.rate_limit.unwrap_or(self.rate_limit),
            signatures: patch.signatures.unwrap_or_else(|| self.signatures.clone()),
            edges: patch.edges.unwrap_or_else(|| self.edges.clone()),
        }
    }

    /// Every invalid field at once.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        let range = |c: &mut Checker, field: &str, v: u32, lo: u32, hi: u32| {
            if !(lo..=hi).contains(&v) {
                c.fail(field, format!("must be between {lo} and {hi}"));
            }
        };
        range(&mut c, "fail2ban.max_failures", self.fail2ban.max_failures, 1, 1000);
        range(&mut c, "fail2ban.window_s", self.fail2ban.window_s, 1, 86_400);
        range(&mut c, "fail2ban.ban_s", self.fail2ban.ban_s, 1, 2_592_000);
        range(&mut c, "rate_limit.requests_per_s", self.rate_limit.requests_per_s, 1, 100_000);
        range(&mut c, "rate_limit.burst", self.rate_limit.burst, 1, 1_000_000);
        if self.signatures.len() > 1000 {
            c.fail("signatures", "at most 1000 signatures");
        }
        for (i, s) in self.signatures.iter().enumerate() {
            if s.pattern.is_empty() || s.pattern.len() > 200 {
                c.fail(format!("signatures[{i}].pattern"), "must be 1 to 200 characters");
            }
        }
        c.finish()
    }

    /// The whitelist as networks.
    pub fn whitelist_nets(&self) -> Vec<IpNet> {
        self.whitelist.iter().map(Cidr::net).collect()
    }

    pub fn edge_nets(&self) -> Vec<IpNet> {
        self.edges.iter().map(Cidr::net).collect()
    }
}

impl Signature {
    /// Whether `value` (of this signature's field) matches, ignoring ASCII case.
    pub fn matches(&self, value: &str) -> bool {
        let (v, p) = (value.as_bytes(), self.pattern.as_bytes());
        match self.matching {
            SignatureMatch::Exact => v.eq_ignore_ascii_case(p),
            SignatureMatch::Prefix => v.len() >= p.len() && v[..p.len()].eq_ignore_ascii_case(p),
            SignatureMatch::Contains => v.windows(p.len().max(1)).any(|w| w.eq_ignore_ascii_case(p)),
        }
    }

    /// `user_agent:exact:friendly-scanner`: names the signature in counters.
    pub fn key(&self) -> String {
        let field = match self.field {
            SignatureField::UserAgent => "user_agent",
            SignatureField::FromUri => "from_uri",
            SignatureField::DisplayName => "display_name",
        };
        let matching = match self.matching {
            SignatureMatch::Exact => "exact",
            SignatureMatch::Prefix => "prefix",
            SignatureMatch::Contains => "contains",
        };
        format!("{field}:{matching}:{}", self.pattern)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_match_what_scanners_send() {
        let s = SecuritySettings::default();
        assert!(s.validate().is_ok());
        let ua = |v: &str| s.signatures.iter().any(|sig| sig.field == SignatureField::UserAgent && sig.matches(v));
        assert!(ua("friendly-scanner"));
        assert!(ua("Cisco-SIPGateway/IOS-12.x"));
        assert!(!ua("Cisco-SIPGatewa"));
        assert!(!ua("baresip v3.20.0 (x86_64/linux)"));
    }

    #[test]
    fn validation_names_every_bad_field() {
        let mut s = SecuritySettings::default();
        s.fail2ban.max_failures = 0;
        s.rate_limit.burst = 0;
        let errors = s.validate().expect_err("invalid").0;
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["fail2ban.max_failures", "rate_limit.burst"]);
    }
}

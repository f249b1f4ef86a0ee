//! Voicemail: an extension's box (its settings live in the extension) and the messages
//! callers leave in it.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use serde::{Deserialize, Serialize};

use super::validate::Checker;

pub const DEFAULT_MAX_MESSAGE_S: u32 = 120;
/// Messages shorter than this are discarded (a caller who hung up at the beep).
pub const MIN_MESSAGE_MS: u64 = 1000;

fn yes() -> bool {
    true
}

fn default_max_message_s() -> u32 {
    DEFAULT_MAX_MESSAGE_S
}

/// An extension's voicemail box. Calls reach it through a forwarding field set to
/// `voicemail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct VoicemailBox {
    /// Whether the box takes messages (default true).
    #[serde(default = "yes")]
    #[oai(default = "yes")]
    pub enabled: bool,
    /// The longest message, in seconds (5–600, default 120): recording stops there.
    #[serde(default = "default_max_message_s")]
    #[oai(default = "default_max_message_s")]
    pub max_message_s: u32,
    /// Where new messages are e-mailed (voicemail to e-mail).
    #[serde(default)]
    pub email: Option<String>,
    /// Attach the recording to the e-mail.
    #[serde(default)]
    #[oai(default)]
    pub attach: bool,
    /// Delete the message once e-mailed.
    #[serde(default)]
    #[oai(default)]
    pub delete_after_email: bool,
    /// The PIN for listening from a phone (4–10 digits; write-only, stored hashed). Omitted
    /// when the box is changed: the PIN stays.
    #[serde(default, skip_serializing)]
    #[oai(write_only)]
    pub pin: Option<String>,
    /// Whether a PIN is set.
    #[serde(default)]
    #[oai(read_only)]
    pub has_pin: bool,
    /// The PIN's salted hash (`sha256:<salt>:<hex>`), never shown.
    #[serde(default)]
    #[oai(skip)]
    pub pin_hash: Option<String>,
}

/// `sha256:<salt>:<hex of sha256(salt, pin)>`.
pub fn hash_pin(pin: &str) -> String {
    use sha2::Digest;
    let salt: String = (0..16).map(|_| format!("{:x}", rand::random::<u8>() & 0x0f)).collect();
    let digest = sha2::Sha256::digest(format!("{salt}:{pin}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{salt}:{hex}")
}

/// Whether `pin` is the one `hash` was made of (every byte compared).
pub fn pin_matches(hash: &str, pin: &str) -> bool {
    use sha2::Digest;
    let mut parts = hash.splitn(3, ':');
    let (Some("sha256"), Some(salt), Some(hex)) = (parts.next(), parts.next(), parts.next()) else { return false };
    let digest = sha2::Sha256::digest(format!("{salt}:{pin}").as_bytes());
    let expected: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    expected.len() == hex.len() && expected.bytes().zip(hex.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

impl VoicemailBox {
    /// The box as stored: a new PIN checked and hashed (else the `previous` box's kept),
    /// never the PIN itself.
    pub fn seal(mut self, previous: Option<&VoicemailBox>) -> Result<VoicemailBox, super::Invalid> {
        self.pin_hash = match self.pin.take() {
            Some(pin) if !(4..=10).contains(&pin.len()) || !pin.chars().all(|ch| ch.is_ascii_digit()) => {
                return Err(super::Invalid::one("voicemail.pin", "must be 4 to 10 digits"));
            }
            Some(pin) => Some(hash_pin(&pin)),
            None => previous.and_then(|p| p.pin_hash.clone()),
        };
        self.has_pin = self.pin_hash.is_some();
        Ok(self)
    }
}

impl VoicemailBox {
    pub fn check(&self, c: &mut Checker) {
        if !(5..=600).contains(&self.max_message_s) {
            c.fail("voicemail.max_message_s", "must be between 5 and 600 seconds");
        }
        if let Some(e) = &self.email {
            c.check("voicemail.email", super::values::email(e));
        }
        if self.delete_after_email && self.email.is_none() {
            c.fail("voicemail.delete_after_email", "needs voicemail.email");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    #[test]
    fn a_pin_is_kept_only_as_a_salted_hash() {
        let h = hash_pin("2468");
        // The random salt and the digest are hex, so either may hold "2468" by chance: no
        // field may be the PIN, and the digest is of the salted PIN, not of the PIN alone.
        let fields: Vec<&str> = h.split(':').collect();
        assert!(matches!(fields[..], ["sha256", salt, hex] if salt.len() == 16 && hex.len() == 64), "{h}");
        assert!(!fields.contains(&"2468"), "{h}");
        let unsalted: String = sha2::Sha256::digest(b"2468").iter().map(|b| format!("{b:02x}")).collect();
        assert_ne!(fields[2], unsalted, "{h}");
        assert!(pin_matches(&h, "2468"));
        assert!(!pin_matches(&h, "2469"));
        assert_ne!(h, hash_pin("2468"), "salted");
        assert!(!pin_matches("md5:x:y", "2468"));
    }
}

/// A message in a box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Object)]
pub struct VoicemailMessage {
    pub id: String,
    /// The box owner's extension id and number.
    pub extension_id: String,
    pub number: String,
    /// Who called (their number as the call showed it).
    pub caller: String,
    /// The call the message was left in (its CDR has the same id).
    pub call_id: String,
    pub received_at: DateTime<Utc>,
    pub duration_s: f64,
    /// Whether someone listened to it (or marked it so).
    pub heard: bool,
}

/// Body of `PATCH /api/v1/voicemail/{extension}/messages/{id}`.
#[derive(Debug, Clone, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct VoicemailMessagePatch {
    pub heard: bool,
}

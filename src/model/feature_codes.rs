//! Feature codes: what a phone dials to pick up, park, or switch do-not-disturb and
//! forwarding. One document (`/api/v1/feature-codes`); the defaults are what offices
//! expect, and `classify` is the pure decision of what a dialled string asks for.

use poem_openapi::Object;
use serde::{Deserialize, Serialize};

use super::validate::{Checker, Invalid};

/// Park slots available by default: `701`–`720`.
pub const DEFAULT_PARK_FIRST: u32 = 701;
pub const DEFAULT_PARK_LAST: u32 = 720;
/// Seconds a parked call waits before it rings the parker again.
pub const DEFAULT_PARK_TIMEOUT_S: u32 = 120;
/// Slots in one range, at most.
pub const MAX_PARK_SLOTS: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Object)]
#[serde(deny_unknown_fields)]
pub struct FeatureCodes {
    /// Answer a call ringing at an extension of the caller's pickup group.
    pub group_pickup: String,
    /// Followed by an extension number: answer the call ringing there.
    pub directed_pickup: String,
    /// Do-not-disturb on for the calling extension.
    pub dnd_on: String,
    /// Do-not-disturb off.
    pub dnd_off: String,
    /// Followed by a number: forward every call to it (unconditional forwarding).
    pub forward_on: String,
    /// Unconditional forwarding off.
    pub forward_off: String,
    /// The calling extension's voicemail box: the PIN, then its messages.
    pub voicemail: String,
    /// Followed by an extension number: leave a message in its box. A transfer, a ring
    /// group's fallback or a menu option reaches a box by this number too.
    #[serde(default = "default_voicemail_deposit")]
    pub voicemail_deposit: String,
    /// Blind-transfer a call here to park it in the first free slot.
    pub park: String,
    /// The first park slot; dialling a slot takes the call parked there.
    pub park_first_slot: u32,
    /// The last park slot.
    pub park_last_slot: u32,
    /// Seconds a parked call waits before ringing the parker again (10–3600).
    pub park_timeout_s: u32,
}

impl Default for FeatureCodes {
    fn default() -> Self {
        FeatureCodes {
            group_pickup: "*8".into(),
            directed_pickup: "**".into(),
            dnd_on: "*78".into(),
            dnd_off: "*79".into(),
            forward_on: "*72".into(),
            forward_off: "*73".into(),
            voicemail: "*97".into(),
            voicemail_deposit: default_voicemail_deposit(),
            park: "700".into(),
            park_first_slot: DEFAULT_PARK_FIRST,
            park_last_slot: DEFAULT_PARK_LAST,
            park_timeout_s: DEFAULT_PARK_TIMEOUT_S,
        }
    }
}

fn default_voicemail_deposit() -> String {
    "*98".into()
}

/// Body of `PATCH /api/v1/feature-codes`: only the fields present change.
#[derive(Debug, Clone, Default, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct FeatureCodesPatch {
    pub group_pickup: Option<String>,
    pub directed_pickup: Option<String>,
    pub dnd_on: Option<String>,
    pub dnd_off: Option<String>,
    pub forward_on: Option<String>,
    pub forward_off: Option<String>,
    pub voicemail: Option<String>,
    pub voicemail_deposit: Option<String>,
    pub park: Option<String>,
    pub park_first_slot: Option<u32>,
    pub park_last_slot: Option<u32>,
    pub park_timeout_s: Option<u32>,
}

/// What a dialled string asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feature {
    GroupPickup,
    DirectedPickup(String),
    DndOn,
    DndOff,
    ForwardOn(String),
    ForwardOff,
    Voicemail,
    /// Leave a message in this extension's box.
    VoicemailDeposit(String),
    Park,
    /// A park slot: take the call parked there.
    Retrieve(String),
}

impl FeatureCodes {
    pub fn apply(&self, p: FeatureCodesPatch) -> FeatureCodes {
        let mut c = self.clone();
        let set = |field: &mut String, v: Option<String>| {
            if let Some(v) = v {
                *field = v;
            }
        };
        set(&mut c.group_pickup, p.group_pickup);
        set(&mut c.directed_pickup, p.directed_pickup);
        set(&mut c.dnd_on, p.dnd_on);
        set(&mut c.dnd_off, p.dnd_off);
        set(&mut c.forward_on, p.forward_on);
        set(&mut c.forward_off, p.forward_off);
        set(&mut c.voicemail, p.voicemail);
        set(&mut c.voicemail_deposit, p.voicemail_deposit);
        set(&mut c.park, p.park);
        c.park_first_slot = p.park_first_slot.unwrap_or(c.park_first_slot);
        c.park_last_slot = p.park_last_slot.unwrap_or(c.park_last_slot);
        c.park_timeout_s = p.park_timeout_s.unwrap_or(c.park_timeout_s);
        c
    }

    fn codes(&self) -> [(&'static str, &str, bool); 9] {
        // (field, code, takes digits after it)
        [
            ("group_pickup", &self.group_pickup, false),
            ("directed_pickup", &self.directed_pickup, true),
            ("dnd_on", &self.dnd_on, false),
            ("dnd_off", &self.dnd_off, false),
            ("forward_on", &self.forward_on, true),
            ("forward_off", &self.forward_off, false),
            ("voicemail", &self.voicemail, false),
            ("voicemail_deposit", &self.voicemail_deposit, true),
            ("park", &self.park, false),
        ]
    }

    /// Whether `number` is a park slot.
    pub fn is_park_slot(&self, number: &str) -> bool {
        number.len() <= 10 && number.chars().all(|c| c.is_ascii_digit()) && number.parse::<u32>().is_ok_and(|n| (self.park_first_slot..=self.park_last_slot).contains(&n)) && !number.starts_with('0')
    }

    /// The park slots, in order.
    pub fn park_slots(&self) -> impl Iterator<Item = String> {
        (self.park_first_slot..=self.park_last_slot).map(|n| n.to_string())
    }

    /// Whether a number of the dial plan (an extension's, a ring group's) collides with a
    /// code: it equals one, starts with one that takes digits, or is a park slot.
    pub fn claims(&self, number: &str) -> Option<&'static str> {
        if self.is_park_slot(number) {
            return Some("park_first_slot");
        }
        self.codes().into_iter().find(|(_, code, prefix)| number == *code || (*prefix && number.starts_with(code))).map(|(f, _, _)| f)
    }

    /// What `dialled` asks for, if it is a feature code. Exact codes first, then the codes
    /// followed by a number, then park slots.
    pub fn classify(&self, dialled: &str) -> Option<Feature> {
        let exact = [
            (&self.group_pickup, Feature::GroupPickup),
            (&self.dnd_on, Feature::DndOn),
            (&self.dnd_off, Feature::DndOff),
            (&self.forward_off, Feature::ForwardOff),
            (&self.voicemail, Feature::Voicemail),
            (&self.park, Feature::Park),
        ];
        if let Some((_, f)) = exact.into_iter().find(|(code, _)| dialled == code.as_str()) {
            return Some(f);
        }
        let digits = |rest: &str| (!rest.is_empty() && rest.len() <= 32 && rest.strip_prefix('+').unwrap_or(rest).chars().all(|c| c.is_ascii_digit())).then(|| rest.to_owned());
        if let Some(n) = dialled.strip_prefix(self.directed_pickup.as_str()).and_then(digits) {
            return Some(Feature::DirectedPickup(n));
        }
        if let Some(n) = dialled.strip_prefix(self.forward_on.as_str()).and_then(digits) {
            return Some(Feature::ForwardOn(n));
        }
        if let Some(n) = dialled.strip_prefix(self.voicemail_deposit.as_str()).and_then(digits) {
            return Some(Feature::VoicemailDeposit(n));
        }
        self.is_park_slot(dialled).then(|| Feature::Retrieve(dialled.to_owned()))
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        let codes = self.codes();
        for (field, code, _) in codes {
            if code.is_empty() || code.len() > 16 || !code.chars().all(|ch| ch.is_ascii_digit() || ch == '*' || ch == '#') {
                c.fail(field, "must be 1 to 16 characters of digits, * and #");
            }
        }
        // Every dialled string must mean one thing: no code equals another, nor starts
        // with a code that takes a number after it.
        for (i, (field, code, _)) in codes.iter().enumerate() {
            for (j, (other, other_code, prefix)) in codes.iter().enumerate() {
                if i != j && (code == other_code && i > j || *prefix && code.starts_with(*other_code) && code != other_code) {
                    c.fail(*field, format!("is ambiguous with {other} ({other_code})"));
                }
            }
            if self.is_park_slot(code) {
                c.fail(*field, "is one of the park slots");
            }
        }
        if self.park_first_slot == 0 || self.park_first_slot > self.park_last_slot {
            c.fail("park_first_slot", "must be above 0 and at most park_last_slot");
        } else if self.park_last_slot - self.park_first_slot >= MAX_PARK_SLOTS {
            c.fail("park_last_slot", format!("at most {MAX_PARK_SLOTS} slots"));
        }
        if !(10..=3600).contains(&self.park_timeout_s) {
            c.fail("park_timeout_s", "must be between 10 and 3600 seconds");
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_classify_what_phones_dial() {
        let c = FeatureCodes::default();
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.classify("*8"), Some(Feature::GroupPickup));
        assert_eq!(c.classify("**1002"), Some(Feature::DirectedPickup("1002".into())));
        assert_eq!(c.classify("*78"), Some(Feature::DndOn));
        assert_eq!(c.classify("*79"), Some(Feature::DndOff));
        assert_eq!(c.classify("*72+15551234"), Some(Feature::ForwardOn("+15551234".into())));
        assert_eq!(c.classify("*73"), Some(Feature::ForwardOff));
        assert_eq!(c.classify("*97"), Some(Feature::Voicemail));
        assert_eq!(c.classify("*981001"), Some(Feature::VoicemailDeposit("1001".into())));
        assert_eq!(c.classify("700"), Some(Feature::Park));
        assert_eq!(c.classify("701"), Some(Feature::Retrieve("701".into())));
        assert_eq!(c.classify("720"), Some(Feature::Retrieve("720".into())));
        assert_eq!(c.classify("721"), None);
        assert_eq!(c.classify("1002"), None);
        assert_eq!(c.classify("**"), None, "a prefix code needs a number after it");
        assert_eq!(c.classify("*72abc"), None);
    }

    #[test]
    fn ambiguous_or_malformed_codes_are_refused_by_field() {
        let bad = FeatureCodes { dnd_on: "*79".into(), ..FeatureCodes::default() };
        let fields: Vec<String> = bad.validate().err().map(|e| e.0.into_iter().map(|f| f.field).collect()).unwrap_or_default();
        assert!(fields.contains(&"dnd_off".to_owned()), "{fields:?}");
        let prefix = FeatureCodes { directed_pickup: "*7".into(), ..FeatureCodes::default() };
        assert!(prefix.validate().is_err(), "*78 would start with the directed pickup prefix");
        let letters = FeatureCodes { voicemail: "vm".into(), ..FeatureCodes::default() };
        assert!(letters.validate().is_err());
        let slot = FeatureCodes { park: "705".into(), ..FeatureCodes::default() };
        assert!(slot.validate().is_err());
        let range = FeatureCodes { park_first_slot: 800, park_last_slot: 1000, ..FeatureCodes::default() };
        assert!(range.validate().is_err());
    }

    #[test]
    fn extension_numbers_that_collide_are_named() {
        let c = FeatureCodes::default();
        assert_eq!(c.claims("700"), Some("park"));
        assert_eq!(c.claims("710"), Some("park_first_slot"));
        assert_eq!(c.claims("1002"), None);
    }
}

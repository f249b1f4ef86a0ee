//! Voicemail settings for every box (`/api/v1/settings/voicemail`): how many messages a box
//! holds and how long messages are kept. `expired` is the pure retention rule.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use poem_openapi::types::MaybeUndefined;
use serde::{Deserialize, Serialize};

use super::validate::{Checker, Invalid};
use super::voicemail::VoicemailMessage;

/// Messages a box holds by default before it refuses new ones.
pub const DEFAULT_MAX_MESSAGES: u32 = 100;

/// Stored with its nulls (a removed limit stays removed); shown without them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct VoicemailSettings {
    /// Messages a box holds; a full box takes no more (the caller gets 480). `null`: no limit.
    #[serde(default = "default_max")]
    pub max_messages: Option<u32>,
    /// Every message is deleted this many days after it arrived. `null`: kept.
    #[serde(default)]
    pub keep_days: Option<u32>,
    /// A heard message is deleted this many days after it arrived. `null`: kept.
    #[serde(default)]
    pub keep_heard_days: Option<u32>,
}

fn default_max() -> Option<u32> {
    Some(DEFAULT_MAX_MESSAGES)
}

impl Default for VoicemailSettings {
    fn default() -> Self {
        VoicemailSettings { max_messages: default_max(), keep_days: None, keep_heard_days: None }
    }
}

/// Body of `PATCH /api/v1/settings/voicemail`: absent keeps, `null` removes the limit.
#[derive(Debug, Clone, Default, Deserialize, Object)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct VoicemailSettingsPatch {
    #[serde(default)]
    pub max_messages: MaybeUndefined<u32>,
    #[serde(default)]
    pub keep_days: MaybeUndefined<u32>,
    #[serde(default)]
    pub keep_heard_days: MaybeUndefined<u32>,
}

impl VoicemailSettings {
    pub fn apply(&self, p: VoicemailSettingsPatch) -> Result<VoicemailSettings, Invalid> {
        let mut s = self.clone();
        super::patch_nullable(&mut s.max_messages, p.max_messages);
        super::patch_nullable(&mut s.keep_days, p.keep_days);
        super::patch_nullable(&mut s.keep_heard_days, p.keep_heard_days);
        let mut c = Checker::new();
        if s.max_messages.is_some_and(|m| !(1..=10_000).contains(&m)) {
            c.fail("max_messages", "must be between 1 and 10000 (or null for no limit)");
        }
        for (field, days) in [("keep_days", s.keep_days), ("keep_heard_days", s.keep_heard_days)] {
            if days.is_some_and(|d| !(1..=3650).contains(&d)) {
                c.fail(field, "must be between 1 and 3650 days (or null to keep)");
            }
        }
        c.finish()?;
        Ok(s)
    }

    /// Whether a box holding `count` messages takes another.
    pub fn box_full(&self, count: usize) -> bool {
        self.max_messages.is_some_and(|m| count >= m as usize)
    }

    /// Whether `m` is past its keeping time at `now`.
    pub fn expired(&self, m: &VoicemailMessage, now: DateTime<Utc>) -> bool {
        let older_than = |days: Option<u32>| days.is_some_and(|d| now - m.received_at >= chrono::Duration::days(i64::from(d)));
        older_than(self.keep_days) || (m.heard && older_than(self.keep_heard_days))
    }

    /// The oldest arrival time a message of either kind can have and be kept, for a query
    /// that finds the candidates (`expired` decides).
    pub fn cutoff(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        [self.keep_days, self.keep_heard_days].into_iter().flatten().min().map(|d| now - chrono::Duration::days(i64::from(d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(age_days: i64, heard: bool, now: DateTime<Utc>) -> VoicemailMessage {
        VoicemailMessage {
            id: "m".into(),
            extension_id: "e".into(),
            number: "1001".into(),
            caller: "1002".into(),
            call_id: "c".into(),
            received_at: now - chrono::Duration::days(age_days),
            duration_s: 3.0,
            heard,
        }
    }

    #[test]
    fn messages_expire_by_age_and_heard_ones_sooner() {
        let now = Utc::now();
        let s = VoicemailSettings { max_messages: None, keep_days: Some(30), keep_heard_days: Some(7) };
        assert!(!s.expired(&message(6, true, now), now));
        assert!(s.expired(&message(7, true, now), now), "heard, a week old");
        assert!(!s.expired(&message(7, false, now), now), "new messages wait for keep_days");
        assert!(s.expired(&message(30, false, now), now));
        assert_eq!(s.cutoff(now), Some(now - chrono::Duration::days(7)));
        let keep = VoicemailSettings::default();
        assert!(!keep.expired(&message(3000, true, now), now), "kept by default");
        assert_eq!(keep.cutoff(now), None);
    }

    #[test]
    fn a_box_is_full_at_its_maximum_and_limits_are_checked() {
        let s = VoicemailSettings::default();
        assert!(!s.box_full(99) && s.box_full(100));
        assert!(!VoicemailSettings { max_messages: None, ..s.clone() }.box_full(1_000_000));
        let bad = s.apply(VoicemailSettingsPatch { keep_days: MaybeUndefined::Value(0), max_messages: MaybeUndefined::Value(0), ..Default::default() });
        let fields: Vec<String> = bad.err().map(|e| e.0.into_iter().map(|f| f.field).collect()).unwrap_or_default();
        assert_eq!(fields, vec!["max_messages", "keep_days"]);
        let open = s.apply(VoicemailSettingsPatch { max_messages: MaybeUndefined::Null, ..Default::default() });
        assert_eq!(open.map(|s| s.max_messages), Ok(None));
    }
}

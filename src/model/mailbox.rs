//! A mailbox's message counts: what lights a phone's message-waiting lamp.

/// A mailbox's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, poem_openapi::Object)]
#[oai(deny_unknown_fields)]
#[serde(deny_unknown_fields)]
pub struct MessageCounts {
    /// New (unheard) voice messages (0–1000000).
    pub new_messages: u32,
    /// Old (heard, kept) voice messages (0–1000000).
    pub old_messages: u32,
    /// How many of the new ones are urgent.
    #[serde(default)]
    #[oai(default)]
    pub new_urgent: u32,
    /// How many of the old ones are urgent.
    #[serde(default)]
    #[oai(default)]
    pub old_urgent: u32,
}


/// The largest count accepted.
pub const MAX_COUNT: u32 = 1_000_000;

impl MessageCounts {
    /// Field-level problems, if any.
    pub fn check(&self) -> Result<(), super::Invalid> {
        let mut c = super::validate::Checker::new();
        for (field, value) in [("new_messages", self.new_messages), ("old_messages", self.old_messages), ("new_urgent", self.new_urgent), ("old_urgent", self.old_urgent)] {
            if value > MAX_COUNT {
                c.fail(field, "must be between 0 and 1000000");
            }
        }
        if self.new_urgent > self.new_messages {
            c.fail("new_urgent", "cannot exceed new_messages");
        }
        if self.old_urgent > self.old_messages {
            c.fail("old_urgent", "cannot exceed old_messages");
        }
        c.finish()
    }
}

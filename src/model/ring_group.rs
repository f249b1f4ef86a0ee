//! Ring groups: one number that rings several members.

use chrono::{DateTime, Utc};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Enum, Object};
use serde::{Deserialize, Serialize};

use super::extension::yes;
use super::validate::Checker;
use super::values::{GroupFallback, Number};
use super::{Invalid, Resource, ResourceKind, SecretChange, patch_nullable, values};

pub const MAX_MEMBERS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum RingStrategy {
    /// Every member rings at once.
    Simultaneous,
    /// Members ring one after another, `member_timeout_s` each, in list order.
    Sequential,
    /// Like sequential, starting after the member who took the previous call.
    RoundRobin,
}

#[derive(Debug, Clone, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RingGroup {
    pub id: String,
    /// Unique across extensions and ring groups.
    pub number: Number,
    pub name: String,
    pub strategy: RingStrategy,
    /// Numbers of extensions or external numbers.
    pub members: Vec<Number>,
    pub member_timeout_s: u32,
    /// Total time before the fallback applies.
    pub timeout_s: u32,
    /// Where the call goes when nobody answers: a number, or `voicemail:<extension>`.
    pub fallback: Option<GroupFallback>,
    /// SIP code the caller gets when nobody answers and there is no fallback (default 480).
    #[serde(default)]
    pub reject_code: Option<u16>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct RingGroupCreate {
    pub number: Number,
    #[serde(default)]
    #[oai(default)]
    pub name: String,
    #[serde(default = "default_strategy")]
    #[oai(default = "default_strategy")]
    pub strategy: RingStrategy,
    pub members: Vec<Number>,
    #[serde(default = "default_member_timeout")]
    #[oai(default = "default_member_timeout")]
    pub member_timeout_s: u32,
    #[serde(default = "default_timeout")]
    #[oai(default = "default_timeout")]
    pub timeout_s: u32,
    #[serde(default)]
    pub fallback: Option<GroupFallback>,
    #[serde(default)]
    pub reject_code: Option<u16>,
    #[serde(default = "yes")]
    #[oai(default = "yes")]
    pub enabled: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct RingGroupPatch {
    #[serde(default)]
    pub number: Option<Number>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub strategy: Option<RingStrategy>,
    #[serde(default)]
    pub members: Option<Vec<Number>>,
    #[serde(default)]
    pub member_timeout_s: Option<u32>,
    #[serde(default)]
    pub timeout_s: Option<u32>,
    #[serde(default)]
    pub fallback: MaybeUndefined<GroupFallback>,
    #[serde(default)]
    pub reject_code: MaybeUndefined<u16>,
    #[serde(default)]
    pub enabled: Option<bool>,
}

fn default_strategy() -> RingStrategy {
    RingStrategy::Simultaneous
}
fn default_member_timeout() -> u32 {
    20
}
fn default_timeout() -> u32 {
    60
}

impl RingGroup {
    fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.check("name", values::text(&self.name, 64));
        if self.members.is_empty() || self.members.len() > MAX_MEMBERS {
            c.fail("members", format!("must list between 1 and {MAX_MEMBERS} numbers"));
        }
        for (i, m) in self.members.iter().enumerate() {
            if *m == self.number {
                c.fail(format!("members[{i}]"), "a ring group cannot ring itself");
            } else if self.members[..i].contains(m) {
                c.fail(format!("members[{i}]"), format!("`{m}` is listed twice"));
            }
        }
        if !(5..=600).contains(&self.member_timeout_s) {
            c.fail("member_timeout_s", "must be between 5 and 600 seconds");
        }
        if !(5..=3_600).contains(&self.timeout_s) {
            c.fail("timeout_s", "must be between 5 and 3600 seconds");
        }
        if let Some(f) = &self.fallback {
            if *f == GroupFallback::Number(self.number.clone()) {
                c.fail("fallback", "a ring group cannot fall back to itself");
            }
        }
        if self.reject_code.is_some_and(|c| !(400..700).contains(&c)) {
            c.fail("reject_code", "must be a SIP error code between 400 and 699");
        }
        c.finish()
    }
}

impl Resource for RingGroup {
    const KIND: ResourceKind = ResourceKind::RingGroup;
    type Create = RingGroupCreate;
    type Patch = RingGroupPatch;

    fn id(&self) -> &str {
        &self.id
    }

    fn timestamps(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.created_at, self.updated_at)
    }

    fn unique_key(&self) -> Option<(&'static str, &str)> {
        Some(("number", self.number.as_str()))
    }

    fn dial_number(&self) -> Option<&str> {
        Some(self.number.as_str())
    }

    fn create(id: String, now: DateTime<Utc>, r: RingGroupCreate) -> Result<(Self, SecretChange), Invalid> {
        let group = RingGroup {
            id,
            number: r.number,
            name: r.name,
            strategy: r.strategy,
            members: r.members,
            member_timeout_s: r.member_timeout_s,
            timeout_s: r.timeout_s,
            fallback: r.fallback,
            reject_code: r.reject_code,
            enabled: r.enabled,
            created_at: now,
            updated_at: now,
        };
        group.validate()?;
        Ok((group, SecretChange::Keep))
    }

    fn patch(&self, now: DateTime<Utc>, p: RingGroupPatch) -> Result<(Self, SecretChange), Invalid> {
        let mut g = self.clone();
        if let Some(v) = p.number {
            g.number = v;
        }
        if let Some(v) = p.name {
            g.name = v;
        }
        if let Some(v) = p.strategy {
            g.strategy = v;
        }
        if let Some(v) = p.members {
            g.members = v;
        }
        if let Some(v) = p.member_timeout_s {
            g.member_timeout_s = v;
        }
        if let Some(v) = p.timeout_s {
            g.timeout_s = v;
        }
        patch_nullable(&mut g.fallback, p.fallback);
        patch_nullable(&mut g.reject_code, p.reject_code);
        if let Some(v) = p.enabled {
            g.enabled = v;
        }
        g.updated_at = now;
        g.validate()?;
        Ok((g, SecretChange::Keep))
    }
}

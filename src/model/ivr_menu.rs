//! IVR menus ("press 1 for sales"): Callplane answers, plays the menu's prompt and sends
//! the caller where the key it presses leads.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Enum, Object};
use serde::{Deserialize, Serialize};

use super::extension::yes;
use super::validate::Checker;
use super::values::Number;
use super::{Invalid, Resource, ResourceKind, SecretChange, patch_nullable, values};

/// The keys a caller can press (RFC 4733 section 3.2 events 0–11).
pub const KEYS: &str = "0123456789*#";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum IvrTargetKind {
    /// `number`: an extension, a ring group, another menu, or any number the dial plan
    /// routes.
    Number,
    /// `number`: the voicemail box of that extension.
    Voicemail,
    /// `id`: a Lua service decides (its `route` answer is rung, `reject` ends the call).
    LuaService,
    /// The menu's prompt again.
    Repeat,
    /// "Goodbye", and Callplane hangs up.
    Hangup,
}

/// Where a key (or the menu's fallback) leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct IvrTarget {
    pub kind: IvrTargetKind,
    /// For `number` and `voicemail`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<Number>,
    /// For `lua_service`: the service's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct IvrMenu {
    pub id: String,
    /// Dialling it enters the menu (as do routes of kind `ivr`, Lua services answering
    /// with it, and other menus). Unique across extensions, ring groups and menus.
    pub number: Number,
    pub name: String,
    /// Key (`0`–`9`, `*`, `#`) → where it leads.
    pub options: BTreeMap<String, IvrTarget>,
    /// Seconds to wait for a key once the prompt has played (1–60).
    pub timeout_s: u32,
    /// How many more times the prompt plays after no key or a key with no option (0–5).
    pub retries: u32,
    /// Where the caller goes once the retries are used up; none: "goodbye", then BYE.
    pub fallback: Option<IvrTarget>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct IvrMenuCreate {
    pub number: Number,
    #[serde(default)]
    #[oai(default)]
    pub name: String,
    pub options: BTreeMap<String, IvrTarget>,
    #[serde(default = "default_timeout")]
    #[oai(default = "default_timeout")]
    pub timeout_s: u32,
    #[serde(default = "default_retries")]
    #[oai(default = "default_retries")]
    pub retries: u32,
    #[serde(default)]
    pub fallback: Option<IvrTarget>,
    #[serde(default = "yes")]
    #[oai(default = "yes")]
    pub enabled: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct IvrMenuPatch {
    #[serde(default)]
    pub number: Option<Number>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub options: Option<BTreeMap<String, IvrTarget>>,
    #[serde(default)]
    pub timeout_s: Option<u32>,
    #[serde(default)]
    pub retries: Option<u32>,
    #[serde(default)]
    pub fallback: MaybeUndefined<IvrTarget>,
    #[serde(default)]
    pub enabled: Option<bool>,
}

fn default_timeout() -> u32 {
    5
}
fn default_retries() -> u32 {
    2
}

impl IvrTarget {
    /// The target's own rule: `number` and `voicemail` take a number, `lua_service` an
    /// id, the others nothing.
    fn check(&self, c: &mut Checker, field: &str, menu: &Number) {
        let (wants_number, wants_id) = match self.kind {
            IvrTargetKind::Number | IvrTargetKind::Voicemail => (true, false),
            IvrTargetKind::LuaService => (false, true),
            IvrTargetKind::Repeat | IvrTargetKind::Hangup => (false, false),
        };
        match (&self.number, wants_number) {
            (None, true) => c.fail(format!("{field}.number"), "is needed for this kind"),
            (Some(_), false) => c.fail(format!("{field}.number"), "is only for kinds `number` and `voicemail`"),
            (Some(n), true) if self.kind == IvrTargetKind::Number && n == menu => {
                c.fail(format!("{field}.number"), "is this menu's own number (use kind `repeat`)")
            }
            _ => {}
        }
        match (&self.id, wants_id) {
            (None, true) => c.fail(format!("{field}.id"), "is needed for kind `lua_service`"),
            (Some(_), false) => c.fail(format!("{field}.id"), "is only for kind `lua_service`"),
            _ => {}
        }
    }
}

impl IvrMenu {
    fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.check("name", values::text(&self.name, 64));
        if self.options.is_empty() {
            c.fail("options", "must give at least one key");
        }
        for (key, target) in &self.options {
            if key.chars().count() != 1 || !KEYS.contains(key.as_str()) {
                c.fail(format!("options.{key}"), "a key is one of 0-9, * and #");
            }
            target.check(&mut c, &format!("options.{key}"), &self.number);
        }
        if !(1..=60).contains(&self.timeout_s) {
            c.fail("timeout_s", "must be between 1 and 60 seconds");
        }
        if self.retries > 5 {
            c.fail("retries", "must be at most 5");
        }
        if let Some(f) = &self.fallback {
            f.check(&mut c, "fallback", &self.number);
            if f.kind == IvrTargetKind::Repeat {
                c.fail("fallback.kind", "cannot be `repeat` (the retries are used up)");
            }
        }
        c.finish()
    }

    /// Every target of the menu with the field that holds it.
    pub fn targets(&self) -> impl Iterator<Item = (String, &IvrTarget)> {
        self.options.iter().map(|(k, t)| (format!("options.{k}"), t)).chain(self.fallback.iter().map(|t| ("fallback".to_owned(), t)))
    }
}

impl Resource for IvrMenu {
    const KIND: ResourceKind = ResourceKind::IvrMenu;
    type Create = IvrMenuCreate;
    type Patch = IvrMenuPatch;

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

    fn create(id: String, now: DateTime<Utc>, r: IvrMenuCreate) -> Result<(Self, SecretChange), Invalid> {
        let menu = IvrMenu {
            id,
            number: r.number,
            name: r.name,
            options: r.options,
            timeout_s: r.timeout_s,
            retries: r.retries,
            fallback: r.fallback,
            enabled: r.enabled,
            created_at: now,
            updated_at: now,
        };
        menu.validate()?;
        Ok((menu, SecretChange::Keep))
    }

    fn patch(&self, now: DateTime<Utc>, p: IvrMenuPatch) -> Result<(Self, SecretChange), Invalid> {
        let mut m = self.clone();
        if let Some(v) = p.number {
            m.number = v;
        }
        if let Some(v) = p.name {
            m.name = v;
        }
        if let Some(v) = p.options {
            m.options = v;
        }
        if let Some(v) = p.timeout_s {
            m.timeout_s = v;
        }
        if let Some(v) = p.retries {
            m.retries = v;
        }
        patch_nullable(&mut m.fallback, p.fallback);
        if let Some(v) = p.enabled {
            m.enabled = v;
        }
        m.updated_at = now;
        m.validate()?;
        Ok((m, SecretChange::Keep))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(kind: IvrTargetKind, number: Option<&str>, id: Option<&str>) -> IvrTarget {
        IvrTarget { kind, number: number.map(|n| n.parse().expect("number")), id: id.map(str::to_owned) }
    }

    fn create(options: Vec<(&str, IvrTarget)>) -> Result<IvrMenu, Invalid> {
        let request = IvrMenuCreate {
            number: "800".parse().expect("number"),
            name: "main".into(),
            options: options.into_iter().map(|(k, t)| (k.to_owned(), t)).collect(),
            timeout_s: 5,
            retries: 2,
            fallback: None,
            enabled: true,
        };
        IvrMenu::create("m".into(), Utc::now(), request).map(|(m, _)| m)
    }

    fn fields(e: Invalid) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn keys_are_dtmf_keys_and_targets_carry_what_their_kind_needs() {
        assert!(create(vec![("1", target(IvrTargetKind::Number, Some("1001"), None)), ("#", target(IvrTargetKind::Hangup, None, None))]).is_ok());
        let e = create(vec![("12", target(IvrTargetKind::Number, Some("1001"), None))]).expect_err("two keys");
        assert_eq!(fields(e), vec!["options.12"]);
        let e = create(vec![("1", target(IvrTargetKind::Voicemail, None, None))]).expect_err("no number");
        assert_eq!(fields(e), vec!["options.1.number"]);
        let e = create(vec![("2", target(IvrTargetKind::LuaService, Some("1"), None))]).expect_err("number and no id");
        assert_eq!(fields(e), vec!["options.2.number", "options.2.id"]);
        let e = create(vec![("3", target(IvrTargetKind::Number, Some("800"), None))]).expect_err("itself");
        assert_eq!(fields(e), vec!["options.3.number"]);
        assert_eq!(fields(create(vec![]).expect_err("empty")), vec!["options"]);
    }
}

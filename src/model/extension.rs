//! Extensions: the numbers phones register to.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use poem_openapi::types::MaybeUndefined;
use serde::{Deserialize, Serialize};

use super::validate::Checker;
use super::media_mode::{MediaMode, RecordingMode};
use super::voicemail::VoicemailBox;
use super::values::{Cidr, ForwardTarget, Number};
use super::{Invalid, Resource, ResourceKind, SecretChange, values};

pub const DEFAULT_MAX_CONTACTS: u32 = 5;
pub const MAX_CONTACTS_LIMIT: u32 = 100;
pub const DEFAULT_NO_ANSWER_TIMEOUT_S: u32 = 20;
pub const MIN_PASSWORD_LEN: usize = 8;

/// Where calls to an extension go instead: a number, or `voicemail` (the extension's own
/// box).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct Forwarding {
    /// Forward every call.
    #[serde(default)]
    pub unconditional: Option<ForwardTarget>,
    /// Forward when every device answers busy (486).
    #[serde(default)]
    pub busy: Option<ForwardTarget>,
    /// Forward when nobody answers within `no_answer_timeout_s`.
    #[serde(default)]
    pub no_answer: Option<ForwardTarget>,
    /// Forward when no device is registered.
    #[serde(default)]
    pub unavailable: Option<ForwardTarget>,
    /// Seconds to ring before `no_answer` applies.
    #[serde(default = "default_no_answer_timeout")]
    #[oai(default = "default_no_answer_timeout")]
    pub no_answer_timeout_s: u32,
}

fn default_no_answer_timeout() -> u32 {
    DEFAULT_NO_ANSWER_TIMEOUT_S
}

/// An extension: a number with a password and/or trusted addresses, and forwarding rules.
#[derive(Debug, Clone, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Extension {
    pub id: String,
    /// The number callers dial; unique across extensions and ring groups.
    pub number: Number,
    pub display_name: String,
    pub enabled: bool,
    /// Addresses (IPs or CIDRs) allowed to register and call without a password.
    pub ip_auth: Vec<Cidr>,
    /// Devices that may register at once; all of them ring.
    pub max_contacts: u32,
    pub forwarding: Forwarding,
    /// Concurrent calls (made or received) allowed; beyond it calls to the extension are
    /// busy (486, or its busy forwarding) and calls from it are refused (403). Absent: no limit.
    #[serde(default)]
    pub max_calls: Option<u32>,
    /// Toll-fraud guard: calls out through trunks per UTC day, at most; beyond it they are
    /// refused with 403. Absent: no limit.
    #[serde(default)]
    pub daily_trunk_calls: Option<u32>,
    /// How this phone's media flows: `auto` (through the relay when a party is behind NAT
    /// or a trunk is involved), `relay` or `direct`.
    #[serde(default)]
    pub media_mode: MediaMode,
    /// When this party's calls are recorded: `never`, `on_demand` (through the API) or
    /// `always` (relayed calls only).
    #[serde(default)]
    pub recording: RecordingMode,
    /// Do-not-disturb: calls to the extension get busy handling (486, or its busy
    /// forwarding) without ringing; presence shows it. Feature codes `*78`/`*79` set it.
    #[serde(default)]
    pub do_not_disturb: bool,
    /// Message-waiting NOTIFYs without a subscription (RFC 3842 section 3.3 allows them),
    /// to each registered device, for phones that expect the lamp without subscribing.
    #[serde(default)]
    pub mwi_unsolicited: bool,
    /// The pickup group: the group pickup code (`*8`) answers a call ringing at another
    /// extension of the same group. Absent: in no group.
    #[serde(default)]
    pub pickup_group: Option<String>,
    /// The extension's voicemail box; forwarding fields set to `voicemail` lead there.
    #[serde(default)]
    pub voicemail: Option<VoicemailBox>,
    /// Whether a digest password is set (the password itself is never returned).
    pub has_password: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Body of `POST /api/v1/extensions`.
#[derive(Debug, Clone, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct ExtensionCreate {
    pub number: Number,
    #[serde(default)]
    #[oai(default)]
    pub display_name: String,
    /// Digest password (write-only, at least 8 characters). Omit for IP-authenticated devices.
    #[serde(default)]
    #[oai(write_only)]
    pub password: Option<String>,
    #[serde(default = "yes")]
    #[oai(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    #[oai(default)]
    pub ip_auth: Vec<Cidr>,
    #[serde(default = "default_max_contacts")]
    #[oai(default = "default_max_contacts")]
    pub max_contacts: u32,
    #[serde(default)]
    pub forwarding: Option<Forwarding>,
    #[serde(default)]
    pub max_calls: Option<u32>,
    /// Calls out through trunks per UTC day, 1–100000; absent: no limit.
    #[serde(default)]
    pub daily_trunk_calls: Option<u32>,
    #[serde(default)]
    #[oai(default)]
    pub media_mode: MediaMode,
    #[serde(default)]
    #[oai(default)]
    pub recording: RecordingMode,
    /// Do-not-disturb from the start (default off).
    #[serde(default)]
    #[oai(default)]
    pub do_not_disturb: bool,
    /// Message-waiting NOTIFYs to the devices without a subscription (default off).
    #[serde(default)]
    #[oai(default)]
    pub mwi_unsolicited: bool,
    /// Pickup group name: 1 to 32 of letters, digits, `-` and `_`.
    #[serde(default)]
    pub pickup_group: Option<String>,
    /// A voicemail box for the extension.
    #[serde(default)]
    pub voicemail: Option<VoicemailBox>,
}

/// Body of `PATCH /api/v1/extensions/{id}`: only the fields present change.
#[derive(Debug, Clone, Default, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct ExtensionPatch {
    #[serde(default)]
    pub number: Option<Number>,
    #[serde(default)]
    pub display_name: Option<String>,
    /// A new password, or `null` to remove it.
    #[serde(default)]
    #[oai(write_only)]
    pub password: MaybeUndefined<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub ip_auth: Option<Vec<Cidr>>,
    #[serde(default)]
    pub max_contacts: Option<u32>,
    #[serde(default)]
    pub forwarding: Option<Forwarding>,
    /// A new limit, or `null` to remove it.
    #[serde(default)]
    pub max_calls: MaybeUndefined<u32>,
    /// A new daily limit, or `null` to remove it.
    #[serde(default)]
    pub daily_trunk_calls: MaybeUndefined<u32>,
    #[serde(default)]
    pub media_mode: Option<MediaMode>,
    #[serde(default)]
    pub recording: Option<RecordingMode>,
    #[serde(default)]
    pub do_not_disturb: Option<bool>,
    #[serde(default)]
    pub mwi_unsolicited: Option<bool>,
    /// A new pickup group, or `null` to leave the group.
    #[serde(default)]
    pub pickup_group: MaybeUndefined<String>,
    /// The voicemail box (replaced as a whole), or `null` to remove it.
    #[serde(default)]
    pub voicemail: MaybeUndefined<VoicemailBox>,
}

pub(crate) fn yes() -> bool {
    true
}

fn default_max_contacts() -> u32 {
    DEFAULT_MAX_CONTACTS
}

impl Extension {
    fn validate(&self, password: &SecretChange) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.check("display_name", values::text(&self.display_name, 64));
        if self.max_contacts == 0 || self.max_contacts > MAX_CONTACTS_LIMIT {
            c.fail("max_contacts", format!("must be between 1 and {MAX_CONTACTS_LIMIT}"));
        }
        let f = &self.forwarding;
        for (name, target) in [
            ("unconditional", &f.unconditional),
            ("busy", &f.busy),
            ("no_answer", &f.no_answer),
            ("unavailable", &f.unavailable),
        ] {
            match target {
                Some(ForwardTarget::Number(n)) if *n == self.number => c.fail(format!("forwarding.{name}"), "must not forward to the extension itself"),
                Some(ForwardTarget::Voicemail) if !self.voicemail.as_ref().is_some_and(|v| v.enabled) => {
                    c.fail(format!("forwarding.{name}"), "needs the extension's voicemail box (`voicemail.enabled`)")
                }
                _ => {}
            }
        }
        if self.max_calls.is_some_and(|m| m == 0 || m > 1000) {
            c.fail("max_calls", "must be between 1 and 1000");
        }
        if self.daily_trunk_calls.is_some_and(|m| m == 0 || m > 100_000) {
            c.fail("daily_trunk_calls", "must be between 1 and 100000");
        }
        if !(5..=600).contains(&f.no_answer_timeout_s) {
            c.fail("forwarding.no_answer_timeout_s", "must be between 5 and 600 seconds");
        }
        if let Some(g) = &self.pickup_group {
            if g.is_empty() || g.len() > 32 || !g.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
                c.fail("pickup_group", "must be 1 to 32 of letters, digits, - and _");
            }
        }
        if let Some(v) = &self.voicemail {
            v.check(&mut c);
        }
        if let SecretChange::Set(p) = password {
            if p.chars().count() < MIN_PASSWORD_LEN {
                c.fail("password", format!("must be at least {MIN_PASSWORD_LEN} characters"));
            } else {
                c.check("password", values::text(p, 128));
            }
        }
        c.finish()
    }
}

impl Resource for Extension {
    const KIND: ResourceKind = ResourceKind::Extension;
    type Create = ExtensionCreate;
    type Patch = ExtensionPatch;

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

    fn create(id: String, now: DateTime<Utc>, r: ExtensionCreate) -> Result<(Self, SecretChange), Invalid> {
        let secret = r.password.map_or(SecretChange::Keep, SecretChange::Set);
        let ext = Extension {
            id,
            number: r.number,
            display_name: r.display_name,
            enabled: r.enabled,
            ip_auth: r.ip_auth,
            max_contacts: r.max_contacts,
            forwarding: r.forwarding.unwrap_or_else(|| Forwarding {
                no_answer_timeout_s: DEFAULT_NO_ANSWER_TIMEOUT_S,
                ..Forwarding::default()
            }),
            max_calls: r.max_calls,
            daily_trunk_calls: r.daily_trunk_calls,
            media_mode: r.media_mode,
            recording: r.recording,
            do_not_disturb: r.do_not_disturb,
            mwi_unsolicited: r.mwi_unsolicited,
            pickup_group: r.pickup_group,
            voicemail: r.voicemail.map(|v| v.seal(None)).transpose()?,
            has_password: matches!(secret, SecretChange::Set(_)),
            created_at: now,
            updated_at: now,
        };
        ext.validate(&secret)?;
        Ok((ext, secret))
    }

    fn patch(&self, now: DateTime<Utc>, p: ExtensionPatch) -> Result<(Self, SecretChange), Invalid> {
        let mut ext = self.clone();
        let secret = SecretChange::from_patch(p.password);
        if let Some(v) = p.number {
            ext.number = v;
        }
        if let Some(v) = p.display_name {
            ext.display_name = v;
        }
        if let Some(v) = p.enabled {
            ext.enabled = v;
        }
        if let Some(v) = p.ip_auth {
            ext.ip_auth = v;
        }
        if let Some(v) = p.max_contacts {
            ext.max_contacts = v;
        }
        if let Some(v) = p.forwarding {
            ext.forwarding = v;
        }
        if let Some(v) = p.media_mode {
            ext.media_mode = v;
        }
        if let Some(v) = p.recording {
            ext.recording = v;
        }
        if let Some(v) = p.do_not_disturb {
            ext.do_not_disturb = v;
        }
        if let Some(v) = p.mwi_unsolicited {
            ext.mwi_unsolicited = v;
        }
        super::patch_nullable(&mut ext.max_calls, p.max_calls);
        super::patch_nullable(&mut ext.pickup_group, p.pickup_group);
        let previous = ext.voicemail.take();
        ext.voicemail = previous.clone();
        super::patch_nullable(&mut ext.voicemail, p.voicemail);
        ext.voicemail = ext.voicemail.take().map(|v| v.seal(previous.as_ref())).transpose()?;
        super::patch_nullable(&mut ext.daily_trunk_calls, p.daily_trunk_calls);
        secret.apply_to(&mut ext.has_password);
        ext.updated_at = now;
        ext.validate(&secret)?;
        Ok((ext, secret))
    }
}

//! Dial-plan routes: a number prefix leads to a target.

use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use serde::{Deserialize, Serialize};

use super::extension::yes;
use super::validate::Checker;
use super::values::Prefix;
use super::{Invalid, Resource, ResourceKind, SecretChange, values};

pub const DEFAULT_PRIORITY: i32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum RouteTargetKind {
    Extension,
    RingGroup,
    Trunk,
    LuaService,
    /// An IVR menu (`id`: the menu's).
    Ivr,
    /// The voicemail box of an extension (`id`: the extension's).
    Voicemail,
}

impl RouteTargetKind {
    pub fn resource(self) -> ResourceKind {
        match self {
            RouteTargetKind::Extension => ResourceKind::Extension,
            RouteTargetKind::RingGroup => ResourceKind::RingGroup,
            RouteTargetKind::Trunk => ResourceKind::Trunk,
            RouteTargetKind::LuaService => ResourceKind::LuaService,
            RouteTargetKind::Ivr => ResourceKind::IvrMenu,
            RouteTargetKind::Voicemail => ResourceKind::Extension,
        }
    }
}

/// What a matching number is sent to, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct RouteTarget {
    pub kind: RouteTargetKind,
    pub id: String,
}

/// A dial-plan entry. The longest matching prefix wins; among equal prefixes the lowest
/// `priority` wins.
#[derive(Debug, Clone, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Route {
    pub id: String,
    pub name: String,
    /// Lower numbers are tried first among routes with the same prefix.
    pub priority: i32,
    /// Digits (and `*`, `#`, leading `+`) the dialled number starts with; empty matches all.
    pub prefix: Prefix,
    /// Leading digits removed before the number is sent on.
    pub strip: u32,
    /// Digits added in front after stripping.
    pub prepend: Prefix,
    pub target: RouteTarget,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct RouteCreate {
    #[serde(default)]
    #[oai(default)]
    pub name: String,
    #[serde(default = "default_priority")]
    #[oai(default = "default_priority")]
    pub priority: i32,
    pub prefix: Prefix,
    #[serde(default)]
    #[oai(default)]
    pub strip: u32,
    #[serde(default)]
    #[oai(default)]
    pub prepend: Prefix,
    pub target: RouteTarget,
    #[serde(default = "yes")]
    #[oai(default = "yes")]
    pub enabled: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct RoutePatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub priority: Option<i32>,
    #[serde(default)]
    pub prefix: Option<Prefix>,
    #[serde(default)]
    pub strip: Option<u32>,
    #[serde(default)]
    pub prepend: Option<Prefix>,
    #[serde(default)]
    pub target: Option<RouteTarget>,
    #[serde(default)]
    pub enabled: Option<bool>,
}

fn default_priority() -> i32 {
    DEFAULT_PRIORITY
}

impl Route {
    fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.check("name", values::text(&self.name, 64));
        if self.strip as usize > values::MAX_NUMBER_LEN {
            c.fail("strip", format!("must be at most {}", values::MAX_NUMBER_LEN));
        }
        if !(0..=100_000).contains(&self.priority) {
            c.fail("priority", "must be between 0 and 100000");
        }
        c.check("target.id", values::text(&self.target.id, 64));
        if self.target.id.is_empty() {
            c.fail("target.id", "must not be empty");
        }
        c.finish()
    }

    /// The number sent to the target: `strip` leading characters removed, `prepend` added.
    pub fn rewrite(&self, number: &str) -> String {
        let kept: String = number.chars().skip(self.strip as usize).collect();
        format!("{}{}", self.prepend, kept)
    }
}

impl Resource for Route {
    const KIND: ResourceKind = ResourceKind::Route;
    type Create = RouteCreate;
    type Patch = RoutePatch;

    fn id(&self) -> &str {
        &self.id
    }

    fn timestamps(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.created_at, self.updated_at)
    }

    fn reference(&self) -> Option<(ResourceKind, &str)> {
        Some((self.target.kind.resource(), &self.target.id))
    }

    fn create(id: String, now: DateTime<Utc>, r: RouteCreate) -> Result<(Self, SecretChange), Invalid> {
        let route = Route {
            id,
            name: r.name,
            priority: r.priority,
            prefix: r.prefix,
            strip: r.strip,
            prepend: r.prepend,
            target: r.target,
            enabled: r.enabled,
            created_at: now,
            updated_at: now,
        };
        route.validate()?;
        Ok((route, SecretChange::Keep))
    }

    fn patch(&self, now: DateTime<Utc>, p: RoutePatch) -> Result<(Self, SecretChange), Invalid> {
        let mut r = self.clone();
        if let Some(v) = p.name {
            r.name = v;
        }
        if let Some(v) = p.priority {
            r.priority = v;
        }
        if let Some(v) = p.prefix {
            r.prefix = v;
        }
        if let Some(v) = p.strip {
            r.strip = v;
        }
        if let Some(v) = p.prepend {
            r.prepend = v;
        }
        if let Some(v) = p.target {
            r.target = v;
        }
        if let Some(v) = p.enabled {
            r.enabled = v;
        }
        r.updated_at = now;
        r.validate()?;
        Ok((r, SecretChange::Keep))
    }
}

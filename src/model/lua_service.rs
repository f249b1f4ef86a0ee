//! Lua services: small scripts that steer routing (`on_route(call)`), each in its own VM
//! with memory, instruction and time limits (the Lua engine).

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use serde::{Deserialize, Serialize};

use super::extension::yes;
use super::validate::Checker;
use super::{Invalid, Resource, ResourceKind, SecretChange, values};

/// Largest source accepted.
pub const MAX_SOURCE_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
pub struct LuaLimits {
    /// Memory the service's VM may allocate, bytes (65536–268435456; default 8 MiB).
    pub memory_bytes: u64,
    /// Lua VM instructions one `on_route` call may run (1000–100000000; default 1,000,000).
    pub instructions: u64,
    /// Wall-clock time one `on_route` call may take, milliseconds (1–5000; default 100).
    pub timeout_ms: u32,
}

impl Default for LuaLimits {
    fn default() -> Self {
        LuaLimits { memory_bytes: 8 * 1024 * 1024, instructions: 1_000_000, timeout_ms: 100 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LuaService {
    pub id: String,
    /// Unique name, e.g. `business-hours`.
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Lua 5.4 source defining a global function `on_route(call)`.
    pub source: String,
    pub enabled: bool,
    pub limits: LuaLimits,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Body of `POST /api/v1/lua-services`.
#[derive(Debug, Clone, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct LuaServiceCreate {
    pub name: String,
    #[serde(default)]
    #[oai(default)]
    pub description: String,
    pub source: String,
    #[serde(default = "yes")]
    #[oai(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub limits: Option<LuaLimits>,
}

/// Body of `PATCH /api/v1/lua-services/{id}`: only the fields present change. A new
/// source replaces the service's VM; calls already inside the old one finish there.
#[derive(Debug, Clone, Default, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct LuaServicePatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub limits: Option<LuaLimits>,
}

impl LuaService {
    fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.check("name", values::text(&self.name, 64));
        if self.name.trim().is_empty() {
            c.fail("name", "must not be empty");
        }
        c.check("description", values::text(&self.description, 500));
        let l = self.limits;
        if !(65_536..=268_435_456).contains(&l.memory_bytes) {
            c.fail("limits.memory_bytes", "must be between 65536 and 268435456");
        }
        if !(1_000..=100_000_000).contains(&l.instructions) {
            c.fail("limits.instructions", "must be between 1000 and 100000000");
        }
        if !(1..=5_000).contains(&l.timeout_ms) {
            c.fail("limits.timeout_ms", "must be between 1 and 5000");
        }
        // Whether the source compiles in the sandbox is checked by the provisioner.
        if self.source.len() > MAX_SOURCE_BYTES {
            c.fail("source", format!("must be at most {MAX_SOURCE_BYTES} bytes"));
        }
        c.finish()
    }
}

impl Resource for LuaService {
    const KIND: ResourceKind = ResourceKind::LuaService;
    type Create = LuaServiceCreate;
    type Patch = LuaServicePatch;

    fn id(&self) -> &str {
        &self.id
    }

    fn timestamps(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.created_at, self.updated_at)
    }

    fn unique_key(&self) -> Option<(&'static str, &str)> {
        Some(("name", &self.name))
    }

    fn create(id: String, now: DateTime<Utc>, r: LuaServiceCreate) -> Result<(Self, SecretChange), Invalid> {
        let s = LuaService {
            id,
            name: r.name,
            description: r.description,
            source: r.source,
            enabled: r.enabled,
            limits: r.limits.unwrap_or_default(),
            created_at: now,
            updated_at: now,
        };
        s.validate()?;
        Ok((s, SecretChange::Keep))
    }

    fn patch(&self, now: DateTime<Utc>, p: LuaServicePatch) -> Result<(Self, SecretChange), Invalid> {
        let mut s = self.clone();
        if let Some(v) = p.name {
            s.name = v;
        }
        if let Some(v) = p.description {
            s.description = v;
        }
        if let Some(v) = p.source {
            s.source = v;
        }
        if let Some(v) = p.enabled {
            s.enabled = v;
        }
        if let Some(v) = p.limits {
            s.limits = v;
        }
        s.updated_at = now;
        s.validate()?;
        Ok((s, SecretChange::Keep))
    }
}

//! API tokens: the record of every JWT Callplane minted, so tokens can be listed and revoked.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use serde::{Deserialize, Serialize};

use super::validate::Checker;
use super::{Invalid, Resource, ResourceKind, SecretChange, values};
use crate::auth::Scope;
use crate::auth::ttl::parse_ttl;

#[derive(Debug, Clone, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ApiToken {
    /// The token's `jti` claim.
    pub id: String,
    pub description: String,
    pub scope: Scope,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Set when the token was revoked; a revoked token is refused at once.
    pub revoked_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct ApiTokenCreate {
    pub scope: Scope,
    /// Lifetime: `3600`, `15m`, `12h`, `30d` (at most 10 years).
    #[serde(default = "default_ttl")]
    #[oai(default = "default_ttl")]
    pub ttl: String,
    #[serde(default)]
    #[oai(default)]
    pub description: String,
}

#[derive(Debug, Clone, Default, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct ApiTokenPatch {
    #[serde(default)]
    pub description: Option<String>,
}

/// The answer to `POST /api/v1/api-tokens`: the only time the token itself is shown.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ApiTokenCreated {
    /// The signed JWT; send it as `Authorization: Bearer <token>`.
    pub token: String,
    pub api_token: ApiToken,
}

fn default_ttl() -> String {
    "30d".to_owned()
}

impl Resource for ApiToken {
    const KIND: ResourceKind = ResourceKind::ApiToken;
    type Create = ApiTokenCreate;
    type Patch = ApiTokenPatch;

    fn id(&self) -> &str {
        &self.id
    }

    fn timestamps(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.created_at, self.updated_at)
    }

    fn create(id: String, now: DateTime<Utc>, r: ApiTokenCreate) -> Result<(Self, SecretChange), Invalid> {
        let mut c = Checker::new();
        c.check("description", values::text(&r.description, 256));
        let ttl = parse_ttl(&r.ttl);
        c.check("ttl", ttl.as_ref().map(|_| ()));
        c.finish()?;
        let ttl = ttl.map_err(|e| Invalid::one("ttl", e.to_string()))?;
        let ttl = chrono::Duration::from_std(ttl).map_err(|e| Invalid::one("ttl", e.to_string()))?;
        Ok((
            ApiToken {
                id,
                description: r.description,
                scope: r.scope,
                created_at: now,
                expires_at: now + ttl,
                revoked_at: None,
                updated_at: now,
            },
            SecretChange::Keep,
        ))
    }

    fn patch(&self, now: DateTime<Utc>, p: ApiTokenPatch) -> Result<(Self, SecretChange), Invalid> {
        let mut t = self.clone();
        if let Some(d) = p.description {
            values::text(&d, 256).map_err(|e| Invalid::one("description", e))?;
            t.description = d;
        }
        t.updated_at = now;
        Ok((t, SecretChange::Keep))
    }
}

//! Webhooks: URLs that receive signed event deliveries.

use chrono::{DateTime, Utc};
use poem_openapi::Object;
use serde::{Deserialize, Serialize};

use super::extension::yes;
use super::validate::Checker;
use super::{Invalid, Resource, ResourceKind, SecretChange, values};

pub const MIN_SECRET_LEN: usize = 24;

#[derive(Debug, Clone, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Webhook {
    pub id: String,
    /// `http://` or `https://` URL the events are POSTed to.
    pub url: String,
    pub description: String,
    /// Event type patterns, e.g. `call.*`, `registration.created`; `*` for all.
    pub event_types: Vec<String>,
    pub enabled: bool,
    /// The signing secret is write-only; this says one is set.
    pub has_secret: bool,
    /// Only in the answer to a create without `secret`: the secret Callplane generated
    /// (`whsec_` + base64). Shown once; store it now.
    #[serde(skip)]
    #[oai(skip_serializing_if_is_none)]
    pub generated_secret: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct WebhookCreate {
    pub url: String,
    #[serde(default)]
    #[oai(default)]
    pub description: String,
    #[serde(default = "all_events")]
    #[oai(default = "all_events")]
    pub event_types: Vec<String>,
    /// HMAC-SHA256 signing secret (write-only): `whsec_` + base64 of the key, or at least
    /// 24 characters used as is. Omit it to have one generated and shown once.
    #[serde(default)]
    #[oai(write_only)]
    pub secret: Option<String>,
    #[serde(default = "yes")]
    #[oai(default = "yes")]
    pub enabled: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct WebhookPatch {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub event_types: Option<Vec<String>>,
    #[serde(default)]
    #[oai(write_only)]
    pub secret: Option<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes.
fn generate_secret() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    format!("whsec_{}", base64::engine::general_purpose::STANDARD.encode(key))
}

fn all_events() -> Vec<String> {
    vec!["*".to_owned()]
}

fn check_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| "must start with http:// or https://".to_owned())?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.parse::<values::HostPort>().map_err(|e| format!("invalid host: {e}"))?;
    values::text(url, 2048)
}

impl Webhook {
    fn validate(&self, secret: &SecretChange) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.check("url", check_url(&self.url));
        c.check("description", values::text(&self.description, 256));
        if self.event_types.is_empty() {
            c.fail("event_types", "must list at least one pattern (use `*` for all)");
        }
        for (i, t) in self.event_types.iter().enumerate() {
            c.check(format!("event_types[{i}]"), values::event_pattern(t));
        }
        if let SecretChange::Set(s) = secret {
            if s.chars().count() < MIN_SECRET_LEN {
                c.fail("secret", format!("must be at least {MIN_SECRET_LEN} characters"));
            } else {
                c.check("secret", values::text(s, 256));
            }
        }
        c.finish()
    }
}

impl Resource for Webhook {
    const KIND: ResourceKind = ResourceKind::Webhook;
    type Create = WebhookCreate;
    type Patch = WebhookPatch;

    fn id(&self) -> &str {
        &self.id
    }

    fn timestamps(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.created_at, self.updated_at)
    }

    fn create(id: String, now: DateTime<Utc>, r: WebhookCreate) -> Result<(Self, SecretChange), Invalid> {
        let generated = r.secret.is_none().then(generate_secret);
        let secret = SecretChange::Set(r.secret.or_else(|| generated.clone()).unwrap_or_default());
        let hook = Webhook {
            id,
            url: r.url,
            description: r.description,
            event_types: r.event_types,
            enabled: r.enabled,
            has_secret: true,
            generated_secret: generated,
            created_at: now,
            updated_at: now,
        };
        hook.validate(&secret)?;
        Ok((hook, secret))
    }

    fn patch(&self, now: DateTime<Utc>, p: WebhookPatch) -> Result<(Self, SecretChange), Invalid> {
        let mut h = self.clone();
        h.generated_secret = None;
        let secret = p.secret.map_or(SecretChange::Keep, SecretChange::Set);
        if let Some(v) = p.url {
            h.url = v;
        }
        if let Some(v) = p.description {
            h.description = v;
        }
        if let Some(v) = p.event_types {
            h.event_types = v;
        }
        if let Some(v) = p.enabled {
            h.enabled = v;
        }
        h.updated_at = now;
        h.validate(&secret)?;
        Ok((h, secret))
    }
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn urls() {
        assert!(check_url("https://crm.example/hooks/callplane").is_ok());
        assert!(check_url("http://127.0.0.1:9000/x").is_ok());
        assert!(check_url("ftp://crm.example").is_err());
        assert!(check_url("https://bad host/").is_err());
    }
}

//! Configuration resources: the public API objects, their validation, and what the
//! store needs to know about each of them.

pub mod ban;
pub mod binding;
pub mod cdr;
pub mod security_settings;
pub mod smtp;
pub mod trunk_status;
pub mod api_token;
pub mod extension;
pub mod feature_codes;
pub mod ivr_menu;
pub mod lua_service;
pub mod mailbox;
pub mod media_mode;
pub mod kind;
pub mod ring_group;
pub mod route;
pub mod trunk;
pub mod validate;
pub mod values;
pub mod voicemail;
pub mod voicemail_settings;
pub mod webhook;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use kind::ResourceKind;
pub use validate::{FieldError, Invalid};

/// What a write does to a resource's secret (password, webhook secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretChange {
    Keep,
    Set(String),
    Clear,
}

impl SecretChange {
    /// A `PATCH` password field: absent keeps, `null` clears, a value sets.
    pub fn from_patch(value: poem_openapi::types::MaybeUndefined<String>) -> Self {
        use poem_openapi::types::MaybeUndefined;
        match value {
            MaybeUndefined::Undefined => SecretChange::Keep,
            MaybeUndefined::Null => SecretChange::Clear,
            MaybeUndefined::Value(v) => SecretChange::Set(v),
        }
    }

    /// The new value of a `has_password`-style flag.
    pub fn apply_to(&self, has_secret: &mut bool) {
        match self {
            SecretChange::Set(_) => *has_secret = true,
            SecretChange::Clear => *has_secret = false,
            SecretChange::Keep => {}
        }
    }
}

/// Applies a nullable `PATCH` field: absent keeps, `null` clears, a value sets.
pub fn patch_nullable<T>(slot: &mut Option<T>, value: poem_openapi::types::MaybeUndefined<T>) {
    use poem_openapi::types::MaybeUndefined;
    match value {
        MaybeUndefined::Undefined => {}
        MaybeUndefined::Null => *slot = None,
        MaybeUndefined::Value(v) => *slot = Some(v),
    }
}

/// A configuration resource as the store keeps it: a JSON body plus a few indexed columns.
pub trait Resource: Serialize + DeserializeOwned + Clone + Send + Sync + Unpin + 'static {
    const KIND: ResourceKind;
    /// Request body of `POST`.
    type Create: Send;
    /// Request body of `PATCH`.
    type Patch: Send;

    fn id(&self) -> &str;
    /// When the resource was created and last changed.
    fn timestamps(&self) -> (DateTime<Utc>, DateTime<Utc>);
    /// A value unique among resources of this kind, with the field that holds it.
    fn unique_key(&self) -> Option<(&'static str, &str)> {
        None
    }
    /// A number this resource answers to in the shared dial-number namespace.
    fn dial_number(&self) -> Option<&str> {
        None
    }
    /// The resource this one refers to by id (a route's target).
    fn reference(&self) -> Option<(ResourceKind, &str)> {
        None
    }
    /// Builds a new resource from a validated create request.
    fn create(id: String, now: DateTime<Utc>, request: Self::Create) -> Result<(Self, SecretChange), Invalid>;
    /// Applies a validated patch, returning the new value.
    fn patch(&self, now: DateTime<Utc>, request: Self::Patch) -> Result<(Self, SecretChange), Invalid>;
}

/// A new resource id: UUIDv7, so ids sort in creation order (pagination relies on it).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

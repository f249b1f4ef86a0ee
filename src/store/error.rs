//! What can go wrong in the store, in terms the API maps to status codes.

use crate::model::ResourceKind;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no {kind} with id `{id}`")]
    NotFound { kind: ResourceKind, id: String },
    /// A unique value is taken (409).
    #[error("{field} `{value}` is already used by {owner}")]
    Conflict { field: &'static str, value: String, owner: String },
    /// Deleting would leave other resources pointing at nothing (409).
    #[error("{kind} `{id}` is still referenced by {}", .by.iter().map(|(k, i)| format!("{k} {i}")).collect::<Vec<_>>().join(", "))]
    Referenced { kind: ResourceKind, id: String, by: Vec<(ResourceKind, String)> },
    /// A reference names a resource that does not exist (422).
    #[error("{field}: no {kind} with id `{id}`")]
    DanglingReference { field: &'static str, kind: ResourceKind, id: String },
    /// Someone else changed the resource between our read and our write (409).
    #[error("{kind} `{id}` was modified concurrently; read it again and retry")]
    Stale { kind: ResourceKind, id: String },
    #[error("stored {kind} `{id}` cannot be decoded: {source}")]
    Corrupt { kind: ResourceKind, id: String, source: serde_json::Error },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The key that signs new tokens cannot be retired (409).
    #[error("signing key `{id}` signs new tokens: add a newer key first")]
    SigningKeyInUse { id: String },
    /// (404)
    #[error("no signing key `{id}`")]
    NoSuchSigningKey { id: String },
    /// A stored value other than a resource cannot be read.
    #[error("unreadable stored value: {0}")]
    Unreadable(String),
}

impl StoreError {
    /// Whether the database could not be reached at all (down, restarting, unreachable
    /// network, every connection busy past the pool's wait): nothing was read or changed,
    /// and the same request may succeed later.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Database(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed
            )
        )
    }

    pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
        matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
    }
}

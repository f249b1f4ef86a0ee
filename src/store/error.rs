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

/// A store that could not be used; the same request may succeed later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// No connection was had: nothing was read or changed.
    Unreached,
    /// The connection broke during the request: a change may or may not have been
    /// committed (a lost answer to COMMIT cannot tell).
    ConnectionLost,
}

impl StoreError {
    /// Whether the database could not be used (down, restarting, unreachable network,
    /// every connection busy past the pool's wait), and what that means for the request.
    pub fn outage(&self) -> Option<Outage> {
        match self {
            StoreError::Database(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed) => Some(Outage::Unreached),
            StoreError::Database(sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed) => Some(Outage::ConnectionLost),
            _ => None,
        }
    }

    pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
        matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
    }
}

#[cfg(test)]
mod tests {
    use super::{Outage, StoreError};

    #[test]
    fn only_a_store_that_could_not_be_used_is_an_outage() {
        assert_eq!(StoreError::Database(sqlx::Error::PoolTimedOut).outage(), Some(Outage::Unreached), "no connection within the pool's wait");
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert_eq!(StoreError::Database(sqlx::Error::Io(reset)).outage(), Some(Outage::ConnectionLost), "a COMMIT's answer may be what was lost");
        assert_eq!(StoreError::Database(sqlx::Error::RowNotFound).outage(), None);
        assert_eq!(StoreError::Unreadable("x".into()).outage(), None);
    }
}

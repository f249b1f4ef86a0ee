//! Minting a token outside the API: `callplane token create` and the first admin token.

use std::path::{Path, PathBuf};

use chrono::Utc;

use super::{Scope, TokenSigner};
use crate::model::api_token::{ApiToken, ApiTokenCreate};
use crate::model::{Resource, new_id};
use crate::store::{Store, StoreError};

/// File in the data dir holding the first admin token.
pub const ADMIN_TOKEN_FILE: &str = "admin.token";

#[derive(Debug, thiserror::Error)]
pub enum MintError {
    #[error("{0}")]
    Invalid(crate::model::Invalid),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Sign(#[from] super::TokenError),
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

/// Records a token in the store, then signs it.
pub async fn mint(
    store: &Store,
    signer: &TokenSigner,
    subject: &str,
    scope: Scope,
    ttl: &str,
    description: &str,
) -> Result<(String, ApiToken), MintError> {
    let request = ApiTokenCreate { scope, ttl: ttl.to_owned(), description: description.to_owned() };
    let (record, secret) = ApiToken::create(new_id(), Utc::now(), request).map_err(MintError::Invalid)?;
    store.insert(&record, &secret, None).await?;
    let ttl = (record.expires_at - record.created_at).to_std().unwrap_or_default();
    let (token, _) = signer.sign(&record.id, subject, scope, ttl)?;
    Ok((token, record))
}

/// On a store without any token, mints an admin token into `<data_dir>/admin.token` (0600)
/// and returns its path; otherwise `None`.
pub async fn bootstrap_admin(store: &Store, signer: &TokenSigner, data_dir: &Path) -> Result<Option<PathBuf>, MintError> {
    if store.count::<ApiToken>().await? > 0 {
        return Ok(None);
    }
    let path = data_dir.join(ADMIN_TOKEN_FILE);
    let (token, _) = mint(store, signer, "bootstrap", Scope::Admin, "365d", "first admin token").await?;
    let _ = std::fs::remove_file(&path);
    super::secret::write_private(&path, format!("{token}\n").as_bytes())
        .map_err(|source| MintError::Write { path: path.clone(), source })?;
    Ok(Some(path))
}

//! The keys API tokens are signed with, shared by every node on the store. The newest signs;
//! every key in the table verifies the tokens that name it. Rotating adds a key; retiring
//! removes one (its tokens stop working). Both go through the change log, so every node
//! takes them in.

use base64::Engine;
use chrono::Utc;
use sqlx::Row;

use super::{Store, StoreError};
use crate::auth::jwt::{FIRST, SigningKey};

/// The change log's kind for key changes.
pub const SIGNING_KEY: &str = "signing_key";

/// A key as listed (never its secret).
#[derive(Debug, Clone)]
pub struct KeyInfo {
    pub id: String,
    pub created_at: chrono::DateTime<Utc>,
}

fn engine() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

impl Store {
    /// The keys in force, oldest first (the last one signs). On first use `offered`
    /// becomes the first key (a node's own, so the tokens an existing single node signed
    /// stay valid); nodes starting together agree on one.
    pub async fn shared_signing_keys(&self, offered: &[u8]) -> Result<Vec<SigningKey>, StoreError> {
        let present: i64 = sqlx::query("SELECT COUNT(*) FROM signing_keys").fetch_one(&self.pool).await?.try_get(0)?;
        if present == 0 {
            sqlx::query("INSERT INTO signing_keys (id, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING")
                .bind(FIRST)
                .bind(engine().encode(offered))
                .bind(Utc::now().timestamp_millis())
                .execute(&self.pool)
                .await?;
        }
        self.signing_keys().await
    }

    /// The keys in force, oldest first.
    pub async fn signing_keys(&self) -> Result<Vec<SigningKey>, StoreError> {
        let rows = sqlx::query("SELECT id, secret FROM signing_keys ORDER BY created_at, id").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let (id, text): (String, String) = (r.try_get(0)?, r.try_get(1)?);
                let secret = engine().decode(text.trim()).map_err(|e| StoreError::Unreadable(format!("signing key `{id}`: {e}")))?;
                Ok(SigningKey { id, secret })
            })
            .collect()
    }

    /// The keys in force, oldest first, without their secrets.
    pub async fn signing_key_infos(&self) -> Result<Vec<KeyInfo>, StoreError> {
        let rows = sqlx::query("SELECT id, created_at FROM signing_keys ORDER BY created_at, id").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| Ok(KeyInfo { id: r.try_get(0)?, created_at: chrono::DateTime::from_timestamp_millis(r.try_get(1)?).unwrap_or_default() }))
            .collect()
    }

    /// Adds `secret` as the newest key (it signs from now on), logged for the other nodes.
    pub async fn add_signing_key(&self, id: &str, secret: &[u8]) -> Result<KeyInfo, StoreError> {
        let mut tx = self.begin_change().await?;
        // Strictly newer than every key, whatever the clocks of the nodes say.
        let newest: Option<i64> = sqlx::query("SELECT MAX(created_at) FROM signing_keys").fetch_one(&mut *tx).await?.try_get(0)?;
        let at = Utc::now().timestamp_millis().max(newest.unwrap_or(0) + 1);
        sqlx::query("INSERT INTO signing_keys (id, secret, created_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(engine().encode(secret))
            .bind(at)
            .execute(&mut *tx)
            .await?;
        self.log_change(&mut tx, SIGNING_KEY, id, "created").await?;
        tx.commit().await?;
        Ok(KeyInfo { id: id.to_owned(), created_at: chrono::DateTime::from_timestamp_millis(at).unwrap_or_default() })
    }

    /// Removes key `id`; the key that signs (the newest) cannot be removed.
    pub async fn retire_signing_key(&self, id: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_change().await?;
        let newest: Option<String> = sqlx::query("SELECT id FROM signing_keys ORDER BY created_at DESC, id DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
        if newest.as_deref() == Some(id) {
            return Err(StoreError::SigningKeyInUse { id: id.to_owned() });
        }
        let done = sqlx::query("DELETE FROM signing_keys WHERE id = $1").bind(id).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NoSuchSigningKey { id: id.to_owned() });
        }
        self.log_change(&mut tx, SIGNING_KEY, id, "deleted").await?;
        tx.commit().await?;
        Ok(())
    }
}

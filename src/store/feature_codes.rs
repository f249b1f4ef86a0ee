//! The feature codes document.

use chrono::Utc;
use sqlx::Row;

use super::{Store, StoreError};
use crate::events::Draft;
use crate::model::feature_codes::FeatureCodes;

/// Kind of the feature codes in the change log (other nodes load them again).
pub const FEATURE_CODES: &str = "feature_codes";

impl Store {
    /// The stored codes, or the defaults before the first change.
    pub async fn load_feature_codes(&self) -> Result<FeatureCodes, StoreError> {
        let row = sqlx::query("SELECT body FROM feature_codes WHERE id = 1").fetch_optional(&self.pool).await?;
        let Some(row) = row else { return Ok(FeatureCodes::default()) };
        let body: String = row.try_get(0)?;
        Ok(serde_json::from_str(&body).unwrap_or_else(|e| {
            tracing::error!(error = %e, "the stored feature codes are unreadable; using the defaults");
            FeatureCodes::default()
        }))
    }

    /// Stores `codes`; `event` (its `config.changed`) commits with them.
    pub async fn save_feature_codes(&self, codes: &FeatureCodes, event: &Draft) -> Result<(), StoreError> {
        let body = serde_json::to_string(codes).unwrap_or_default();
        let mut tx = self.begin_change().await?;
        sqlx::query(
            "INSERT INTO feature_codes (id, body, updated_at) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(body)
        .bind(Utc::now().timestamp_millis())
        .execute(&mut *tx)
        .await?;
        self.log_change(&mut tx, FEATURE_CODES, "1", "updated").await?;
        self.append_events_in(&mut tx, std::slice::from_ref(event)).await?;
        tx.commit().await?;
        Ok(())
    }
}

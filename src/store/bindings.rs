//! Durable copy of registrations. Written off the SIP hot path by the registrar's writer.

use sqlx::Row;

use super::{Store, StoreError};
use crate::model::ResourceKind;
use crate::model::binding::Binding;

impl Store {
    pub async fn upsert_binding(&self, b: &Binding) -> Result<(), StoreError> {
        let body = serde_json::to_string(b)
            .map_err(|source| StoreError::Corrupt { kind: ResourceKind::Extension, id: b.id.clone(), source })?;
        sqlx::query(
            "INSERT INTO bindings (id, aor, body, expires_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET aor = excluded.aor, body = excluded.body, expires_at = excluded.expires_at",
        )
        .bind(&b.id)
        .bind(&b.aor)
        .bind(body)
        .bind(b.expires_at.timestamp_millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn delete_binding(&self, id: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM bindings WHERE id = $1").bind(id).execute(&self.pool).await?;
        Ok(())
    }

    /// Bindings that have not expired by `now_ms`; expired rows are deleted.
    pub async fn load_bindings(&self, now_ms: i64) -> Result<Vec<Binding>, StoreError> {
        sqlx::query("DELETE FROM bindings WHERE expires_at <= $1").bind(now_ms).execute(&self.pool).await?;
        let rows = sqlx::query("SELECT id, body FROM bindings ORDER BY id").fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let id: String = row.try_get(0)?;
            let body: String = row.try_get(1)?;
            match serde_json::from_str(&body) {
                Ok(b) => out.push(b),
                Err(e) => tracing::warn!(%id, error = %e, "skipping an unreadable stored binding"),
            }
        }
        Ok(out)
    }
}

//! Bans and the security settings document.

use chrono::{DateTime, TimeZone, Utc};
use sqlx::Row;

use super::{Store, StoreError};
use crate::model::ban::Ban;
use crate::model::security_settings::SecuritySettings;

/// Change-log kinds of what this file stores.
pub const BAN: &str = "ban";
pub const SECURITY_SETTINGS: &str = "security_settings";

impl Store {
    pub async fn upsert_ban(&self, ban: &Ban) -> Result<(), StoreError> {
        let mut tx = self.begin_change().await?;
        sqlx::query(
            "INSERT INTO bans (ip, reason, created_at, until) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (ip) DO UPDATE SET reason = excluded.reason, created_at = excluded.created_at, until = excluded.until",
        )
        .bind(ban.ip.to_string())
        .bind(&ban.reason)
        .bind(ban.created_at.timestamp_millis())
        .bind(ban.until.timestamp_millis())
        .execute(&mut *tx)
        .await?;
        self.log_change(&mut tx, BAN, &ban.ip.to_string(), "created").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_ban(&self, ip: std::net::IpAddr) -> Result<(), StoreError> {
        let mut tx = self.begin_change().await?;
        sqlx::query("DELETE FROM bans WHERE ip = $1").bind(ip.to_string()).execute(&mut *tx).await?;
        self.log_change(&mut tx, BAN, &ip.to_string(), "deleted").await?;
        tx.commit().await?;
        Ok(())
    }

    /// The running ban on `ip`, if any.
    pub async fn load_ban(&self, ip: std::net::IpAddr, now: DateTime<Utc>) -> Result<Option<Ban>, StoreError> {
        let row = sqlx::query("SELECT reason, created_at, until FROM bans WHERE ip = $1 AND until > $2")
            .bind(ip.to_string())
            .bind(now.timestamp_millis())
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let at = |ms: i64| Utc.timestamp_millis_opt(ms).single().unwrap_or(now);
        Ok(Some(Ban { ip, reason: row.try_get(0)?, created_at: at(row.try_get(1)?), until: at(row.try_get(2)?) }))
    }

    /// Bans still running at `now`; expired rows are deleted.
    pub async fn load_bans(&self, now: DateTime<Utc>) -> Result<Vec<Ban>, StoreError> {
        sqlx::query("DELETE FROM bans WHERE until <= $1").bind(now.timestamp_millis()).execute(&self.pool).await?;
        let rows = sqlx::query("SELECT ip, reason, created_at, until FROM bans ORDER BY ip").fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let ip: String = row.try_get(0)?;
            let Ok(ip) = ip.parse() else {
                tracing::warn!(%ip, "skipping a stored ban with an unreadable address");
                continue;
            };
            let at = |ms: i64| Utc.timestamp_millis_opt(ms).single().unwrap_or(now);
            out.push(Ban { ip, reason: row.try_get(1)?, created_at: at(row.try_get(2)?), until: at(row.try_get(3)?) });
        }
        Ok(out)
    }

    /// The stored settings, or `None` before the first change.
    pub async fn load_security_settings(&self) -> Result<Option<SecuritySettings>, StoreError> {
        let row = sqlx::query("SELECT body FROM security_settings WHERE id = 1").fetch_optional(&self.pool).await?;
        let Some(row) = row else { return Ok(None) };
        let body: String = row.try_get(0)?;
        match serde_json::from_str(&body) {
            Ok(s) => Ok(Some(s)),
            Err(e) => {
                tracing::error!(error = %e, "the stored security settings are unreadable; using the defaults");
                Ok(None)
            }
        }
    }

    pub async fn save_security_settings(&self, settings: &SecuritySettings) -> Result<(), StoreError> {
        let body = serde_json::to_string(settings).unwrap_or_default();
        let mut tx = self.begin_change().await?;
        sqlx::query(
            "INSERT INTO security_settings (id, body, updated_at) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(body)
        .bind(Utc::now().timestamp_millis())
        .execute(&mut *tx)
        .await?;
        self.log_change(&mut tx, SECURITY_SETTINGS, "1", "updated").await?;
        tx.commit().await?;
        Ok(())
    }
}

//! Generic create/read/update/delete for every configuration resource. Each write is one
//! transaction: the resource row, its dial number and reference checks commit together
//! or not at all.

use chrono::{DateTime, Utc};
use sqlx::{AssertSqlSafe, Row};

use super::{Page, PageRequest, Store, StoreError, WriteTx};
use crate::events::Draft;
use crate::model::{Resource, ResourceKind, SecretChange};

/// A resource with what the store keeps beside it.
#[derive(Debug, Clone)]
pub struct Stored<R> {
    pub value: R,
    pub secret: Option<String>,
    pub revision: i64,
}

fn table<R: Resource>() -> &'static str {
    // Every kind with a `Resource` impl has a table.
    R::KIND.table().unwrap_or("lua_services")
}

fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Timestamps of a resource as stored in the indexed columns (epoch milliseconds).
fn stamps<R: Resource>(value: &R) -> (i64, i64) {
    let (created, updated) = value.timestamps();
    (millis(created), millis(updated))
}

fn decode<R: Resource>(id: &str, body: &str) -> Result<R, StoreError> {
    serde_json::from_str(body).map_err(|source| StoreError::Corrupt { kind: R::KIND, id: id.to_owned(), source })
}

impl Store {
    /// Inserts a resource; `event` (its `config.changed`) commits with it.
    pub async fn insert<R: Resource>(&self, value: &R, secret: &SecretChange, event: Option<&Draft>) -> Result<(), StoreError> {
        let mut tx = self.begin_change().await?;
        check_reference(&mut tx, value).await?;
        if let Some(number) = value.dial_number() {
            claim_number(&mut tx, number, R::KIND, value.id()).await?;
        }
        let body = serde_json::to_string(value)
            .map_err(|source| StoreError::Corrupt { kind: R::KIND, id: value.id().to_owned(), source })?;
        let (created, updated) = stamps(value);
        let secret = match secret {
            SecretChange::Set(s) => Some(s.clone()),
            SecretChange::Keep | SecretChange::Clear => None,
        };
        let (ref_kind, ref_id) = split_ref(value);
        let sql = format!(
            "INSERT INTO {} (id, unique_key, ref_kind, ref_id, body, secret, revision, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)",
            table::<R>()
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(value.id())
            .bind(value.unique_key().map(|(_, v)| v))
            .bind(ref_kind)
            .bind(ref_id)
            .bind(body)
            .bind(secret)
            .bind(created)
            .bind(updated)
            .execute(&mut *tx)
            .await
            .map_err(|e| unique_conflict::<R>(e, value))?;
        self.log_change(&mut tx, R::KIND.as_str(), value.id(), "created").await?;
        self.append_events_in(&mut tx, event.map(std::slice::from_ref).unwrap_or_default()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn get<R: Resource>(&self, id: &str) -> Result<Stored<R>, StoreError> {
        let sql = format!("SELECT body, secret, revision FROM {} WHERE id = $1", table::<R>());
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        let row = row.ok_or_else(|| StoreError::NotFound { kind: R::KIND, id: id.to_owned() })?;
        Ok(Stored {
            value: decode(id, &row.try_get::<String, _>(0)?)?,
            secret: row.try_get(1)?,
            revision: row.try_get(2)?,
        })
    }

    /// Replaces a resource read at `revision`; fails with `Stale` if it changed since.
    /// `event` (its `config.changed`) commits with it.
    pub async fn update<R: Resource>(
        &self,
        old: &Stored<R>,
        value: &R,
        secret: &SecretChange,
        event: Option<&Draft>,
    ) -> Result<Stored<R>, StoreError> {
        let mut tx = self.begin_change().await?;
        check_reference(&mut tx, value).await?;
        if old.value.dial_number() != value.dial_number() {
            if let Some(number) = old.value.dial_number() {
                release_number(&mut tx, number).await?;
            }
            if let Some(number) = value.dial_number() {
                claim_number(&mut tx, number, R::KIND, value.id()).await?;
            }
        }
        let body = serde_json::to_string(value)
            .map_err(|source| StoreError::Corrupt { kind: R::KIND, id: value.id().to_owned(), source })?;
        let (_, updated) = stamps(value);
        let new_secret = match secret {
            SecretChange::Keep => old.secret.clone(),
            SecretChange::Set(s) => Some(s.clone()),
            SecretChange::Clear => None,
        };
        let (ref_kind, ref_id) = split_ref(value);
        let sql = format!(
            "UPDATE {} SET unique_key = $1, ref_kind = $2, ref_id = $3, body = $4, secret = $5, \
             revision = revision + 1, updated_at = $6 WHERE id = $7 AND revision = $8",
            table::<R>()
        );
        let done = sqlx::query(AssertSqlSafe(sql))
            .bind(value.unique_key().map(|(_, v)| v))
            .bind(ref_kind)
            .bind(ref_id)
            .bind(body)
            .bind(new_secret.clone())
            .bind(updated)
            .bind(value.id())
            .bind(old.revision)
            .execute(&mut *tx)
            .await
            .map_err(|e| unique_conflict::<R>(e, value))?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Stale { kind: R::KIND, id: value.id().to_owned() });
        }
        self.log_change(&mut tx, R::KIND.as_str(), value.id(), "updated").await?;
        self.append_events_in(&mut tx, event.map(std::slice::from_ref).unwrap_or_default()).await?;
        tx.commit().await?;
        Ok(Stored { value: value.clone(), secret: new_secret, revision: old.revision + 1 })
    }

    /// Deletes a resource unless something still refers to it. `event` (its
    /// `config.changed`) commits with it.
    pub async fn delete<R: Resource>(&self, id: &str, event: Option<&Draft>) -> Result<Stored<R>, StoreError> {
        let mut tx = self.begin_change().await?;
        let referrers = sqlx::query("SELECT id FROM routes WHERE ref_kind = $1 AND ref_id = $2 ORDER BY id")
            .bind(R::KIND.as_str())
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        if !referrers.is_empty() {
            let by = referrers
                .iter()
                .map(|r| r.try_get::<String, _>(0).map(|rid| (ResourceKind::Route, rid)))
                .collect::<Result<Vec<_>, _>>()?;
            return Err(StoreError::Referenced { kind: R::KIND, id: id.to_owned(), by });
        }
        let sql = format!("SELECT body, secret, revision FROM {} WHERE id = $1", table::<R>());
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *tx).await?;
        let row = row.ok_or_else(|| StoreError::NotFound { kind: R::KIND, id: id.to_owned() })?;
        let stored = Stored::<R> {
            value: decode(id, &row.try_get::<String, _>(0)?)?,
            secret: row.try_get(1)?,
            revision: row.try_get(2)?,
        };
        if let Some(number) = stored.value.dial_number() {
            release_number(&mut tx, number).await?;
        }
        let sql = format!("DELETE FROM {} WHERE id = $1", table::<R>());
        sqlx::query(AssertSqlSafe(sql)).bind(id).execute(&mut *tx).await?;
        self.log_change(&mut tx, R::KIND.as_str(), id, "deleted").await?;
        self.append_events_in(&mut tx, event.map(std::slice::from_ref).unwrap_or_default()).await?;
        tx.commit().await?;
        Ok(stored)
    }

    pub async fn list<R: Resource>(&self, page: &PageRequest) -> Result<Page<R>, StoreError> {
        let like = page.key_prefix.as_deref().map(|p| format!("{p}%"));
        let filter = "($1 = 0 OR unique_key LIKE $2)";
        let count_sql = format!("SELECT COUNT(*) FROM {} WHERE {filter}", table::<R>());
        let total: i64 = sqlx::query(AssertSqlSafe(count_sql))
            .bind(i64::from(like.is_some()))
            .bind(like.clone().unwrap_or_default())
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let sql = format!(
            "SELECT id, body FROM {} WHERE {filter} AND id > $3 ORDER BY id LIMIT $4",
            table::<R>()
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(i64::from(like.is_some()))
            .bind(like.unwrap_or_default())
            .bind(page.after.clone().unwrap_or_default())
            .bind(i64::from(page.limit) + 1)
            .fetch_all(&self.pool)
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows.iter().take(page.limit as usize) {
            let id: String = row.try_get(0)?;
            items.push(decode::<R>(&id, &row.try_get::<String, _>(1)?)?);
        }
        let next_cursor = if rows.len() > page.limit as usize {
            items.last().map(|r: &R| r.id().to_owned())
        } else {
            None
        };
        Ok(Page { items, total, next_cursor })
    }

    /// Every resource of a kind, with secrets: what the snapshot is built from.
    pub async fn load_all<R: Resource>(&self) -> Result<Vec<Stored<R>>, StoreError> {
        let sql = format!("SELECT id, body, secret, revision FROM {} ORDER BY id", table::<R>());
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get(0)?;
                Ok(Stored {
                    value: decode(&id, &row.try_get::<String, _>(1)?)?,
                    secret: row.try_get(2)?,
                    revision: row.try_get(3)?,
                })
            })
            .collect()
    }

    pub async fn count<R: Resource>(&self) -> Result<i64, StoreError> {
        let sql = format!("SELECT COUNT(*) FROM {}", table::<R>());
        Ok(sqlx::query(AssertSqlSafe(sql)).fetch_one(&self.pool).await?.try_get(0)?)
    }
}

fn split_ref<R: Resource>(value: &R) -> (Option<&'static str>, Option<String>) {
    match value.reference() {
        Some((kind, id)) => (Some(kind.as_str()), Some(id.to_owned())),
        None => (None, None),
    }
}

/// A reference must name an existing resource, checked inside the writing transaction.
async fn check_reference<R: Resource>(tx: &mut WriteTx, value: &R) -> Result<(), StoreError> {
    let Some((kind, id)) = value.reference() else { return Ok(()) };
    if kind == ResourceKind::LuaService && id.starts_with(crate::lua::builtin::PREFIX) {
        // Built-in services are not stored; the provisioner checked the snapshot has it.
        return Ok(());
    }
    let dangling = || StoreError::DanglingReference { field: "target.id", kind, id: id.to_owned() };
    let Some(table) = kind.table() else { return Err(dangling()) };
    let sql = format!("SELECT 1 FROM {table} WHERE id = $1");
    let found = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
    if found.is_none() {
        return Err(dangling());
    }
    Ok(())
}

async fn claim_number(
    tx: &mut WriteTx,
    number: &str,
    kind: ResourceKind,
    id: &str,
) -> Result<(), StoreError> {
    let owner = sqlx::query("SELECT owner_kind, owner_id FROM dial_numbers WHERE number = $1")
        .bind(number)
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(row) = owner {
        let owner_kind: String = row.try_get(0)?;
        let owner_id: String = row.try_get(1)?;
        return Err(StoreError::Conflict {
            field: "number",
            value: number.to_owned(),
            owner: format!("{owner_kind} {owner_id}"),
        });
    }
    sqlx::query("INSERT INTO dial_numbers (number, owner_kind, owner_id) VALUES ($1, $2, $3)")
        .bind(number)
        .bind(kind.as_str())
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(|e| {
            if StoreError::is_unique_violation(&e) {
                StoreError::Conflict { field: "number", value: number.to_owned(), owner: "another resource".into() }
            } else {
                e.into()
            }
        })?;
    Ok(())
}

async fn release_number(tx: &mut WriteTx, number: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM dial_numbers WHERE number = $1").bind(number).execute(&mut **tx).await?;
    Ok(())
}

fn unique_conflict<R: Resource>(e: sqlx::Error, value: &R) -> StoreError {
    match value.unique_key() {
        Some((field, key)) if StoreError::is_unique_violation(&e) => StoreError::Conflict {
            field,
            value: key.to_owned(),
            owner: format!("another {}", R::KIND),
        },
        _ => e.into(),
    }
}

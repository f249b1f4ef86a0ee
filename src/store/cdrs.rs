//! Call detail records in the store.

use sqlx::Row;

use super::WriteTx;
use super::bulk::{Bulk, execute_chunks, values_sql};
use super::{Store, StoreError};
use crate::model::ResourceKind;
use crate::model::cdr::Cdr;

/// Filters of `GET /api/v1/cdrs`.
#[derive(Debug, Default, Clone)]
pub struct CdrQuery {
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Caller, dialled number or answering extension.
    pub number: Option<String>,
    pub disposition: Option<String>,
    pub after: Option<String>,
    pub limit: u32,
}

const CDR_HEAD: &str = "INSERT INTO cdrs (id, started_at, caller, dialed, callee, disposition, body) VALUES ";
const CDR_TAIL: &str = " ON CONFLICT (id) DO NOTHING";

/// `q` with `cdr`'s seven columns bound (in `CDR_HEAD`'s order).
fn bind_cdr(q: Bulk, cdr: &Cdr) -> Result<Bulk, StoreError> {
    let body = serde_json::to_string(cdr).map_err(|source| StoreError::Corrupt { kind: ResourceKind::Extension, id: cdr.id.clone(), source })?;
    Ok(q.bind(cdr.id.clone())
        .bind(cdr.started_at.timestamp_millis())
        .bind(cdr.caller.clone())
        .bind(cdr.dialed.clone())
        .bind(cdr.final_callee.clone())
        .bind(cdr.disposition.as_str())
        .bind(body))
}

impl Store {
    /// Stores `cdrs` inside `tx`, but those whose id is stored already.
    pub(crate) async fn insert_cdrs_once(tx: &mut WriteTx, cdrs: &[Cdr]) -> Result<(), StoreError> {
        execute_chunks(tx, cdrs, |b, n| values_sql(b, CDR_HEAD, 7, n, CDR_TAIL), bind_cdr).await
    }

    /// CDRs oldest first (ids are time-ordered), with the total matching the filters.
    pub async fn list_cdrs(&self, q: &CdrQuery) -> Result<(Vec<Cdr>, i64, Option<String>), StoreError> {
        let filter = "started_at >= $1 AND started_at <= $2 AND ($3 = '' OR caller = $3 OR dialed = $3 OR callee = $3) \
                      AND ($4 = '' OR disposition = $4)";
        let bind = |sql: String| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(q.from_ms.unwrap_or(i64::MIN))
                .bind(q.to_ms.unwrap_or(i64::MAX))
                .bind(q.number.clone().unwrap_or_default())
                .bind(q.disposition.clone().unwrap_or_default())
        };
        let total: i64 = bind(format!("SELECT COUNT(*) FROM cdrs WHERE {filter}")).fetch_one(&self.pool).await?.try_get(0)?;
        let rows = bind(format!("SELECT id, body FROM cdrs WHERE {filter} AND id > $5 ORDER BY id LIMIT $6"))
            .bind(q.after.clone().unwrap_or_default())
            .bind(i64::from(q.limit) + 1)
            .fetch_all(&self.pool)
            .await?;
        let mut items = Vec::new();
        for row in rows.iter().take(q.limit as usize) {
            let id: String = row.try_get(0)?;
            let body: String = row.try_get(1)?;
            items.push(serde_json::from_str(&body).map_err(|source| StoreError::Corrupt { kind: ResourceKind::Extension, id, source })?);
        }
        let next = if rows.len() > q.limit as usize { items.last().map(|c: &Cdr| c.id.clone()) } else { None };
        Ok((items, total, next))
    }
}

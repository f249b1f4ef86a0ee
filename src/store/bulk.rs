//! Many rows in one statement: `INSERT … VALUES (…), (…)` and `… IN (…)`. On SQLite every
//! statement is a round trip to the connection's worker thread, so a batch of rows costs a
//! few statements instead of one per row. Placeholders are `$1, $2, …` on PostgreSQL and
//! plain `?` on SQLite (SQLite looks a numbered one up by scanning all of a statement's
//! names, so hundreds of them cost quadratic time).

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

use super::{Backend, StoreError, WriteTx};

/// A statement being bound.
pub type Bulk = Query<'static, Any, AnyArguments>;

/// Rows per statement: well under SQLite's 32,766 bound parameters for any of our tables.
pub const CHUNK: usize = 100;

/// `head` followed by `rows` groups of `cols` placeholders, then `tail`:
/// `values_sql(Backend::Postgres, "INSERT INTO t (a, b) VALUES ", 2, 2, "")` is
/// `INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)`.
pub fn values_sql(backend: Backend, head: &str, cols: usize, rows: usize, tail: &str) -> String {
    let mut sql = String::with_capacity(head.len() + tail.len() + rows * cols * 6);
    sql.push_str(head);
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..cols {
            n += 1;
            if c > 0 {
                sql.push_str(", ");
            }
            match backend {
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                }
                Backend::Sqlite => sql.push('?'),
            }
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// `head` followed by `($1, …, $n)` and `tail`: the list of an `IN`.
pub fn in_list_sql(backend: Backend, head: &str, n: usize, tail: &str) -> String {
    // One group of `n` columns is the same text as a list of `n` values.
    values_sql(backend, head, n, 1, tail)
}

/// Runs `sql_for(the transaction's backend, rows in chunk)` once per chunk of `rows`, with
/// each row's values bound by `bind` in the order of its placeholders.
pub async fn execute_chunks<T>(
    tx: &mut WriteTx,
    rows: &[T],
    sql_for: impl Fn(Backend, usize) -> String,
    bind: impl Fn(Bulk, &T) -> Result<Bulk, StoreError>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(CHUNK) {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql_for(tx.backend(), chunk.len())));
        for row in chunk {
            q = bind(q, row)?;
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_across_rows() {
        let pg = Backend::Postgres;
        assert_eq!(values_sql(pg, "INSERT INTO t (a, b) VALUES ", 2, 2, " ON CONFLICT DO NOTHING"), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING");
        assert_eq!(in_list_sql(pg, "DELETE FROM t WHERE id IN ", 3, ""), "DELETE FROM t WHERE id IN ($1, $2, $3)");
    }

    #[test]
    fn sqlite_gets_plain_placeholders() {
        assert_eq!(values_sql(Backend::Sqlite, "INSERT INTO t (a, b) VALUES ", 2, 2, ""), "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
    }
}

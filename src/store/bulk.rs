//! Many rows in one statement: `INSERT … VALUES (…), (…)` and `… IN (…)` with numbered
//! placeholders (portable between SQLite and PostgreSQL). On SQLite every statement is a
//! round trip to the connection's worker thread, so a batch of rows costs a few
//! statements instead of one per row.

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

use super::{StoreError, WriteTx};

/// A statement being bound.
pub type Bulk = Query<'static, Any, AnyArguments>;

/// Rows per statement: well under SQLite's 32,766 bound parameters for any of our tables.
pub const CHUNK: usize = 100;

/// `head` followed by `rows` groups of `cols` numbered placeholders, then `tail`:
/// `values_sql("INSERT INTO t (a, b) VALUES ", 2, 2, "")` is
/// `INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)`.
pub fn values_sql(head: &str, cols: usize, rows: usize, tail: &str) -> String {
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
            sql.push('$');
            sql.push_str(&n.to_string());
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// `head` followed by `($1, …, $n)` and `tail`: the list of an `IN`.
pub fn in_list_sql(head: &str, n: usize, tail: &str) -> String {
    // One group of `n` columns is the same text as a list of `n` values.
    values_sql(head, n, 1, tail)
}

/// Runs `sql_for(rows in chunk)` once per chunk of `rows`, with each row's values bound
/// by `bind` in the order of its placeholders.
pub async fn execute_chunks<T>(
    tx: &mut WriteTx,
    rows: &[T],
    sql_for: impl Fn(usize) -> String,
    bind: impl Fn(Bulk, &T) -> Result<Bulk, StoreError>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(CHUNK) {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql_for(chunk.len())));
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
        assert_eq!(values_sql("INSERT INTO t (a, b) VALUES ", 2, 2, " ON CONFLICT DO NOTHING"), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING");
        assert_eq!(in_list_sql("DELETE FROM t WHERE id IN ", 3, ""), "DELETE FROM t WHERE id IN ($1, $2, $3)");
    }
}

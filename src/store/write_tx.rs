//! A write transaction. On SQLite, writers queue for the one write lock in the process
//! (an async mutex) before they begin: a second `BEGIN IMMEDIATE` would otherwise block a
//! connection's thread in SQLite's busy handler, sleeping in steps of up to 100 ms, while
//! the first commits. On PostgreSQL, writers run side by side under its own locks.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::{Any, AnyConnection, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::{Backend, StoreError};

/// The process's turn to write (SQLite only).
pub type WriteGate = Arc<Mutex<()>>;

/// A transaction that holds the write turn until it commits or is dropped (rolled back).
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    backend: Backend,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub(crate) fn new(tx: Transaction<'static, Any>, backend: Backend, turn: Option<OwnedMutexGuard<()>>) -> WriteTx {
        WriteTx { tx, backend, _turn: turn }
    }

    /// The database the transaction runs on (its SQL dialect).
    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }
}

/// Statements run on the transaction's connection: `query.execute(&mut *tx)`.
impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// How long a group-committing writer (events, call records, registrations) waits after
/// the first write of a batch for more to join it. Under light load writes arrive one at a
/// time; without the wait each becomes its own transaction, and every statement of it a
/// round trip to the store's connection thread (two thread switches each). Each commit
/// also writes every page it touched to the log and syncs it: with 10,000 phones
/// registering at 2,500/s, the store's thread used 40 % less CPU with 20 ms than with 5 ms,
/// and the whole server 10 % less (bench/register/RESULTS.md). The
/// delay falls on events and records, which nothing on the SIP path waits for; a crash
/// loses at most this much of them (phones re-register, calls are still answered).
pub const GROUP_COMMIT_WAIT: std::time::Duration = std::time::Duration::from_millis(20);


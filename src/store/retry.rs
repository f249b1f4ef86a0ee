//! Background writers (registrations, the event log) keep a batch until it is written: a
//! store that is away delays it, and it is written when the store is back.

use std::future::Future;
use std::time::Duration;

use super::{Store, StoreError};

const FIRST_PAUSE: Duration = Duration::from_millis(100);
const LONGEST_PAUSE: Duration = Duration::from_secs(2);

impl Store {
    /// Runs `write` until it succeeds, pausing between tries (100 ms, doubling up to 2 s).
    /// `None` once the store has been closed: the batch is given up and logged as `count`
    /// `what` (e.g. "registrations").
    pub async fn until_written<T, F, Fut>(&self, what: &str, count: usize, mut write: F) -> Option<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, StoreError>>,
    {
        let mut pause = FIRST_PAUSE;
        loop {
            match write().await {
                Ok(done) => return Some(done),
                Err(_) if self.pool().is_closed() => {
                    tracing::error!(count, "the store was closed before these {what} were written");
                    return None;
                }
                Err(e) => {
                    tracing::warn!(error = %e, count, "cannot write {what} to the store; retrying");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(LONGEST_PAUSE);
                }
            }
        }
    }
}

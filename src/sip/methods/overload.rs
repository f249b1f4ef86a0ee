//! Shedding new calls under overload (RFC 3261 section 21.5.4: 503 with Retry-After).
//!
//! The signal is how long a request waited between leaving the socket and its handler
//! starting: the tasks ahead of it are the work the node has not caught up with. When a new
//! call's INVITE waited longer than the limit, it is answered 503 at once, before its
//! authentication, routing and the dialogs it would open, so the calls already accepted
//! keep their CPU and finish. Requests within calls are never shed.

use std::time::Duration;

/// What to do with a new call whose INVITE waited `queued` for its handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Take,
    /// Refuse with 503 and this Retry-After (seconds).
    Shed { retry_after_s: u32 },
}

/// `limit` zero turns shedding off. The Retry-After grows with the backlog (1 s per
/// 100 ms waited, 2 to 30 s), so callers spread their retries over the time the node needs.
pub fn admit(queued: Duration, limit: Duration) -> Admission {
    if limit.is_zero() || queued <= limit {
        return Admission::Take;
    }
    let backlog_s = u32::try_from(queued.as_millis() / 100).unwrap_or(u32::MAX);
    Admission::Shed { retry_after_s: backlog_s.clamp(2, 30) }
}

/// Whether a node carrying `calls` calls may take one more under the limit `max` (0: no
/// limit). Beyond it the new call is refused like an overloaded one (RFC 3261 section
/// 21.5.4), with `CALL_LIMIT_RETRY_AFTER_S`.
pub fn under_call_limit(calls: usize, max: u32) -> bool {
    max == 0 || calls < max as usize
}

/// Calls last minutes, so a caller refused at the limit waits longer than after a burst.
pub const CALL_LIMIT_RETRY_AFTER_S: u32 = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_call_limit_counts_calls_already_up() {
        assert!(under_call_limit(0, 1));
        assert!(!under_call_limit(1, 1), "the limit is the most calls carried at once");
        assert!(under_call_limit(9_999, 10_000));
        assert!(under_call_limit(1_000_000, 0), "0: no limit");
    }

    #[test]
    fn only_invites_that_waited_past_the_limit_are_shed() {
        let limit = Duration::from_millis(100);
        assert_eq!(admit(Duration::from_millis(3), limit), Admission::Take);
        assert_eq!(admit(limit, limit), Admission::Take);
        assert_eq!(admit(Duration::from_millis(101), limit), Admission::Shed { retry_after_s: 2 });
        assert_eq!(admit(Duration::from_millis(950), limit), Admission::Shed { retry_after_s: 9 });
        assert_eq!(admit(Duration::from_secs(60), limit), Admission::Shed { retry_after_s: 30 });
        assert_eq!(admit(Duration::from_secs(60), Duration::ZERO), Admission::Take, "off");
    }
}

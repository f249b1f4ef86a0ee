//! Shedding new calls under overload (RFC 3261 section 21.5.4: 503 with Retry-After).
//!
//! The signal is how long a request waited between reaching the host (the kernel's arrival
//! stamp, `transport/arrival.rs`) and its handler starting: the datagrams and tasks ahead
//! of it are the work the node has not caught up with. A new call
//! refused this way is answered 503 at once, before its authentication, routing and the
//! dialogs it would open, so the calls already accepted keep their CPU and finish. Requests
//! within calls are never shed.
//!
//! Two rules keep the node's goodput near its capacity when it is offered more:
//! - **Gradual.** Past the limit, a new call is refused with a probability that grows with
//!   the wait, reaching certainty at twice the limit. Refusing a share keeps the queue
//!   short; refusing everything at once lets it swing between empty and full, and the
//!   calls taken at the top of a swing are slow. Below the limit nothing is refused, so a
//!   short hiccup costs no call.
//! - **Work in progress first.** An INVITE that answers our challenge (its credentials
//!   carry a nonce we issued that no request has used yet) belongs to a call the node has
//!   already spent a 407 on; refusing it wastes
//!   that work and the caller's round trip. Such an INVITE is refused only past four times
//!   the limit, when the node is far behind.

use std::time::Duration;

/// What to do with a new call whose INVITE waited `queued` for its handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Take,
    /// Refuse with 503 and this Retry-After (seconds).
    Shed { retry_after_s: u32 },
}

/// Whether the INVITE of a new call starts the call or answers the node's challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// No credentials: nothing has been spent on this call yet.
    Fresh,
    /// Credentials answering our 407/401: the call is past its first round trip.
    Challenged,
}

/// `limit` zero turns shedding off. `draw` is a uniform sample in [0, 1) (the caller's
/// RNG), so the decision itself is deterministic. The Retry-After grows with the backlog
/// (1 s per 100 ms waited, 2 to 30 s), so callers spread their retries over the time the
/// node needs.
pub fn admit(queued: Duration, limit: Duration, stage: Stage, draw: f64) -> Admission {
    if limit.is_zero() || !refuse(queued, limit, stage, draw) {
        return Admission::Take;
    }
    let backlog_s = u32::try_from(queued.as_millis() / 100).unwrap_or(u32::MAX);
    Admission::Shed { retry_after_s: backlog_s.clamp(2, 30) }
}

fn refuse(queued: Duration, limit: Duration, stage: Stage, draw: f64) -> bool {
    match stage {
        Stage::Challenged => queued > limit * 4,
        Stage::Fresh => {
            if queued <= limit {
                return false;
            }
            // Linear from 0 at the limit to 1 at twice the limit.
            let share = (queued - limit).as_secs_f64() / limit.as_secs_f64();
            draw < share
        }
    }
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

    const LIMIT: Duration = Duration::from_millis(100);

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn the_call_limit_counts_calls_already_up() {
        assert!(under_call_limit(0, 1));
        assert!(!under_call_limit(1, 1), "the limit is the most calls carried at once");
        assert!(under_call_limit(9_999, 10_000));
        assert!(under_call_limit(1_000_000, 0), "0: no limit");
    }

    #[test]
    fn a_fresh_call_is_taken_up_to_the_limit_whatever_the_draw() {
        for draw in [0.0, 0.5, 0.999] {
            assert_eq!(admit(ms(3), LIMIT, Stage::Fresh, draw), Admission::Take);
            assert_eq!(admit(ms(100), LIMIT, Stage::Fresh, draw), Admission::Take);
        }
    }

    #[test]
    fn a_fresh_call_is_refused_with_a_share_growing_to_certainty_at_twice_the_limit() {
        // At 150 ms, half-way from 100 to 200: refused when the draw falls in the lower half.
        assert_eq!(admit(ms(150), LIMIT, Stage::Fresh, 0.49), Admission::Shed { retry_after_s: 2 });
        assert_eq!(admit(ms(150), LIMIT, Stage::Fresh, 0.51), Admission::Take);
        assert_eq!(admit(ms(199), LIMIT, Stage::Fresh, 0.98), Admission::Shed { retry_after_s: 2 });
        assert_eq!(admit(ms(201), LIMIT, Stage::Fresh, 0.999), Admission::Shed { retry_after_s: 2 });
    }

    #[test]
    fn a_call_answering_our_challenge_is_refused_only_past_four_times_the_limit() {
        assert_eq!(admit(ms(250), LIMIT, Stage::Challenged, 0.0), Admission::Take);
        assert_eq!(admit(ms(400), LIMIT, Stage::Challenged, 0.0), Admission::Take);
        assert_eq!(admit(ms(401), LIMIT, Stage::Challenged, 0.999), Admission::Shed { retry_after_s: 4 });
    }

    #[test]
    fn retry_after_grows_with_the_backlog_within_2_to_30_s() {
        assert_eq!(
            admit(ms(950), LIMIT, Stage::Fresh, 0.5),
            Admission::Shed { retry_after_s: 9 }
        );
        assert_eq!(
            admit(Duration::from_secs(60), LIMIT, Stage::Challenged, 0.5),
            Admission::Shed { retry_after_s: 30 }
        );
    }

    #[test]
    fn a_zero_limit_turns_shedding_off() {
        assert_eq!(
            admit(Duration::from_secs(60), Duration::ZERO, Stage::Fresh, 0.0),
            Admission::Take
        );
        assert_eq!(
            admit(
                Duration::from_secs(60),
                Duration::ZERO,
                Stage::Challenged,
                0.0
            ),
            Admission::Take
        );
    }
}

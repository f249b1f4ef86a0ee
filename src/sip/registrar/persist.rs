//! When a refresh that only moves a binding's expiry is written to the store.
//!
//! The table in memory is what calls use; the store lets a restarted node (and other nodes
//! on one PostgreSQL) know the binding. A phone that refreshes far more often than its
//! lifetime needs (RFC 3261 section 10.2.4 only asks it to refresh before expiry) would
//! otherwise cost one store write and one `registration.refreshed` event per REGISTER.
//! The store's copy is renewed when less than half of the new lifetime is left in it (it
//! never lapses while the phone keeps refreshing, and each binding is written at most
//! about twice per lifetime) or when it would outlive the new expiry (the phone asked for
//! less).

use chrono::{DateTime, Utc};

/// Whether a refresh to `new_until` must be written, given the expiry the store holds
/// (`None`: unknown, so written).
pub fn must_write_extension(stored_until: Option<DateTime<Utc>>, new_until: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    match stored_until {
        None => true,
        Some(stored) => new_until < stored || (stored - now) * 2 < new_until - now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_fresh_store_copy_is_not_rewritten_and_a_half_spent_one_is() {
        let now = Utc::now();
        let until = now + Duration::seconds(3600);
        assert!(must_write_extension(None, until, now), "unknown: written");
        assert!(!must_write_extension(Some(now + Duration::seconds(3590)), until, now), "refreshed 10 s after the last write");
        assert!(!must_write_extension(Some(now + Duration::seconds(1800)), until, now), "exactly half left");
        assert!(must_write_extension(Some(now + Duration::seconds(1799)), until, now), "less than half left");
        assert!(must_write_extension(Some(now - Duration::seconds(1)), until, now), "the store's copy lapsed");
        // A shorter lifetime than before: the stored copy would outlive it.
        assert!(must_write_extension(Some(now + Duration::seconds(3600)), now + Duration::seconds(60), now));
    }
}

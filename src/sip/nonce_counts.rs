//! Replay protection for digest nonce-counts in fixed memory.
//!
//! RFC 7616 section 3.4 (and RFC 2617 section 3.2.2): a server that remembers the
//! nonce-count (`nc`) it last saw for a nonce refuses a request whose count does not grow,
//! which defeats replays. Each nonce Callplane issues carries a sequence number; its count
//! lives in the slot that number selects, in a ring of slots allocated once. A slot taken
//! over by a newer nonce makes the older one stale, which RFC 7616 section 3.3 answers with
//! a new challenge carrying `stale=true` (the phone retries without asking its user). Memory
//! stays the same whatever the rate, no lock is taken and nothing needs sweeping.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// What a nonce-count says about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Higher than any count seen for this nonce: take it.
    Fresh,
    /// Not higher: a replay (or a retransmission sent as a new request).
    Replayed,
    /// The nonce's slot belongs to a newer nonce: challenge again, stale.
    Evicted,
}

pub struct NonceCounts {
    /// `sequence << 32 | highest nc` of the nonce holding each slot.
    slots: Box<[AtomicU64]>,
    mask: usize,
    next: AtomicU32,
}

impl NonceCounts {
    /// A ring of `2^bits` slots (8 bytes each). The sequence starts at `first`: a random
    /// start keeps the nonces of an earlier run (or of another node with the same key) off
    /// the slots of this one's.
    pub fn new(bits: u32, first: u32) -> Self {
        let len = 1usize << bits;
        Self { slots: (0..len).map(|_| AtomicU64::new(0)).collect(), mask: len - 1, next: AtomicU32::new(first) }
    }

    /// The sequence number of a new nonce; its slot now belongs to it, with no count seen.
    pub fn issue(&self) -> u32 {
        let sequence = self.next.fetch_add(1, Ordering::Relaxed);
        self.slot(sequence).store(u64::from(sequence) << 32, Ordering::Release);
        sequence
    }

    /// Records `nc` for the nonce numbered `sequence` when it is fresh.
    pub fn check(&self, sequence: u32, nc: u32) -> Count {
        let slot = self.slot(sequence);
        let mut current = slot.load(Ordering::Acquire);
        loop {
            if (current >> 32) as u32 != sequence {
                return Count::Evicted;
            }
            if nc <= current as u32 {
                return Count::Replayed;
            }
            let seen = (u64::from(sequence) << 32) | u64::from(nc);
            match slot.compare_exchange_weak(current, seen, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => return Count::Fresh,
                Err(now) => current = now,
            }
        }
    }

    /// Whether the nonce numbered `sequence` still holds its slot and no request has used
    /// it yet: the request carrying it is the first answer to its challenge.
    pub fn unused(&self, sequence: u32) -> bool {
        self.slot(sequence).load(Ordering::Acquire) == u64::from(sequence) << 32
    }

    fn slot(&self, sequence: u32) -> &AtomicU64 {
        &self.slots[sequence as usize & self.mask]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_must_grow_per_nonce() {
        let counts = NonceCounts::new(4, 7);
        let a = counts.issue();
        let b = counts.issue();
        assert_eq!(counts.check(a, 1), Count::Fresh);
        assert_eq!(counts.check(a, 1), Count::Replayed, "the same count again");
        assert_eq!(counts.check(b, 1), Count::Fresh, "each nonce counts on its own");
        assert_eq!(counts.check(a, 3), Count::Fresh, "counts may skip");
        assert_eq!(counts.check(a, 2), Count::Replayed, "but not go back");
        assert_eq!(counts.check(a, 0), Count::Replayed);
    }

    #[test]
    fn a_nonce_whose_slot_was_taken_over_is_stale() {
        let counts = NonceCounts::new(2, u32::MAX - 1);
        let first = counts.issue();
        assert_eq!(counts.check(first, 1), Count::Fresh);
        // Four slots: the fifth nonce after it takes its slot (the sequence wraps past u32::MAX).
        let later: Vec<u32> = (0..4).map(|_| counts.issue()).collect();
        assert_eq!(later[3] & 3, first & 3);
        assert_eq!(counts.check(first, 2), Count::Evicted);
        assert_eq!(counts.check(later[3], 1), Count::Fresh);
    }

    #[test]
    fn a_nonce_is_unused_until_a_count_is_seen() {
        let counts = NonceCounts::new(4, 40);
        let a = counts.issue();
        assert!(counts.unused(a));
        assert_eq!(counts.check(a, 1), Count::Fresh);
        assert!(!counts.unused(a), "used once");
        assert!(!counts.unused(a + 1), "not issued yet");
    }

    #[test]
    fn a_sequence_never_issued_here_is_stale() {
        let counts = NonceCounts::new(4, 100);
        assert_eq!(counts.check(5, 1), Count::Evicted);
    }
}

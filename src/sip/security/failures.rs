//! Authentication failures counted per source IP: the input of fail-to-ban.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};

use dashmap::DashMap;

#[derive(Default)]
pub struct AuthFailures {
    by_source: DashMap<IpAddr, u64>,
    total: AtomicU64,
}

impl AuthFailures {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one failure and returns the source's count.
    pub fn record(&self, source: IpAddr) -> u64 {
        self.total.fetch_add(1, Ordering::Relaxed);
        let mut entry = self.by_source.entry(source).or_insert(0);
        *entry += 1;
        *entry
    }

    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// The sources with the most failures, most first.
    pub fn top(&self, n: usize) -> Vec<(IpAddr, u64)> {
        let mut all: Vec<(IpAddr, u64)> = self.by_source.iter().map(|e| (*e.key(), *e.value())).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(n);
        all
    }
}

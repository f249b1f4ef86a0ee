//! Authentication failures per source IP: counted in a sliding window for fail-to-ban, and
//! in total for `/status`.

use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use dashmap::DashMap;

#[derive(Default)]
pub struct AuthFailures {
    /// Failure times within the window, per source (at most the ban threshold are kept).
    recent: DashMap<IpAddr, VecDeque<Instant>>,
    lifetime: DashMap<IpAddr, u64>,
    total: AtomicU64,
}

impl AuthFailures {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one failure at `now` and returns how many the source had within `window`
    /// (counting this one; never more than `keep`).
    pub fn record(&self, source: IpAddr, now: Instant, window: Duration, keep: usize) -> usize {
        self.total.fetch_add(1, Ordering::Relaxed);
        *self.lifetime.entry(source).or_insert(0) += 1;
        let mut times = self.recent.entry(source).or_default();
        times.retain(|t| now.duration_since(*t) < window);
        times.push_back(now);
        while times.len() > keep.max(1) {
            times.pop_front();
        }
        times.len()
    }

    /// Forgets the source's recent failures (after it was banned or unbanned).
    pub fn clear(&self, source: IpAddr) {
        self.recent.remove(&source);
    }

    /// Drops windows with nothing left in them.
    pub fn sweep(&self, now: Instant, window: Duration) {
        self.recent.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) < window));
    }

    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// The sources with the most failures since start, most first.
    pub fn top(&self, n: usize) -> Vec<(IpAddr, u64)> {
        let mut all: Vec<(IpAddr, u64)> = self.lifetime.iter().map(|e| (*e.key(), *e.value())).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(n);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_outside_the_window_do_not_count() {
        let f = AuthFailures::new();
        let ip: IpAddr = "192.0.2.1".parse().expect("ip");
        let t0 = Instant::now();
        let w = Duration::from_secs(60);
        assert_eq!(f.record(ip, t0, w, 5), 1);
        assert_eq!(f.record(ip, t0 + Duration::from_secs(30), w, 5), 2);
        assert_eq!(f.record(ip, t0 + Duration::from_secs(61), w, 5), 2, "the first fell out of the window");
        assert_eq!(f.total(), 3);
    }
}

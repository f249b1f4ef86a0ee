//! Per-source token buckets: the request rate limit, checked before parsing.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use dashmap::DashMap;

struct Bucket {
    tokens: f64,
    last: Instant,
}

#[derive(Default)]
pub struct RateLimiter {
    buckets: DashMap<IpAddr, Bucket>,
}

impl RateLimiter {
    /// Takes one token from `source`'s bucket; false when it is empty.
    pub fn allow(&self, source: IpAddr, now: Instant, per_s: u32, burst: u32) -> bool {
        let burst = f64::from(burst.max(1));
        let mut b = self.buckets.entry(source).or_insert(Bucket { tokens: burst, last: now });
        let refill = now.saturating_duration_since(b.last).as_secs_f64() * f64::from(per_s);
        b.tokens = (b.tokens + refill).min(burst);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Forgets sources idle for longer than `idle` (their buckets would be full anyway).
    pub fn sweep(&self, now: Instant, idle: Duration) {
        self.buckets.retain(|_, b| now.saturating_duration_since(b.last) < idle);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_sustained_rate() {
        let r = RateLimiter::default();
        let ip: IpAddr = "192.0.2.7".parse().expect("ip");
        let t0 = Instant::now();
        let allowed = (0..20).filter(|_| r.allow(ip, t0, 10, 5)).count();
        assert_eq!(allowed, 5, "the burst");
        assert!(r.allow(ip, t0 + Duration::from_millis(100), 10, 5), "one token back after 100 ms at 10/s");
        assert!(!r.allow(ip, t0 + Duration::from_millis(100), 10, 5));
        let other: IpAddr = "192.0.2.8".parse().expect("ip");
        assert!(r.allow(other, t0, 10, 5), "sources have their own buckets");
    }
}

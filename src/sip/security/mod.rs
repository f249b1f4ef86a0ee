//! SIP security: fail-to-ban, scanner signatures and the per-source rate limit.
//!
//! [`Guard::admit`] runs for every datagram and TCP frame before parsing: a banned or
//! over-rate source is dropped with no answer at the cost of a map lookup. [`Guard::screen`]
//! runs on parsed requests and applies the scanner signatures. Authentication failures
//! reach [`Guard::auth_failed`], which bans a source after too many. Bans are written to the
//! store by one writer task (never on the packet path) and reloaded at start.

pub mod bans;
pub mod failures;
pub mod rate;


use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use chrono::Utc;
use dashmap::DashMap;
use ipnet::IpNet;
use poem_openapi::Object;
use tokio::sync::mpsc;

use self::bans::{Ban, BanList};
use self::failures::AuthFailures;
use self::rate::RateLimiter;
use crate::model::security_settings::{SecuritySettings, SignatureAction, SignatureField};
use super::wire::Message;
use crate::events::EventBus;
use crate::events::EventPayload;
use crate::events::types::BanData;
use crate::store::{Store, StoreError};

/// The settings in force, with the whitelist parsed once.
struct Active {
    settings: SecuritySettings,
    whitelist: Vec<IpNet>,
    edges: Vec<IpNet>,
}

impl Active {
    fn new(settings: SecuritySettings) -> Active {
        Active { whitelist: settings.whitelist_nets(), edges: settings.edge_nets(), settings }
    }

    fn whitelisted(&self, ip: IpAddr) -> bool {
        self.whitelist.iter().any(|n| n.contains(&ip))
    }
}

/// The header a trusted edge names the real source in (`ip` or `ip:port`).
pub const SOURCE_HEADER: &str = "X-Callplane-Source";

/// The source a request is judged by: the one a trusted edge names, else the address it
/// came from. A header from anyone else, or one that does not parse, is ignored.
pub fn origin_of(header: Option<&str>, from: IpAddr, is_edge: bool) -> IpAddr {
    if !is_edge {
        return from;
    }
    let Some(value) = header.map(str::trim) else { return from };
    value
        .parse::<std::net::SocketAddr>()
        .map(|a| a.ip())
        .or_else(|_| value.parse::<IpAddr>())
        .unwrap_or(from)
}

enum BanWrite {
    Put(Ban),
    Delete(IpAddr),
    Flush(tokio::sync::oneshot::Sender<()>),
}

/// Why a ban cannot be added.
#[derive(Debug, thiserror::Error)]
pub enum BanRefused {
    #[error("{0} is whitelisted by {1}; remove it from the whitelist first")]
    Whitelisted(IpAddr, IpNet),
}

/// What was dropped, since start.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SecurityCounters {
    /// Datagrams and TCP frames from banned sources, dropped unread.
    pub dropped_banned: u64,
    /// Messages over a source's rate limit, dropped unread.
    pub dropped_rate_limited: u64,
    /// Requests that matched a `drop` or `ban` signature.
    pub dropped_scanner: u64,
    /// Bans added since start (by failures, signatures or the API).
    pub bans_added: u64,
    pub auth_failures_total: u64,
    /// Matches per signature (`field:match:pattern`), whatever its action.
    pub signature_hits: Vec<SignatureHits>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SignatureHits {
    pub signature: String,
    pub hits: u64,
}

pub struct Guard {
    active: ArcSwap<Active>,
    pub bans: BanList,
    pub failures: AuthFailures,
    rate: RateLimiter,
    dropped_banned: AtomicU64,
    dropped_rate: AtomicU64,
    dropped_scanner: AtomicU64,
    bans_added: AtomicU64,
    signature_hits: DashMap<String, u64>,
    /// Sources over the rate limit already named in the log (at most once a minute each).
    limited: DashMap<IpAddr, Instant>,
    bus: Arc<EventBus>,
    writes: mpsc::UnboundedSender<BanWrite>,
    /// One settings change at a time (store, then memory).
    updating: tokio::sync::Mutex<()>,
}

impl Guard {
    /// Loads the settings and the running bans, and starts the ban writer.
    pub async fn start(store: Store, bus: Arc<EventBus>) -> Result<Arc<Guard>, StoreError> {
        let settings = store.load_security_settings().await?.unwrap_or_default();
        let running = store.load_bans(Utc::now()).await?;
        let (writes, mut rx) = mpsc::unbounded_channel::<BanWrite>();
        tokio::spawn(async move {
            while let Some(w) = rx.recv().await {
                let result = match w {
                    BanWrite::Put(ban) => store.upsert_ban(&ban).await,
                    BanWrite::Delete(ip) => store.delete_ban(ip).await,
                    BanWrite::Flush(done) => {
                        let _ = done.send(());
                        Ok(())
                    }
                };
                if let Err(e) = result {
                    tracing::error!(error = %e, "cannot store a ban change");
                }
            }
        });
        let guard = Guard {
            active: ArcSwap::from_pointee(Active::new(settings)),
            bans: BanList::default(),
            failures: AuthFailures::new(),
            rate: RateLimiter::default(),
            dropped_banned: AtomicU64::new(0),
            dropped_rate: AtomicU64::new(0),
            dropped_scanner: AtomicU64::new(0),
            bans_added: AtomicU64::new(0),
            signature_hits: DashMap::new(),
            limited: DashMap::new(),
            bus,
            writes,
            updating: tokio::sync::Mutex::new(()),
        };
        if !running.is_empty() {
            tracing::info!(bans = running.len(), "bans restored from the store");
        }
        for ban in running {
            guard.bans.insert(ban);
        }
        Ok(Arc::new(guard))
    }

    /// Whether `ip` is a trusted SIP edge (its requests are judged by `origin`).
    pub fn is_edge(&self, ip: IpAddr) -> bool {
        self.active.load().edges.iter().any(|n| n.contains(&ip))
    }

    /// The source `msg`, received from `ip`, is judged by (`origin_of`).
    pub fn origin(&self, msg: &Message, ip: IpAddr) -> IpAddr {
        origin_of(msg.header(SOURCE_HEADER), ip, self.is_edge(ip))
    }

    /// Whether a message from `ip` may be read at all (not banned, within its rate). A
    /// trusted edge is let through: its requests are judged by their origin once parsed.
    pub fn admit(&self, ip: IpAddr) -> bool {
        let active = self.active.load();
        if active.edges.iter().any(|n| n.contains(&ip)) {
            return true;
        }
        self.admit_in(&active, ip)
    }

    /// `admit` for a source itself, even one behind an edge.
    pub fn admit_origin(&self, ip: IpAddr) -> bool {
        self.admit_in(&self.active.load(), ip)
    }

    fn admit_in(&self, active: &Active, ip: IpAddr) -> bool {
        if self.bans.is_banned(ip) {
            self.dropped_banned.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        let limit = active.settings.rate_limit;
        if limit.enabled
            && !active.whitelisted(ip)
            && !self.rate.allow(ip, Instant::now(), limit.requests_per_s, limit.burst)
        {
            self.dropped_rate.fetch_add(1, Ordering::Relaxed);
            self.limited.entry(ip).or_insert_with(|| {
                tracing::warn!(
                    source = %ip,
                    requests_per_s = limit.requests_per_s,
                    burst = limit.burst,
                    "a source is over the rate limit: its messages are dropped (a trusted proxy, SBC or trunk belongs in the whitelist, an edge in `edges`)"
                );
                Instant::now()
            });
            return false;
        }
        true
    }

    /// Applies the scanner signatures to a request; false when it must go unanswered.
    pub fn screen(&self, msg: &Message, ip: IpAddr) -> bool {
        let active = self.active.load();
        let user_agent = msg.header("User-Agent").map(str::trim);
        // Rendered only when a From-URI signature asks for it (not per request).
        let from_uri = std::cell::OnceCell::new();
        let display = msg.from.display.as_deref().map(|d| d.trim().trim_matches('"'));
        let hit = active.settings.signatures.iter().find(|s| match s.field {
            SignatureField::UserAgent => user_agent.is_some_and(|v| s.matches(v)),
            SignatureField::FromUri => s.matches(from_uri.get_or_init(|| msg.from.uri.to_string())),
            SignatureField::DisplayName => display.is_some_and(|v| s.matches(v)),
        });
        let Some(sig) = hit else { return true };
        *self.signature_hits.entry(sig.key()).or_insert(0) += 1;
        crate::metrics::metrics().signature_hits.inc();
        match sig.action {
            SignatureAction::Log => {
                tracing::info!(source = %ip, signature = %sig.key(), "request matches a scanner signature (log only)");
                true
            }
            SignatureAction::Drop => {
                self.dropped_scanner.fetch_add(1, Ordering::Relaxed);
                tracing::debug!(source = %ip, signature = %sig.key(), "dropping a scanner's request");
                false
            }
            SignatureAction::Ban => {
                self.dropped_scanner.fetch_add(1, Ordering::Relaxed);
                if !active.whitelisted(ip) {
                    let ban_for = Duration::from_secs(u64::from(active.settings.fail2ban.ban_s));
                    let _ = self.ban(ip, "scanner", ban_for);
                }
                false
            }
        }
    }

    /// Counts an authentication failure; bans the source when it reaches the threshold.
    /// Returns the failures counted in the window.
    pub fn auth_failed(&self, ip: IpAddr) -> usize {
        let active = self.active.load();
        let f2b = active.settings.fail2ban;
        let window = Duration::from_secs(u64::from(f2b.window_s));
        let count = self.failures.record(ip, Instant::now(), window, f2b.max_failures as usize);
        if f2b.enabled && count >= f2b.max_failures as usize && !active.whitelisted(ip) {
            tracing::warn!(source = %ip, failures = count, ban_s = f2b.ban_s, "banning a source after repeated authentication failures");
            let _ = self.ban(ip, "auth_failures", Duration::from_secs(u64::from(f2b.ban_s)));
        }
        count
    }

    /// Bans `ip` for `duration` (replacing a running ban).
    pub fn ban(&self, ip: IpAddr, reason: &str, duration: Duration) -> Result<Ban, BanRefused> {
        if let Some(net) = self.active.load().whitelist.iter().find(|n| n.contains(&ip)) {
            return Err(BanRefused::Whitelisted(ip, *net));
        }
        let now = Utc::now();
        let until = now + chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::days(30));
        let ban = Ban { ip, reason: reason.to_owned(), created_at: now, until };
        // In memory first: the next datagram is already dropped. Then stored and announced.
        self.bans.insert(ban.clone());
        self.failures.clear(ip);
        self.bans_added.fetch_add(1, Ordering::Relaxed);
        let _ = self.writes.send(BanWrite::Put(ban.clone()));
        self.bus.publish(EventPayload::SecurityBanned(BanData { ip: ip.to_string(), reason: reason.to_owned(), until: Some(until) }));
        Ok(ban)
    }

    /// Lifts a ban; `reason` is `api` or `expired`.
    pub fn unban(&self, ip: IpAddr, reason: &str) -> Option<Ban> {
        let ban = self.bans.remove(ip)?;
        self.failures.clear(ip);
        let _ = self.writes.send(BanWrite::Delete(ip));
        self.bus.publish(EventPayload::SecurityUnbanned(BanData { ip: ip.to_string(), reason: reason.to_owned(), until: None }));
        Some(ban)
    }

    /// Ends expired bans and forgets idle counters; called every second.
    pub fn sweep(&self) {
        for ban in self.bans.take_expired(Utc::now()) {
            tracing::info!(source = %ban.ip, "ban expired");
            self.failures.clear(ban.ip);
            let _ = self.writes.send(BanWrite::Delete(ban.ip));
            self.bus.publish(EventPayload::SecurityUnbanned(BanData { ip: ban.ip.to_string(), reason: "expired".into(), until: None }));
        }
        let now = Instant::now();
        let window = Duration::from_secs(u64::from(self.active.load().settings.fail2ban.window_s));
        self.failures.sweep(now, window);
        self.rate.sweep(now, Duration::from_secs(60));
        self.limited.retain(|_, since| now.duration_since(*since) < Duration::from_secs(60));
    }

    /// Takes in a ban change another node made (read again from the store: `ban` is the
    /// running ban on `ip`, or `None` when it was lifted). Nothing is written back.
    pub fn adopt_ban(&self, ip: IpAddr, ban: Option<Ban>) {
        match ban {
            Some(ban) => {
                self.bans.insert(ban);
            }
            None => {
                self.bans.remove(ip);
            }
        }
        self.failures.clear(ip);
    }

    /// Puts settings another node stored in force here (nothing is written back).
    pub fn adopt_settings(&self, settings: SecuritySettings) {
        self.active.store(Arc::new(Active::new(settings)));
    }

    /// Waits until every ban change so far is in the store.
    pub async fn flush(&self) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        if self.writes.send(BanWrite::Flush(tx)).is_ok() {
            let _ = rx.await;
        }
    }

    pub fn settings(&self) -> SecuritySettings {
        self.active.load().settings.clone()
    }

    /// Stores new settings, then puts them in force.
    pub async fn set_settings(&self, store: &Store, change: impl FnOnce(&SecuritySettings) -> Result<SecuritySettings, crate::model::validate::Invalid>) -> Result<SecuritySettings, SettingsError> {
        let _one = self.updating.lock().await;
        let next = change(&self.active.load().settings)?;
        store.save_security_settings(&next).await?;
        self.active.store(Arc::new(Active::new(next.clone())));
        tracing::info!("security settings changed");
        Ok(next)
    }

    pub fn counters(&self) -> SecurityCounters {
        let mut signature_hits: Vec<SignatureHits> =
            self.signature_hits.iter().map(|e| SignatureHits { signature: e.key().clone(), hits: *e.value() }).collect();
        signature_hits.sort_by(|a, b| b.hits.cmp(&a.hits).then_with(|| a.signature.cmp(&b.signature)));
        SecurityCounters {
            dropped_banned: self.dropped_banned.load(Ordering::Relaxed),
            dropped_rate_limited: self.dropped_rate.load(Ordering::Relaxed),
            dropped_scanner: self.dropped_scanner.load(Ordering::Relaxed),
            bans_added: self.bans_added.load(Ordering::Relaxed),
            auth_failures_total: self.failures.total(),
            signature_hits,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    Invalid(#[from] crate::model::validate::Invalid),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn only_an_edge_names_the_source_and_only_with_a_parsable_address() {
        let edge: std::net::IpAddr = "192.0.2.1".parse().expect("ip");
        let real: std::net::IpAddr = "198.51.100.7".parse().expect("ip");
        assert_eq!(origin_of(Some("198.51.100.7:5060"), edge, true), real);
        assert_eq!(origin_of(Some(" 198.51.100.7 "), edge, true), real);
        assert_eq!(origin_of(Some("198.51.100.7:5060"), edge, false), edge, "a header from a non-edge is ignored");
        assert_eq!(origin_of(Some("not an address"), edge, true), edge);
        assert_eq!(origin_of(None, edge, true), edge);
    }
}

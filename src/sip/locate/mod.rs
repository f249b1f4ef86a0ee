//! Locating SIP servers by DNS (RFC 3263): NAPTR, then SRV, then A/AAAA, through a
//! maintained resolver (hickory). The targets found are kept until their DNS answers
//! expire; a target that times out or answers 503 is left for the next one, and the next
//! resolution after the answers expired starts again from the best (section 4.3).

pub mod rules;

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use dashmap::DashMap;
use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfigGroup, ResolverConfig, ResolverOpts};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::proto::rr::{RData, RecordType};

use self::rules::{Naptr, Srv};
use crate::sip::transport::Proto;

/// Longest time a DNS answer is kept, whatever its TTL says.
const MAX_KEEP: Duration = Duration::from_secs(3600);
/// Shortest time a move to the next server holds (a TTL of 0 would send the very next
/// request back to the server that just failed).
const MIN_STAY: Duration = Duration::from_secs(1);

/// One server to send to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The name it was found under (the SRV target, or the host).
    pub name: String,
    pub addr: SocketAddr,
    pub proto: Proto,
}

impl Target {
    /// Where to send, for the transports.
    pub fn source(&self) -> crate::sip::transport::Source {
        crate::sip::transport::Source { addr: self.addr, proto: self.proto }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{} ({} {})", self.name, self.addr.port(), self.proto.as_str(), self.addr)
    }
}

/// The servers of a host, best first, and until when the DNS answers hold.
#[derive(Debug, Clone)]
pub struct Located {
    pub targets: Vec<Target>,
    pub valid_until: Instant,
    /// How long the answers held when they came (their TTL).
    pub ttl: Duration,
}

/// The servers a user of the locator (a trunk) is sending to, and which one now.
#[derive(Debug, Clone)]
struct InUse {
    located: Located,
    current: usize,
    /// Why the current target is not the best one (or came back to it).
    note: Option<String>,
    /// What the targets were resolved for.
    query: (String, Option<u16>, Option<Proto>),
}

/// What a user of the locator is sending to, for its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetView {
    pub target: String,
    pub note: Option<String>,
}

pub struct Locator {
    resolver: TokioResolver,
    in_use: DashMap<String, InUse>,
}

impl Locator {
    /// A locator asking `servers`, or the system's DNS servers when there are none.
    pub fn new(servers: &[SocketAddr]) -> Locator {
        let mut opts = ResolverOpts::default();
        opts.timeout = Duration::from_secs(2);
        opts.attempts = 2;
        opts.positive_max_ttl = Some(MAX_KEEP);
        let builder = if servers.is_empty() {
            match TokioResolver::builder_tokio() {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!(error = %e, "the system's DNS settings are unreadable: asking 127.0.0.1:53");
                    TokioResolver::builder_with_config(config_for(&[SocketAddr::from(([127, 0, 0, 1], 53))]), TokioConnectionProvider::default())
                }
            }
        } else {
            TokioResolver::builder_with_config(config_for(servers), TokioConnectionProvider::default())
        };
        Locator { resolver: builder.with_options(opts).build(), in_use: DashMap::new() }
    }

    /// The servers of `host` (RFC 3263 sections 4.1 and 4.2): an IP address is itself; with
    /// a port, the host's addresses; else NAPTR (unless `transport` is given), then SRV,
    /// then the addresses on the transport's default port.
    pub async fn locate(&self, host: &str, port: Option<u16>, transport: Option<Proto>) -> Located {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let far = Instant::now() + MAX_KEEP;
        if let Ok(ip) = host.parse::<IpAddr>() {
            let proto = transport.unwrap_or(Proto::Udp);
            let addr = SocketAddr::new(ip, port.unwrap_or(rules::default_port(proto)));
            return Located { targets: vec![Target { name: host.to_owned(), addr, proto }], valid_until: far, ttl: MAX_KEEP };
        }
        let started = Instant::now();
        let mut until = far;
        let mut targets = Vec::new();
        if let Some(port) = port {
            let proto = transport.unwrap_or(Proto::Udp);
            self.addresses(host, port, proto, &mut targets, &mut until).await;
            return Located { targets, valid_until: until, ttl: until.saturating_duration_since(started) };
        }
        let mut services = Vec::new();
        if transport.is_none() {
            if let Ok(answer) = self.resolver.lookup(fqdn(host), RecordType::NAPTR).await {
                until = until.min(answer.valid_until());
                let records: Vec<Naptr> = answer
                    .iter()
                    .filter_map(|r| match r {
                        RData::NAPTR(n) => Some(Naptr {
                            order: n.order(),
                            preference: n.preference(),
                            flags: String::from_utf8_lossy(n.flags()).into_owned(),
                            services: String::from_utf8_lossy(n.services()).into_owned(),
                            replacement: n.replacement().to_utf8(),
                        }),
                        _ => None,
                    })
                    .collect();
                services = rules::naptr_choices(&records, None);
            }
        }
        if services.is_empty() {
            services = rules::srv_names(host, transport);
        }
        for (proto, name) in services {
            let Ok(answer) = self.resolver.srv_lookup(fqdn(&name)).await else { continue };
            until = until.min(answer.as_lookup().valid_until());
            let records: Vec<Srv> = answer.iter().map(|s| Srv { priority: s.priority(), weight: s.weight(), port: s.port(), target: s.target().to_utf8() }).collect();
            for srv in rules::srv_order(records, |total| rand::random_range(0..=total)) {
                self.addresses(srv.target.trim_end_matches('.'), srv.port, proto, &mut targets, &mut until).await;
            }
        }
        if targets.is_empty() {
            let proto = transport.unwrap_or(Proto::Udp);
            self.addresses(host, rules::default_port(proto), proto, &mut targets, &mut until).await;
        }
        Located { targets, valid_until: until, ttl: until.saturating_duration_since(started) }
    }

    /// The A and AAAA records of `name` as targets (IPv4 first).
    async fn addresses(&self, name: &str, port: u16, proto: Proto, targets: &mut Vec<Target>, until: &mut Instant) {
        match self.resolver.lookup_ip(fqdn(name)).await {
            Ok(answer) => {
                *until = (*until).min(answer.valid_until());
                let mut ips: Vec<IpAddr> = answer.iter().collect();
                ips.sort_by_key(|ip| ip.is_ipv6());
                for ip in ips {
                    let target = Target { name: name.to_owned(), addr: SocketAddr::new(ip, port), proto };
                    if !targets.contains(&target) {
                        targets.push(target);
                    }
                }
            }
            Err(e) => tracing::debug!(%name, error = %e, "no address"),
        }
    }

    /// The target `key` (a trunk) sends to now: the one in use while its DNS answers hold,
    /// else the best of a new resolution of `host`.
    pub async fn current(&self, key: &str, host: &str, port: Option<u16>, transport: Option<Proto>) -> Option<Target> {
        let query = (host.to_owned(), port, transport);
        if let Some(in_use) = self.in_use.get(key) {
            if in_use.query == query && Instant::now() < in_use.located.valid_until {
                return in_use.located.targets.get(in_use.current).cloned();
            }
        }
        let located = self.locate(host, port, transport).await;
        let best = located.targets.first().cloned();
        let previous = self.in_use.get(key).map(|u| (u.current, u.located.targets.get(u.current).cloned()));
        let note = match (&previous, &best) {
            (Some((current, Some(was))), Some(best)) if *current > 0 && was != best => Some(format!("back to {best}: the DNS answers expired")),
            _ => None,
        };
        if let Some(n) = &note {
            tracing::info!(%key, "{n}");
        }
        self.in_use.insert(key.to_owned(), InUse { located, current: 0, note, query });
        best
    }

    /// `target` failed for `key` (`why`: a timeout, a 503): the next target takes over.
    /// True when there is another one to try.
    pub fn failed(&self, key: &str, target: &Target, why: &str) -> bool {
        let Some(mut in_use) = self.in_use.get_mut(key) else { return false };
        if in_use.located.targets.get(in_use.current) != Some(target) {
            // Someone moved on already.
            return in_use.current < in_use.located.targets.len();
        }
        let next = in_use.current + 1;
        let Some(to) = in_use.located.targets.get(next).cloned() else { return false };
        let note = format!("moved from {target} ({why}) to {to}");
        tracing::warn!(%key, "{note}");
        in_use.current = next;
        in_use.note = Some(note);
        // The move holds for the answers' TTL from now (the wait for the failed server may
        // have outlasted it), so the next request does not go back at once.
        let hold = Instant::now() + in_use.located.ttl.max(MIN_STAY);
        in_use.located.valid_until = in_use.located.valid_until.max(hold);
        true
    }

    /// What `key` sends to now, and why, for its status.
    pub fn view(&self, key: &str) -> Option<TargetView> {
        let in_use = self.in_use.get(key)?;
        let target = in_use.located.targets.get(in_use.current)?;
        Some(TargetView { target: target.to_string(), note: in_use.note.clone() })
    }

    /// Forgets `key` (a trunk removed or changed).
    pub fn forget(&self, key: &str) {
        self.in_use.remove(key);
    }
}

fn config_for(servers: &[SocketAddr]) -> ResolverConfig {
    let mut group = NameServerConfigGroup::new();
    for s in servers {
        group.merge(NameServerConfigGroup::from_ips_clear(&[s.ip()], s.port(), true));
    }
    ResolverConfig::from_parts(None, vec![], group)
}

/// A name as an absolute DNS name (no search domains).
fn fqdn(name: &str) -> String {
    if name.ends_with('.') { name.to_owned() } else { format!("{name}.") }
}

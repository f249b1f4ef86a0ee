//! The SIP core: receives framed messages from the transports, validates them, runs them
//! through server transactions and dispatches requests to the method handlers. It reads
//! configuration only from the snapshot: no database work on this path.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use super::auth::DigestAuth;
use super::methods;
use super::registrar::Registrar;
use super::response;
use super::security::failures::AuthFailures;
use super::transaction::key::TxKey;
use super::transaction::server::{Begin, ServerTransactions};
use super::transport::{Inbound, Source, Transports};
use super::wire::{self, Message, Method, ParseError};
use crate::config::SipSettings;
use crate::events::EventBus;
use crate::snapshot::SnapshotHandle;
use crate::store::Store;

/// A handler's answer to a request.
pub struct Reply {
    pub code: u16,
    pub reason: String,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub fn new(code: u16, reason: &str) -> Reply {
        Reply { code, reason: reason.to_owned(), headers: vec![] }
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

pub struct SipCore {
    pub transports: Arc<Transports>,
    pub snapshot: Arc<SnapshotHandle>,
    pub registrar: Arc<Registrar>,
    pub auth: DigestAuth,
    pub transactions: ServerTransactions,
    pub failures: AuthFailures,
    pub settings: SipSettings,
}

impl SipCore {
    /// Binds the SIP address (UDP and TCP) and starts serving.
    pub async fn start(
        listen: SocketAddr,
        settings: SipSettings,
        snapshot: Arc<SnapshotHandle>,
        store: Store,
        bus: Arc<EventBus>,
        secret: &[u8],
    ) -> std::io::Result<Arc<SipCore>> {
        let (transports, listener) = Transports::bind(listen).await?;
        let registrar = Registrar::start(store, bus).await.map_err(std::io::Error::other)?;
        let algorithms = settings
            .digest_algorithms
            .iter()
            .map(|a| {
                super::wire::digest::Algorithm::from_name(a)
                    .ok_or_else(|| std::io::Error::other(format!("unknown digest algorithm `{a}` in sip.digest_algorithms (MD5, SHA-256)")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let auth = DigestAuth::new(settings.realm.clone(), algorithms, secret, Duration::from_secs(u64::from(settings.nonce_ttl_s)));
        let core = Arc::new(SipCore {
            transports: transports.clone(),
            snapshot,
            registrar,
            auth,
            transactions: ServerTransactions::new(),
            failures: AuthFailures::new(),
            settings,
        });
        transports.start(listener, core.clone());
        let weak = Arc::downgrade(&core);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                let Some(core) = weak.upgrade() else { break };
                core.transactions.sweep();
                core.auth.sweep();
            }
        });
        tracing::info!(addr = %transports.local_addr(), "SIP listening on UDP and TCP");
        Ok(core)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.transports.local_addr()
    }

    async fn handle(self: Arc<Self>, bytes: Vec<u8>, source: Source) {
        let datagram = source.proto == super::transport::Proto::Udp;
        let msg = match wire::parse(&bytes, datagram) {
            Ok(m) => m,
            Err(ParseError::Unparseable(why)) => {
                tracing::debug!(source = %source.addr, %why, "dropping unparseable message");
                return;
            }
            Err(ParseError::Reject { status, reason, headers }) => {
                tracing::debug!(source = %source.addr, status, %reason, "refusing malformed request");
                let tag = response::new_tag();
                if let Some(bytes) = response::build_from_headers(&headers, source, status, &reason, Some(&tag), &[]) {
                    let _ = self.transports.send(source, bytes).await;
                }
                return;
            }
        };
        match msg.method().cloned() {
            None => {
                // Responses belong to client transactions (trunks, calls); none yet.
                tracing::debug!(source = %source.addr, status = msg.status(), "ignoring unmatched response");
            }
            Some(Method::Ack) => {
                self.transactions.ack(&TxKey::of(&msg));
            }
            Some(method) => self.handle_request(msg, method, source).await,
        }
    }

    async fn handle_request(self: Arc<Self>, msg: Message, method: Method, source: Source) {
        let key = TxKey::of(&msg);
        match self.transactions.begin(&key) {
            Begin::Retransmission(Some((bytes, dest))) => {
                let _ = self.transports.send(dest, bytes).await;
                return;
            }
            Begin::Retransmission(None) => return,
            Begin::New => {}
        }
        let reply = self.dispatch(&msg, &method, source).await;
        let tag = response::new_tag();
        let extra: Vec<(&str, String)> = reply.headers.iter().map(|(n, v)| (*n, v.clone())).collect();
        let bytes = response::build(&msg, source, reply.code, &reply.reason, Some(&tag), &extra);
        let dest = response::destination(&msg, source);
        let invite_error = method == Method::Invite && reply.code >= 300;
        self.transactions.respond(&self.transports, &key, bytes, dest, invite_error).await;
    }

    async fn dispatch(&self, msg: &Message, method: &Method, source: Source) -> Reply {
        if let Method::Other(_) = method {
            return Reply::new(501, "Not Implemented").with("Allow", super::consts::ALLOW);
        }
        let max_forwards = msg.header("Max-Forwards").and_then(|v| v.trim().parse::<u8>().ok());
        if max_forwards == Some(0) && !matches!(method, Method::Options | Method::Register) {
            return Reply::new(483, "Too Many Hops");
        }
        if *method != Method::Cancel {
            let unsupported: Vec<&str> = msg
                .header_all("Require")
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .filter(|t| !t.is_empty() && !super::consts::SUPPORTED.split(", ").any(|s| s.eq_ignore_ascii_case(t)))
                .collect();
            if !unsupported.is_empty() {
                return Reply::new(420, "Bad Extension").with("Unsupported", unsupported.join(", "));
            }
        }
        match method {
            Method::Options => methods::options::handle(),
            Method::Register => methods::register::handle(self, msg, source),
            Method::Invite => methods::invite::handle(self, msg, source),
            Method::Cancel => {
                if self.transactions.exists(&TxKey::cancelled_invite(msg)) {
                    Reply::new(200, "OK")
                } else {
                    Reply::new(481, "Call/Transaction Does Not Exist")
                }
            }
            Method::Bye | Method::Prack | Method::Update | Method::Info => Reply::new(481, "Call/Transaction Does Not Exist"),
            _ => Reply::new(405, "Method Not Allowed").with("Allow", super::consts::ALLOW),
        }
    }

    /// Whether `host` is one of the domains this PBX serves.
    pub fn is_local_domain(&self, host: &str) -> bool {
        self.settings.domains.is_empty() || self.settings.domains.iter().any(|d| d.eq_ignore_ascii_case(host))
    }
}

impl Inbound for SipCore {
    fn on_message(self: Arc<Self>, bytes: Vec<u8>, source: Source) {
        tokio::spawn(self.handle(bytes, source));
    }
}

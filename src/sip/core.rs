//! The SIP core: receives framed messages from the transports, validates them, runs them
//! through transactions and dispatches requests to the method handlers and calls. It
//! reads configuration only from the snapshot: no database work on this path.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use super::auth::DigestAuth;
use super::b2bua::Calls;
use super::b2bua::cdr::CdrWriter;
use super::methods;
use super::registrar::Registrar;
use super::response;
use super::security::Guard;
use super::transaction::client::ClientTransactions;
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

/// Answers one server transaction, now or later (calls answer long after the request).
#[derive(Clone)]
pub struct Responder {
    core: Arc<SipCore>,
    key: TxKey,
    request: Arc<Message>,
    source: Source,
    dest: Source,
    to_tag: String,
    last_final: Arc<std::sync::Mutex<Option<Vec<u8>>>>,
}

impl Responder {
    fn new(core: Arc<SipCore>, key: TxKey, request: Arc<Message>, source: Source) -> Responder {
        let dest = response::destination(&request, source);
        let to_tag = request.to.tag().map(str::to_owned).unwrap_or_else(response::new_tag);
        Responder { core, key, request, source, dest, to_tag, last_final: Arc::default() }
    }

    pub fn to_tag(&self) -> &str {
        &self.to_tag
    }

    fn bytes(&self, code: u16, reason: &str, extra: &[(&str, String)], body: Option<(&str, &[u8])>) -> Vec<u8> {
        response::build_with_body(&self.request.headers, self.source, code, reason, Some(&self.to_tag), extra, body)
            .unwrap_or_default()
    }

    /// A 1xx: sent, and resent to retransmissions of the request. Returns the bytes sent.
    pub async fn provisional(&self, code: u16, reason: &str, extra: &[(&str, String)], body: Option<(&str, &[u8])>) -> Vec<u8> {
        let bytes = self.bytes(code, reason, extra, body);
        self.core.transactions.provisional(&self.key, bytes.clone(), self.dest);
        let _ = self.core.transports.send(self.dest, bytes.clone()).await;
        bytes
    }

    /// Where this transaction's responses go.
    pub fn dest(&self) -> Source {
        self.dest
    }

    /// The final response.
    pub async fn respond(&self, code: u16, reason: &str, extra: &[(&str, String)], body: Option<(&str, &[u8])>) {
        let bytes = self.bytes(code, reason, extra, body);
        if let Ok(mut last) = self.last_final.lock() {
            *last = Some(bytes.clone());
        }
        let invite_error = self.request.method() == Some(&Method::Invite) && code >= 300;
        self.core.transactions.respond(&self.core.transports, &self.key, bytes, self.dest, invite_error).await;
    }

    pub async fn reply(&self, reply: Reply) {
        let extra: Vec<(&str, String)> = reply.headers.iter().map(|(n, v)| (*n, v.clone())).collect();
        self.respond(reply.code, &reply.reason, &extra, None).await;
    }

    /// The last final response sent and where it went (for 2xx retransmission).
    pub fn last_final(&self) -> Option<(Vec<u8>, Source)> {
        self.last_final.lock().ok().and_then(|l| l.clone()).map(|b| (b, self.dest))
    }
}

pub struct SipCore {
    pub transports: Arc<Transports>,
    pub snapshot: Arc<SnapshotHandle>,
    pub registrar: Arc<Registrar>,
    pub auth: DigestAuth,
    pub transactions: ServerTransactions,
    pub client: Arc<ClientTransactions>,
    pub calls: Calls,
    pub cdrs: CdrWriter,
    pub security: Arc<Guard>,
    /// Lua services' VMs.
    pub lua: crate::lua::LuaEngine,
    pub settings: SipSettings,
    pub bus: Arc<EventBus>,
    pub trunks: super::trunk::Trunks,
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
        tls: super::transport::TlsOptions,
    ) -> std::io::Result<Arc<SipCore>> {
        let (transports, listener) = Transports::bind(listen).await?;
        let registrar = Registrar::start(store.clone(), bus.clone()).await.map_err(std::io::Error::other)?;
        let security = Guard::start(store.clone(), bus.clone()).await.map_err(std::io::Error::other)?;
        let lookups = Arc::new(CoreLookups { snapshot: snapshot.clone(), registrar: registrar.clone() });
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
            client: Arc::new(ClientTransactions::new()),
            calls: Calls::new(),
            cdrs: CdrWriter::start(store, bus.clone()),
            security,
            lua: crate::lua::LuaEngine::new(lookups),
            settings,
            bus,
            trunks: super::trunk::Trunks::new(),
        });
        transports.start(listener, core.clone(), tls).await?;
        super::trunk::Trunks::start(&core);
        let weak = Arc::downgrade(&core);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                let Some(core) = weak.upgrade() else { break };
                core.transactions.sweep();
                core.auth.sweep();
                core.security.sweep();
            }
        });
        tracing::info!(addr = %transports.local_addr(), "SIP listening on UDP and TCP");
        if let Some(addr) = transports.tls_local_addr() {
            tracing::info!(%addr, "SIP listening on TLS");
        }
        Ok(core)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.transports.local_addr()
    }

    /// Our address as `peer` reaches it (Via, Contact): the listen address, or the local
    /// interface towards `peer` when listening on all interfaces.
    pub fn local_addr_for(&self, peer: std::net::IpAddr) -> SocketAddr {
        SocketAddr::new(super::dialog::request::local_ip_for(peer, self.local_addr()), self.local_addr().port())
    }

    /// Our address towards `peer` on `proto`: the TLS port for TLS, else as `local_addr_for`.
    pub fn local_addr_on(&self, peer: std::net::IpAddr, proto: super::transport::Proto) -> SocketAddr {
        match (proto, self.transports.tls_local_addr()) {
            (super::transport::Proto::Tls, Some(tls)) => SocketAddr::new(super::dialog::request::local_ip_for(peer, tls), tls.port()),
            _ => self.local_addr_for(peer),
        }
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
        if msg.method().is_some() && !self.security.screen(&msg, source.addr.ip()) {
            return;
        }
        match msg.method().cloned() {
            None => self.handle_response(msg, source),
            Some(Method::Ack) => {
                if !self.transactions.ack(&TxKey::of(&msg)) {
                    self.calls.ack(&msg);
                }
            }
            Some(method) => self.handle_request(msg, method, source).await,
        }
    }

    /// The whole path of one message as a transport delivers it (admission, parsing,
    /// transactions, dispatch), awaited to the end instead of spawned: the fuzz target's
    /// entry point.
    pub async fn receive(self: Arc<Self>, bytes: Vec<u8>, source: Source) {
        if !self.security.admit(source.addr.ip()) {
            return;
        }
        if bytes.starts_with(b"SIP/") {
            self.response_bytes(&bytes, source);
        } else {
            self.handle(bytes, source).await;
        }
    }

    fn response_bytes(self: &Arc<Self>, bytes: &[u8], source: Source) {
        let datagram = source.proto == super::transport::Proto::Udp;
        match wire::parse(bytes, datagram) {
            Ok(msg) if msg.method().is_none() => self.handle_response(msg, source),
            Ok(_) => {}
            Err(e) => tracing::debug!(source = %source.addr, error = %e, "dropping unparseable response"),
        }
    }

    /// Responses go to their client transaction at once, in arrival order (a 180 must not
    /// be overtaken by the 200 behind it); this is cheap enough for the receive loop.
    fn handle_response(self: &Arc<Self>, msg: Message, source: Source) {
        let is_invite_2xx = msg.cseq.1 == Method::Invite && msg.status().is_some_and(|c| (200..300).contains(&c));
        if let Err(msg) = self.client.dispatch(msg) {
            if is_invite_2xx {
                super::b2bua::stray_answer(self, &msg, source);
            } else {
                tracing::debug!(source = %source.addr, status = msg.status(), "ignoring unmatched response");
            }
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
        let msg = Arc::new(msg);
        let responder = Responder::new(self.clone(), key, msg.clone(), source);
        if let Some(reply) = self.dispatch(&msg, &method, source, &responder).await {
            responder.reply(reply).await;
        }
    }

    /// Answers a request now (`Some`) or hands it to a call that answers later (`None`).
    async fn dispatch(self: &Arc<Self>, msg: &Arc<Message>, method: &Method, source: Source, responder: &Responder) -> Option<Reply> {
        if let Method::Other(_) = method {
            return Some(Reply::new(501, "Not Implemented").with("Allow", super::consts::ALLOW));
        }
        let max_forwards = msg.header("Max-Forwards").and_then(|v| v.trim().parse::<u8>().ok());
        if max_forwards == Some(0) && !matches!(method, Method::Options | Method::Register) {
            return Some(Reply::new(483, "Too Many Hops"));
        }
        if *method != Method::Cancel {
            let unsupported: Vec<&str> = msg
                .header_all("Require")
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .filter(|t| !t.is_empty() && !super::consts::SUPPORTED.split(", ").any(|s| s.eq_ignore_ascii_case(t)))
                .collect();
            if !unsupported.is_empty() {
                return Some(Reply::new(420, "Bad Extension").with("Unsupported", unsupported.join(", ")));
            }
        }
        let in_dialog = msg.to.tag().is_some();
        match method {
            Method::Options if !in_dialog => Some(methods::options::handle()),
            Method::Register => Some(methods::register::handle(self, msg, source)),
            Method::Invite if !in_dialog => methods::invite::handle(self, msg, source, responder),
            Method::Cancel => {
                let invite = TxKey::cancelled_invite(msg);
                if self.transactions.exists(&invite) {
                    self.calls.cancel(&invite);
                    Some(Reply::new(200, "OK"))
                } else {
                    Some(Reply::new(481, "Call/Transaction Does Not Exist"))
                }
            }
            Method::Bye | Method::Prack | Method::Update | Method::Info | Method::Invite | Method::Options | Method::Notify
                if in_dialog =>
            {
                if self.calls.deliver(msg.clone(), responder.clone()) {
                    None
                } else {
                    Some(Reply::new(481, "Call/Transaction Does Not Exist"))
                }
            }
            Method::Bye | Method::Prack | Method::Update | Method::Info => Some(Reply::new(481, "Call/Transaction Does Not Exist")),
            _ => Some(Reply::new(405, "Method Not Allowed").with("Allow", super::consts::ALLOW)),
        }
    }

    /// Whether `host` is one of the domains this PBX serves.
    pub fn is_local_domain(&self, host: &str) -> bool {
        self.settings.domains.is_empty() || self.settings.domains.iter().any(|d| d.eq_ignore_ascii_case(host))
    }
}

impl Inbound for SipCore {
    fn admit(&self, ip: std::net::IpAddr) -> bool {
        self.security.admit(ip)
    }

    fn on_message(self: Arc<Self>, bytes: Vec<u8>, source: Source) {
        if bytes.starts_with(b"SIP/") {
            // Responses: parsed and dispatched in the receive loop, keeping their order.
            self.response_bytes(&bytes, source);
            return;
        }
        tokio::spawn(self.handle(bytes, source));
    }
}

/// What Lua services may look up: the configuration snapshot and the registrar.
struct CoreLookups {
    snapshot: Arc<SnapshotHandle>,
    registrar: Arc<Registrar>,
}

impl crate::lua::engine::Lookups for CoreLookups {
    fn extension_exists(&self, number: &str) -> bool {
        self.snapshot.get().extension_by_number(number).is_some()
    }

    fn is_registered(&self, number: &str) -> bool {
        !self.registrar.table.lookup(number, chrono::Utc::now()).is_empty()
    }
}

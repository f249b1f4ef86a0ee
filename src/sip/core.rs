//! The SIP core: builds the layers (endpoint, registrar, security, trunks, calls) and
//! holds them for the dispatcher (`methods/`), which receives every framed message. It
//! reads configuration only from the snapshot: no database work on the SIP path.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use super::auth::DigestAuth;
use super::b2bua::Calls;
use super::b2bua::cdr::CdrWriter;
use super::b2bua::env::CallEnv;
use super::endpoint::Endpoint;
use super::registrar::Registrar;
use super::security::Guard;
use super::transport::Transports;
use super::trunk::Trunks;
use crate::config::SipSettings;
use crate::events::EventBus;
use crate::snapshot::SnapshotHandle;
use crate::store::Store;

pub struct SipCore {
    pub endpoint: Arc<Endpoint>,
    pub snapshot: Arc<SnapshotHandle>,
    pub registrar: Arc<Registrar>,
    pub auth: DigestAuth,
    pub security: Arc<Guard>,
    pub settings: SipSettings,
    pub bus: Arc<EventBus>,
    /// Calls and what they work with.
    pub b2bua: Arc<CallEnv>,
    pub trunks: Arc<Trunks>,
    /// Subscriptions to extensions' lines, presence and mailboxes.
    pub subscriptions: Arc<super::subscriptions::Notifier>,
    /// Changes configuration for feature codes (do-not-disturb, forwarding).
    pub provisioner: Arc<crate::provisioning::Provisioner>,
}

impl SipCore {
    /// Binds the SIP address (UDP and TCP) and starts serving.
    #[allow(clippy::too_many_arguments)]
    pub async fn start(
        media: crate::media::MediaPlane,
        listen: SocketAddr,
        settings: SipSettings,
        snapshot: Arc<SnapshotHandle>,
        store: Store,
        bus: Arc<EventBus>,
        secret: &[u8],
        tls: super::transport::TlsOptions,
        provisioner: Arc<crate::provisioning::Provisioner>,
        voicemail: Option<Arc<crate::voicemail::Voicemail>>,
        menus: Option<Arc<crate::ivr::MenuPrompts>>,
    ) -> std::io::Result<Arc<SipCore>> {
        let (transports, listener) = Transports::bind(listen).await?;
        let endpoint = Arc::new(Endpoint::new(transports.clone(), Arc::new(super::locate::Locator::new(&settings.dns_servers))));
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
        let records = super::b2bua::record_writer::RecordWriter::start(store.clone(), bus.clone());
        let b2bua = Arc::new(CallEnv {
            endpoint: endpoint.clone(),
            snapshot: snapshot.clone(),
            registrar: registrar.clone(),
            calls: Calls::new(),
            cdrs: CdrWriter::new(records.clone()),
            live: super::b2bua::live_calls::LiveCalls::new(records),
            bus: bus.clone(),
            lua: crate::lua::LuaEngine::new(lookups),
            settings: settings.clone(),
            media: media.relay,
            voicemail,
            menus,
            security: security.clone(),
        });
        if settings.nat_keepalive_s > 0 {
            super::registrar::keepalive::start(registrar.clone(), endpoint.clone(), bus.clone(), Duration::from_secs(u64::from(settings.nat_keepalive_s)));
        }
        let trunks = Arc::new(Trunks::new(endpoint.clone(), snapshot.clone(), bus.clone()));
        let subscriptions = super::subscriptions::Notifier::new(endpoint.clone(), snapshot.clone(), registrar.clone(), bus.clone(), store.node().to_owned());
        let core = Arc::new(SipCore { endpoint, snapshot, registrar, auth, security, settings, bus, b2bua, trunks, subscriptions, provisioner });
        // The dispatcher (`methods/`) receives what the transports frame.
        transports.start(listener, core.clone(), tls).await?;
        Trunks::start(&core.trunks);
        // Calls relayed by a relay that stopped answering have no media left: they end.
        crate::media::MediaRelay::start_health_checks(&core.b2bua.media);
        if let Some(mut dtmf) = media.dtmf {
            let env = Arc::downgrade(&core.b2bua);
            tokio::spawn(async move {
                while let Some(report) = dtmf.recv().await {
                    let Some(env) = env.upgrade() else { break };
                    env.calls.dtmf(report);
                }
            });
        }
        let mut losses = core.b2bua.media.losses();
        let env = Arc::downgrade(&core.b2bua);
        tokio::spawn(async move {
            while losses.changed().await.is_ok() {
                let Some(env) = env.upgrade() else { break };
                env.calls.media_lost();
            }
        });
        let weak = Arc::downgrade(&core);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                let Some(core) = weak.upgrade() else { break };
                core.endpoint.transactions.sweep();
                core.security.sweep();
            }
        });
        // What this node left when it last stopped is finished now that SIP runs.
        super::b2bua::lost_calls::start(&core.b2bua, store.clone(), store.backend() == crate::store::Backend::Postgres);
        tracing::info!(addr = %transports.local_addr(), "SIP listening on UDP and TCP");
        if let Some(addr) = transports.tls_local_addr() {
            tracing::info!(%addr, "SIP listening on TLS");
        }
        Ok(core)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.endpoint.local_addr()
    }

    /// Whether `host` is one of the domains this PBX serves.
    pub fn is_local_domain(&self, host: &str) -> bool {
        self.settings.domains.is_empty() || self.settings.domains.iter().any(|d| d.eq_ignore_ascii_case(host))
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

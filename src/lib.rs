//! Callplane: a PBX whose whole configuration lives behind a REST/OpenAPI API.
//!
//! Data flows one way: API -> store -> snapshot -> SIP core -> events.

pub mod api;
pub mod auth;
pub mod cluster;
pub mod config;
pub mod dialplan;
pub mod events;
pub mod ivr;
pub mod lua;
pub mod media;
pub mod metrics;
pub mod model;
pub mod provisioning;
pub mod sip;
pub mod snapshot;
pub mod store;
pub mod tls;
pub mod voicemail;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use poem::listener::{Acceptor, Listener, TcpListener};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::ApiState;
use crate::auth::TokenSigner;
use crate::config::Config;
use crate::events::EventBus;
use crate::model::api_token::ApiToken;
use crate::provisioning::Provisioner;
use crate::snapshot::SnapshotHandle;
use crate::store::Store;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("the store holds no API token signing key")]
    NoSigningKey,
    #[error(transparent)]
    Secret(#[from] auth::secret::SecretError),
    #[error(transparent)]
    Mint(#[from] auth::mint::MintError),
    #[error("cannot listen for HTTP on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("cannot create the data dir {path}: {source}")]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    #[error("{0} needs --tls-cert and --tls-key")]
    TlsNeeded(&'static str),
    #[error(transparent)]
    Media(#[from] media::local::LocalError),
}

/// A running Callplane.
pub struct App {
    /// Where the HTTP API actually listens (useful with port 0).
    pub http_addr: SocketAddr,
    /// Where SIP actually listens (UDP and TCP).
    pub sip_addr: SocketAddr,
    /// Where SIP over TLS listens, when a certificate is configured.
    pub sip_tls_addr: Option<SocketAddr>,
    /// Where HTTPS listens, when asked for.
    pub https_addr: Option<SocketAddr>,
    /// Where STUN's own port listens, when asked for (the SIP UDP port always answers).
    pub stun_addr: Option<SocketAddr>,
    /// The first admin token's file, when this start created it.
    pub admin_token_file: Option<PathBuf>,
    pub state: Arc<ApiState>,
    shutdown: Option<oneshot::Sender<()>>,
    server: JoinHandle<std::io::Result<()>>,
    /// The rtpengine this process started (`--rtpengine local`), stopped with the app.
    _local_rtpengine: Option<media::local::LocalRtpengine>,
}

/// Installs ring as rustls' process-wide crypto provider (once; later calls are no-ops).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Opens the store and the signer the way every command does.
pub async fn open(config: &Config) -> Result<(Store, TokenSigner), StartError> {
    install_crypto_provider();
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|source| StartError::DataDir { path: config.data_dir.clone(), source })?;
    let node = cluster::node::node_id(config.node_id.as_deref(), &config.data_dir)
        .map_err(|source| StartError::DataDir { path: config.data_dir.clone(), source })?;
    let store = Store::open(&config.effective_database_url()).await?.with_node(&node);
    let keys = signing_keys(config, &store).await?;
    let signer = TokenSigner::with_keys(&keys).ok_or(StartError::NoSigningKey)?;
    Ok((store, signer))
}

/// The API token signing keys, oldest first: the configured one, or those every node on
/// this store shares (this node's own file-born key on first use).
async fn signing_keys(config: &Config, store: &Store) -> Result<Vec<auth::jwt::SigningKey>, StartError> {
    Ok(match &config.jwt_secret {
        Some(s) => vec![auth::jwt::SigningKey { id: auth::jwt::FIRST.to_owned(), secret: s.as_bytes().to_vec() }],
        None => store.shared_signing_keys(&auth::secret::load_or_create(&config.data_dir)?).await?,
    })
}

/// The media relay the configuration names: rtpengine URLs, and/or a local rtpengine
/// started here (`local`). None configured: direct media, said once in the log.
async fn media_relay(config: &Config) -> Result<(media::MediaPlane, Option<media::local::LocalRtpengine>), StartError> {
    let m = &config.media;
    let mut urls: Vec<String> = m.rtpengine.iter().filter(|u| *u != "local").cloned().collect();
    let mut local = None;
    let wants_local = m.rtpengine.iter().any(|u| u == "local");
    // Keypresses the relay sees come back as datagrams (rtpengine's --dtmf-log-dest).
    let (dtmf_tx, dtmf_rx) = tokio::sync::mpsc::unbounded_channel();
    let dtmf_at = match (m.dtmf_listen, wants_local) {
        (Some(addr), _) => Some(addr),
        (None, true) => Some(SocketAddr::from(([127, 0, 0, 1], 0))),
        (None, false) => None,
    };
    let dtmf_log_dest = match dtmf_at {
        Some(addr) => Some(media::dtmf::listen(addr, dtmf_tx).await.map_err(|source| StartError::Listen { addr, source })?),
        None => None,
    };
    let recordings = Arc::new(media::recording::Recordings::new(m.recordings_dir.clone().unwrap_or_else(|| config.data_dir.join("recordings"))));
    if wants_local {
        let media_address = m.address.unwrap_or_else(|| outward_address(config.sip_listen.ip()));
        let started = media::local::LocalRtpengine::start(media::local::LocalOptions {
            media_address,
            port_min: m.port_min.unwrap_or(media::local::DEFAULT_PORT_MIN),
            port_max: m.port_max.unwrap_or(media::local::DEFAULT_PORT_MAX),
            log_dir: config.data_dir.clone(),
            binary: std::env::var("CALLPLANE_RTPENGINE_BIN").unwrap_or_else(|_| "rtpengine".to_owned()),
            dtmf_log_dest,
            recording_spool: std::fs::create_dir_all(&recordings.spool).ok().map(|()| recordings.spool.clone()),
        })
        .await?;
        urls.push(started.url.clone());
        local = Some(started);
    }
    if urls.is_empty() {
        tracing::info!("media relay off: phones exchange RTP directly (silent calls behind NAT); start with `--rtpengine local` (Debian package rtpengine-daemon) or `--rtpengine http://host:port` to relay media");
    } else {
        tracing::info!(rtpengine = ?urls, "media relay on");
    }
    let music = match media::moh::file(m.music_on_hold.as_deref(), &config.data_dir) {
        _ if urls.is_empty() => None,
        Ok(path) => Some(path),
        Err(e) => {
            tracing::warn!(error = %e, "cannot write the music on hold; held parties hear silence");
            None
        }
    };
    let relay = Arc::new(media::MediaRelay::new(&urls).with_music_on_hold(music).with_recordings(local.as_ref().map(|_| recordings.clone())));
    if local.is_some() {
        // Retention: by age and total size, hourly (and after each new recording).
        let max_age = chrono::Duration::days(i64::from(m.recording_max_age_days.unwrap_or(90)));
        let max_bytes = m.recording_max_total_mb.unwrap_or(10_240) * 1024 * 1024;
        media::recording::start_retention(recordings.clone(), max_age, max_bytes);
    }
    if let Some(local) = &local {
        let mut exits = local.exits();
        let weak = Arc::downgrade(&relay);
        tokio::spawn(async move {
            while exits.changed().await.is_ok() {
                let Some(relay) = weak.upgrade() else { break };
                relay.report_loss();
            }
        });
    }
    Ok((media::MediaPlane { relay, dtmf: dtmf_log_dest.map(|_| dtmf_rx) }, local))
}

/// The address this host reaches the outside from (the SIP address when it is a specific
/// one); loopback when there is no route out.
fn outward_address(sip: std::net::IpAddr) -> std::net::IpAddr {
    if !sip.is_unspecified() {
        return sip;
    }
    std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("192.0.2.1:9").and_then(|()| s.local_addr()))
        .map(|a| a.ip())
        .unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]))
}

impl App {
    pub async fn start(config: Config) -> Result<App, StartError> {
        let (store, signer) = open(&config).await?;
        let revoked = store
            .load_all::<ApiToken>()
            .await?
            .into_iter()
            .filter(|t| t.value.revoked_at.is_some())
            .map(|t| t.value.id);
        signer.set_revoked(revoked);
        let admin_token_file = auth::mint::bootstrap_admin(&store, &signer, &config.data_dir).await?;
        // Other nodes' changes are followed from here: the snapshot below includes them.
        let changes_seen = store.last_change_seq().await?;
        let snapshot = Arc::new(SnapshotHandle::load(&store).await?);
        let builtins = lua::builtin::load(&config.lua_dir);
        if !builtins.is_empty() {
            tracing::info!(dir = %config.lua_dir.display(), services = builtins.len(), "built-in Lua services loaded");
            snapshot.update(|s| {
                for b in builtins {
                    s.lua_services.insert(b.id.clone(), Arc::new(b));
                }
            });
        }
        tracing::info!(
            build_ms = snapshot.last_full_build().as_secs_f64() * 1000.0,
            extensions = snapshot.get().extensions.len(),
            "configuration snapshot loaded"
        );
        let bus = Arc::new(EventBus::new());
        let retention = events::log::Retention {
            max_rows: config.events.retention_rows,
            max_age: Duration::from_secs(config.events.retention_age_s),
        };
        events::log::start(store.clone(), &bus, retention);
        let feed = events::feed::Feed::start(store.clone(), bus.clone()).await?;
        events::webhooks::start(store.clone(), bus.clone(), feed.clone(), snapshot.clone(), Duration::from_secs(config.events.webhook_max_age_s));
        // The nonce key is derived from the token secret, never the secret itself.
        let sip_secret = {
            use sha2::Digest;
            // The oldest key: it stays the same while newer keys are added, so every node
            // derives the same nonce key whenever it started.
            let base = signing_keys(&config, &store).await?.into_iter().next().map(|k| k.secret).ok_or(StartError::NoSigningKey)?;
            sha2::Sha256::digest([b"callplane sip nonce key:".as_slice(), &base].concat()).to_vec()
        };
        let default_pair = match (&config.tls.cert, &config.tls.key) {
            (Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
            (None, None) => None,
            _ => return Err(tls::TlsError::Half.into()),
        };
        // The server certificates (by SNI, reloaded when their files change), when any.
        let server_tls = if default_pair.is_some() || config.tls.cert_dir.is_some() {
            let store = tls::certs::CertStore::open(tls::certs::CertSources { default: default_pair, dir: config.tls.cert_dir.clone() })?;
            tls::certs::CertStore::watch(&store);
            Some(store)
        } else {
            None
        };
        let sip_tls = match &server_tls {
            Some(store) => {
                let listen = config.sip_tls_listen.unwrap_or_else(|| SocketAddr::new(config.sip_listen.ip(), 5061));
                Some((listen, tls::server_config(store.clone(), &[], config.tls.client_ca.as_deref())?))
            }
            None if config.sip_tls_listen.is_some() => return Err(StartError::TlsNeeded("--sip-tls-listen")),
            None => None,
        };
        let client_cert = match (&config.tls.client_cert, &config.tls.client_key) {
            (Some(cert), Some(key)) => Some((cert.as_path(), key.as_path())),
            (None, None) => None,
            _ => return Err(tls::TlsError::Half.into()),
        };
        let tls_options = crate::sip::transport::TlsOptions { listen: sip_tls, client: tls::client_config(config.tls.ca.as_deref(), client_cert)? };
        let (media, local_rtpengine) = media_relay(&config).await?;
        let provisioner = Arc::new(Provisioner::new(store.clone(), snapshot.clone(), bus.clone()));
        let voicemail = Arc::new(crate::voicemail::Voicemail::open(store.clone(), &config.data_dir).map_err(|source| StartError::DataDir { path: config.data_dir.clone(), source })?);
        crate::voicemail::mail::start(voicemail.clone(), store.clone(), snapshot.clone());
        crate::voicemail::retention::start(voicemail.clone());
        let menus = Arc::new(crate::ivr::MenuPrompts::open(&config.data_dir).map_err(|source| StartError::DataDir { path: config.data_dir.clone(), source })?);
        let sip = crate::sip::core::SipCore::start(
            media,
            config.sip_listen,
            config.sip.clone(),
            snapshot.clone(),
            store.clone(),
            bus.clone(),
            &sip_secret,
            tls_options,
            provisioner.clone(),
            Some(voicemail.clone()),
            Some(menus),
        )
        .await
        .map_err(|source| StartError::Listen { addr: config.sip_listen, source })?;
        let _ = sip.endpoint.transports.tracer.set(Arc::new(crate::sip::trace::Tracer::new(config.data_dir.join("traces"))));
        sip.subscriptions.follow(&feed);
        {
            let snapshot = snapshot.get();
            for (extension_id, counts) in store.mailboxes().await? {
                if let Some(e) = snapshot.extensions.get(&extension_id) {
                    sip.subscriptions.set_mailbox(e.extension.number.as_str(), counts);
                }
            }
        }
        let sip_addr = sip.local_addr();
        let sip_tls_addr = sip.endpoint.transports.tls_local_addr();
        let signer = Arc::new(signer);
        if store.backend() == store::Backend::Postgres {
            let targets = cluster::fanout::Targets {
                provisioner: provisioner.clone(),
                signer: signer.clone(),
                security: Some(sip.security.clone()),
                registrar: Some(sip.registrar.clone()),
                bus: Some(bus.clone()),
                keys_from_store: config.jwt_secret.is_none(),
            };
            cluster::fanout::start(config.effective_database_url(), store.clone(), targets, changes_seen);
        }
        let peers = (store.backend() == store::Backend::Postgres).then(|| cluster::peers::Peers::new(store.clone()));
        let state = Arc::new(ApiState {
            peers,
            provisioner,
            snapshot,
            signer,
            fixed_signing_key: config.jwt_secret.is_some(),
            bus,
            started: Instant::now(),
            max_body_bytes: config.max_body_bytes,
            sip: Some(sip),
            feed,
            stopping: tokio::sync::watch::Sender::new(false),
            certificates: server_tls.clone(),
        });

        let addr = config.http_listen;
        let acceptor = TcpListener::bind(addr)
            .into_acceptor()
            .await
            .map_err(|source| StartError::Listen { addr, source })?;
        let http_addr = acceptor
            .local_addr()
            .first()
            .and_then(|a| a.as_socket_addr().copied())
            .unwrap_or(addr);
        let https = match (config.https_listen, &server_tls) {
            (Some(addr), Some(store)) => {
                let config = tls::server_config(store.clone(), &[b"http/1.1"], None)?;
                Some(api::https::HttpsAcceptor::bind(addr, config).await.map_err(|source| StartError::Listen { addr, source })?)
            }
            (Some(_), None) => return Err(StartError::TlsNeeded("--https-listen")),
            (None, _) => None,
        };
        let https_addr = https.as_ref().map(api::https::HttpsAcceptor::local_addr);
        let stun_addr = match config.stun_listen {
            Some(addr) => {
                let socket = tokio::net::UdpSocket::bind(addr).await.map_err(|source| StartError::Listen { addr, source })?;
                let bound = socket.local_addr().unwrap_or(addr);
                tokio::spawn(crate::sip::transport::stun::serve(socket));
                Some(bound)
            }
            None => None,
        };
        if state.peers.is_some() {
            // The other nodes reach this node's API here (live calls across the cluster).
            let ip = if http_addr.ip().is_unspecified() { outward_address(http_addr.ip()) } else { http_addr.ip() };
            let url = format!("http://{}", SocketAddr::new(ip, http_addr.port()));
            state.provisioner.store().advertise_api(&url).await?;
        }
        let (tx, rx) = oneshot::channel::<()>();
        let app = api::app(state.clone());
        let server = match https {
            Some(https) => {
                let acceptor = poem::listener::AcceptorExt::combine(acceptor, https);
                tokio::spawn(async move {
                    poem::Server::new_with_acceptor(acceptor)
                        .run_with_graceful_shutdown(app, async { let _ = rx.await; }, Some(Duration::from_secs(5)))
                        .await
                })
            }
            None => tokio::spawn(async move {
                poem::Server::new_with_acceptor(acceptor)
                    .run_with_graceful_shutdown(app, async { let _ = rx.await; }, Some(Duration::from_secs(5)))
                    .await
            }),
        };
        tracing::info!(%http_addr, "HTTP API listening (docs at /docs)");
        if let Some(addr) = https_addr {
            tracing::info!(%addr, "HTTPS API listening");
        }
        Ok(App { http_addr, sip_addr, sip_tls_addr, https_addr, stun_addr, admin_token_file, state, shutdown: Some(tx), server, _local_rtpengine: local_rtpengine })
    }

    /// Stops accepting requests, lets running ones finish, closes the store.
    /// Stops gracefully: new calls get 503 with Retry-After; calls in progress have up to
    /// `drain` to end; the rest are hung up (BYE to both parties, their CDRs written, reason
    /// `shutdown`); then everything stops as with `stop` (event log, CDRs, registrations
    /// and the webhook outbox flushed to the store).
    pub async fn shutdown(self, drain: std::time::Duration) {
        if let Some(sip) = self.state.sip.clone() {
            let calls = &sip.b2bua.calls;
            calls.start_draining();
            let deadline = tokio::time::Instant::now() + drain;
            if !calls.is_empty() {
                tracing::info!(calls = calls.len(), drain_s = drain.as_secs(), "no new calls; waiting for the calls in progress");
            }
            while !calls.is_empty() && tokio::time::Instant::now() < deadline {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            let told = calls.hang_up_all();
            if told > 0 {
                tracing::info!(calls = told, "the drain time ran out: hanging up the calls left");
                let bye_deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
                while !calls.is_empty() && tokio::time::Instant::now() < bye_deadline {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            }
        }
        self.stop().await;
    }

    pub async fn stop(mut self) {
        self.state.stopping.send_replace(true);
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.server).await;
        if let Some(sip) = &self.state.sip {
            // Phones are told their subscriptions end, and subscribe again later.
            sip.subscriptions.end_all().await;
            sip.registrar.flush().await;
            sip.b2bua.cdrs.flush().await;
            sip.security.flush().await;
        }
        self.state.bus.flush().await;
        self.state.provisioner.store().close().await;
    }

    /// Waits until the server ends (it only ends on `stop` or an I/O failure).
    pub async fn wait(&mut self) -> std::io::Result<()> {
        match (&mut self.server).await {
            Ok(r) => r,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}

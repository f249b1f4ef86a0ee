//! The `callplane` command line.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use callplane::auth::Scope;
use callplane::config::{Config, ConfigFile};
use clap::{Args, Parser, Subcommand};

/// mimalloc instead of glibc's malloc: every SIP message allocates its copies and strings
/// on one worker and frees them on another, where glibc's arenas contend on a lock
/// (measured in `bench/PROFILE-2026-12-02.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages off for this process. The allocator asks for them, and then a
/// request that touches fresh memory first waits while the kernel clears 2 MiB at once;
/// while the transaction table grows (every answered REGISTER is kept 64*T1) that held
/// the UDP receiver for up to 35 ms of CPU at a time, the burst of answers that followed
/// overflowed the phones' receive buffers, and they retransmitted. With 4 KiB pages the
/// same run at 17,500 REGISTER/s had no such stall and no retransmission
/// (`bench/register/RESULTS.md`, fifth round). Databases and caches advise the same.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    if let Err(e) = nix::sys::prctl::set_thp_disable(true) {
        tracing::debug!(error = %e, "cannot turn transparent huge pages off");
    }
}

#[derive(Parser)]
#[command(name = "callplane", version, about = "A PBX configured through a REST/OpenAPI API")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct OpenapiArgs {
    /// Print the document as poem-openapi emits it, before the normalisation SDK generators
    /// need (to check that normalisation; not for publishing).
    #[arg(long)]
    as_emitted: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Run the PBX: HTTP API and SIP core.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(StoreArgs),
    /// Print the OpenAPI document (YAML) on stdout.
    Openapi(OpenapiArgs),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Mint a token and print it (and nothing else) on stdout.
    Create(TokenCreateArgs),
}

#[derive(Args, Clone)]
struct StoreArgs {
    /// Optional TOML file with the same settings (flags and environment win over it).
    #[arg(long, env = "CALLPLANE_CONFIG")]
    config: Option<PathBuf>,
    /// Directory of the SQLite file, the JWT secret and the first admin token [default: ./data].
    #[arg(long, env = "CALLPLANE_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// `sqlite://…` or `postgres://…`; overrides the SQLite file in the data dir.
    #[arg(long, env = "CALLPLANE_DATABASE_URL")]
    database_url: Option<String>,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// HTTP API address [default: 0.0.0.0:8080].
    #[arg(long, env = "CALLPLANE_HTTP_LISTEN")]
    http_listen: Option<SocketAddr>,
    /// SIP address, UDP and TCP [default: 0.0.0.0:5060].
    #[arg(long, env = "CALLPLANE_SIP_LISTEN")]
    sip_listen: Option<SocketAddr>,
    /// trace, debug, info, warn or error, or a tracing filter [default: info].
    #[arg(long, env = "CALLPLANE_LOG_LEVEL")]
    log_level: Option<String>,
    /// SIP over TLS address [default with a certificate: the SIP address, port 5061].
    #[arg(long, env = "CALLPLANE_SIP_TLS_LISTEN")]
    sip_tls_listen: Option<SocketAddr>,
    /// HTTPS address for the API (needs --tls-cert and --tls-key).
    #[arg(long, env = "CALLPLANE_HTTPS_LISTEN")]
    https_listen: Option<SocketAddr>,
    /// A UDP address answering STUN binding requests (e.g. 0.0.0.0:3478), besides the SIP
    /// UDP port, which always does.
    #[arg(long, env = "CALLPLANE_STUN_LISTEN")]
    stun_listen: Option<SocketAddr>,
    /// On SIGTERM, seconds calls in progress may go on (new calls get 503) before they are
    /// hung up with BYE [default: 30].
    #[arg(long = "drain-seconds", env = "CALLPLANE_DRAIN_SECONDS")]
    drain_s: Option<u32>,
    /// PEM certificate chain for SIP over TLS and HTTPS.
    #[arg(long, env = "CALLPLANE_TLS_CERT")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of that certificate.
    #[arg(long, env = "CALLPLANE_TLS_KEY")]
    tls_key: Option<PathBuf>,
    /// PEM CA certificates trusted for TLS to trunks, besides Mozilla's roots.
    #[arg(long, env = "CALLPLANE_TLS_CA")]
    tls_ca: Option<PathBuf>,
    /// Directory of certificates, one per server name (`<name>.crt` + `<name>.key`, or
    /// certbot's `<name>/fullchain.pem` + `privkey.pem`), chosen by SNI and reloaded when
    /// the files change.
    #[arg(long, env = "CALLPLANE_TLS_CERT_DIR")]
    tls_cert_dir: Option<PathBuf>,
    /// PEM certificate chain Callplane presents to trunks that ask for one (mutual TLS).
    #[arg(long, env = "CALLPLANE_TLS_CLIENT_CERT")]
    tls_client_cert: Option<PathBuf>,
    /// PEM private key of --tls-client-cert.
    #[arg(long, env = "CALLPLANE_TLS_CLIENT_KEY")]
    tls_client_key: Option<PathBuf>,
    /// PEM CAs whose client certificates are accepted from peers (mutual TLS); clients
    /// without a certificate are still served.
    #[arg(long, env = "CALLPLANE_TLS_CLIENT_CA")]
    tls_client_ca: Option<PathBuf>,
    /// Directory of built-in Lua services, loaded read-only at start [default: lua/services].
    #[arg(long, env = "CALLPLANE_LUA_DIR")]
    lua_dir: Option<PathBuf>,
    /// Media relay: an rtpengine ng URL (`http://host:port`, repeatable), or `local` to
    /// start and supervise rtpengine here [default: none, direct media].
    #[arg(long, env = "CALLPLANE_RTPENGINE", value_delimiter = ',')]
    rtpengine: Vec<String>,
    /// Address a local rtpengine relays media on [default: the SIP address].
    #[arg(long, env = "CALLPLANE_MEDIA_ADDRESS")]
    media_address: Option<std::net::IpAddr>,
    /// This node's name in a cluster of nodes on one PostgreSQL [default: generated once
    /// into <data dir>/node.id].
    #[arg(long, env = "CALLPLANE_NODE_ID")]
    node_id: Option<String>,
    /// DNS server (`host:port`, repeatable) for carriers' NAPTR, SRV and address records
    /// [default: the system's].
    #[arg(long = "dns-server", env = "CALLPLANE_DNS_SERVER", value_delimiter = ',')]
    dns_servers: Vec<SocketAddr>,
}

#[derive(Args)]
struct TokenCreateArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// admin, read, calls or events.
    #[arg(long)]
    scope: Scope,
    /// Lifetime: 3600, 15m, 12h, 30d.
    #[arg(long, default_value = "30d")]
    ttl: String,
    #[arg(long, default_value = "")]
    description: String,
}

impl StoreArgs {
    fn resolve(&self, more: ConfigFile) -> Result<Config, String> {
        let file = match &self.config {
            Some(path) => ConfigFile::load(path).map_err(|e| e.to_string())?,
            None => ConfigFile::default(),
        };
        let overrides = ConfigFile { data_dir: self.data_dir.clone(), database_url: self.database_url.clone(), ..more };
        Ok(file.resolve(overrides))
    }
}

fn init_logging(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(level).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).init();
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("callplane: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Openapi(args) => {
            use std::io::Write;
            let document = if args.as_emitted { callplane::api::spec_yaml_as_emitted() } else { callplane::api::spec_yaml() };
            let mut out = std::io::stdout().lock();
            match out.write_all(document.as_bytes()).and_then(|()| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
                _ => Ok(()),
            }
        }
        Command::Migrate(args) => {
            let config = args.resolve(ConfigFile::default())?;
            init_logging(&config.log_level);
            callplane::open(&config).await.map_err(|e| e.to_string())?;
            eprintln!("migrations applied to {}", redact(&config.effective_database_url()));
            Ok(())
        }
        Command::Token(TokenCommand::Create(args)) => {
            let config = args.store.resolve(ConfigFile::default())?;
            let (store, signer) = callplane::open(&config).await.map_err(|e| e.to_string())?;
            let (token, _) = callplane::auth::mint::mint(&store, &signer, "cli", args.scope, &args.ttl, &args.description)
                .await
                .map_err(|e| e.to_string())?;
            store.close().await;
            println!("{token}");
            Ok(())
        }
        Command::Serve(args) => {
            no_huge_pages();
            let more = ConfigFile {
                http_listen: args.http_listen,
                sip_listen: args.sip_listen,
                log_level: args.log_level.clone(),
                sip_tls_listen: args.sip_tls_listen,
                https_listen: args.https_listen,
                stun_listen: args.stun_listen,
                drain_s: args.drain_s,
                lua_dir: args.lua_dir.clone(),
                node_id: args.node_id.clone(),
                media: Some(callplane::config::MediaSettings { rtpengine: args.rtpengine.clone(), address: args.media_address, ..Default::default() }),
                tls: Some(callplane::config::TlsFiles {
                    cert: args.tls_cert.clone(),
                    key: args.tls_key.clone(),
                    ca: args.tls_ca.clone(),
                    cert_dir: args.tls_cert_dir.clone(),
                    client_cert: args.tls_client_cert.clone(),
                    client_key: args.tls_client_key.clone(),
                    client_ca: args.tls_client_ca.clone(),
                }),
                ..ConfigFile::default()
            };
            let mut config = args.store.resolve(more)?;
            if !args.dns_servers.is_empty() {
                config.sip.dns_servers = args.dns_servers.clone();
            }
            init_logging(&config.log_level);
            tracing::info!(database = %redact(&config.effective_database_url()), data_dir = %config.data_dir.display(), "starting Callplane");
            let drain_s = config.drain_s;
            let mut app = callplane::App::start(config).await.map_err(|e| e.to_string())?;
            if let Some(path) = &app.admin_token_file {
                tracing::info!(path = %path.display(), "first admin token written; use it as `Authorization: Bearer $(cat {})`", path.display());
            }
            // SIGTERM (systemd, docker stop, a package upgrade) and Ctrl-C stop Callplane
            // gracefully: no new calls, calls in progress drain, the rest get BYE and CDRs,
            // then the API and SIP stop, and a local rtpengine with them.
            let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).map_err(|e| e.to_string())?;
            let drain = std::time::Duration::from_secs(u64::from(drain_s));
            tokio::select! {
                r = app.wait() => r.map_err(|e| e.to_string()),
                _ = terminate.recv() => {
                    tracing::info!(drain_s, "shutting down (SIGTERM)");
                    app.shutdown(drain).await;
                    Ok(())
                }
                _ = tokio::signal::ctrl_c() => {
                    tracing::info!(drain_s, "shutting down");
                    app.shutdown(drain).await;
                    Ok(())
                }
            }
        }
    }
}

/// Hides a password in a database URL before logging it.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or_default();
            format!("{}{}:***{}", &url[..s + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

//! Settings for `callplane serve` and the other commands.
//!
//! Precedence, highest first: command-line flags, `CALLPLANE_*` environment
//! variables (both handled by clap), the optional `--config` TOML file, defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Largest JSON request body the API accepts (413 above it).
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("invalid config file {path}: {source}")]
    Parse { path: PathBuf, source: toml::de::Error },
}

/// The resolved settings a running Callplane uses.
#[derive(Debug, Clone)]
pub struct Config {
    /// Holds the SQLite file, the JWT secret and the first admin token.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; `None` means `sqlite://<data_dir>/callplane.db`.
    pub database_url: Option<String>,
    pub http_listen: SocketAddr,
    pub sip_listen: SocketAddr,
    pub log_level: String,
    /// HS256 secret; `None` means generated once into `<data_dir>/jwt.secret`.
    pub jwt_secret: Option<String>,
    pub max_body_bytes: usize,
    pub sip: SipSettings,
    pub events: EventSettings,
    /// Certificate and key files for SIP over TLS and HTTPS, and extra trusted CAs.
    pub tls: TlsFiles,
    /// SIP over TLS address; with a certificate it defaults to the SIP address on port 5061.
    pub sip_tls_listen: Option<SocketAddr>,
    /// HTTPS address for the API (needs the certificate); HTTP stays on `http_listen`.
    pub https_listen: Option<SocketAddr>,
    /// A UDP address answering STUN binding requests besides the SIP UDP port (3478 is
    /// STUN's own port); `None`: the SIP port only.
    pub stun_listen: Option<SocketAddr>,
    /// On SIGTERM, how long calls in progress may go on before they are hung up (new calls
    /// get 503 meanwhile).
    pub drain_s: u32,
    /// Directory of built-in Lua services (`*.lua`, loaded read-only at start).
    pub lua_dir: PathBuf,
    pub media: MediaSettings,
    /// This node's name in a cluster (the change log, and later calls and bindings);
    /// `None` means generated once into `<data_dir>/node.id`.
    pub node_id: Option<String>,
}

/// The media relay (file keys under `[media]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaSettings {
    /// rtpengine ng endpoints (`http://host:port`), or `local` to have Callplane start and
    /// supervise rtpengine itself. Empty: no relay, endpoints exchange media directly.
    pub rtpengine: Vec<String>,
    /// Address the local rtpengine relays media on and advertises in SDP [default: the SIP
    /// address, or the host's outward address when SIP listens on every address].
    pub address: Option<std::net::IpAddr>,
    /// RTP port range of the local rtpengine [default: 30000-39999].
    pub port_min: Option<u16>,
    pub port_max: Option<u16>,
    /// UDP address where rtpengines you run send their DTMF reports (their
    /// `--dtmf-log-dest`); a local rtpengine reports to Callplane without it.
    pub dtmf_listen: Option<std::net::SocketAddr>,
    /// WAV file held parties hear (8 kHz mono 16-bit plays best) [default: a melody
    /// Callplane writes to `<data dir>/music-on-hold.wav`]. With an rtpengine you run, a
    /// path on its host.
    pub music_on_hold: Option<PathBuf>,
    /// Where recordings are kept [default: `<data dir>/recordings`] (local rtpengine only).
    pub recordings_dir: Option<PathBuf>,
    /// Recordings older than this many days are deleted [default: 90].
    pub recording_max_age_days: Option<u32>,
    /// The oldest recordings are deleted beyond this total, in MB [default: 10240].
    pub recording_max_total_mb: Option<u64>,
}

/// TLS files (PEM). `cert` and `key` go together.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TlsFiles {
    /// Certificate chain, leaf first.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    /// CAs trusted for connections Callplane opens (trunks), besides Mozilla's roots.
    pub ca: Option<PathBuf>,
    /// A certificate per server name: `<name>.crt` + `<name>.key`, or certbot's
    /// `<name>/fullchain.pem` + `<name>/privkey.pem`; chosen by SNI, reloaded on change.
    pub cert_dir: Option<PathBuf>,
    /// Certificate and key Callplane presents to trunks that ask for one (mutual TLS).
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// CAs whose client certificates are accepted (peer trunks authenticating
    /// themselves); clients without a certificate are still served.
    pub client_ca: Option<PathBuf>,
}

/// Event log and webhook settings (file keys under `[events]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EventSettings {
    /// Events kept for `since_seq` resumes, at most.
    pub retention_rows: u64,
    /// Oldest event kept, in seconds.
    pub retention_age_s: u64,
    /// A webhook delivery not accepted within this many seconds is marked failed.
    pub webhook_max_age_s: u64,
}

impl Default for EventSettings {
    fn default() -> Self {
        Self { retention_rows: 100_000, retention_age_s: 7 * 86_400, webhook_max_age_s: 24 * 3600 }
    }
}

/// SIP core settings (file keys under `[sip]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SipSettings {
    /// Digest realm in challenges.
    pub realm: String,
    /// Domains served; empty serves every domain (a single-tenant PBX on any address).
    pub domains: Vec<String>,
    /// Shortest registration accepted (423 below it).
    pub min_expires: u32,
    /// Longest registration granted (longer ones are shortened).
    pub max_expires: u32,
    /// Registration length when the phone does not say.
    pub default_expires: u32,
    /// Seconds a digest nonce stays valid before `stale=true`.
    pub nonce_ttl_s: u32,
    /// Digest challenges offered, in order: `MD5`, `SHA-256`. Default MD5 only: some
    /// phones (baresip 1.0) abort on a challenge whose algorithm they do not know, and
    /// others answer only the first one. Answers with either algorithm are accepted.
    pub digest_algorithms: Vec<String>,
    /// Longest forwarding chain followed before a call fails with 483.
    pub max_forward_hops: u32,
    /// Session interval asked for on every leg (RFC 4028 Session-Expires), seconds.
    pub session_expires_s: u32,
    /// Shortest session interval accepted (RFC 4028 Min-SE; 422 below it). At least 90.
    pub min_se_s: u32,
    /// Seconds between NAT keep-alives to devices whose Contact is not the address their
    /// REGISTER came from (OPTIONS over UDP, CRLF over TCP/TLS); 0 turns them off. A device
    /// that leaves one unanswered until the next is unreachable.
    pub nat_keepalive_s: u32,
    /// DNS servers (`host:port`) asked for carriers' NAPTR, SRV and address records
    /// (RFC 3263); empty: the system's (`/etc/resolv.conf`).
    pub dns_servers: Vec<SocketAddr>,
    /// A new call whose INVITE waited longer than this (milliseconds) between the socket
    /// and its handler is refused with 503 and Retry-After: the node is overloaded and
    /// keeps its CPU for the calls it took. 0 turns shedding off.
    pub overload_queue_ms: u32,
    /// The most calls this node carries at once, ringing or answered: a new call beyond
    /// it is refused with 503 and Retry-After, which bounds the memory calls can take
    /// (about 30 KB each). 0: no limit.
    pub max_calls: u32,
}

impl Default for SipSettings {
    fn default() -> Self {
        Self { realm: "callplane".into(), domains: vec![], min_expires: 60, max_expires: 3600, default_expires: 3600, nonce_ttl_s: 300, digest_algorithms: vec!["MD5".into()], max_forward_hops: 5, session_expires_s: 1800, min_se_s: 90, nat_keepalive_s: 30, dns_servers: vec![], overload_queue_ms: 100, max_calls: 10_000 }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./data"),
            database_url: None,
            http_listen: SocketAddr::from(([0, 0, 0, 0], 8080)),
            sip_listen: SocketAddr::from(([0, 0, 0, 0], 5060)),
            log_level: "info".to_owned(),
            jwt_secret: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            sip: SipSettings::default(),
            events: EventSettings::default(),
            tls: TlsFiles::default(),
            sip_tls_listen: None,
            https_listen: None,
            stun_listen: None,
            drain_s: 30,
            lua_dir: PathBuf::from("lua/services"),
            media: MediaSettings::default(),
            node_id: None,
        }
    }
}

impl Config {
    /// The database URL in effect: the configured one or the SQLite file in the data dir.
    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("callplane.db").display()),
        }
    }
}

/// The shape of `callplane.toml`; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub http_listen: Option<SocketAddr>,
    pub sip_listen: Option<SocketAddr>,
    pub log_level: Option<String>,
    pub jwt_secret: Option<String>,
    pub max_body_bytes: Option<usize>,
    pub sip: Option<SipSettings>,
    pub events: Option<EventSettings>,
    pub tls: Option<TlsFiles>,
    pub sip_tls_listen: Option<SocketAddr>,
    pub https_listen: Option<SocketAddr>,
    pub stun_listen: Option<SocketAddr>,
    pub drain_s: Option<u32>,
    pub lua_dir: Option<PathBuf>,
    pub media: Option<MediaSettings>,
    pub node_id: Option<String>,
}

impl ConfigFile {
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.to_owned(),
            source,
        })
    }

    /// Layers `overrides` (flags/env) over this file over the defaults.
    pub fn resolve(self, overrides: ConfigFile) -> Config {
        let d = Config::default();
        Config {
            data_dir: overrides.data_dir.or(self.data_dir).unwrap_or(d.data_dir),
            database_url: overrides.database_url.or(self.database_url),
            http_listen: overrides.http_listen.or(self.http_listen).unwrap_or(d.http_listen),
            sip_listen: overrides.sip_listen.or(self.sip_listen).unwrap_or(d.sip_listen),
            log_level: overrides.log_level.or(self.log_level).unwrap_or(d.log_level),
            jwt_secret: overrides.jwt_secret.or(self.jwt_secret),
            max_body_bytes: overrides
                .max_body_bytes
                .or(self.max_body_bytes)
                .unwrap_or(d.max_body_bytes),
            sip: overrides.sip.or(self.sip).unwrap_or(d.sip),
            events: overrides.events.or(self.events).unwrap_or(d.events),
            tls: {
                let (file, flags) = (self.tls.unwrap_or_default(), overrides.tls.unwrap_or_default());
                TlsFiles {
                    cert: flags.cert.or(file.cert),
                    key: flags.key.or(file.key),
                    ca: flags.ca.or(file.ca),
                    cert_dir: flags.cert_dir.or(file.cert_dir),
                    client_cert: flags.client_cert.or(file.client_cert),
                    client_key: flags.client_key.or(file.client_key),
                    client_ca: flags.client_ca.or(file.client_ca),
                }
            },
            sip_tls_listen: overrides.sip_tls_listen.or(self.sip_tls_listen),
            https_listen: overrides.https_listen.or(self.https_listen),
            stun_listen: overrides.stun_listen.or(self.stun_listen),
            drain_s: overrides.drain_s.or(self.drain_s).unwrap_or(d.drain_s),
            lua_dir: overrides.lua_dir.or(self.lua_dir).unwrap_or(d.lua_dir),
            node_id: overrides.node_id.or(self.node_id),
            media: {
                let (file, flags) = (self.media.unwrap_or_default(), overrides.media.unwrap_or_default());
                MediaSettings {
                    rtpengine: if flags.rtpengine.is_empty() { file.rtpengine } else { flags.rtpengine },
                    address: flags.address.or(file.address),
                    port_min: flags.port_min.or(file.port_min),
                    port_max: flags.port_max.or(file.port_max),
                    dtmf_listen: flags.dtmf_listen.or(file.dtmf_listen),
                    music_on_hold: flags.music_on_hold.or(file.music_on_hold),
                    recordings_dir: flags.recordings_dir.or(file.recordings_dir),
                    recording_max_age_days: flags.recording_max_age_days.or(file.recording_max_age_days),
                    recording_max_total_mb: flags.recording_max_total_mb.or(file.recording_max_total_mb),
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_file_and_file_over_defaults() {
        let file: ConfigFile = toml::from_str(
            "http_listen = \"127.0.0.1:9000\"\nsip_listen = \"127.0.0.1:5070\"\nlog_level = \"debug\"",
        )
        .expect("valid toml");
        let flags = ConfigFile {
            http_listen: Some("127.0.0.1:9100".parse().expect("addr")),
            ..ConfigFile::default()
        };
        let cfg = file.resolve(flags);
        assert_eq!(cfg.http_listen.port(), 9100);
        assert_eq!(cfg.sip_listen.port(), 5070);
        assert_eq!(cfg.log_level, "debug");
        assert_eq!(cfg.data_dir, PathBuf::from("./data"));
    }

    #[test]
    fn unknown_keys_in_the_file_are_errors() {
        assert!(toml::from_str::<ConfigFile>("http_lisen = \"x\"").is_err());
    }
}

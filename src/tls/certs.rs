//! The server certificates: a default pair (`--tls-cert`/`--tls-key`) and a directory of
//! pairs, one per server name (`--tls-cert-dir`), chosen by the name the client asks for
//! (SNI, RFC 6066 section 3). The files are read again when they change (checked every few
//! seconds) or on request, without a restart; a pair that does not load keeps the one
//! before it in service.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use arc_swap::ArcSwap;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

use super::TlsError;

/// How often the files are checked for changes.
const CHECK_EVERY: Duration = Duration::from_secs(2);

/// The certificate files: where they are.
#[derive(Debug, Clone, Default)]
pub struct CertSources {
    pub default: Option<(PathBuf, PathBuf)>,
    /// `<name>.crt` + `<name>.key`, or `<name>/fullchain.pem` + `<name>/privkey.pem`
    /// (certbot's layout); `<name>` may be `*.example.com` (a wildcard certificate).
    pub dir: Option<PathBuf>,
}

#[derive(Default)]
struct Loaded {
    default: Option<Arc<CertifiedKey>>,
    by_name: HashMap<String, Arc<CertifiedKey>>,
    /// The files and their modification times, to notice a change.
    stamps: Vec<(PathBuf, Option<SystemTime>)>,
}

pub struct CertStore {
    sources: CertSources,
    current: ArcSwap<Loaded>,
}

impl std::fmt::Debug for CertStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertStore").field("sources", &self.sources).field("names", &self.names()).finish()
    }
}

/// A certificate chain and key from PEM files, ready to serve.
fn certified(cert: &Path, key: &Path) -> Result<Arc<CertifiedKey>, TlsError> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|source| TlsError::Certificate { path: cert.to_owned(), source })?;
    if chain.is_empty() {
        return Err(TlsError::Empty { path: cert.to_owned() });
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|source| TlsError::Key { path: key.to_owned(), source })?;
    let signer = rustls::crypto::ring::sign::any_supported_type(&key)?;
    let certified = CertifiedKey::new(chain, signer);
    // A renewal caught half-written (the new key with the old certificate) is refused.
    certified.keys_match()?;
    Ok(Arc::new(certified))
}

/// The (name, certificate, key) pairs in `dir`.
fn pairs_in(dir: &Path) -> Vec<(String, PathBuf, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut pairs = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else { continue };
        if path.is_dir() {
            let (cert, key) = (path.join("fullchain.pem"), path.join("privkey.pem"));
            if cert.exists() && key.exists() {
                pairs.push((name.to_ascii_lowercase(), cert, key));
            }
        } else if let Some(stem) = name.strip_suffix(".crt") {
            let key = dir.join(format!("{stem}.key"));
            if key.exists() {
                pairs.push((stem.to_ascii_lowercase(), path.clone(), key));
            }
        }
    }
    pairs.sort();
    pairs
}

fn stamp(path: &Path) -> (PathBuf, Option<SystemTime>) {
    (path.to_owned(), std::fs::metadata(path).and_then(|m| m.modified()).ok())
}

impl CertStore {
    /// Loads every pair; the default pair must load (it was asked for by name), a pair of
    /// the directory that does not is logged and left out.
    pub fn open(sources: CertSources) -> Result<Arc<CertStore>, TlsError> {
        crate::install_crypto_provider();
        let store = Arc::new(CertStore { sources, current: ArcSwap::from_pointee(Loaded::default()) });
        store.reload()?;
        Ok(store)
    }

    /// Reads the files again; returns the names served. On an error in the default pair
    /// nothing changes.
    pub fn reload(&self) -> Result<Vec<String>, TlsError> {
        let old = self.current.load();
        let mut next = Loaded::default();
        if let Some((cert, key)) = &self.sources.default {
            next.default = Some(certified(cert, key)?);
            next.stamps.extend([stamp(cert), stamp(key)]);
        }
        if let Some(dir) = &self.sources.dir {
            next.stamps.push(stamp(dir));
            for (name, cert, key) in pairs_in(dir) {
                next.stamps.extend([stamp(&cert), stamp(&key)]);
                match certified(&cert, &key) {
                    Ok(ck) => {
                        next.by_name.insert(name, ck);
                    }
                    Err(e) => {
                        tracing::error!(%name, error = %e, "a certificate does not load: the one before stays in service");
                        if let Some(before) = old.by_name.get(&name) {
                            next.by_name.insert(name, before.clone());
                        }
                    }
                }
            }
        }
        let mut names: Vec<String> = next.by_name.keys().cloned().collect();
        names.sort();
        tracing::info!(?names, default = next.default.is_some(), "TLS certificates loaded");
        self.current.store(Arc::new(next));
        Ok(names)
    }

    /// The server names with a certificate of their own.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.current.load().by_name.keys().cloned().collect();
        names.sort();
        names
    }

    pub fn has_default(&self) -> bool {
        self.current.load().default.is_some()
    }

    /// Whether there is any certificate to serve.
    pub fn is_empty(&self) -> bool {
        let l = self.current.load();
        l.default.is_none() && l.by_name.is_empty()
    }

    /// Reloads whenever a file changes (its modification time), until the store is dropped.
    pub fn watch(store: &Arc<CertStore>) {
        let weak = Arc::downgrade(store);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(CHECK_EVERY).await;
                let Some(store) = weak.upgrade() else { break };
                if store.changed() {
                    if let Err(e) = store.reload() {
                        tracing::error!(error = %e, "the TLS certificates changed but do not load: the ones before stay in service");
                    }
                }
            }
        });
    }

    fn changed(&self) -> bool {
        let loaded = self.current.load();
        let mut now: Vec<(PathBuf, Option<SystemTime>)> = Vec::new();
        if let Some((cert, key)) = &self.sources.default {
            now.extend([stamp(cert), stamp(key)]);
        }
        if let Some(dir) = &self.sources.dir {
            now.push(stamp(dir));
            for (_, cert, key) in pairs_in(dir) {
                now.extend([stamp(&cert), stamp(&key)]);
            }
        }
        now != loaded.stamps
    }

    /// The certificate for server name `name`: its own, a wildcard's one level up, else
    /// the default (also for clients that send no name).
    fn choose(&self, name: Option<&str>) -> Option<Arc<CertifiedKey>> {
        let loaded = self.current.load();
        if let Some(name) = name.map(str::to_ascii_lowercase) {
            if let Some(ck) = loaded.by_name.get(&name) {
                return Some(ck.clone());
            }
            if let Some((_, parent)) = name.split_once('.') {
                if let Some(ck) = loaded.by_name.get(&format!("*.{parent}")) {
                    return Some(ck.clone());
                }
            }
        }
        loaded.default.clone().or_else(|| loaded.by_name.iter().min_by(|a, b| a.0.cmp(b.0)).map(|(_, ck)| ck.clone()))
    }
}

impl ResolvesServerCert for CertStore {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.choose(hello.server_name())
    }
}

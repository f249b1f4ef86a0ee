//! TLS settings shared by SIP over TLS and HTTPS (rustls with ring; no OpenSSL): the
//! server certificates (`certs.rs`: one per server name, reloaded without a restart), the
//! trust store for connections we open (Mozilla's roots plus an optional CA file of your
//! own), and client certificates both ways (mutual TLS with peer trunks).

pub mod certs;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read the TLS certificate {path}: {source}")]
    Certificate { path: PathBuf, source: rustls::pki_types::pem::Error },
    #[error("cannot read the TLS private key {path}: {source}")]
    Key { path: PathBuf, source: rustls::pki_types::pem::Error },
    #[error("cannot read the CA file {path}: {source}")]
    Ca { path: PathBuf, source: rustls::pki_types::pem::Error },
    #[error("the TLS certificate {path} holds no certificate")]
    Empty { path: PathBuf },
    #[error("TLS set-up: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("--tls-cert and --tls-key go together (and --tls-client-cert with --tls-client-key)")]
    Half,
    #[error("client certificate verification: {0}")]
    Verifier(String),
}

/// A server configuration serving the certificates of `store` by server name, offering
/// `alpn`. With `client_ca`, clients may present a certificate, which must then chain to
/// one of those CAs (peer trunks authenticating themselves; phones present none).
pub fn server_config(store: Arc<certs::CertStore>, alpn: &[&[u8]], client_ca: Option<&Path>) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    crate::install_crypto_provider();
    let builder = rustls::ServerConfig::builder();
    let builder = match client_ca {
        Some(path) => {
            let mut roots = rustls::RootCertStore::empty();
            for c in read_certs(path)? {
                roots.add(c)?;
            }
            let verifier = rustls::server::WebPkiClientVerifier::builder(Arc::new(roots))
                .allow_unauthenticated()
                .build()
                .map_err(|e| TlsError::Verifier(e.to_string()))?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let mut config = builder.with_cert_resolver(store);
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(Arc::new(config))
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|source| TlsError::Ca { path: path.to_owned(), source })
}

/// The client configuration for TLS connections Callplane opens (to trunks): Mozilla's
/// roots, plus the certificates in `ca` when given.
/// With `client_cert` (certificate chain and key), Callplane presents it to trunks that
/// ask for one (mutual TLS).
pub fn client_config(ca: Option<&Path>, client_cert: Option<(&Path, &Path)>) -> Result<Arc<rustls::ClientConfig>, TlsError> {
    crate::install_crypto_provider();
    let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    if let Some(path) = ca {
        for c in read_certs(path)? {
            roots.add(c)?;
        }
    }
    let builder = rustls::ClientConfig::builder().with_root_certificates(roots);
    Ok(Arc::new(match client_cert {
        Some((cert, key)) => {
            let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
                .and_then(|it| it.collect::<Result<Vec<_>, _>>())
                .map_err(|source| TlsError::Certificate { path: cert.to_owned(), source })?;
            let key = PrivateKeyDer::from_pem_file(key).map_err(|source| TlsError::Key { path: key.to_owned(), source })?;
            builder.with_client_auth_cert(chain, key)?
        }
        None => builder.with_no_client_auth(),
    }))
}

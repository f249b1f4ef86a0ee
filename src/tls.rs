//! TLS settings shared by SIP over TLS and HTTPS (rustls with ring; no OpenSSL): the
//! server certificate and key from PEM files, and the trust store for connections we open
//! (Mozilla's roots plus an optional CA file of your own).

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
    #[error("--tls-cert and --tls-key go together")]
    Half,
}

/// A server configuration from PEM files (certificate chain, then key), offering `alpn`.
pub fn server_config(cert: &Path, key: &Path, alpn: &[&[u8]]) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    crate::install_crypto_provider();
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|source| TlsError::Certificate { path: cert.to_owned(), source })?;
    if chain.is_empty() {
        return Err(TlsError::Empty { path: cert.to_owned() });
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|source| TlsError::Key { path: key.to_owned(), source })?;
    let mut config = rustls::ServerConfig::builder().with_no_client_auth().with_single_cert(chain, key)?;
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(Arc::new(config))
}

/// The client configuration for TLS connections Callplane opens (to trunks): Mozilla's
/// roots, plus the certificates in `ca` when given.
pub fn client_config(ca: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, TlsError> {
    crate::install_crypto_provider();
    let mut roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    if let Some(path) = ca {
        let certs = CertificateDer::pem_file_iter(path)
            .and_then(|it| it.collect::<Result<Vec<_>, _>>())
            .map_err(|source| TlsError::Ca { path: path.to_owned(), source })?;
        for c in certs {
            roots.add(c)?;
        }
    }
    Ok(Arc::new(rustls::ClientConfig::builder().with_root_certificates(roots).with_no_client_auth()))
}

//! SIP over TLS (RFC 3261 section 26.3.1): the accept loop with handshakes off the accept
//! path, and outgoing connections verified against the trust store. After the handshake a
//! TLS connection is served exactly like a TCP one.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::{TlsAcceptor, TlsConnector};

use super::tcp::run_connection;
use super::{Proto, Transports};

/// A handshake that takes longer than this is abandoned (a peer that connects and says
/// nothing must not hold a task).
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

pub(super) async fn accept_loop(transports: Arc<Transports>, listener: TcpListener, acceptor: TlsAcceptor) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                if !transports.admits_connection(peer) {
                    continue;
                }
                let _ = stream.set_nodelay(true);
                let acceptor = acceptor.clone();
                let transports = transports.clone();
                tokio::spawn(async move {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => {
                            run_connection(transports, tls, peer, Proto::Tls);
                        }
                        Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                });
            }
            Err(e) => {
                tracing::warn!(error = %e, "TLS accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// Opens a TLS connection to `peer`, verifying its certificate for `name` (or for the
/// address itself when no host name is known).
pub(super) async fn connect(
    transports: Arc<Transports>,
    peer: SocketAddr,
    client: Arc<rustls::ClientConfig>,
    name: Option<String>,
) -> std::io::Result<mpsc::Sender<Vec<u8>>> {
    let server_name = match name {
        Some(n) => ServerName::try_from(n).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?,
        None => ServerName::IpAddress(peer.ip().into()),
    };
    let stream = tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(peer))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "TCP connect timed out"))??;
    let _ = stream.set_nodelay(true);
    let tls = tokio::time::timeout(HANDSHAKE_TIMEOUT, TlsConnector::from(client).connect(server_name, stream))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "TLS handshake timed out"))??;
    Ok(run_connection(transports, tls, peer, Proto::Tls))
}

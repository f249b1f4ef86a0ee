//! TCP: accept loop, and for every stream connection (TCP or TLS) one reader and one
//! writer task, framing by Content-Length, CRLF ping/pong (RFC 5626 section 4.4.1), idle
//! reaping.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use super::{Inbound, Proto, Source, TCP_IDLE_TIMEOUT, Transports};
use crate::sip::wire::frame::{Frame, next_frame};

pub(super) async fn accept_loop(transports: Arc<Transports>, listener: TcpListener) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                if !transports.admits_connection(peer) {
                    continue;
                }
                let _ = stream.set_nodelay(true);
                run_connection(transports.clone(), stream, peer, Proto::Tcp);
            }
            Err(e) => {
                tracing::warn!(error = %e, "TCP accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }
}

/// Opens a connection to `peer`; what the peer sends back on it reaches the core too.
pub(super) async fn connect(transports: Arc<Transports>, peer: SocketAddr) -> std::io::Result<mpsc::Sender<Vec<u8>>> {
    let stream = tokio::time::timeout(std::time::Duration::from_secs(5), TcpStream::connect(peer))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "TCP connect timed out"))??;
    let _ = stream.set_nodelay(true);
    Ok(run_connection(transports, stream, peer, Proto::Tcp))
}

/// Serves one stream connection (TCP, or TLS after the handshake); returns its writer.
pub(super) fn run_connection<S>(transports: Arc<Transports>, stream: S, peer: SocketAddr, proto: Proto) -> mpsc::Sender<Vec<u8>>
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    let inbound: Option<Arc<dyn Inbound>> = transports.inbound.get().cloned();
    let (mut reader, mut writer) = tokio::io::split(stream);
    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(256);
    transports.register_stream(proto, peer, tx.clone());
    tokio::spawn(async move {
        while let Some(bytes) = rx.recv().await {
            if writer.write_all(&bytes).await.is_err() {
                break;
            }
        }
        let _ = writer.shutdown().await;
    });
    let pong = tx.clone();
    tokio::spawn(async move {
        let mut buf: Vec<u8> = Vec::with_capacity(4096);
        let mut chunk = vec![0u8; 16 * 1024];
        // Whether the peer (or the network) ended the connection, rather than our idle reaper.
        let mut lost = true;
        'conn: loop {
            let n = match tokio::time::timeout(TCP_IDLE_TIMEOUT, reader.read(&mut chunk)).await {
                Ok(Ok(0)) | Ok(Err(_)) => break,
                Err(_) => {
                    tracing::debug!(%peer, "closing idle TCP connection");
                    lost = false;
                    break;
                }
                Ok(Ok(n)) => n,
            };
            buf.extend_from_slice(&chunk[..n]);
            loop {
                match next_frame(&mut buf) {
                    Ok(Some(Frame::Message(m))) => {
                        if let Some(inbound) = &inbound {
                            if !inbound.admit(peer.ip()) {
                                // Banned meanwhile (or flooding): stop reading this connection.
                                break 'conn;
                            }
                            inbound.clone().on_message(m, Source { addr: peer, proto }, std::time::Instant::now());
                        }
                    }
                    Ok(Some(Frame::Ping)) => {
                        let _ = pong.send(b"\r\n".to_vec()).await;
                    }
                    Ok(Some(Frame::Pong)) => {}
                    Ok(None) => break,
                    Err(e) => {
                        // A stream that cannot be framed cannot be resynchronised: close it.
                        tracing::debug!(%peer, error = %e, "closing TCP connection");
                        break 'conn;
                    }
                }
            }
        }
        transports.forget_stream(proto, &peer);
        if let (true, Some(inbound)) = (lost, inbound) {
            inbound.on_closed(Source { addr: peer, proto });
        }
    });
    tx
}

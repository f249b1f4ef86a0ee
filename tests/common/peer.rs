//! A minimal raw SIP peer over UDP or TCP for wire-level tests: sends exact bytes and
//! reads whole responses.

use std::net::SocketAddr;
use std::time::Duration;

use callplane::sip::wire::frame::{Frame, next_frame};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

pub enum Peer {
    Udp { socket: UdpSocket, target: SocketAddr },
    Tcp { stream: TcpStream, buf: Vec<u8> },
}

impl Peer {
    pub async fn udp(local_ip: &str, target: SocketAddr) -> Peer {
        let socket = UdpSocket::bind((local_ip, 0)).await.expect("bind");
        Peer::Udp { socket, target }
    }

    pub async fn tcp(target: SocketAddr) -> Peer {
        let stream = TcpStream::connect(target).await.expect("connect");
        Peer::Tcp { stream, buf: Vec::new() }
    }

    pub fn local_port(&self) -> u16 {
        match self {
            Peer::Udp { socket, .. } => socket.local_addr().map(|a| a.port()).unwrap_or_default(),
            Peer::Tcp { stream, .. } => stream.local_addr().map(|a| a.port()).unwrap_or_default(),
        }
    }

    pub fn transport(&self) -> &'static str {
        match self {
            Peer::Udp { .. } => "UDP",
            Peer::Tcp { .. } => "TCP",
        }
    }

    pub async fn send(&mut self, bytes: &[u8]) {
        match self {
            Peer::Udp { socket, target } => {
                // Oversized datagrams cannot leave; the test then just sees no answer.
                let _ = socket.send_to(bytes, *target).await;
            }
            Peer::Tcp { stream, .. } => {
                // A closed connection is fine: the server may close after garbage.
                let _ = stream.write_all(bytes).await;
            }
        }
    }

    /// The next message (or TCP keep-alive pong as `\r\n`), or `None` after `wait`.
    pub async fn recv(&mut self, wait: Duration) -> Option<Vec<u8>> {
        match self {
            Peer::Udp { socket, .. } => {
                let mut buf = vec![0u8; 70_000];
                let (n, _) = tokio::time::timeout(wait, socket.recv_from(&mut buf)).await.ok()?.ok()?;
                Some(buf[..n].to_vec())
            }
            Peer::Tcp { stream, buf } => {
                let deadline = tokio::time::Instant::now() + wait;
                loop {
                    if buf.as_slice() == b"\r\n" {
                        buf.clear();
                        return Some(b"\r\n".to_vec());
                    }
                    match next_frame(buf) {
                        Ok(Some(Frame::Message(m))) => return Some(m),
                        Ok(Some(Frame::Pong)) | Ok(Some(Frame::Ping)) => return Some(b"\r\n".to_vec()),
                        Ok(None) => {}
                        Err(_) => return None,
                    }
                    let mut chunk = [0u8; 8192];
                    let n = tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await.ok()?.ok()?;
                    if n == 0 {
                        return None;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
            }
        }
    }

    /// Reads until a message containing `needle` arrives; returns it and what came before.
    pub async fn recv_containing(&mut self, needle: &str, wait: Duration) -> (Option<String>, Vec<String>) {
        let mut before = Vec::new();
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.recv(left).await {
                Some(m) => {
                    let text = String::from_utf8_lossy(&m).into_owned();
                    if text.contains(needle) {
                        return (Some(text), before);
                    }
                    before.push(text);
                }
                None => return (None, before),
            }
        }
    }
}

/// A request with the headers every request needs.
pub fn request(method: &str, ruri: &str, peer: &Peer, call_id: &str, branch: &str, extra: &str) -> String {
    format!(
        "{method} {ruri} SIP/2.0\r\n\
         Via: SIP/2.0/{} 127.0.0.1:{};branch=z9hG4bK{branch};rport\r\n\
         Max-Forwards: 70\r\n\
         From: <sip:1001@127.0.0.1>;tag=t{call_id}\r\n\
         To: <sip:1001@127.0.0.1>\r\n\
         Call-ID: {call_id}\r\n\
         CSeq: 1 {method}\r\n\
         {extra}\
         Content-Length: 0\r\n\r\n",
        peer.transport(),
        peer.local_port()
    )
}

pub fn status_of(response: &str) -> u16 {
    response.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
}

//! Keypresses the relay saw: rtpengine sends one JSON datagram per RFC 4733 telephone-event
//! to the address given by its `--dtmf-log-dest` (for a local rtpengine, a loopback socket
//! of Callplane's); this reads them.

use std::net::SocketAddr;

use serde::Deserialize;

/// One keypress, as the relay reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DtmfReport {
    /// The relay session: the call's id.
    pub session: String,
    /// The tag of the party that sent the event.
    pub source_tag: String,
    pub digit: char,
    pub duration_ms: u32,
}

#[derive(Deserialize)]
struct Datagram {
    callid: String,
    source_tag: String,
    #[serde(rename = "type", default)]
    kind: String,
    event: u8,
    #[serde(default)]
    duration: u32,
}

/// The key an RFC 4733 event code stands for (RFC 4733 section 3.2: 0-9, `*` = 10, `#` =
/// 11, A-D = 12-15); other events (tones, flash) are not keys.
pub fn digit_of(event: u8) -> Option<char> {
    match event {
        0..=9 => Some(char::from(b'0' + event)),
        10 => Some('*'),
        11 => Some('#'),
        12..=15 => Some(char::from(b'A' + event - 12)),
        _ => None,
    }
}

/// A datagram from rtpengine; `None` for anything that is not a keypress.
pub fn parse(datagram: &[u8]) -> Option<DtmfReport> {
    let d: Datagram = serde_json::from_slice(datagram).ok()?;
    if !d.kind.is_empty() && d.kind != "DTMF" {
        return None;
    }
    Some(DtmfReport { session: d.callid, source_tag: d.source_tag, digit: digit_of(d.event)?, duration_ms: d.duration })
}

/// Listens for the relay's DTMF datagrams on `addr`; each keypress goes to `sink`.
pub async fn listen(addr: SocketAddr, sink: tokio::sync::mpsc::UnboundedSender<DtmfReport>) -> std::io::Result<SocketAddr> {
    let socket = tokio::net::UdpSocket::bind(addr).await?;
    let local = socket.local_addr()?;
    tokio::spawn(async move {
        let mut buf = vec![0u8; 4096];
        while let Ok((n, _)) = socket.recv_from(&mut buf).await {
            if let Some(report) = parse(&buf[..n]) {
                if sink.send(report).is_err() {
                    break;
                }
            }
        }
    });
    Ok(local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4733_event_codes() {
        assert_eq!(digit_of(5), Some('5'));
        assert_eq!(digit_of(10), Some('*'));
        assert_eq!(digit_of(11), Some('#'));
        assert_eq!(digit_of(15), Some('D'));
        assert_eq!(digit_of(16), None);
    }

    #[test]
    fn what_rtpengine_sends() {
        let d = br#"{"callid":"c1","source_tag":"ta","tags":["tb","ta"],"type":"DTMF","timestamp":1796136562,"source_ip":"127.0.0.1","event":11,"duration":80,"volume":10}"#;
        assert_eq!(parse(d), Some(DtmfReport { session: "c1".into(), source_tag: "ta".into(), digit: '#', duration_ms: 80 }));
        assert_eq!(parse(b"not json"), None);
        assert_eq!(parse(br#"{"callid":"c1","source_tag":"ta","event":16}"#), None);
    }
}

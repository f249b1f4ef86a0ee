//! RFC 3261 section 18.1.1: a request Callplane sends to a UDP device that is larger than
//! 1300 bytes goes over TCP to the same address instead.

mod common;

use std::time::Duration;

use common::peer::{Peer, request, status_of};
use common::{Backend, TestApp};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_invites_to_a_udp_device_go_over_tcp() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "ip_auth": ["127.0.0.1"]})).await;
    app.create("/api/v1/extensions", json!({"number": "2001", "ip_auth": ["127.0.0.1"]})).await;

    // The device: UDP for its registration, and a TCP listener on the same port.
    let mut device = Peer::udp("127.0.0.1", app.sip_target()).await;
    let port = device.local_port();
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("tcp on the device port");
    let contact = format!("Contact: <sip:2001@127.0.0.1:{port}>\r\n");
    let register = request("REGISTER", "sip:127.0.0.1", &device, "big-reg", "bigreg", &contact).replace("sip:1001@", "sip:2001@");
    device.send(register.as_bytes()).await;
    let ok = device.recv(Duration::from_secs(5)).await.expect("200 to REGISTER");
    assert_eq!(status_of(&String::from_utf8_lossy(&ok)), 200);

    // The caller sends an INVITE with a 1,500-byte SDP over UDP.
    let mut caller = Peer::udp("127.0.0.1", app.sip_target()).await;
    let sdp = format!("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n{}", "a=x-pad:0123456789abcdef\r\n".repeat(60));
    let invite = request("INVITE", "sip:2001@127.0.0.1", &caller, "big-call", "bigcall", &format!("Contact: <sip:1001@127.0.0.1:{}>\r\nContent-Type: application/sdp\r\n", caller.local_port()))
        .replace("Content-Length: 0\r\n\r\n", &format!("Content-Length: {}\r\n\r\n{sdp}", sdp.len()));
    caller.send(invite.as_bytes()).await;

    let (mut stream, _) = tokio::time::timeout(Duration::from_secs(10), listener.accept()).await.expect("Callplane connects over TCP").expect("accept");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk)).await.expect("INVITE bytes").expect("read");
        assert!(n > 0, "connection closed early");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..p]).into_owned();
            let len: usize = head.lines().find_map(|l| l.strip_prefix("Content-Length: ")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
            if buf.len() >= p + 4 + len {
                break p;
            }
        }
    };
    let text = String::from_utf8_lossy(&buf).into_owned();
    assert!(text.starts_with("INVITE sip:2001@127.0.0.1"), "{text}");
    assert!(text.contains("Via: SIP/2.0/TCP"), "the Via names TCP: {text}");
    assert!(text.contains("Max-Forwards: 69"), "the caller's Max-Forwards minus one: {text}");
    assert!(text[head_end..].contains("a=x-pad"), "the SDP passed through unchanged");
    assert!(text.len() > 1300);

    // The device declines over the same connection; the caller hears it.
    let via = text.lines().find(|l| l.starts_with("Via:")).expect("via");
    let pick = |name: &str| text.lines().find(|l| l.starts_with(name)).expect("header").to_owned();
    let busy = format!("SIP/2.0 486 Busy Here\r\n{via}\r\n{}\r\n{};tag=dev\r\n{}\r\n{}\r\nContent-Length: 0\r\n\r\n", pick("From:"), pick("To:"), pick("Call-ID:"), pick("CSeq:"));
    stream.write_all(busy.as_bytes()).await.expect("write 486");
    let (answer, _) = caller.recv_containing("SIP/2.0 486", Duration::from_secs(10)).await;
    assert!(answer.is_some(), "the caller gets 486");
    app.stop().await;
}

/// The trunk quirk `force_tcp_for_large`: on (default) a large INVITE to a UDP trunk goes
/// over TCP; off it stays UDP (for carriers without TCP).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn force_tcp_for_large_decides_the_transport_of_large_invites_to_a_trunk() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "ip_auth": ["127.0.0.1"]})).await;
    let carrier_udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await.expect("udp");
    let port = carrier_udp.local_addr().expect("addr").port();
    let carrier_tcp = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.expect("tcp on the same port");
    let trunk = app.create("/api/v1/trunks", json!({"name": "carrier", "host": "127.0.0.1", "port": port})).await;
    app.create("/api/v1/routes", json!({"prefix": "+", "target": {"kind": "trunk", "id": trunk["id"]}})).await;
    let sdp = format!("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n{}", "a=x-pad:0123456789abcdef\r\n".repeat(60));
    let big_invite = |peer: &Peer, call: &str| {
        request("INVITE", "sip:+15550001111@127.0.0.1", peer, call, call, &format!("Contact: <sip:1001@127.0.0.1:{}>\r\nContent-Type: application/sdp\r\n", peer.local_port()))
            .replace("Content-Length: 0\r\n\r\n", &format!("Content-Length: {}\r\n\r\n{sdp}", sdp.len()))
    };

    // Default: over TCP.
    let mut caller = Peer::udp("127.0.0.1", app.sip_target()).await;
    caller.send(big_invite(&caller, "big-tcp").as_bytes()).await;
    let (stream, _) = tokio::time::timeout(Duration::from_secs(10), carrier_tcp.accept()).await.expect("TCP connection").expect("accept");
    drop(stream);

    // Quirk off: the same INVITE arrives as one UDP datagram.
    let (code, _) = app.patch(&format!("/api/v1/trunks/{}", trunk["id"].as_str().expect("id")), json!({"quirks": {"force_tcp_for_large": false}})).await;
    assert_eq!(code, reqwest::StatusCode::OK);
    let mut caller = Peer::udp("127.0.0.1", app.sip_target()).await;
    caller.send(big_invite(&caller, "big-udp").as_bytes()).await;
    let mut buf = vec![0u8; 65_535];
    let n = tokio::time::timeout(Duration::from_secs(10), carrier_udp.recv(&mut buf)).await.expect("UDP INVITE").expect("recv");
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.starts_with("INVITE sip:+15550001111@127.0.0.1"), "{text}");
    assert!(n > 1300, "the whole large INVITE in one datagram ({n} bytes)");
    app.stop().await;
}

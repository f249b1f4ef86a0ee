//! Wire-level behaviour over real sockets: methods, retransmissions, SHA-256 digest,
//! malformed input and the RFC 4475 corpus over UDP and TCP.

mod common;

use std::time::Duration;

use common::peer::{Peer, request, status_of};
use common::{Backend, TestApp};
use serde_json::json;
use sha2::Digest;

const WAIT: Duration = Duration::from_secs(5);

async fn options_still_answered(peer: &mut Peer, tag: &str) -> Vec<String> {
    let probe = request("OPTIONS", "sip:127.0.0.1", peer, &format!("probe-{tag}"), &format!("probe{tag}"), "");
    peer.send(probe.as_bytes()).await;
    let (answer, before) = peer.recv_containing(&format!("probe-{tag}"), WAIT).await;
    let answer = answer.unwrap_or_else(|| panic!("OPTIONS after {tag} not answered"));
    assert_eq!(status_of(&answer), 200, "{answer}");
    before
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn methods_are_answered_per_rfc3261() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.extension("1001").await;
    for mut peer in [Peer::udp("127.0.0.1", app.sip_target()).await, Peer::tcp(app.sip_target()).await] {
        let cases: [(&str, &str, u16, Option<&str>); 7] = [
            ("OPTIONS", "", 200, Some("Allow:")),
            ("FOO", "", 501, None),
            ("MESSAGE", "", 405, Some("Allow:")),
            ("INVITE", "", 407, Some("Proxy-Authenticate: Digest")),
            ("BYE", "", 481, None),
            ("OPTIONS", "Require: teleportation\r\n", 420, Some("Unsupported: teleportation")),
            ("INVITE", "Max-Forwards: 0\r\n", 483, None),
        ];
        for (i, (method, extra, code, needle)) in cases.iter().enumerate() {
            let call_id = format!("m{i}-{}", peer.transport());
            let mut msg = request(method, "sip:1001@127.0.0.1", &peer, &call_id, &call_id, extra);
            if extra.starts_with("Max-Forwards") {
                msg = msg.replacen("Max-Forwards: 70\r\n", "", 1);
            }
            peer.send(msg.as_bytes()).await;
            let (answer, _) = peer.recv_containing(&call_id, WAIT).await;
            let answer = answer.unwrap_or_else(|| panic!("{method} not answered"));
            assert_eq!(status_of(&answer), *code, "{method} {extra}: {answer}");
            if let Some(n) = needle {
                assert!(answer.contains(n), "{method}: {answer}");
            }
            if *code == 200 {
                assert!(answer.contains("Supported:") && answer.contains("Accept: application/sdp"), "{answer}");
            }
        }
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retransmitted_register_gets_the_same_answer_and_one_binding_write() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "ip_auth": ["127.0.0.1"]})).await;
    let mut events = app.app.state.feed.subscribe();
    let mut peer = Peer::udp("127.0.0.1", app.sip_target()).await;
    let contact = format!("Contact: <sip:1001@127.0.0.1:{}>\r\nExpires: 300\r\n", peer.local_port());
    let register = request("REGISTER", "sip:127.0.0.1", &peer, "retrans-1", "retrans1", &contact);
    peer.send(register.as_bytes()).await;
    let first = peer.recv(WAIT).await.expect("first response");
    peer.send(register.as_bytes()).await;
    let second = peer.recv(WAIT).await.expect("retransmitted response");
    let (first, second) = (String::from_utf8_lossy(&first).into_owned(), String::from_utf8_lossy(&second).into_owned());
    assert_eq!(status_of(&first), 200, "{first}");
    // The 200 is rendered again from the binding (RFC 3261 section 17.2.2 asks for the
    // same answer, not its bytes): every header but the date and the time left is the
    // same, the To tag first of all.
    let comparable = |answer: &str| -> Vec<String> {
        answer
            .lines()
            .filter(|l| !l.starts_with("Date:"))
            .map(|l| match l.split_once(";expires=") {
                Some((contact, _)) if l.starts_with("Contact:") => contact.to_owned(),
                _ => l.to_owned(),
            })
            .collect()
    };
    assert_eq!(comparable(&first), comparable(&second), "{first}\n{second}");
    assert!(first.lines().any(|l| l.starts_with("To:") && l.contains(";tag=")), "{first}");
    let expires = |answer: &str| -> u32 {
        let contact = answer.lines().find(|l| l.starts_with("Contact:")).expect("the binding is listed");
        contact.split(";expires=").nth(1).and_then(|e| e.trim().parse().ok()).expect("expires")
    };
    assert!((expires(&first).saturating_sub(1)..=expires(&first)).contains(&expires(&second)), "{first}\n{second}");
    // Then a new REGISTER removing the binding: its event comes after any the
    // retransmission could have made (the registrar writes them in order).
    let unregister = request("REGISTER", "sip:127.0.0.1", &peer, "retrans-1", "retrans2", &contact.replace("Expires: 300", "Expires: 0")).replace("CSeq: 1 ", "CSeq: 2 ");
    peer.send(unregister.as_bytes()).await;
    assert_eq!(status_of(&String::from_utf8_lossy(&peer.recv(WAIT).await.expect("unregister response"))), 200);
    let mut before_removal = vec![];
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let e = events.recv().await.expect("feed");
            if e.kind == "registration.removed" {
                break;
            }
            if e.kind.starts_with("registration.") {
                before_removal.push(e.kind.clone());
            }
        }
    })
    .await
    .expect("registration.removed");
    assert_eq!(before_removal, ["registration.created"], "the retransmission was not processed again");
    app.stop().await;
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(s: &str) -> String {
    hex(&sha2::Sha256::digest(s.as_bytes()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sha256_digest_registration() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.sip.digest_algorithms = vec!["MD5".into(), "SHA-256".into()])
        .await
        .expect("app");
    app.extension("1001").await;
    let mut peer = Peer::udp("127.0.0.1", app.sip_target()).await;
    let contact = format!("Contact: <sip:1001@127.0.0.1:{}>\r\n", peer.local_port());
    peer.send(request("REGISTER", "sip:127.0.0.1", &peer, "sha-1", "sha1", &contact).as_bytes()).await;
    let challenge = String::from_utf8_lossy(&peer.recv(WAIT).await.expect("401")).into_owned();
    assert_eq!(status_of(&challenge), 401);
    let line = challenge.lines().find(|l| l.starts_with("WWW-Authenticate:") && l.contains("SHA-256")).expect("a SHA-256 challenge");
    assert!(line.contains("qop=\"auth\""));
    let nonce = line.split("nonce=\"").nth(1).and_then(|r| r.split('"').next()).expect("nonce");
    let ha1 = sha256("1001:callplane:correct horse battery");
    let ha2 = sha256("REGISTER:sip:127.0.0.1");
    let response = sha256(&format!("{ha1}:{nonce}:00000001:c0ffee:auth:{ha2}"));
    let auth = format!(
        "{contact}Authorization: Digest username=\"1001\", realm=\"callplane\", nonce=\"{nonce}\", uri=\"sip:127.0.0.1\", \
         response=\"{response}\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"c0ffee\"\r\n"
    );
    peer.send(request("REGISTER", "sip:127.0.0.1", &peer, "sha-1", "sha2", &auth).replace("CSeq: 1", "CSeq: 2").as_bytes()).await;
    let ok = String::from_utf8_lossy(&peer.recv(WAIT).await.expect("200")).into_owned();
    assert_eq!(status_of(&ok), 200, "{ok}");
    // Replaying the same nonce count is refused.
    peer.send(request("REGISTER", "sip:127.0.0.1", &peer, "sha-1", "sha3", &auth).replace("CSeq: 1", "CSeq: 3").as_bytes()).await;
    let replay = String::from_utf8_lossy(&peer.recv(WAIT).await.expect("403")).into_owned();
    assert_eq!(status_of(&replay), 403, "{replay}");
    app.stop().await;
}

fn malformed(peer: &Peer) -> Vec<(&'static str, Vec<u8>)> {
    let ok = request("OPTIONS", "sip:127.0.0.1", peer, "bad-base", "badbase", "");
    let mut cases: Vec<(&'static str, Vec<u8>)> = vec![
        ("binary junk", vec![0xff, 0x00, 0x13, 0x37, 0xfe, 0x80, b'\r', b'\n', b'\r', b'\n']),
        ("missing Via", ok.lines().filter(|l| !l.starts_with("Via:")).collect::<Vec<_>>().join("\r\n").into_bytes()),
        ("invalid CSeq", ok.replace("CSeq: 1 OPTIONS", "CSeq: one OPTIONS").into_bytes()),
        ("CSeq method mismatch", ok.replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE").into_bytes()),
        ("negative Content-Length", ok.replace("Content-Length: 0", "Content-Length: -3").into_bytes()),
        ("two Content-Lengths", ok.replace("Content-Length: 0", "Content-Length: 0\r\nContent-Length: 4").into_bytes()),
        ("request line only", b"OPTIONS sip:127.0.0.1 SIP/2.0\r\n\r\n".to_vec()),
    ];
    let mut truncated = ok.into_bytes();
    truncated.truncate(truncated.len() / 2);
    truncated.extend_from_slice(b"\r\n\r\n");
    cases.push(("truncated", truncated));
    if let Peer::Tcp { .. } = peer {
        let ok = request("OPTIONS", "sip:127.0.0.1", peer, "bad-long", "badlong", "");
        cases.push(("64 KiB header line", ok.replace("Max-Forwards: 70", &format!("X-Long: {}", "a".repeat(64 * 1024))).into_bytes()));
    }
    if let Peer::Udp { .. } = peer {
        let ok = request("OPTIONS", "sip:127.0.0.1", peer, "bad-cl", "badcl", "");
        cases.push(("Content-Length larger than the datagram", ok.replace("Content-Length: 0", "Content-Length: 500").into_bytes()));
    }
    cases
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_messages_get_400_or_are_dropped_and_the_server_lives_on() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    for transport in ["udp", "tcp"] {
        let probe_peer = if transport == "udp" { Peer::udp("127.0.0.1", app.sip_target()).await } else { Peer::tcp(app.sip_target()).await };
        for (i, (name, bytes)) in malformed(&probe_peer).into_iter().enumerate() {
            // A fresh TCP connection per case: the server may close a stream it cannot frame.
            let mut peer = if transport == "udp" { Peer::udp("127.0.0.1", app.sip_target()).await } else { Peer::tcp(app.sip_target()).await };
            let bytes = String::from_utf8_lossy(&bytes).replace(&format!(":{};", probe_peer.local_port()), &format!(":{};", peer.local_port())).into_bytes();
            peer.send(&bytes).await;
            let mut fresh = if transport == "udp" { peer } else { Peer::tcp(app.sip_target()).await };
            let before = options_still_answered(&mut fresh, &format!("{transport}{i}")).await;
            for other in before {
                assert!(other == "\r\n" || status_of(&other) == 400, "{name} over {transport}: {other}");
            }
        }
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_ack_is_dropped_not_answered() {
    // RFC 3261 section 17.2.1: no response is ever sent to an ACK, however it is broken.
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    for mut peer in [Peer::udp("127.0.0.1", app.sip_target()).await, Peer::tcp(app.sip_target()).await] {
        let ack = request("ACK", "sip:127.0.0.1", &peer, "bad-ack", "badack", "").replace("CSeq: 1 ACK", "CSeq: ACK");
        peer.send(ack.as_bytes()).await;
        let before = options_still_answered(&mut peer, "after-bad-ack").await;
        assert!(before.is_empty(), "the ACK was answered: {before:?}");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crlf_keepalive_ping_gets_a_pong() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let mut peer = Peer::tcp(app.sip_target()).await;
    peer.send(b"\r\n\r\n").await;
    assert_eq!(peer.recv(WAIT).await.as_deref(), Some(&b"\r\n"[..]));
    options_still_answered(&mut peer, "after-ping").await;
    app.stop().await;
}

fn rfc4475() -> Vec<(String, String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rfc4475");
    std::fs::read_to_string(format!("{dir}/index.tsv"))
        .expect("index")
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0].to_owned(), c[1].to_owned(), std::fs::read(format!("{dir}/{}.dat", c[0])).expect("message"))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rfc4475_torture_messages_over_udp_and_tcp() {
    for transport in ["udp", "tcp"] {
        // A server per transport: the same message sent again would be a retransmission.
        let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
        for (name, class, bytes) in rfc4475() {
            let mut peer = if transport == "udp" { Peer::udp("127.0.0.1", app.sip_target()).await } else { Peer::tcp(app.sip_target()).await };
            peer.send(&bytes).await;
            let is_request = !bytes.starts_with(b"SIP/");
            // Valid requests get an answer that is not 400; read it before probing. Over UDP
            // the answers go where each message's Via says (RFC 3261 section 18.2.2), hosts
            // and ports of the RFC's examples, so the classes are checked over TCP, where
            // answers come back on the connection; over UDP the server must just live on.
            if class == "valid" && is_request && transport == "tcp" {
                let answer = peer.recv(WAIT).await.map(|m| String::from_utf8_lossy(&m).into_owned());
                let answer = answer.unwrap_or_else(|| panic!("{name} (valid) over {transport}: no answer"));
                let code = status_of(&answer);
                assert!(code != 400 && code >= 200, "{name} (valid) over {transport}: {answer}");
                if name == "intmeth" {
                    assert_eq!(code, 501);
                }
            }
            // Stream framing may wait for a body that never comes (clerr): probe on a new connection.
            let mut probe = if transport == "udp" { peer } else { Peer::tcp(app.sip_target()).await };
            let before = options_still_answered(&mut probe, &format!("{transport}-{name}")).await;
            if class == "invalid" && transport == "tcp" {
                for other in before {
                    let code = status_of(&other);
                    assert!(code == 400 || code == 505, "{name} (invalid) over {transport}: {other}");
                }
            }
        }
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registrations_for_foreign_domains_are_forbidden() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.sip.domains = vec!["pbx.example".into()]).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "ip_auth": ["127.0.0.1"]})).await;
    let mut peer = Peer::udp("127.0.0.1", app.sip_target()).await;
    let contact = format!("Contact: <sip:1001@127.0.0.1:{}>\r\n", peer.local_port());
    let foreign = request("REGISTER", "sip:127.0.0.1", &peer, "dom-1", "dom1", &contact);
    peer.send(foreign.as_bytes()).await;
    let answer = String::from_utf8_lossy(&peer.recv(WAIT).await.expect("answer")).into_owned();
    assert_eq!(status_of(&answer), 403, "{answer}");
    let local = request("REGISTER", "sip:pbx.example", &peer, "dom-2", "dom2", &contact).replace("@127.0.0.1>", "@pbx.example>");
    peer.send(local.as_bytes()).await;
    let answer = String::from_utf8_lossy(&peer.recv(WAIT).await.expect("answer")).into_owned();
    assert_eq!(status_of(&answer), 200, "{answer}");
    app.stop().await;
}

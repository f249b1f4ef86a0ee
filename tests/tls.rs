//! SIP over TLS and HTTPS with a certificate made in the test (rcgen): baresip registers
//! and calls over TLS, the API answers over HTTPS, a plain-TCP client on the TLS port is
//! refused without harming the listener.

mod common;

use std::path::Path;
use std::time::Duration;

use common::baresip::Phone;
use common::{Backend, TestApp, wait_for};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A CA and a server certificate for 127.0.0.1 and localhost, as PEM files in `dir`.
fn make_certificates(dir: &Path) {
    let ca_key = rcgen::KeyPair::generate().expect("ca key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "Callplane test CA");
    let ca = ca_params.self_signed(&ca_key).expect("ca");
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate().expect("key");
    let params = rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).expect("params");
    let cert = params.signed_by(&key, &issuer).expect("certificate");
    std::fs::write(dir.join("ca.pem"), ca.pem()).expect("write ca");
    std::fs::write(dir.join("cert.pem"), cert.pem()).expect("write cert");
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).expect("write key");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_register_and_call_over_tls_and_the_api_answers_over_https() {
    let certs = tempfile::tempdir().expect("tempdir");
    make_certificates(certs.path());
    let dir = certs.path().to_owned();
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.tls.cert = Some(dir.join("cert.pem"));
        c.tls.key = Some(dir.join("key.pem"));
        c.sip_tls_listen = Some("127.0.0.1:0".parse().expect("addr"));
        c.https_listen = Some("127.0.0.1:0".parse().expect("addr"));
    })
    .await
    .expect("app");
    let tls_addr = app.app.sip_tls_addr.expect("SIP over TLS listens");
    let https_addr = app.app.https_addr.expect("HTTPS listens");

    // HTTPS, verified against the test CA (no OpenSSL anywhere: rustls on both sides).
    let ca = reqwest::Certificate::from_pem(&std::fs::read(certs.path().join("ca.pem")).expect("ca")).expect("ca pem");
    let client = reqwest::Client::builder().add_root_certificate(ca).build().expect("client");
    let resp = client
        .get(format!("https://localhost:{}/api/v1/status", https_addr.port()))
        .bearer_auth(&app.admin)
        .send()
        .await
        .expect("HTTPS request");
    assert_eq!(resp.status(), reqwest::StatusCode::OK);

    // A plain-TCP client speaking SIP to the TLS port is refused: the connection closes.
    let mut plain = tokio::net::TcpStream::connect(tls_addr).await.expect("connect");
    plain
        .write_all(b"OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-x\r\nContent-Length: 0\r\n\r\n")
        .await
        .expect("write");
    let mut buf = vec![0u8; 1024];
    let n = tokio::time::timeout(Duration::from_secs(15), async {
        let mut total = 0;
        loop {
            match plain.read(&mut buf).await {
                Ok(0) | Err(_) => return total,
                Ok(n) => total += n,
            }
        }
    })
    .await
    .expect("the server closed the plain connection");
    assert!(!String::from_utf8_lossy(&buf[..n.min(buf.len())]).contains("SIP/2.0"), "no SIP answer over plain TCP");

    // baresip registers over TLS (trusting the test CA) and calls a second TLS phone.
    app.create("/api/v1/extensions", json!({"number": "1001", "password": "tls-secret-1001"})).await;
    app.create("/api/v1/extensions", json!({"number": "1002", "password": "tls-secret-1002"})).await;
    let mut bus = app.app.state.feed.subscribe();
    let ca_line = format!("sip_cafile {}\n", certs.path().join("ca.pem").display());
    let target = std::net::SocketAddr::from(([127, 0, 0, 1], tls_addr.port()));
    let callee = Phone::start_on(target, "tls", &ca_line, "1002", "tls-secret-1002", 25100);
    let reg = wait_for(&mut bus, "registration.created").await;
    assert_eq!(reg.data["aor"], "1002");
    assert_eq!(reg.data["transport"], "tls");
    let caller = Phone::start_on(target, "tls", &ca_line, "1001", "tls-secret-1001", 25200);
    let reg = wait_for(&mut bus, "registration.created").await;
    assert_eq!(reg.data["aor"], "1001");
    assert_eq!(reg.data["transport"], "tls");

    caller.command("dial", "1002").await;
    let answered = wait_for(&mut bus, "call.answered").await;
    assert_eq!(answered.data["callee"], "1002");
    // Hang up once the caller holds the answer (under load the command could otherwise
    // overtake the 200 on its way to the phone).
    caller.wait_established().await;
    caller.command("hangup", "").await;
    let ended = wait_for(&mut bus, "call.ended").await;
    assert_eq!(ended.data["code"], 200);
    assert_eq!(ended.data["hangup_side"], "caller");
    drop(callee);
    drop(caller);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trunk_to_another_office_runs_over_verified_tls() {
    use common::sipp::{SippCmd, Transport, free_port};
    let certs = tempfile::tempdir().expect("tempdir");
    make_certificates(certs.path());
    let dir = certs.path().to_owned();
    // Office B serves TLS; office A trusts the test CA for the trunks it calls.
    let b = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.tls.cert = Some(dir.join("cert.pem"));
        c.tls.key = Some(dir.join("key.pem"));
        c.sip_tls_listen = Some("127.0.0.1:0".parse().expect("addr"));
    })
    .await
    .expect("office B");
    let ca = certs.path().join("ca.pem");
    let a = TestApp::spawn_with(Backend::Sqlite, |c| c.tls.ca = Some(ca)).await.expect("office A");
    let b_tls = b.app.sip_tls_addr.expect("B listens on TLS");

    a.create("/api/v1/extensions", json!({"number": "101", "password": "office-phone-pw"})).await;
    let trunk = a
        .create("/api/v1/trunks", json!({"name": "office-b", "host": "127.0.0.1", "port": b_tls.port(), "transport": "tls"}))
        .await;
    a.create("/api/v1/routes", json!({"prefix": "2", "target": {"kind": "trunk", "id": trunk["id"]}})).await;
    b.create("/api/v1/extensions", json!({"number": "201", "ip_auth": ["127.0.0.1"]})).await;
    b.create("/api/v1/trunks", json!({"name": "office-a", "host": "127.0.0.1"})).await;
    let phone_201 = free_port("127.0.0.1", Transport::Udp);
    let reg = SippCmd::new("register_without_auth.xml", b.sip_target(), phone_201).arg("-s").arg("201").run().await;
    assert!(reg.success, "{}", reg.log);

    let mut on_b = b.app.state.feed.subscribe();
    let callee = SippCmd::new("uas_answer.xml", b.sip_target(), phone_201).spawn();
    let caller = SippCmd::new("uac_call.xml", a.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .arg("-s").arg("201").key("caller", "101").arg("-au").arg("101").arg("-ap").arg("office-phone-pw")
        .run()
        .await;
    assert!(caller.success, "{}", caller.log);
    let r = callee.wait().await;
    assert!(r.success, "{}", r.log);
    let created = wait_for(&mut on_b, "call.created").await;
    assert_eq!(created.data["caller"], "101");
    let ended = wait_for(&mut on_b, "call.ended").await;
    assert_eq!(ended.data["code"], 200);
    // The call reached B on its TLS port, from A's TLS connection.
    let (_, status) = a.get(&format!("/api/v1/trunks/{}/status", trunk["id"].as_str().expect("id"))).await;
    assert_eq!(status["name"], "office-b");
    a.stop().await;
    b.stop().await;
}

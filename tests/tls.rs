//! SIP over TLS and HTTPS with a certificate made in the test (rcgen): baresip registers
//! and calls over TLS, the API answers over HTTPS, a plain-TCP client on the TLS port is
//! refused without harming the listener; a certificate per server name (SNI), renewed on
//! disk and served without a restart; client certificates both ways (mutual TLS).

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
    // B also checks the client certificates peers present against the test CA (mutual
    // TLS); A presents one the test CA signed.
    let (client_ca, leaves, _) = issue(&["office-a.test"]);
    std::fs::write(dir.join("client-ca.pem"), &client_ca).expect("write");
    std::fs::write(dir.join("office-a.pem"), &leaves[0].0).expect("write");
    std::fs::write(dir.join("office-a.key"), &leaves[0].1).expect("write");
    let b = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.tls.cert = Some(dir.join("cert.pem"));
        c.tls.key = Some(dir.join("key.pem"));
        c.tls.client_ca = Some(dir.join("client-ca.pem"));
        c.sip_tls_listen = Some("127.0.0.1:0".parse().expect("addr"));
    })
    .await
    .expect("office B");
    let ca = certs.path().join("ca.pem");
    let (a_ca, a_cert, a_key) = (ca.clone(), dir.join("office-a.pem"), dir.join("office-a.key"));
    let a = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.tls.ca = Some(a_ca);
        c.tls.client_cert = Some(a_cert);
        c.tls.client_key = Some(a_key);
    })
    .await
    .expect("office A");
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

/// A CA, and leaf certificates it signs for `names` (one each), as (ca, [(cert pem, key pem, der)]).
fn issue(names: &[&str]) -> (String, Vec<(String, String, Vec<u8>)>, rcgen::Issuer<'static, rcgen::KeyPair>) {
    let ca_key = rcgen::KeyPair::generate().expect("ca key");
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "Callplane names CA");
    let ca = ca_params.self_signed(&ca_key).expect("ca");
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaves = names.iter().map(|n| leaf(&issuer, n)).collect();
    (ca.pem(), leaves, issuer)
}

fn leaf(issuer: &rcgen::Issuer<'static, rcgen::KeyPair>, name: &str) -> (String, String, Vec<u8>) {
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = rcgen::CertificateParams::new(vec![name.to_owned()]).expect("params").signed_by(&key, issuer).expect("leaf");
    (cert.pem(), key.serialize_pem(), cert.der().to_vec())
}

/// Opens TLS to `addr` asking for `name` (SNI), trusting `ca`, presenting `client` (cert
/// and key PEM) when given; sends OPTIONS and returns the certificate the server showed and
/// whether a SIP answer came back.
async fn tls_client(addr: std::net::SocketAddr, name: &str, ca: &str, client: Option<(&str, &str)>) -> (Vec<u8>, bool) {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(rustls::pki_types::CertificateDer::from_pem_slice(ca.as_bytes()).expect("ca")).expect("root");
    let builder = rustls::ClientConfig::builder().with_root_certificates(roots);
    let config = match client {
        Some((cert, key)) => builder
            .with_client_auth_cert(vec![rustls::pki_types::CertificateDer::from_pem_slice(cert.as_bytes()).expect("cert")], rustls::pki_types::PrivateKeyDer::from_pem_slice(key.as_bytes()).expect("key"))
            .expect("client cert"),
        None => builder.with_no_client_auth(),
    };
    let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let server_name = rustls::pki_types::ServerName::try_from(name.to_owned()).expect("name");
    let mut tls = connector.connect(server_name, tcp).await.expect("handshake");
    let shown = tls.get_ref().1.peer_certificates().and_then(|c| c.first()).map(|c| c.to_vec()).unwrap_or_default();
    let options = format!("OPTIONS sip:{name} SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:9;branch=z9hG4bK-{}\r\nMax-Forwards: 70\r\nFrom: <sip:probe@{name}>;tag=1\r\nTo: <sip:{name}>\r\nCall-ID: tls-{}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", rand_tag(), rand_tag());
    let mut answered = false;
    if tls.write_all(options.as_bytes()).await.is_ok() {
        let mut buf = vec![0u8; 2048];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(5), tls.read(&mut buf)).await {
            answered = String::from_utf8_lossy(&buf[..n]).starts_with("SIP/2.0 ");
        }
    }
    (shown, answered)
}

fn rand_tag() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(7)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_name_gets_its_certificate_renewals_serve_without_restart_and_client_certificates_are_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let certs = dir.path().join("certs");
    std::fs::create_dir_all(certs.join("b.test")).expect("dirs");
    let (ca, leaves, issuer) = issue(&["a.test", "b.test", "trunk.test"]);
    // a.test flat, b.test in certbot's layout.
    std::fs::write(certs.join("a.test.crt"), &leaves[0].0).expect("write");
    std::fs::write(certs.join("a.test.key"), &leaves[0].1).expect("write");
    std::fs::write(certs.join("b.test/fullchain.pem"), &leaves[1].0).expect("write");
    std::fs::write(certs.join("b.test/privkey.pem"), &leaves[1].1).expect("write");
    std::fs::write(dir.path().join("ca.pem"), &ca).expect("write");
    let (cert_dir, client_ca) = (certs.clone(), dir.path().join("ca.pem"));
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.tls.cert_dir = Some(cert_dir);
        c.tls.client_ca = Some(client_ca);
        c.sip_tls_listen = Some("127.0.0.1:0".parse().expect("addr"));
    })
    .await
    .expect("app");
    let addr = app.app.sip_tls_addr.expect("SIP over TLS listens");
    let (_, listed) = app.get("/api/v1/tls/certificates").await;
    assert_eq!(listed, json!({"names": ["a.test", "b.test"], "default": false}));
    // Each name its own certificate.
    assert_eq!(tls_client(addr, "a.test", &ca, None).await.0, leaves[0].2, "a.test");
    assert_eq!(tls_client(addr, "b.test", &ca, None).await.0, leaves[1].2, "b.test");
    // a.test renewed on disk: new connections get the new one, without a restart.
    let renewed = leaf(&issuer, "a.test");
    std::fs::write(certs.join("a.test.key"), &renewed.1).expect("write");
    std::fs::write(certs.join("a.test.crt"), &renewed.0).expect("write");
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while tls_client(addr, "a.test", &ca, None).await.0 != renewed.2 {
        assert!(std::time::Instant::now() < deadline, "the renewed certificate was never served");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let (status, reloaded) = app.post("/api/v1/tls/certificates/reload", json!({})).await;
    assert_eq!((status, reloaded["names"].clone()), (reqwest::StatusCode::OK, json!(["a.test", "b.test"])));
    // Mutual TLS: a peer with a certificate from the trusted CA is served, one without a
    // certificate too (a phone), one whose certificate another CA signed is not.
    let peer = &leaves[2];
    assert!(tls_client(addr, "a.test", &ca, Some((&peer.0, &peer.1))).await.1, "a trusted client certificate");
    assert!(tls_client(addr, "a.test", &ca, None).await.1, "no client certificate");
    let (_, strangers, _) = issue(&["stranger.test"]);
    assert!(!tls_client(addr, "a.test", &ca, Some((&strangers[0].0, &strangers[0].1))).await.1, "an untrusted client certificate is refused");
    app.stop().await;
}

//! RFC 3263 for trunks with a real DNS server (dnsmasq on loopback) publishing NAPTR, SRV
//! and A records for `carrier.test`, whose two servers are sipp registrars: the trunk
//! registers to the preferred one, moves to the other when it stops answering or answers
//! 503, and returns to the preferred one once the DNS answers expire (their TTL is 3 s);
//! a call moves to the next server when the first answers 503.

mod common;

use std::time::Duration;

use common::office::assert_all;
use common::sipp::{SippCmd, Transport, free_port};
use serde_json::json;

/// dnsmasq serving the carrier's records on a free port of 127.0.0.1.
struct Dns {
    child: std::process::Child,
    port: u16,
}

impl Dns {
    fn start(primary: u16, secondary: u16) -> Dns {
        let port = free_port("127.0.0.1", Transport::Udp);
        let child = std::process::Command::new("dnsmasq")
            .args(["--no-daemon", "--no-resolv", "--no-hosts", "--bind-interfaces", "--listen-address=127.0.0.1", "--local-ttl=3"])
            .arg(format!("--port={port}"))
            .arg("--naptr-record=carrier.test,10,10,S,SIP+D2U,,_sip._udp.carrier.test")
            .arg(format!("--srv-host=_sip._udp.carrier.test,sip1.carrier.test,{primary},10,50"))
            .arg(format!("--srv-host=_sip._udp.carrier.test,sip2.carrier.test,{secondary},20,50"))
            .args(["--host-record=sip1.carrier.test,127.0.0.1", "--host-record=sip2.carrier.test,127.0.0.1"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("dnsmasq is installed (scripts/test installs dnsmasq-base)");
        Dns { child, port }
    }
}

impl Drop for Dns {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn registrar(app: &common::TestApp, port: u16, status: &str) -> common::sipp::SippChild {
    SippCmd::new("registrar_answer.xml", app.sip_target(), port).substitute("STATUS_LINE", status).spawn()
}

/// The next `trunk.status_changed` whose target is on `port` (and, with `state`, in it).
async fn status_on(events: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<callplane::events::Event>>, port: u16, state: &str) -> serde_json::Value {
    let mut seen = Vec::new();
    loop {
        let e = tokio::time::timeout(Duration::from_secs(30), events.recv()).await.unwrap_or_else(|_| panic!("no status on {port} {state}: {seen:?}")).expect("bus");
        if e.kind == "trunk.status_changed" {
            seen.push(e.data.clone());
        }
        let on_port = e.data["target"].as_str().is_some_and(|t| t.contains(&format!(":{port} ")));
        if e.kind == "trunk.status_changed" && on_port && e.data["state"] == state {
            return e.data.clone();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trunk_follows_naptr_and_srv_fails_over_and_returns() {
    let (primary, secondary) = (free_port("127.0.0.1", Transport::Udp), free_port("127.0.0.1", Transport::Udp));
    let dns = Dns::start(primary, secondary);
    let app = common::TestApp::spawn_with(common::Backend::Sqlite, |c| c.sip.dns_servers = vec![std::net::SocketAddr::from(([127, 0, 0, 1], dns.port))]).await.expect("app");
    let mut events = app.app.state.feed.subscribe();
    let first = registrar(&app, primary, "200 OK");
    let backup = SippCmd::new("registrar_answer.xml", app.sip_target(), secondary).substitute("STATUS_LINE", "200 OK").arg("-m").arg("20").spawn();
    // No port, no transport: the carrier's DNS decides (NAPTR → SRV → A). A new Call-ID
    // for every REGISTER: a sipp registrar takes a Call-ID it answered for a finished call.
    let trunk = app
        .create("/api/v1/trunks", json!({"name": "carrier", "host": "carrier.test", "register": true, "username": "4420", "password": "line-Pass1", "quirks": {"register_same_call_id": false}}))
        .await;
    assert!(trunk.get("port").is_none() && trunk.get("transport").is_none(), "{trunk}");
    let id = trunk["id"].as_str().expect("id").to_owned();
    let registered = status_on(&mut events, primary, "registered").await;
    assert!(registered["target"].as_str().is_some_and(|t| t.starts_with("sip1.carrier.test:") && t.contains("(UDP 127.0.0.1:")), "{registered}");
    assert_all(&[&first.wait().await]);
    // The preferred server stops answering: after 5 s of silence the trunk moves on.
    let moved = status_on(&mut events, secondary, "registered").await;
    let (_, status) = app.get(&format!("/api/v1/trunks/{id}/status")).await;
    let note = status["target_note"].as_str().unwrap_or_default().to_owned();
    assert!(note.contains("moved from sip1.carrier.test") && note.contains("(no answer)") && note.contains("to sip2.carrier.test"), "{status} {moved}");
    // The DNS answers expire (3 s): the next refresh tries the preferred server again,
    // which now answers 503: on to the next at once.
    let refusing = registrar(&app, primary, "503 Service Unavailable");
    assert_all(&[&refusing.wait().await]);
    let moved = status_on(&mut events, secondary, "registered").await;
    let (_, status) = app.get(&format!("/api/v1/trunks/{id}/status")).await;
    assert!(status["target_note"].as_str().is_some_and(|n| n.contains("(503)")), "{status} {moved}");
    // Once they expire again, the preferred server (answering now) has the trunk back.
    let back = registrar(&app, primary, "200 OK");
    let returned = status_on(&mut events, primary, "registered").await;
    assert_all(&[&back.wait().await]);
    let (_, status) = app.get(&format!("/api/v1/trunks/{id}/status")).await;
    assert!(status["target_note"].as_str().is_some_and(|n| n.starts_with("back to sip1.carrier.test")), "{status} {returned}");
    app.stop().await;
    drop(backup);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_through_a_trunk_moves_to_the_next_server_when_one_answers_503() {
    let (primary, secondary) = (free_port("127.0.0.1", Transport::Udp), free_port("127.0.0.1", Transport::Udp));
    let dns = Dns::start(primary, secondary);
    let app = common::TestApp::spawn_with(common::Backend::Sqlite, |c| c.sip.dns_servers = vec![std::net::SocketAddr::from(([127, 0, 0, 1], dns.port))]).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": "phone-a-Pass1"})).await;
    let trunk = app.create("/api/v1/trunks", json!({"name": "carrier", "host": "carrier.test"})).await;
    app.create("/api/v1/routes", json!({"prefix": "0", "target": {"kind": "trunk", "id": trunk["id"]}})).await;
    // The preferred server is out of service; the second answers.
    let out_of_service = SippCmd::new("uas_carrier_503.xml", app.sip_target(), primary).spawn();
    let answering = SippCmd::new("uas_answer.xml", app.sip_target(), secondary).spawn();
    let caller = SippCmd::caller("uac_call.xml", app.sip_target(), "1001", "phone-a-Pass1", "02071234567").run().await;
    assert_all(&[&caller, &out_of_service.wait().await, &answering.wait().await]);
    let (_, status) = app.get(&format!("/api/v1/trunks/{}/status", trunk["id"].as_str().unwrap_or_default())).await;
    assert!(status["target"].as_str().is_some_and(|t| t.starts_with("sip2.carrier.test:")), "{status}");
    assert!(status["target_note"].as_str().is_some_and(|n| n.contains("(503)")), "{status}");
    app.stop().await;
}

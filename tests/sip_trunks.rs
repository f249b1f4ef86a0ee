//! Trunks that register to a carrier: Kamailio (Debian package) plays the carrier
//! registrar with digest authentication.

mod common;

use std::sync::Arc;
use std::time::Duration;

use callplane::events::Event;
use common::kamailio::Kamailio;
use common::{Backend, TestApp};
use serde_json::json;
use tokio::sync::broadcast;

/// Kamailio as the carrier (tests/kamailio/carrier.cfg).
struct Carrier;

impl Carrier {
    /// Kamailio as a registrar for `user`/`password` on UDP and TCP `port`.
    fn start(port: u16, user: &str, password: &str) -> Kamailio {
        Self::start_with_uas(port, user, password, 9)
    }

    /// Also relays INVITEs (after a 407 challenge) to a UAS on `uas_port`.
    fn start_with_uas(port: u16, user: &str, password: &str, uas_port: u16) -> Kamailio {
        Kamailio::start(
            "carrier.cfg",
            &[("__PORT__", port.to_string()), ("__USER__", user.to_owned()), ("__PASSWORD__", password.to_owned()), ("__UAS_PORT__", uas_port.to_string())],
        )
    }
}

/// A port free for both UDP and TCP.
fn free_port() -> u16 {
    for _ in 0..50 {
        let port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port");
}

async fn trunk_state(rx: &mut broadcast::Receiver<Arc<Event>>, state: &str) -> Arc<Event> {
    tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match rx.recv().await {
                Ok(e) if e.kind == "trunk.status_changed" && e.data["state"] == state => return e,
                Ok(_) => {}
                Err(e) => panic!("bus: {e}"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("trunk never became {state}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trunk_registers_to_kamailio_and_reports_status() {
    let port = free_port();
    let _carrier = Carrier::start(port, "4420", "carrier-pw");
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let mut events = app.app.state.feed.subscribe();
    let trunk = app
        .create("/api/v1/trunks", json!({"name": "carrier", "host": "127.0.0.1", "port": port, "register": true,
                                          "username": "4420", "password": "carrier-pw", "expires_s": 120}))
        .await;
    let id = trunk["id"].as_str().expect("id").to_owned();
    let registered = trunk_state(&mut events, "registered").await;
    assert_eq!(registered.data["trunk_id"], id.as_str());
    let (_, status) = app.get(&format!("/api/v1/trunks/{id}/status")).await;
    let mut later = Vec::new();
    while let Ok(e) = events.try_recv() {
        later.push(format!("{} {}", e.kind, e.data));
    }
    assert_eq!(status["state"], "registered", "{later:?}");
    assert_eq!(status["last_response"], "200 OK");
    assert!(status["registered_until"].is_string());

    // A wrong password: the change re-registers at once and fails with the carrier's answer.
    let (code, _) = app.patch(&format!("/api/v1/trunks/{id}"), json!({"password": "wrong"})).await;
    assert_eq!(code, reqwest::StatusCode::OK);
    let failed = trunk_state(&mut events, "failed").await;
    assert!(failed.data["last_response"].as_str().unwrap_or_default().starts_with("401"), "{}", failed.data);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn carrier_down_then_back() {
    let port = free_port();
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let mut events = app.app.state.feed.subscribe();
    // TCP to a port where nothing listens: the carrier is down.
    let trunk = app
        .create("/api/v1/trunks", json!({"name": "carrier", "host": "127.0.0.1", "port": port, "transport": "tcp",
                                          "register": true, "username": "4420", "password": "carrier-pw"}))
        .await;
    let failed = trunk_state(&mut events, "failed").await;
    assert!(failed.data["last_response"].as_str().unwrap_or_default().contains("no answer"), "{}", failed.data);
    let (_, status) = app.get(&format!("/api/v1/trunks/{}/status", trunk["id"].as_str().expect("id"))).await;
    assert_eq!(status["state"], "failed");
    assert!(status["next_attempt_at"].is_string());

    // The carrier comes back: the next retry registers.
    let _carrier = Carrier::start(port, "4420", "carrier-pw");
    let registered = trunk_state(&mut events, "registered").await;
    assert_eq!(registered.data["name"], "carrier");
    app.stop().await;
}

use common::office::{CALLER_PW, caller as uac_with};

fn uac(app: &TestApp, dialed: &str) -> common::sipp::SippCmd {
    uac_with(app, "uac_call.xml", dialed)
}


#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbound_calls_use_the_route_trunk_with_credentials_and_fail_over() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
    let broken_port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let good_port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let broken = app.create("/api/v1/trunks", json!({"name": "broken", "host": "127.0.0.1", "port": broken_port})).await;
    let good = app
        .create("/api/v1/trunks", json!({"name": "good", "host": "127.0.0.1", "port": good_port, "username": "4420", "password": "carrier-pw",
                                         "caller_id": {"number": "442071234567", "display_name": "Main Office"}}))
        .await;
    app.create("/api/v1/routes", json!({"prefix": "0", "priority": 10, "strip": 1, "prepend": "+44", "target": {"kind": "trunk", "id": broken["id"]}})).await;
    app.create("/api/v1/routes", json!({"prefix": "0", "priority": 20, "strip": 1, "prepend": "+44", "target": {"kind": "trunk", "id": good["id"]}})).await;

    let out_of_service = common::sipp::SippCmd::new("uas_carrier_503.xml", app.sip_target(), broken_port).spawn();
    let carrier = common::sipp::SippCmd::new("uas_carrier.xml", app.sip_target(), good_port).spawn();
    let caller = uac(&app, "02071234567").run().await;
    assert!(caller.success, "{}", caller.log);
    for c in [out_of_service, carrier] {
        let r = c.wait().await;
        assert!(r.success, "{}", r.log);
        assert!(!r.log.contains("INVITE sip:02071234567"), "the route rewrote the number");
    }
    if let Some(sip) = &app.app.state.sip {
        sip.b2bua.cdrs.flush().await;
    }
    let (_, cdrs) = app.get("/api/v1/cdrs").await;
    assert_eq!(cdrs["items"][0]["trunk"], "good", "{cdrs}");
    assert_eq!(cdrs["items"][0]["final_callee"], "+442071234567");
    assert_eq!(cdrs["items"][0]["disposition"], "answered");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inbound_tel_uri_calls_from_a_carrier_reach_the_inbound_destination() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "2001", "ip_auth": ["127.0.0.1"]})).await;
    let trunk = app
        .create("/api/v1/trunks", json!({"name": "ims", "host": "127.0.0.2", "inbound_match": {"kind": "source", "cidrs": ["127.0.0.2/32"]},
                                          "inbound_destination": "2001"}))
        .await;
    let phone_port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let r = common::sipp::SippCmd::new("register_without_auth.xml", app.sip_target(), phone_port).arg("-s").arg("2001").run().await;
    assert!(r.success, "{}", r.log);
    let phone = common::sipp::SippCmd::new("uas_answer.xml", app.sip_target(), phone_port).spawn();
    // The carrier sends from 127.0.0.2 with tel: URIs.
    let carrier_port = common::sipp::free_port("127.0.0.2", common::sipp::Transport::Udp);
    let carrier = common::sipp::SippCmd::new("uac_carrier_tel.xml", app.sip_target(), carrier_port)
        .arg("-i")
        .arg("127.0.0.2")
        .arg("-s")
        .arg("+442071234567")
        .run()
        .await;
    assert!(carrier.success, "{}", carrier.log);
    assert!(phone.wait().await.success);
    if let Some(sip) = &app.app.state.sip {
        sip.b2bua.cdrs.flush().await;
    }
    let (_, cdrs) = app.get("/api/v1/cdrs").await;
    assert_eq!(cdrs["items"][0]["caller"], "+15551234567");
    assert_eq!(cdrs["items"][0]["final_callee"], "2001");
    assert_eq!(cdrs["items"][0]["trunk"], "ims");

    // With accept_tel_uri off the same call is refused with 416.
    let (code, _) = app.patch(&format!("/api/v1/trunks/{}", trunk["id"].as_str().expect("id")), json!({"quirks": {"accept_tel_uri": false}})).await;
    assert_eq!(code, reqwest::StatusCode::OK);
    let carrier_port = common::sipp::free_port("127.0.0.2", common::sipp::Transport::Udp);
    let refused = common::sipp::SippCmd::new("uac_carrier_tel_refused.xml", app.sip_target(), carrier_port)
        .arg("-i")
        .arg("127.0.0.2")
        .arg("-s")
        .arg("+442071234567")
        .run()
        .await;
    assert!(refused.success, "{}", refused.log);
    app.stop().await;
}

/// Waits for a trunk status with `state` whose answer contains `needle`.
async fn trunk_answer(rx: &mut broadcast::Receiver<Arc<Event>>, state: &str, needle: &str) -> Arc<Event> {
    tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match rx.recv().await {
                Ok(e) if e.kind == "trunk.status_changed"
                    && e.data["state"] == state
                    && e.data["last_response"].as_str().unwrap_or_default().contains(needle) => return e,
                Ok(_) => {}
                Err(e) => panic!("bus: {e}"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("trunk never became {state} with {needle}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quirk_register_same_call_id_cures_the_invalid_cseq_registrar() {
    let port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let carrier = common::sipp::SippCmd::new("carrier_invalid_cseq.xml", app.sip_target(), port).arg("-m").arg("3").spawn();
    let mut events = app.app.state.feed.subscribe();
    // RFC behaviour (quirk default): the retry keeps the Call-ID and the carrier refuses it.
    let trunk = app
        .create("/api/v1/trunks", json!({"name": "picky", "host": "127.0.0.1", "port": port, "register": true,
                                          "username": "4420", "password": "carrier-pw"}))
        .await;
    let failed = trunk_answer(&mut events, "failed", "Invalid CSeq").await;
    assert_eq!(failed.data["last_response"], "400 Bad Request; P-Registrar-Error: Invalid CSeq number");
    // With the quirk, every REGISTER gets a new Call-ID: the carrier accepts it.
    let (code, _) = app
        .patch(&format!("/api/v1/trunks/{}", trunk["id"].as_str().expect("id")), json!({"quirks": {"register_same_call_id": false}}))
        .await;
    assert_eq!(code, reqwest::StatusCode::OK);
    trunk_state(&mut events, "registered").await;
    drop(carrier);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quirk_request_uri_params_adds_user_phone_for_ims_carriers() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
    let port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let trunk = app.create("/api/v1/trunks", json!({"name": "ims", "host": "127.0.0.1", "port": port})).await;
    app.create("/api/v1/routes", json!({"prefix": "+", "target": {"kind": "trunk", "id": trunk["id"]}})).await;

    // Without the parameter the carrier answers 404.
    let carrier = common::sipp::SippCmd::new("carrier_requires_user_phone.xml", app.sip_target(), port).spawn();
    let caller = uac_with(&app, "uac_expect_404.xml", "+442071234567").run().await;
    assert!(caller.success, "{}", caller.log);
    assert!(carrier.wait().await.success);

    // With `request_uri_params: user=phone` the call goes through.
    let (code, _) = app.patch(&format!("/api/v1/trunks/{}", trunk["id"].as_str().expect("id")), json!({"quirks": {"request_uri_params": "user=phone"}})).await;
    assert_eq!(code, reqwest::StatusCode::OK);
    let carrier = common::sipp::SippCmd::new("carrier_requires_user_phone.xml", app.sip_target(), port).spawn();
    let caller = uac(&app, "+442071234567").run().await;
    assert!(caller.success, "{}", caller.log);
    let r = carrier.wait().await;
    assert!(r.success, "{}", r.log);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quirk_no_answer_timeout_cancels_and_tries_the_next_trunk() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
    let silent_port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let backup_port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let silent = app.create("/api/v1/trunks", json!({"name": "rings-forever", "host": "127.0.0.1", "port": silent_port, "quirks": {"no_answer_timeout_s": 5}})).await;
    let backup = app.create("/api/v1/trunks", json!({"name": "backup", "host": "127.0.0.1", "port": backup_port})).await;
    app.create("/api/v1/routes", json!({"prefix": "00", "priority": 1, "target": {"kind": "trunk", "id": silent["id"]}})).await;
    app.create("/api/v1/routes", json!({"prefix": "00", "priority": 2, "target": {"kind": "trunk", "id": backup["id"]}})).await;
    let ringing = common::sipp::SippCmd::new("uas_ring_until_cancel.xml", app.sip_target(), silent_port).spawn();
    let answering = common::sipp::SippCmd::new("uas_answer.xml", app.sip_target(), backup_port).spawn();
    let caller = uac(&app, "0033123456").run().await;
    assert!(caller.success, "{}", caller.log);
    for c in [ringing, answering] {
        let r = c.wait().await;
        assert!(r.success, "{}", r.log);
    }
    if let Some(sip) = &app.app.state.sip {
        sip.b2bua.cdrs.flush().await;
    }
    let (_, cdrs) = app.get("/api/v1/cdrs").await;
    assert_eq!(cdrs["items"][0]["trunk"], "backup");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quirk_disable_100rel_cures_a_carrier_that_refuses_prack() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
    let port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let trunk = app.create("/api/v1/trunks", json!({"name": "prack-hater", "host": "127.0.0.1", "port": port})).await;
    app.create("/api/v1/routes", json!({"prefix": "9", "target": {"kind": "trunk", "id": trunk["id"]}})).await;

    // 100rel offered (default): the carrier's reliable 183 is PRACKed, it answers 405, the call fails.
    let carrier = common::sipp::SippCmd::new("carrier_broken_100rel.xml", app.sip_target(), port).spawn();
    let caller = uac_with(&app, "uac_expect_500.xml", "9123").run().await;
    assert!(caller.success, "{}", caller.log);
    let r = carrier.wait().await;
    assert!(r.success, "{}", r.log);

    // disable_100rel: no 100rel offered, the carrier answers normally.
    let (code, _) = app.patch(&format!("/api/v1/trunks/{}", trunk["id"].as_str().expect("id")), json!({"quirks": {"disable_100rel": true}})).await;
    assert_eq!(code, reqwest::StatusCode::OK);
    let carrier = common::sipp::SippCmd::new("carrier_broken_100rel.xml", app.sip_target(), port).spawn();
    let caller = uac(&app, "9123").run().await;
    assert!(caller.success, "{}", caller.log);
    let r = carrier.wait().await;
    assert!(r.success, "{}", r.log);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outbound_call_reaches_a_phone_behind_kamailio() {
    let port = free_port();
    let uas_port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let _carrier = Carrier::start_with_uas(port, "4420", "carrier-pw", uas_port);
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
    let mut events = app.app.state.feed.subscribe();
    let trunk = app
        .create("/api/v1/trunks", json!({"name": "kamailio", "host": "127.0.0.1", "port": port, "register": true,
                                          "username": "4420", "password": "carrier-pw"}))
        .await;
    app.create("/api/v1/routes", json!({"prefix": "0", "target": {"kind": "trunk", "id": trunk["id"]}})).await;
    trunk_state(&mut events, "registered").await;
    let far_end = common::sipp::SippCmd::new("uas_answer.xml", app.sip_target(), uas_port).spawn();
    let caller = uac(&app, "0123456").run().await;
    assert!(caller.success, "{}", caller.log);
    let r = far_end.wait().await;
    assert!(r.success, "{}", r.log);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_trunk_keepalive_reports_up_and_down() {
    let port = free_port();
    let _peer = Carrier::start(port, "unused", "unused");
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let mut events = app.app.state.feed.subscribe();
    let up = app.create("/api/v1/trunks", json!({"name": "office-b", "host": "127.0.0.1", "port": port, "transport": "tcp", "keepalive_s": 5})).await;
    let e = trunk_state(&mut events, "up").await;
    assert_eq!(e.data["trunk_id"], up["id"]);
    // A peer where nothing listens (TCP refused at once) is down.
    let dead = free_port();
    app.create("/api/v1/trunks", json!({"name": "office-c", "host": "127.0.0.1", "port": dead, "transport": "tcp", "keepalive_s": 5})).await;
    let e = trunk_state(&mut events, "down").await;
    assert_eq!(e.data["name"], "office-c");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inbound_calls_to_a_registered_line_are_matched_by_its_contact_user() {
    let port = free_port();
    let _carrier = Carrier::start(port, "4420", "carrier-pw");
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "2001", "ip_auth": ["127.0.0.1"]})).await;
    let mut events = app.app.state.feed.subscribe();
    app.create("/api/v1/trunks", json!({"name": "line", "host": "127.0.0.1", "port": port, "register": true,
                                         "username": "4420", "password": "carrier-pw", "inbound_destination": "2001"}))
        .await;
    trunk_state(&mut events, "registered").await;
    let phone_port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let r = common::sipp::SippCmd::new("register_without_auth.xml", app.sip_target(), phone_port).arg("-s").arg("2001").run().await;
    assert!(r.success, "{}", r.log);
    let phone = common::sipp::SippCmd::new("uas_answer.xml", app.sip_target(), phone_port).spawn();
    // The carrier calls the registered contact (sip:4420@…); To carries the DID, which no
    // route knows, so the call goes to the inbound destination.
    let carrier_port = common::sipp::free_port("127.0.0.2", common::sipp::Transport::Udp);
    let carrier = common::sipp::SippCmd::new("uac_carrier_tel.xml", app.sip_target(), carrier_port)
        .arg("-i")
        .arg("127.0.0.2")
        .arg("-s")
        .arg("+442071234567")
        .substitute("INVITE tel:[service]", "INVITE sip:4420@[remote_ip]:[remote_port]")
        .substitute("To: <tel:[service]>", "To: <sip:[service]@carrier.test>")
        .run()
        .await;
    assert!(carrier.success, "{}", carrier.log);
    assert!(phone.wait().await.success);
    if let Some(sip) = &app.app.state.sip {
        sip.b2bua.cdrs.flush().await;
    }
    let (_, cdrs) = app.get("/api/v1/cdrs").await;
    assert_eq!(cdrs["items"][0]["trunk"], "line");
    assert_eq!(cdrs["items"][0]["dialed"], "+442071234567", "the DID");
    assert_eq!(cdrs["items"][0]["final_callee"], "2001");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_uri_params_stay_off_for_carriers_that_refuse_them() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
    let port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let trunk = app
        .create("/api/v1/trunks", json!({"name": "plain", "host": "127.0.0.1", "port": port, "quirks": {"request_uri_params": "user=phone"}}))
        .await;
    app.create("/api/v1/routes", json!({"prefix": "+", "target": {"kind": "trunk", "id": trunk["id"]}})).await;
    // Set where it does not belong, the parameter makes this carrier refuse the call...
    let carrier = common::sipp::SippCmd::new("carrier_refuses_user_phone.xml", app.sip_target(), port).spawn();
    let caller = uac_with(&app, "uac_expect_400.xml", "+15551230000").run().await;
    assert!(caller.success, "{}", caller.log);
    assert!(carrier.wait().await.success);
    // ...and the default (empty) lets it through.
    let (code, _) = app.patch(&format!("/api/v1/trunks/{}", trunk["id"].as_str().expect("id")), json!({"quirks": {"request_uri_params": ""}})).await;
    assert_eq!(code, reqwest::StatusCode::OK);
    let carrier = common::sipp::SippCmd::new("carrier_refuses_user_phone.xml", app.sip_target(), port).spawn();
    let caller = uac(&app, "+15551230000").run().await;
    assert!(caller.success, "{}", caller.log);
    assert!(carrier.wait().await.success);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trunk_call_limit_and_daily_toll_fraud_limit_refuse_calls() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW, "daily_trunk_calls": 1})).await;
    let port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let trunk = app.create("/api/v1/trunks", json!({"name": "metered", "host": "127.0.0.1", "port": port, "max_calls": 1})).await;
    assert_eq!(trunk["max_calls"], 1);
    app.create("/api/v1/routes", json!({"prefix": "00", "target": {"kind": "trunk", "id": trunk["id"]}})).await;
    let mut bus = app.app.state.feed.subscribe();

    // Call 1 rings at the carrier and holds the trunk's only call (the caller cancels
    // after 5 s).
    let carrier = common::sipp::SippCmd::new("uas_ring_until_cancel.xml", app.sip_target(), port).spawn();
    let first = uac_with(&app, "uac_cancel.xml", "0044123456")
        .substitute("<recv response=\"180\"/>", "<recv response=\"180\"/>\n  <pause milliseconds=\"5000\"/>")
        // sipp numbers branches by message index: the pause shifts the CANCEL's and ACK's.
        .substitute("branch=[branch-6]", "branch=[branch-7]")
        .substitute("branch=[branch-3]", "branch=[branch-4]");
    let first = first.spawn();
    common::wait_for(&mut bus, "call.ringing").await;

    // Call 2 meanwhile: the trunk is full.
    let second = uac_with(&app, "uac_expect_500.xml", "0044123457")
        .substitute("<recv response=\"500\"/>", "<recv response=\"503\"/>")
        .run()
        .await;
    assert!(second.success, "{}", second.log);
    let r = first.wait().await;
    assert!(r.success, "{}", r.log);
    assert!(carrier.wait().await.success);

    // Call 3 with the trunk free again: 1001 used its one call through a trunk today.
    let third = uac_with(&app, "uac_expect_403.xml", "0044123458").run().await;
    assert!(third.success, "{}", third.log);
    app.stop().await;
}

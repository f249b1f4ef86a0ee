//! Dialogs through proxies that stay in the path (RFC 3261 section 12, RFC 3327): a
//! carrier's SBC (Kamailio) record-routes and hides a far end whose Contact cannot be
//! reached directly, so the far end gets ACK and BYE only if Callplane follows the route
//! set; an edge proxy in front of Callplane adds Path and Record-Route for phones.

mod common;

use common::kamailio::Kamailio;
use common::sipp::{SippCmd, Transport, free_port};
use common::{Backend, TestApp};
use serde_json::{Value, json};

const CALLER_PW: &str = "caller-secret-1";
const CARRIER_PW: &str = "carrier-pw";

/// Callplane with caller 1001 (digest), phone extension 2001, and a trunk to a
/// record-routing SBC on 127.0.0.3 whose far end listens on the returned port.
struct CarrierBehindSbc {
    app: TestApp,
    sbc: Kamailio,
    sbc_addr: std::net::SocketAddr,
    far_port: u16,
}

impl CarrierBehindSbc {
    async fn start() -> CarrierBehindSbc {
        let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
        app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
        app.create("/api/v1/extensions", json!({"number": "2001", "ip_auth": ["127.0.0.1"]})).await;
        let sbc_port = free_port("127.0.0.3", Transport::Udp);
        let far_port = free_port("127.0.0.1", Transport::Udp);
        let sbc_addr: std::net::SocketAddr = format!("127.0.0.3:{sbc_port}").parse().expect("addr");
        let sbc = Kamailio::start(
            "sbc.cfg",
            &[
                ("__IP__", "127.0.0.3".into()),
                ("__PORT__", sbc_port.to_string()),
                ("__PBX_PORT__", app.sip_target().port().to_string()),
                ("__FAR_PORT__", far_port.to_string()),
                ("__PASSWORD__", CARRIER_PW.into()),
            ],
        );
        sbc.wait_ready(sbc_addr).await;
        let trunk = app
            .create(
                "/api/v1/trunks",
                json!({"name": "sbc", "host": "127.0.0.3", "port": sbc_port, "username": "4420", "password": CARRIER_PW,
                       "inbound_match": {"kind": "source", "cidrs": ["127.0.0.3/32"]}, "inbound_destination": "2001"}),
            )
            .await;
        app.create("/api/v1/routes", json!({"prefix": "0", "target": {"kind": "trunk", "id": trunk["id"]}})).await;
        CarrierBehindSbc { app, sbc, sbc_addr, far_port }
    }

    /// Phone 2001 registered from a fresh port, where `scenario` then answers.
    async fn phone(&self, scenario: &str) -> common::sipp::SippChild {
        let port = free_port("127.0.0.1", Transport::Udp);
        let r = SippCmd::new("register_without_auth.xml", self.app.sip_target(), port).arg("-s").arg("2001").run().await;
        assert!(r.success, "{}", r.log);
        SippCmd::new(scenario, self.app.sip_target(), port).spawn()
    }

    /// Caller 1001 dials an outside number through the SBC with `caller`; the far end
    /// plays `far`. Both scenarios must complete.
    async fn outbound(&self, caller: &str, far: &str) {
        let far = SippCmd::new(far, self.sbc_addr, self.far_port).spawn();
        let caller = SippCmd::caller(caller, self.app.sip_target(), "1001", CALLER_PW, "02071234567").run().await;
        let far = far.wait().await;
        assert!(caller.success, "caller: {}\n{}", caller.log, self.sbc.log());
        assert!(far.success, "far end: {}\n{}", far.log, self.sbc.log());
    }

    /// The far end calls the DID through the SBC with `far`; phone 2001 plays `phone`.
    async fn inbound(&self, far: &str, phone: &str) {
        let phone = self.phone(phone).await;
        let far = SippCmd::new(far, self.sbc_addr, self.far_port).arg("-s").arg("2001").run().await;
        let phone = phone.wait().await;
        assert!(far.success, "far end: {}\n{}", far.log, self.sbc.log());
        assert!(phone.success, "phone: {}", phone.log);
    }

    async fn last_cdr(&self) -> Value {
        if let Some(sip) = &self.app.app.state.sip {
            sip.b2bua.cdrs.flush().await;
        }
        let (_, cdrs) = self.app.get("/api/v1/cdrs").await;
        let items = cdrs["items"].as_array().expect("items");
        items.last().cloned().expect("a CDR")
    }

    async fn assert_no_live_calls(&self) {
        let (_, calls) = self.app.get("/api/v1/calls").await;
        assert_eq!(calls["total"], 0, "no leaked call: {calls}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbound_call_through_a_record_routing_sbc_reaches_the_far_end_with_ack_and_bye() {
    let t = CarrierBehindSbc::start().await;
    t.outbound("uac_call.xml", "far_uas_answer.xml").await;
    let cdr = t.last_cdr().await;
    assert_eq!(cdr["disposition"], "answered", "{cdr}");
    assert_eq!(cdr["hangup_side"], "caller", "{cdr}");
    t.assert_no_live_calls().await;

    t.outbound("uac_call_callee_hangs_up.xml", "far_uas_answer_then_hang_up.xml").await;
    assert_eq!(t.last_cdr().await["hangup_side"], "callee");
    t.assert_no_live_calls().await;

    // CANCEL before the answer follows the INVITE's path.
    t.outbound("uac_cancel.xml", "uas_ring_until_cancel.xml").await;
    assert_eq!(t.last_cdr().await["disposition"], "cancelled");
    t.assert_no_live_calls().await;
    t.app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inbound_call_through_a_record_routing_sbc_sends_bye_back_through_it() {
    let t = CarrierBehindSbc::start().await;
    // The phone hangs up: Callplane's BYE to the far end must go through the SBC.
    t.inbound("far_uac_call.xml", "uas_answer_then_hang_up.xml").await;
    let cdr = t.last_cdr().await;
    assert_eq!(cdr["trunk"], "sbc", "{cdr}");
    assert_eq!(cdr["hangup_side"], "callee", "{cdr}");
    t.assert_no_live_calls().await;

    // The far end hangs up through the SBC; its ACK came that way too.
    t.inbound("far_uac_call_hang_up.xml", "uas_answer.xml").await;
    assert_eq!(t.last_cdr().await["hangup_side"], "caller");
    t.assert_no_live_calls().await;
    t.app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_behind_an_edge_proxy_register_with_path_and_calls_follow_the_route_set() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": "phone-a-Pass1"})).await;
    app.create("/api/v1/extensions", json!({"number": "1002", "password": "phone-b-Pass2"})).await;
    let edge_port = free_port("127.0.0.4", Transport::Udp);
    let edge_addr: std::net::SocketAddr = format!("127.0.0.4:{edge_port}").parse().expect("addr");
    let edge = Kamailio::start(
        "edge.cfg",
        &[("__IP__", "127.0.0.4".into()), ("__PORT__", edge_port.to_string()), ("__PBX_PORT__", app.sip_target().port().to_string())],
    );
    edge.wait_ready(edge_addr).await;
    let mut events = app.app.state.feed.subscribe();
    let a = common::baresip::Phone::start_via(&app, edge_addr, "1001", "phone-a-Pass1", 32000);
    let b = common::baresip::Phone::start_via(&app, edge_addr, "1002", "phone-b-Pass2", 32100);
    common::wait_for(&mut events, "registration.created").await;
    common::wait_for(&mut events, "registration.created").await;

    // Each binding keeps the edge's Path (with the phone's address) and its source is the edge.
    let (_, regs) = app.get("/api/v1/registrations").await;
    let items = regs["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{regs}");
    for r in items {
        let path = r["path"].as_array().expect("path stored with the binding");
        assert_eq!(path.len(), 1, "{r}");
        assert!(path[0].as_str().expect("uri").starts_with(&format!("sip:127.0.0.4:{edge_port};lr")), "{r}");
        assert!(r["source"].as_str().expect("source").starts_with("127.0.0.4:"), "{r}");
    }

    for hangs_up in ["caller", "callee"] {
        a.command("dial", "1002").await;
        common::wait_for(&mut events, "call.answered").await;
        a.wait_established().await;
        b.wait_established().await;
        let phone = if hangs_up == "caller" { &a } else { &b };
        phone.command("hangup", "").await;
        let ended = common::wait_for(&mut events, "call.ended").await;
        assert_eq!(ended.data["hangup_side"], hangs_up, "{}", edge.log());
        // The other phone got Callplane's BYE through the edge: it has no call left.
        let other = if hangs_up == "caller" { &b } else { &a };
        other.wait_idle().await;
    }
    let log = edge.log();
    assert!(!log.contains("refused"), "something bypassed the edge:\n{log}");
    let (_, calls) = app.get("/api/v1/calls").await;
    assert_eq!(calls["total"], 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_with_a_route_naming_callplane_are_handled_here() {
    // A phone with Callplane as a pre-loaded loose route (RFC 3261 section 8.1.2): the
    // INVITE carries `Route: <sip:callplane;lr>`; the call goes through as any other.
    let office = common::office::Office::start().await;
    let phone = office.phone("1002", "uas_answer.xml").await;
    let route = format!("Max-Forwards: 70\n      Route: <sip:{};lr>\n      Content-Type", office.app.sip_target());
    let caller = office.caller("uac_call.xml", "1002").substitute("Max-Forwards: 70\n      Content-Type", &route).run().await;
    common::office::assert_all(&[&caller, &phone.wait().await]);
    assert!(caller.log.contains("Route: <sip:"), "the INVITE carried the Route");
    office.assert_no_live_calls().await;
    office.stop().await;
}

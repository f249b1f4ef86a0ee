//! Two Callplane instances connected by peer trunks and prefix routes: office A has
//! extensions 1xx, office B 2xx; each dials the other through its trunk.

mod common;

use common::sipp::{SippCmd, Transport, free_port};
use common::{Backend, TestApp};
use serde_json::json;

const PW: &str = "office-phone-pw";

async fn office(app: &TestApp, own: &str, other_name: &str, other: &TestApp, other_prefix: &str) {
    app.create("/api/v1/extensions", json!({"number": own, "password": PW})).await;
    let trunk = app
        .create("/api/v1/trunks", json!({"name": other_name, "host": "127.0.0.1", "port": other.sip_target().port()}))
        .await;
    app.create("/api/v1/routes", json!({"prefix": other_prefix, "target": {"kind": "trunk", "id": trunk["id"]}})).await;
}

/// Registers `number` with digest from a fresh port; returns the port for its UAS.
async fn register(app: &TestApp, number: &str) -> u16 {
    let port = free_port("127.0.0.1", Transport::Udp);
    let r = SippCmd::new("register_digest.xml", app.sip_target(), port).arg("-s").arg(number).arg("-ap").arg(PW).run().await;
    assert!(r.success, "{}", r.log);
    port
}

async fn call(from_app: &TestApp, caller: &str, dialed: &str, to_app: &TestApp, callee_port: u16) {
    let callee = SippCmd::new("uas_answer.xml", to_app.sip_target(), callee_port).spawn();
    let caller_run = SippCmd::new("uac_call.xml", from_app.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .arg("-s")
        .arg(dialed)
        .key("caller", caller)
        .arg("-au")
        .arg(caller)
        .arg("-ap")
        .arg(PW)
        .run()
        .await;
    assert!(caller_run.success, "{}", caller_run.log);
    let r = callee.wait().await;
    assert!(r.success, "{}", r.log);
}

async fn last_cdr(app: &TestApp) -> serde_json::Value {
    if let Some(sip) = &app.app.state.sip {
        sip.b2bua.cdrs.flush().await;
    }
    let (_, cdrs) = app.get("/api/v1/cdrs").await;
    cdrs["items"].as_array().and_then(|a| a.last().cloned()).expect("a CDR")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offices_call_each_other_through_peer_trunks() {
    let a = TestApp::spawn(Backend::Sqlite).await.expect("office A");
    let b = TestApp::spawn(Backend::Sqlite).await.expect("office B");
    office(&a, "101", "office-b", &b, "2").await;
    office(&b, "201", "office-a", &a, "1").await;
    let phone_101 = register(&a, "101").await;
    let phone_201 = register(&b, "201").await;

    // A's 101 calls B's 201.
    call(&a, "101", "201", &b, phone_201).await;
    let on_a = last_cdr(&a).await;
    let on_b = last_cdr(&b).await;
    assert_eq!(on_a["trunk"], "office-b");
    assert_eq!(on_a["disposition"], "answered");
    assert_eq!(on_b["trunk"], "office-a");
    assert_eq!(on_b["caller"], "101");
    assert_eq!(on_b["final_callee"], "201");

    // And back: B's 201 calls A's 101.
    call(&b, "201", "101", &a, phone_101).await;
    assert_eq!(last_cdr(&b).await["trunk"], "office-a");
    assert_eq!(last_cdr(&a).await["final_callee"], "101");

    for app in [&a, &b] {
        let (_, calls) = app.get("/api/v1/calls").await;
        assert_eq!(calls["total"], 0);
    }
    a.stop().await;
    b.stop().await;
}


#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baresip_phones_in_two_offices_call_each_other() {
    let a = TestApp::spawn(Backend::Sqlite).await.expect("office A");
    let b = TestApp::spawn(Backend::Sqlite).await.expect("office B");
    office(&a, "101", "office-b", &b, "2").await;
    office(&b, "201", "office-a", &a, "1").await;
    let mut events_a = a.app.state.feed.subscribe();
    let mut events_b = b.app.state.feed.subscribe();
    let phone_101 = common::baresip::Phone::start(&a, "101", PW, 32000);
    let phone_201 = common::baresip::Phone::start(&b, "201", PW, 32100);
    common::wait_for(&mut events_a, "registration.created").await;
    common::wait_for(&mut events_b, "registration.created").await;

    for (caller, callee, dialed, from, to) in [(&phone_101, "201", "201", &a, &b), (&phone_201, "101", "101", &b, &a)] {
        let (events_from, events_to) = if std::ptr::eq(from, &a) { (&mut events_a, &mut events_b) } else { (&mut events_b, &mut events_a) };
        caller.command("dial", dialed).await;
        common::wait_for(events_to, "call.answered").await;
        common::wait_for(events_from, "call.answered").await;
        caller.wait_established().await;
        caller.command("hangup", "").await;
        let ended = common::wait_for(events_from, "call.ended").await;
        assert_eq!(ended.data["hangup_side"], "caller");
        common::wait_for(events_to, "call.ended").await;
        let cdr_to = last_cdr(to).await;
        assert_eq!(cdr_to["final_callee"], callee);
        assert!(cdr_to["trunk"].as_str().unwrap_or_default().starts_with("office-"), "{cdr_to}");
        assert!(last_cdr(from).await["trunk"].as_str().unwrap_or_default().starts_with("office-"));
    }
    drop(phone_101);
    drop(phone_201);
    a.stop().await;
    b.stop().await;
}

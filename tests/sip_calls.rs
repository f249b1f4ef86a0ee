//! Calls through the B2BUA with sipp as caller (UAC) and as phones (UAS): basic calls,
//! forking with CANCEL and a late answer, forwarding announced by 181 + Call-Info, loops,
//! redirects, CDRs and events.

mod common;

use std::sync::Arc;
use std::time::Duration;

use callplane::events::Event;
use common::sipp::{SippCmd, Transport, free_port};
use common::{Backend, TestApp};
use serde_json::{Value, json};
use tokio::sync::broadcast;

use common::office::{CALLER_PW, answers, call, caller as uac};

async fn setup() -> TestApp {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
    app
}

/// Creates extension `number` (IP-authenticated from 127.0.0.1) with `forwarding`.
async fn phone_extension(app: &TestApp, number: &str, forwarding: Value) {
    app.create("/api/v1/extensions", json!({"number": number, "ip_auth": ["127.0.0.1"], "forwarding": forwarding})).await;
}

/// Registers `number` from a fresh local port and returns the port (a UAS runs there next).
async fn register_device(app: &TestApp, number: &str) -> u16 {
    let port = free_port("127.0.0.1", Transport::Udp);
    let r = SippCmd::new("register_without_auth.xml", app.sip_target(), port).arg("-s").arg(number).run().await;
    assert!(r.success, "{}", r.log);
    port
}



async fn events_until_ended(rx: &mut broadcast::Receiver<Arc<Event>>) -> Vec<Arc<Event>> {
    let mut seen = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match rx.recv().await {
                Ok(e) if e.kind.starts_with("call.") => {
                    let done = e.kind == "call.ended";
                    seen.push(e);
                    if done {
                        return;
                    }
                }
                Ok(_) => {}
                Err(e) => panic!("bus: {e}"),
            }
        }
    })
    .await
    .expect("call.ended");
    seen
}

async fn cdrs(app: &TestApp) -> Vec<Value> {
    // The CDR writer is asynchronous: flush it before reading.
    if let Some(sip) = &app.app.state.sip {
        sip.b2bua.cdrs.flush().await;
    }
    let (_, body) = app.get("/api/v1/cdrs").await;
    body["items"].as_array().expect("items").clone()
}

async fn assert_no_live_calls(app: &TestApp) {
    let (_, calls) = app.get("/api/v1/calls").await;
    assert_eq!(calls["total"], 0, "no leaked call: {calls}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_call_caller_hangs_up_then_callee_hangs_up() {
    let app = setup().await;
    phone_extension(&app, "2001", json!({})).await;
    let mut events = app.app.state.feed.subscribe();

    let port = register_device(&app, "2001").await;
    call(uac(&app, "uac_call.xml", "2001"), vec![answers(&app, port, "uas_answer.xml")]).await;
    let kinds: Vec<String> = events_until_ended(&mut events).await.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(kinds, ["call.created", "call.ringing", "call.answered", "call.ended"]);

    call(uac(&app, "uac_call_callee_hangs_up.xml", "2001"), vec![answers(&app, port, "uas_answer_then_hang_up.xml")]).await;
    let ended = events_until_ended(&mut events).await.pop().expect("ended");
    assert_eq!(ended.data["hangup_side"], "callee");

    let cdrs = cdrs(&app).await;
    assert_eq!(cdrs.len(), 2);
    assert_eq!(cdrs[0]["caller"], "1001");
    assert_eq!(cdrs[0]["dialed"], "2001");
    assert_eq!(cdrs[0]["final_callee"], "2001");
    assert_eq!(cdrs[0]["disposition"], "answered");
    assert_eq!(cdrs[0]["hangup_side"], "caller");
    assert!(cdrs[0]["duration_s"].as_f64().expect("duration") >= 0.4);
    assert_eq!(cdrs[1]["hangup_side"], "callee");
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forking_rings_every_device_cancels_the_others_and_ends_a_late_answer() {
    let app = setup().await;
    app.create("/api/v1/extensions", json!({"number": "2001", "ip_auth": ["127.0.0.1"], "max_contacts": 3})).await;
    let desk = register_device(&app, "2001").await;
    let mobile = register_device(&app, "2001").await;
    let soft = register_device(&app, "2001").await;
    let mut events = app.app.state.feed.subscribe();
    call(uac(&app, "uac_call.xml", "2001"), vec![answers(&app, desk, "uas_answer.xml"), answers(&app, mobile, "uas_ring_until_cancel.xml"), answers(&app, soft, "uas_late_answer.xml")]).await;
    events_until_ended(&mut events).await;
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn busy_forwarding_announces_181_with_call_info_once_and_twice() {
    let app = setup().await;
    phone_extension(&app, "2002", json!({"busy": "2003"})).await;
    phone_extension(&app, "2003", json!({"busy": "2004"})).await;
    phone_extension(&app, "2004", json!({})).await;
    let b = register_device(&app, "2002").await;
    let c = register_device(&app, "2003").await;
    let d = register_device(&app, "2004").await;

    // B busy -> C answers: one 181 naming B and C.
    let mut events = app.app.state.feed.subscribe();
    phone_answers_busy_then(&app, b, c, "uac_forwarded_once.xml", "2002", &[("FWD_FROM", "2002"), ("FWD_TO", "2003")]).await;
    events_until_ended(&mut events).await;

    // B busy -> C busy -> D answers: two 181s in order.
    call(uac(&app, "uac_forwarded_twice.xml", "2002").substitute("FWD_FROM", "2002").substitute("FWD_MID", "2003").substitute("FWD_TO", "2004"), vec![answers(&app, b, "uas_busy.xml"), answers(&app, c, "uas_busy.xml"), answers(&app, d, "uas_answer.xml")]).await;
    let seen = events_until_ended(&mut events).await;
    let hops: Vec<(Value, Value)> =
        seen.iter().filter(|e| e.kind == "call.forwarded").map(|e| (e.data["from"].clone(), e.data["to"].clone())).collect();
    assert_eq!(hops, [(json!("2002"), json!("2003")), (json!("2003"), json!("2004"))]);
    let cdrs = cdrs(&app).await;
    assert_eq!(cdrs[1]["forwarding_chain"], json!(["2002>2003", "2003>2004"]));
    assert_eq!(cdrs[1]["final_callee"], "2004");
    assert_no_live_calls(&app).await;
    app.stop().await;
}

async fn phone_answers_busy_then(app: &TestApp, busy_port: u16, answer_port: u16, scenario: &str, dialed: &str, keys: &[(&str, &str)]) {
    let busy = SippCmd::new("uas_busy.xml", app.sip_target(), busy_port).spawn();
    let answer = SippCmd::new("uas_answer.xml", app.sip_target(), answer_port).spawn();
    let mut cmd = uac(app, scenario, dialed);
    for (k, v) in keys {
        cmd = cmd.substitute(k, v);
    }
    let caller = cmd.run().await;
    assert!(caller.success, "{}", caller.log);
    for uas in [busy, answer] {
        let r = uas.wait().await;
        assert!(r.success, "{}", r.log);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_302_from_the_phone_is_followed() {
    let app = setup().await;
    phone_extension(&app, "2002", json!({})).await;
    phone_extension(&app, "2003", json!({})).await;
    let b = register_device(&app, "2002").await;
    let c = register_device(&app, "2003").await;
    call(uac(&app, "uac_forwarded_once.xml", "2002").substitute("FWD_FROM", "2002").substitute("FWD_TO", "2003"), vec![SippCmd::new("uas_redirect.xml", app.sip_target(), b).key("redirect_to", "2003").spawn(), answers(&app, c, "uas_answer.xml")]).await;
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarding_loops_are_cut_and_unavailable_extensions_get_480() {
    let app = setup().await;
    phone_extension(&app, "2002", json!({"unconditional": "2003"})).await;
    phone_extension(&app, "2003", json!({"unconditional": "2002"})).await;
    phone_extension(&app, "2005", json!({})).await;
    let looped = uac(&app, "uac_expect_482.xml", "2002").run().await;
    assert!(looped.success, "{}", looped.log);
    let unavailable = uac(&app, "uac_expect_480.xml", "2005").run().await;
    assert!(unavailable.success, "{}", unavailable.log);
    let cdrs = cdrs(&app).await;
    assert_eq!(cdrs[0]["final_code"], 482);
    assert_eq!(cdrs[0]["disposition"], "failed");
    assert_eq!(cdrs[1]["final_code"], 480);
    assert_eq!(cdrs[1]["disposition"], "no_answer");
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_answer_forwarding_after_the_extension_timeout() {
    let app = setup().await;
    phone_extension(&app, "2002", json!({"no_answer": "2003", "no_answer_timeout_s": 5})).await;
    phone_extension(&app, "2003", json!({})).await;
    let b = register_device(&app, "2002").await;
    let c = register_device(&app, "2003").await;
    let mut events = app.app.state.feed.subscribe();
    call(uac(&app, "uac_forwarded_once.xml", "2002").substitute("FWD_FROM", "2002").substitute("FWD_TO", "2003"), vec![answers(&app, b, "uas_ring_until_cancel.xml"), answers(&app, c, "uas_answer.xml")]).await;
    let seen = events_until_ended(&mut events).await;
    let fwd = seen.iter().find(|e| e.kind == "call.forwarded").expect("forwarded");
    assert_eq!(fwd.data["reason"], "no_answer");
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_caller_cancels_while_it_rings() {
    let app = setup().await;
    phone_extension(&app, "2001", json!({})).await;
    let port = register_device(&app, "2001").await;
    call(uac(&app, "uac_cancel.xml", "2001"), vec![answers(&app, port, "uas_ring_until_cancel.xml")]).await;
    let cdrs = cdrs(&app).await;
    assert_eq!(cdrs[0]["disposition"], "cancelled");
    assert_eq!(cdrs[0]["final_code"], 487);
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ring_groups_sequential_simultaneous_and_fallback() {
    let app = setup().await;
    phone_extension(&app, "2002", json!({})).await;
    phone_extension(&app, "2003", json!({})).await;
    phone_extension(&app, "2004", json!({})).await;
    app.create("/api/v1/ring-groups", json!({"number": "600", "strategy": "sequential", "members": ["2002", "2003"], "member_timeout_s": 5})).await;
    app.create("/api/v1/ring-groups", json!({"number": "601", "strategy": "simultaneous", "members": ["2002", "2003"]})).await;
    app.create("/api/v1/ring-groups", json!({"number": "602", "members": ["2004"], "fallback": "2003"})).await;
    let b = register_device(&app, "2002").await;
    let c = register_device(&app, "2003").await;

    // Sequential: 2002 rings for 5 s without answering, then 2003 answers.
    call(uac(&app, "uac_call.xml", "600"), vec![answers(&app, b, "uas_ring_until_cancel.xml"), answers(&app, c, "uas_answer.xml")]).await;

    // Simultaneous: both ring, 2002 answers, 2003 is cancelled.
    call(uac(&app, "uac_call.xml", "601"), vec![answers(&app, b, "uas_answer.xml"), answers(&app, c, "uas_ring_until_cancel.xml")]).await;

    // Nobody of 602 is registered: the fallback 2003 answers after a 181.
    call(uac(&app, "uac_forwarded_once.xml", "602").substitute("FWD_FROM", "602").substitute("FWD_TO", "2003"), vec![answers(&app, c, "uas_answer.xml")]).await;

    let cdrs = cdrs(&app).await;
    assert_eq!(cdrs[0]["ring_group"], "600");
    assert_eq!(cdrs[0]["final_callee"], "2003");
    assert_eq!(cdrs[1]["final_callee"], "2002");
    assert_eq!(cdrs[2]["forwarding_chain"], json!(["602>2003"]));
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hang_up_through_the_api() {
    let app = setup().await;
    phone_extension(&app, "2001", json!({})).await;
    let port = register_device(&app, "2001").await;
    let mut events = app.app.state.feed.subscribe();
    let uas = SippCmd::new("uas_answer.xml", app.sip_target(), port).spawn();
    let caller = uac(&app, "uac_call_callee_hangs_up.xml", "2001").spawn();
    // Once answered, hang up through the API: both phones get BYE.
    common::wait_for(&mut events, "call.answered").await;
    let (_, calls) = app.get("/api/v1/calls").await;
    assert_eq!(calls["total"], 1);
    assert_eq!(calls["items"][0]["state"], "answered");
    let id = calls["items"][0]["id"].as_str().expect("id").to_owned();
    let (status, _) = app.delete(&format!("/api/v1/calls/{id}")).await;
    assert_eq!(status, reqwest::StatusCode::NO_CONTENT);
    let r = caller.wait().await;
    assert!(r.success, "{}", r.log);
    let r = uas.wait().await;
    assert!(r.success, "{}", r.log);
    let ended = events_until_ended(&mut events).await.pop().expect("ended");
    assert_eq!(ended.data["hangup_side"], "api");
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_calls_leave_no_call_or_transaction_behind() {
    let app = setup().await;
    // Both sipp ends send ~800 messages/s from 127.0.0.1, beyond the default per-source
    // rate limit: whitelisted like an operator whitelists a load generator.
    let (status, body) = app.patch("/api/v1/security/settings", json!({"whitelist": ["127.0.0.1"]})).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    phone_extension(&app, "2001", json!({})).await;
    let port = register_device(&app, "2001").await;
    let uas = SippCmd::new("uas_answer.xml", app.sip_target(), port).arg("-m").arg("1000").spawn();
    let caller = uac(&app, "uac_call.xml", "2001").arg("-m").arg("1000").arg("-r").arg("100").arg("-l").arg("200").run().await;
    assert!(caller.success, "{}", caller.log.chars().take(4000).collect::<String>());
    let r = uas.wait().await;
    assert!(r.success, "{}", r.log.chars().take(4000).collect::<String>());
    assert_eq!(cdrs(&app).await.len(), 50, "first page");
    let (_, page) = app.get("/api/v1/cdrs?disposition=answered&limit=1").await;
    assert_eq!(page["total"], 1000);
    assert_no_live_calls(&app).await;
    let (_, status) = app.get("/api/v1/status").await;
    assert_eq!(status["sip"]["calls"], 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_call_limits_make_the_callee_busy_and_refuse_the_caller() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let caller_ext = app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
    app.create("/api/v1/extensions", json!({"number": "2001", "ip_auth": ["127.0.0.1"], "max_calls": 1})).await;
    phone_extension(&app, "2002", json!({})).await;
    let port = register_device(&app, "2001").await;
    let mut events = app.app.state.feed.subscribe();
    let uas = SippCmd::new("uas_answer.xml", app.sip_target(), port).spawn();
    let first = uac(&app, "uac_call_callee_hangs_up.xml", "2001").spawn();
    common::wait_for(&mut events, "call.answered").await;
    // 2001 is in a call: busy. Then 1001, limited to one call and in one, is refused.
    let busy = uac(&app, "uac_expect_486.xml", "2001").run().await;
    assert!(busy.success, "{}", busy.log);
    let (status, _) = app.patch(&format!("/api/v1/extensions/{}", caller_ext["id"].as_str().expect("id")), json!({"max_calls": 1})).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let refused = uac(&app, "uac_expect_403.xml", "2002").run().await;
    assert!(refused.success, "{}", refused.log);
    let (_, calls) = app.get("/api/v1/calls").await;
    let id = calls["items"][0]["id"].as_str().expect("id").to_owned();
    app.delete(&format!("/api/v1/calls/{id}")).await;
    assert!(first.wait().await.success);
    assert!(uas.wait().await.success);
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_crossing_the_answer_ends_both_legs_cleanly() {
    let app = setup().await;
    phone_extension(&app, "2001", json!({})).await;
    let port = register_device(&app, "2001").await;
    // The callee answers 200 right after the CANCEL reached it: Callplane ACKs and BYEs
    // that answer, and the caller gets its 487.
    call(uac(&app, "uac_cancel.xml", "2001"), vec![answers(&app, port, "uas_late_answer.xml")]).await;
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reliable_provisional_responses_are_pracked_on_both_legs() {
    let app = setup().await;
    phone_extension(&app, "2001", json!({})).await;
    let port = register_device(&app, "2001").await;
    call(uac(&app, "uac_prack.xml", "2001"), vec![answers(&app, port, "uas_prack.xml")]).await;
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn click_to_call_rings_a_then_bridges_b_and_the_api_hangs_up() {
    let app = setup().await;
    phone_extension(&app, "1005", json!({})).await;
    phone_extension(&app, "2001", json!({})).await;
    let a = register_device(&app, "1005").await;
    let b = register_device(&app, "2001").await;
    let mut events = app.app.state.feed.subscribe();
    let phone_a = SippCmd::new("uas_answer_offer.xml", app.sip_target(), a).spawn();
    let phone_b = SippCmd::new("uas_answer.xml", app.sip_target(), b).spawn();

    let calls_token = app.token("calls", "1h").await;
    let (status, started) = app
        .call_as(&calls_token, reqwest::Method::POST, "/api/v1/calls", Some(json!({"from": "1005", "to": "2001"})))
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{started}");
    common::wait_for(&mut events, "call.answered").await;
    let (_, calls) = app.get("/api/v1/calls").await;
    assert_eq!(calls["items"][0]["id"], started["id"]);
    assert_eq!(calls["items"][0]["legs"].as_array().map(Vec::len), Some(2));
    let (status, _) = app.call_as(&calls_token, reqwest::Method::DELETE, &format!("/api/v1/calls/{}", started["id"].as_str().expect("id")), None).await;
    assert_eq!(status, reqwest::StatusCode::NO_CONTENT);
    for phone in [phone_a, phone_b] {
        let r = phone.wait().await;
        assert!(r.success, "{}", r.log);
    }
    let cdrs = cdrs(&app).await;
    assert_eq!(cdrs[0]["caller"], "1005");
    assert_eq!(cdrs[0]["final_callee"], "2001");
    assert_eq!(cdrs[0]["hangup_side"], "api");

    // Errors name the field.
    let (status, problem) = app.call_as(&calls_token, reqwest::Method::POST, "/api/v1/calls", Some(json!({"from": "1999", "to": "2001"}))).await;
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "from");
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn click_to_call_relays_hold_and_resume_and_either_phone_can_hang_up() {
    let app = setup().await;
    phone_extension(&app, "1005", json!({})).await;
    phone_extension(&app, "2001", json!({})).await;
    let a = register_device(&app, "1005").await;
    let b = register_device(&app, "2001").await;
    let mut events = app.app.state.feed.subscribe();
    // A answers with the offer, then holds (a=sendonly) and resumes; B answers both
    // re-INVITEs (relayed to it in its own dialog), then hangs up.
    let phone_a = SippCmd::new("uas_answer_offer_then_hold.xml", app.sip_target(), a).spawn();
    let phone_b = SippCmd::new("uas_answer_two_reinvites_then_hang_up.xml", app.sip_target(), b).spawn();
    let (status, started) = app.post("/api/v1/calls", json!({"from": "1005", "to": "2001"})).await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{started}");
    let ended = common::wait_for(&mut events, "call.ended").await;
    assert_eq!(ended.data["hangup_side"], "callee", "{}", ended.data);
    assert_eq!(ended.data["hangup_reason"], "hung_up", "{}", ended.data);
    for phone in [phone_a, phone_b] {
        let r = phone.wait().await;
        assert!(r.success, "{}", r.log);
    }
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_offer_the_callees_ack_carries_the_callers_answer() {
    let app = setup().await;
    phone_extension(&app, "2001", json!({})).await;
    let port = register_device(&app, "2001").await;
    // The callee answers an INVITE without SDP with an offer and checks its ACK has the answer.
    call(uac(&app, "uac_late_offer.xml", "2001"), vec![answers(&app, port, "uas_answer_offer.xml")]).await;
    assert_no_live_calls(&app).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cdrs_filter_by_disposition_number_and_time_and_export_csv() {
    let app = setup().await;
    phone_extension(&app, "2001", json!({})).await;
    phone_extension(&app, "2002", json!({})).await;
    app.create("/api/v1/ring-groups", json!({"number": "610", "members": ["2002"], "reject_code": 603})).await;
    let before = chrono::Utc::now();
    let port = register_device(&app, "2001").await;
    let uas = SippCmd::new("uas_answer.xml", app.sip_target(), port).spawn();
    assert!(uac(&app, "uac_call.xml", "2001").run().await.success);
    assert!(uas.wait().await.success);
    assert!(uac(&app, "uac_expect_480.xml", "2002").run().await.success);
    let rejected = uac(&app, "uac_expect_603.xml", "610").run().await;
    assert!(rejected.success, "{}", rejected.log);
    let all = cdrs(&app).await;
    assert_eq!(all.len(), 3);

    let (_, answered) = app.get("/api/v1/cdrs?disposition=answered").await;
    assert_eq!(answered["total"], 1);
    let (_, by_number) = app.get("/api/v1/cdrs?number=2002").await;
    assert_eq!(by_number["total"], 1);
    assert_eq!(by_number["items"][0]["final_code"], 480);
    let (_, by_group) = app.get("/api/v1/cdrs?number=610").await;
    assert_eq!(by_group["items"][0]["final_code"], 603);
    assert_eq!(by_group["items"][0]["ring_group"], "610");
    let from = (before - chrono::Duration::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (_, in_range) = app.get(&format!("/api/v1/cdrs?from={from}")).await;
    assert_eq!(in_range["total"], 3);
    let (_, none) = app.get("/api/v1/cdrs?to=2000-01-01T00:00:00Z").await;
    assert_eq!(none["total"], 0);

    let csv = app
        .client
        .get(app.url("/api/v1/cdrs"))
        .bearer_auth(&app.admin)
        .header("accept", "text/csv")
        .send()
        .await
        .expect("csv");
    assert!(csv.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/csv"));
    let text = csv.text().await.expect("text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("id,caller,dialed"));
    assert!(lines[1].contains(",answered,"), "{text}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn info_reinvite_and_update_are_relayed_in_the_dialog() {
    let app = setup().await;
    phone_extension(&app, "2001", json!({})).await;
    let port = register_device(&app, "2001").await;
    let mut events = app.app.state.feed.subscribe();
    call(uac(&app, "uac_call_in_dialog.xml", "2001"), vec![answers(&app, port, "uas_answer_in_dialog.xml")]).await;
    // The INFO's keypress (application/dtmf-relay) is published as well as relayed.
    let dtmf = common::wait_for(&mut events, "call.dtmf").await;
    assert_eq!((dtmf.data["digit"].as_str(), dtmf.data["party"].as_str()), (Some("5"), Some("1001")), "{}", dtmf.data);
    assert_eq!((dtmf.data["duration_ms"].as_u64(), dtmf.data["via"].as_str()), (Some(160), Some("info")), "{}", dtmf.data);
    assert_no_live_calls(&app).await;
    app.stop().await;
}

//! IVR menus with real peers: a sipp caller reaches a two-level menu (through a Lua
//! service choosing it by the number dialled), presses RFC 4733 keys (one with no option
//! in between) and reaches an extension (a sipp phone), whose session it is offered by
//! re-INVITE; a caller that presses nothing hears the prompt again, then goodbye. Callplane
//! answers through a local rtpengine, which plays the prompts and reports the keys.

mod common;

use common::office::assert_all;
use common::sipp::{SippCmd, Transport, dtmf_keys, free_port};
use reqwest::StatusCode;
use serde_json::json;

/// Caller 1002 dials `dialled` and presses `keys` once answered.
fn ivr_caller(app: &common::TestApp, scenario: &str, dialled: &str, keys: &str) -> SippCmd {
    SippCmd::new(scenario, app.sip_target(), free_port("127.0.0.1", Transport::Udp)).arg("-s").arg(dialled).key("caller", "1002").substitute("KEYS", keys)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_finds_its_way_through_two_menus_to_an_extension() {
    let app = common::TestApp::spawn_with(common::Backend::Sqlite, |c| {
        c.media.rtpengine = vec!["local".into()];
        c.media.address = Some([127, 0, 0, 1].into());
        c.media.port_min = Some(43000);
        c.media.port_max = Some(43099);
    })
    .await
    .expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "ip_auth": ["127.0.0.1"], "voicemail": {"max_message_s": 5}})).await;
    app.create("/api/v1/extensions", json!({"number": "1002", "ip_auth": ["127.0.0.1"]})).await;
    let sales = app
        .create("/api/v1/ivr-menus", json!({"number": "801", "name": "sales", "options": {"1": {"kind": "number", "number": "1001"}, "2": {"kind": "voicemail", "number": "1001"}, "0": {"kind": "hangup"}}}))
        .await;
    assert_eq!((sales["timeout_s"].as_u64(), sales["retries"].as_u64()), (Some(5), Some(2)), "defaults: {sales}");
    let main = app
        .create("/api/v1/ivr-menus", json!({
            "number": "800", "name": "main", "timeout_s": 1, "retries": 1,
            "options": {"1": {"kind": "number", "number": "801"}, "9": {"kind": "repeat"}}
        }))
        .await;
    let main_id = main["id"].as_str().expect("id").to_owned();
    // Refusals name the field.
    let (status, body) = app.post("/api/v1/ivr-menus", json!({"number": "802", "options": {"1": {"kind": "voicemail", "number": "4444"}}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("options.1.number"), "{body}");
    let (status, body) = app.post("/api/v1/ivr-menus", json!({"number": "1001", "options": {"1": {"kind": "hangup"}}})).await;
    assert_eq!(status, StatusCode::CONFLICT, "the number is an extension's: {body}");
    let (status, body) = app.post("/api/v1/ivr-menus", json!({"number": "803", "options": {"x": {"kind": "hangup"}}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // The menu's own prompt: a WAV upload, converted; back to the default.
    let dir = tempfile::tempdir().expect("dir");
    let tone = dir.path().join("prompt.wav");
    common::audio::write_tone(&tone, 600.0, 1);
    let put = app.client.put(app.url(&format!("/api/v1/ivr-menus/{main_id}/prompt"))).bearer_auth(&app.admin).header("content-type", "audio/wav").body(std::fs::read(&tone).expect("wav"));
    let put = put.send().await.expect("upload");
    assert_eq!(put.status(), StatusCode::OK);
    let (status, _) = app.delete(&format!("/api/v1/ivr-menus/{main_id}/prompt")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // Calls to 5550 go to a Lua service that picks the main menu (a business-hours script
    // would pick a menu by the time).
    let lua = app.create("/api/v1/lua-services", json!({"name": "hours", "source": "function on_route(c) return {action = 'route', target = '800'} end"})).await;
    app.create("/api/v1/routes", json!({"prefix": "5550", "target": {"kind": "lua_service", "id": lua["id"]}})).await;
    app.create("/api/v1/routes", json!({"prefix": "5551", "target": {"kind": "ivr", "id": main_id}})).await;
    let (_, resolved) = app.get("/api/v1/routes/resolve?number=800").await;
    assert_eq!((resolved["matched_by"].as_str(), resolved["target"]["kind"].as_str()), (Some("ivr_menu"), Some("ivr")), "{resolved}");

    let mut events = app.app.state.feed.subscribe();
    let port = free_port("127.0.0.1", Transport::Udp);
    let register = SippCmd::new("register_without_auth.xml", app.sip_target(), port).arg("-s").arg("1001").run().await;
    assert_all(&[&register]);
    let phone = SippCmd::new("uas_answer.xml", app.sip_target(), port).spawn();
    // 1 in the main menu (during its prompt), 4 in the sales menu (no such option: "not
    // a valid choice"), then 1: extension 1001.
    let keys = dtmf_keys(&["1"], 3000) + &dtmf_keys(&["4"], 3500) + &dtmf_keys(&["1"], 10);
    let caller = ivr_caller(&app, "uac_ivr.xml", "5550", &keys).spawn();
    let mut hops = Vec::new();
    let mut pressed = String::new();
    let answered = loop {
        let e = tokio::time::timeout(std::time::Duration::from_secs(30), events.recv()).await.expect("events").expect("bus");
        match e.kind.as_str() {
            // The keys, as the relay reported them, in the order pressed.
            "call.dtmf" => pressed += e.data["digit"].as_str().unwrap_or_default(),
            "call.forwarded" => hops.push((e.data["from"].as_str().map(str::to_owned), e.data["to"].as_str().map(str::to_owned), e.data["reason"].as_str().map(str::to_owned))),
            "call.answered" => break e,
            _ => {}
        }
    };
    let menu = |from: &str, to: &str| (Some(from.to_owned()), Some(to.to_owned()), Some("menu".to_owned()));
    assert_eq!(hops, vec![menu("ivr:800", "801"), menu("ivr:801", "1001")]);
    assert_eq!(pressed, "141", "the key with no option was heard too");
    assert_eq!(answered.data["callee"], "1001", "{}", answered.data);
    assert_all(&[&caller.wait().await, &phone.wait().await]);
    let ended = common::wait_for(&mut events, "call.ended").await;
    assert_eq!((ended.data["final_callee"].as_str(), ended.data["hangup_side"].as_str()), (Some("1001"), Some("caller")), "{}", ended.data);

    // Through the route of kind `ivr`, pressing nothing: the prompt plays twice (one
    // retry), then goodbye and BYE.
    let silent = ivr_caller(&app, "uac_voicemail_listen.xml", "5551", "").spawn();
    assert_all(&[&silent.wait().await]);
    let ended = common::wait_for(&mut events, "call.ended").await;
    assert_eq!(ended.data["final_callee"], "ivr:800", "{}", ended.data);
    assert!(ended.data["cause"].as_str().is_some_and(|c| c.contains("no choice")), "{}", ended.data);

    // 1, then 2 in the sales menu: 1001's voicemail box, which takes the call from the
    // menu (Callplane answered already).
    let to_box = ivr_caller(&app, "uac_voicemail_listen.xml", "5551", &(dtmf_keys(&["1"], 3000) + &dtmf_keys(&["2"], 10))).spawn();
    let forwarded = loop {
        let e = common::wait_for(&mut events, "call.forwarded").await;
        if e.data["from"] == "ivr:801" {
            break e;
        }
    };
    assert_eq!(forwarded.data["to"], "voicemail:1001", "{}", forwarded.data);
    assert_all(&[&to_box.wait().await]);
    let ended = common::wait_for(&mut events, "call.ended").await;
    assert_eq!(ended.data["final_callee"], "voicemail:1001", "{}", ended.data);

    // Two other ways to a box, at once: a ring group whose member does not answer (it is
    // not registered) falls back to `voicemail:1001`, and a phone dials the deposit code
    // (*98 + the extension).
    let (status, body) = app.post("/api/v1/ring-groups", json!({"number": "600", "members": ["1009"], "fallback": "voicemail:4444"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no extension 4444: {body}");
    let group = app.create("/api/v1/ring-groups", json!({"number": "600", "members": ["1001"], "fallback": "voicemail:1001"})).await;
    assert_eq!(group["fallback"], "voicemail:1001", "{group}");
    let (status, _) = app.delete(&format!("/api/v1/ring-groups/{}", group["id"].as_str().unwrap_or_default())).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    app.create("/api/v1/ring-groups", json!({"number": "600", "members": ["1003"], "fallback": "voicemail:1001"})).await;
    app.create("/api/v1/extensions", json!({"number": "1003"})).await;
    let via_group = ivr_caller(&app, "uac_voicemail_listen.xml", "600", "").spawn();
    let by_code = ivr_caller(&app, "uac_voicemail_listen.xml", "*981001", "").spawn();
    let mut boxes = Vec::new();
    let mut fallback = None;
    while boxes.len() < 2 {
        let e = tokio::time::timeout(std::time::Duration::from_secs(30), events.recv()).await.expect("events").expect("bus");
        match e.kind.as_str() {
            "call.forwarded" => fallback = Some(e.data.clone()),
            "call.ended" => boxes.push((e.data["dialed"].as_str().map(str::to_owned), e.data["final_callee"].as_str().map(str::to_owned))),
            _ => {}
        }
    }
    let fallback = fallback.expect("the group's fallback");
    assert_eq!((fallback["from"].as_str(), fallback["to"].as_str(), fallback["reason"].as_str()), (Some("600"), Some("voicemail:1001"), Some("fallback")));
    boxes.sort();
    let boxed = |dialed: &str| (Some(dialed.to_owned()), Some("voicemail:1001".to_owned()));
    assert_eq!(boxes, vec![boxed("*981001"), boxed("600")]);
    assert_all(&[&via_group.wait().await, &by_code.wait().await]);
    app.stop().await;
}

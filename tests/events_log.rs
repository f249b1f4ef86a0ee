//! `GET /api/v1/events/log`: the stored events of a real call (sipp), typed per event type,
//! paged without gap, refused to the wrong scope.

mod common;

use common::sipp::{SippCmd, Transport, free_port};
use common::{TestApp, wait_for};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn page(app: &TestApp, token: &str, query: &str) -> Value {
    let (status, body) = app.call_as(token, Method::GET, &format!("/api/v1/events/log?{query}"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn kinds(page: &Value) -> Vec<String> {
    page["events"].as_array().expect("events").iter().map(|e| e["type"].as_str().expect("type").to_owned()).collect()
}

async fn a_call_is_in_the_log_with_typed_data(app: &TestApp) {
    app.create("/api/v1/extensions", json!({"number": "1001", "password": "caller-secret-1"})).await;
    app.create("/api/v1/extensions", json!({"number": "1002", "ip_auth": ["127.0.0.1"]})).await;
    let port = free_port("127.0.0.1", Transport::Udp);
    assert!(SippCmd::new("register_without_auth.xml", app.sip_target(), port).arg("-s").arg("1002").run().await.success);
    let mut bus = app.app.state.feed.subscribe();
    let uas = SippCmd::new("uas_answer.xml", app.sip_target(), port).spawn();
    let caller = SippCmd::new("uac_call.xml", app.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .arg("-s").arg("1002").key("caller", "1001").arg("-au").arg("1001").arg("-ap").arg("caller-secret-1")
        .run()
        .await;
    assert!(caller.success, "{}", caller.log);
    assert!(uas.wait().await.success);
    // The feed shows events once they are in the store.
    wait_for(&mut bus, "cdr.created").await;

    let events = app.token("events", "1h").await;
    // Minting the token is an event too: the log is read once it is stored, so the log
    // does not grow while it is paged below.
    wait_for(&mut bus, "config.changed").await;
    let calls = page(app, &events, "types=call.*,cdr.*&limit=1000").await;
    assert_eq!(kinds(&calls), ["call.created", "call.ringing", "call.answered", "call.ended", "cdr.created"]);
    let list = calls["events"].as_array().expect("events");
    let ended = &list[3];
    assert_eq!(ended["specversion"], "1.0");
    assert_eq!(ended["data"]["caller"], "1001");
    assert_eq!(ended["data"]["code"], 200);
    assert_eq!(ended["data"]["final_callee"], "1002");
    assert!(ended["data"]["duration_s"].is_number());
    assert_eq!(list[4]["data"]["id"], ended["data"]["call_id"], "the CDR is the call's");
    assert_eq!(list[4]["data"]["disposition"], "answered");

    // Filters: nothing of this call is about 1003.
    assert!(page(app, &events, "extension=1003&limit=1000").await["events"].as_array().expect("events").is_empty());

    // Paging two entries at a time walks the log once, in order, up to where `whole` ended.
    // Events may still be appended meanwhile (presence follows the call's end on its own
    // task), so the walk stops at the last entry `whole` saw.
    let whole: Vec<u64> = page(app, &events, "limit=1000").await["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["seq"].as_u64().expect("seq"))
        .collect();
    let last = *whole.last().expect("the log is not empty");
    let mut paged = Vec::new();
    let mut since = 0;
    for _ in 0..whole.len() {
        let p = page(app, &events, &format!("limit=2&since_seq={since}")).await;
        paged.extend(p["events"].as_array().expect("events").iter().map(|e| e["seq"].as_u64().expect("seq")));
        since = p["next_since_seq"].as_u64().expect("next");
        if since >= last {
            break;
        }
    }
    paged.retain(|&seq| seq <= last);
    assert_eq!(paged, whole);
    assert!(whole.windows(2).all(|w| w[1] == w[0] + 1), "the log has no gap: {whole:?}");

    let read = app.token("read", "1h").await;
    let (status, _) = app.call_as(&read, Method::GET, "/api/v1/events/log", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.call_as(&events, Method::GET, "/api/v1/events/log?limit=0", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

on_both_backends!(call_in_log, super::a_call_is_in_the_log_with_typed_data);

/// A configuration change and its `config.changed` commit together: the event is in the
/// log the moment the API has answered (nothing is left to write later, so no crash can
/// separate them), numbered right after the events before it.
async fn a_config_change_is_logged_by_its_own_transaction(app: &TestApp) {
    let store = app.app.state.provisioner.store();
    for number in ["2101", "2102", "2103"] {
        let before = store.last_event_seq().await.expect("last seq");
        let created = app.create("/api/v1/extensions", json!({"number": number, "password": "correct horse battery"})).await;
        let logged = store.events_after(before, 10).await.expect("log");
        let change = logged.iter().find(|e| e.kind == "config.changed" && e.data["id"] == created["id"]);
        let change = change.unwrap_or_else(|| panic!("no config.changed for {number} in the log when the API answered: {logged:?}"));
        assert_eq!(change.data["action"], "created");
        assert!(change.seq > before);
    }
}

on_both_backends!(config_change_logged_with_it, super::a_config_change_is_logged_by_its_own_transaction);

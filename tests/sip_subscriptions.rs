//! SUBSCRIBE/NOTIFY (RFC 6665) with real sipp subscribers: a busy lamp (RFC 4235) follows a
//! call, a message-waiting lamp (RFC 3842) follows the mailbox counts set through the API;
//! bad subscriptions are refused with the code the RFCs name.

mod common;

use std::time::{Duration, Instant};

use common::office::Office;
use common::peer::{Peer, request, status_of};
use common::sipp::{SippCmd, Transport, free_port};
use common::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(5);

/// Waits (bounded, 5 s) until the API lists `n` subscriptions; across the SIP boundary
/// there is no event to await.
async fn subscriptions(app: &TestApp, n: usize) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let (_, list) = app.get("/api/v1/subscriptions").await;
        if list["items"].as_array().is_some_and(|i| i.len() == n) || Instant::now() > deadline {
            return list;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn watcher(app: &TestApp, scenario: &str, watched: &str, subscriber: &str) -> SippCmd {
    SippCmd::new(scenario, app.sip_target(), free_port("127.0.0.1", Transport::Udp)).arg("-s").arg(watched).key("subscriber", subscriber)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_lamp_shows_a_call_ringing_answered_and_over() {
    let office = Office::start().await;
    office.app.create("/api/v1/extensions", json!({"number": "1003", "ip_auth": ["127.0.0.1"]})).await;
    let callee = office.phone("1002", "uas_answer.xml").await;
    let lamp = watcher(&office.app, "subscribe_dialog.xml", "1002", "1003").spawn();
    let list = subscriptions(&office.app, 1).await;
    assert_eq!((list["items"][0]["package"].as_str(), list["items"][0]["resource"].as_str(), list["items"][0]["subscriber"].as_str()), (Some("dialog"), Some("1002"), Some("1003")), "{list}");

    let caller = office.caller("uac_call.xml", "1002").run().await;
    assert!(caller.success, "{}", caller.log);
    assert!(callee.wait().await.success);
    // The lamp saw early, confirmed and idle, then unsubscribed and got the final NOTIFY.
    let lamp = lamp.wait().await;
    assert!(lamp.success, "{}", lamp.log);
    assert_eq!(subscriptions(&office.app, 0).await["total"], 0);
    office.app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_waiting_lamp_follows_the_mailbox_counts() {
    let app = TestApp::spawn(common::Backend::Sqlite).await.expect("app");
    let ext = app.create("/api/v1/extensions", json!({"number": "1003", "ip_auth": ["127.0.0.1"]})).await;
    let id = ext["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/extensions/{id}/message-waiting");
    let lamp = watcher(&app, "subscribe_mwi.xml", "1003", "1003").spawn();
    assert_eq!(subscriptions(&app, 1).await["items"][0]["package"], "message-summary");
    let mut feed = app.app.state.feed.subscribe();

    let counts = json!({"new_messages": 2, "old_messages": 1, "new_urgent": 1, "old_urgent": 0});
    let (status, body) = app.call(Method::PUT, &path, Some(counts.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let lamp = lamp.wait().await;
    assert!(lamp.success, "{}", lamp.log);
    let event = common::wait_for(&mut feed, "message_waiting.changed").await;
    assert_eq!((event.data["number"].as_str(), event.data["new_messages"].as_u64()), (Some("1003"), Some(2)));
    let (_, stored) = app.get(&path).await;
    assert_eq!(stored, counts);

    // More urgent messages than messages: refused, naming the field; nothing changes.
    let (status, body) = app.call(Method::PUT, &path, Some(json!({"new_messages": 1, "old_messages": 0, "new_urgent": 2}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("new_urgent"), "{body}");
    assert_eq!(app.get(&path).await.1, counts);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_subscriptions_get_the_codes_of_rfc_6665() {
    let app = TestApp::spawn(common::Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1003", "ip_auth": ["127.0.0.1"]})).await;
    app.create("/api/v1/extensions", json!({"number": "1004", "ip_auth": ["127.0.0.1"]})).await;
    let mut peer = Peer::udp("127.0.0.1", app.sip_target()).await;
    let subscribe = |to: &str, event: &str, expires: &str, n: &str| {
        request("SUBSCRIBE", &format!("sip:{to}@127.0.0.1"), &peer, &format!("sub-{n}"), &format!("sub{n}"), &format!("Event: {event}\r\nExpires: {expires}\r\nContact: <sip:1003@127.0.0.1:{}>\r\n", peer.local_port()))
            .replace("<sip:1001@127.0.0.1>;tag", "<sip:1003@127.0.0.1>;tag")
            .replace("To: <sip:1001@127.0.0.1>", &format!("To: <sip:{to}@127.0.0.1>"))
    };
    let cases = [
        ("unknown package", subscribe("1004", "conference", "120", "1"), 489, Some("Allow-Events: dialog, presence, message-summary")),
        ("too brief", subscribe("1004", "dialog", "5", "2"), 423, Some("Min-Expires:")),
        ("no such extension", subscribe("1999", "dialog", "120", "3"), 404, None),
        ("another's mailbox", subscribe("1004", "message-summary", "120", "4"), 403, None),
    ];
    let refresh = subscribe("1004", "dialog", "120", "5").replace("To: <sip:1004@127.0.0.1>", "To: <sip:1004@127.0.0.1>;tag=gone");
    for (what, message, code, header) in cases {
        peer.send(message.as_bytes()).await;
        let response = String::from_utf8_lossy(&peer.recv(WAIT).await.unwrap_or_else(|| panic!("{what}: no answer"))).into_owned();
        assert_eq!(status_of(&response), code, "{what}: {response}");
        if let Some(h) = header {
            assert!(response.contains(h), "{what}: {response}");
        }
    }
    // A refresh of a subscription this Callplane does not hold (it restarted, say): 481,
    // and the phone subscribes again.
    peer.send(refresh.as_bytes()).await;
    let response = String::from_utf8_lossy(&peer.recv(WAIT).await.expect("answer")).into_owned();
    assert_eq!(status_of(&response), 481, "{response}");
    assert_eq!(subscriptions(&app, 0).await["total"], 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn do_not_disturb_shows_in_presence_makes_calls_busy_and_forwards_on_busy() {
    let office = Office::start().await;
    office.app.create("/api/v1/extensions", json!({"number": "1003", "ip_auth": ["127.0.0.1"]})).await;
    // 1002 is registered, and never rings while do-not-disturb is on.
    let phone = office.phone_cmd("1002", "uas_answer.xml").await;
    let (_, list) = office.app.get("/api/v1/extensions?limit=100").await;
    let id = list["items"].as_array().expect("items").iter().find(|e| e["number"] == "1002").expect("1002")["id"].as_str().expect("id").to_owned();

    // Presence: available, then do-not-disturb once it is set.
    let lamp = watcher(&office.app, "subscribe_presence.xml", "1002", "1003").spawn();
    subscriptions(&office.app, 1).await;
    let (status, body) = office.app.patch(&format!("/api/v1/extensions/{id}"), json!({"do_not_disturb": true})).await;
    assert_eq!((status, body["do_not_disturb"].as_bool()), (StatusCode::OK, Some(true)), "{body}");
    let lamp = lamp.wait().await;
    assert!(lamp.success, "{}", lamp.log);

    // A call gets busy without ringing the phone.
    let busy = office.caller("uac_expect_486.xml", "1002").run().await;
    assert!(busy.success, "{}", busy.log);
    // With busy forwarding, the call goes on to 1004 (announced with a 181).
    let other = office.phone("1004", "uas_answer.xml").await;
    let (status, body) = office.app.patch(&format!("/api/v1/extensions/{id}"), json!({"forwarding": {"busy": "1004"}})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let forwarded = office.caller("uac_forwarded_once.xml", "1002").substitute("FWD_FROM", "1002").substitute("FWD_TO", "1004").run().await;
    assert!(forwarded.success, "{}", forwarded.log);
    assert!(other.wait().await.success);
    // Off again: 1002 rings and answers.
    let (status, _) = office.app.patch(&format!("/api/v1/extensions/{id}"), json!({"do_not_disturb": false, "forwarding": {}})).await;
    assert_eq!(status, StatusCode::OK);
    let answering = phone.spawn();
    let call = office.caller("uac_call.xml", "1002").run().await;
    assert!(call.success, "{}", call.log);
    assert!(answering.wait().await.success);
    office.app.stop().await;
}

/// baresip as the subscriber: its `presence` module shows a colleague offline, online,
/// and busy on do-not-disturb.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_phone_sees_a_colleagues_presence() {
    let app = TestApp::spawn(common::Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1005", "password": "secret-pass-1"})).await;
    let colleague = app.create("/api/v1/extensions", json!({"number": "1006", "ip_auth": ["127.0.0.1"]})).await;
    let phone = common::baresip::Phone::start_watching(&app, "1005", "secret-pass-1", common::baresip::free_port_pair(), &["1006"]);
    assert_eq!(subscriptions(&app, 1).await["items"][0]["package"], "presence");
    let presence = async |want: &str| {
        let deadline = Instant::now() + WAIT;
        loop {
            let contacts = phone.ask("contacts", "").await;
            if contacts.contains(want) || Instant::now() > deadline {
                return contacts;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let contacts = presence("Offline").await;
    assert!(contacts.contains("Offline"), "1006 has no device registered: {contacts}\n{}", phone.log());
    let port = free_port("127.0.0.1", Transport::Udp);
    let r = SippCmd::new("register_without_auth.xml", app.sip_target(), port).arg("-s").arg("1006").run().await;
    assert!(r.success, "{}", r.log);
    let contacts = presence("Online").await;
    assert!(contacts.contains("Online"), "{contacts}");
    let (status, _) = app.patch(&format!("/api/v1/extensions/{}", colleague["id"].as_str().expect("id")), json!({"do_not_disturb": true})).await;
    assert_eq!(status, StatusCode::OK);
    let contacts = presence("Busy").await;
    assert!(contacts.contains("Busy"), "{contacts}");
    app.stop().await;
}

/// A phone that never subscribes still gets its lamp when its extension asks for
/// unsolicited message-waiting NOTIFYs (RFC 3842 section 3.3).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn message_waiting_reaches_a_phone_that_does_not_subscribe() {
    let app = TestApp::spawn(common::Backend::Sqlite).await.expect("app");
    let ext = app.create("/api/v1/extensions", json!({"number": "1007", "ip_auth": ["127.0.0.1"], "mwi_unsolicited": true})).await;
    assert_eq!(ext["mwi_unsolicited"], true);
    let port = free_port("127.0.0.1", Transport::Udp);
    let r = SippCmd::new("register_without_auth.xml", app.sip_target(), port).arg("-s").arg("1007").run().await;
    assert!(r.success, "{}", r.log);
    let phone = SippCmd::new("uas_notify_mwi.xml", app.sip_target(), port).spawn();
    let (status, body) = app.call(Method::PUT, &format!("/api/v1/extensions/{}/message-waiting", ext["id"].as_str().expect("id")), Some(json!({"new_messages": 4, "old_messages": 0}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let phone = phone.wait().await;
    assert!(phone.success, "{}", phone.log);
    app.stop().await;
}

/// A 200 to `request` (its Via, From, To, Call-ID and CSeq).
fn ok_to(request: &str) -> String {
    let lines: Vec<&str> = request
        .lines()
        .filter(|l| ["via:", "from:", "to:", "call-id:", "cseq:"].iter().any(|h| l.to_ascii_lowercase().starts_with(h)))
        .collect();
    format!("SIP/2.0 200 OK\r\n{}\r\nContent-Length: 0\r\n\r\n", lines.join("\r\n"))
}

/// The tag of the To header of `message`.
fn to_tag(message: &str) -> String {
    let to = message.lines().find(|l| l.to_ascii_lowercase().starts_with("to:")).unwrap_or_default();
    to.split(";tag=").nth(1).map(|t| t.split(';').next().unwrap_or(t).trim().to_owned()).unwrap_or_default()
}

// Subscriptions do not survive a restart, and are refused cleanly: stopping ends each with
// a NOTIFY `terminated;reason=deactivated` (RFC 6665 section 4.2.2), a refresh after the
// restart gets 481 (section 4.1.2.2), and the phone's new SUBSCRIBE is served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_ends_subscriptions_cleanly_and_phones_subscribe_again() {
    let app = TestApp::spawn(common::Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1003", "ip_auth": ["127.0.0.1"]})).await;
    app.create("/api/v1/extensions", json!({"number": "1004", "ip_auth": ["127.0.0.1"]})).await;
    let mut peer = Peer::udp("127.0.0.1", app.sip_target()).await;
    let subscribe = |peer: &Peer, branch: &str, to_tag: Option<&str>| {
        let to = match to_tag {
            Some(t) => format!("To: <sip:1003@127.0.0.1>;tag={t}"),
            None => "To: <sip:1003@127.0.0.1>".to_owned(),
        };
        request("SUBSCRIBE", "sip:1003@127.0.0.1", peer, "restart-sub", branch, &format!("Event: dialog\r\nExpires: 600\r\nContact: <sip:1004@127.0.0.1:{}>\r\n", peer.local_port()))
            .replace("<sip:1001@127.0.0.1>;tag", "<sip:1004@127.0.0.1>;tag")
            .replace("To: <sip:1001@127.0.0.1>", &to)
    };
    peer.send(subscribe(&peer, "rs1", None).as_bytes()).await;
    let (ok, _) = peer.recv_containing("SIP/2.0 200", WAIT).await;
    let tag = to_tag(&ok.expect("200 to SUBSCRIBE"));
    let (notify, _) = peer.recv_containing("NOTIFY sip:", WAIT).await;
    let notify = notify.expect("first NOTIFY");
    peer.send(ok_to(&notify).as_bytes()).await;
    assert_eq!(subscriptions(&app, 1).await["total"], 1);

    // Stopping tells the phone; it answers the final NOTIFY while Callplane stops.
    let restart = tokio::spawn(app.restart());
    let (last, _) = peer.recv_containing("reason=deactivated", WAIT).await;
    let last = last.expect("a final NOTIFY when Callplane stops");
    assert!(last.contains("Subscription-State: terminated;reason=deactivated"), "{last}");
    peer.send(ok_to(&last).as_bytes()).await;
    let app = restart.await.expect("restart");

    // After the restart: the refresh is refused, a new subscription is served.
    let mut peer = Peer::udp("127.0.0.1", app.sip_target()).await;
    peer.send(subscribe(&peer, "rs2", Some(&tag)).as_bytes()).await;
    let response = String::from_utf8_lossy(&peer.recv(WAIT).await.expect("answer")).into_owned();
    assert_eq!(status_of(&response), 481, "{response}");
    peer.send(subscribe(&peer, "rs3", None).as_bytes()).await;
    let (ok, _) = peer.recv_containing("SIP/2.0 200", WAIT).await;
    assert!(ok.is_some(), "subscribed again");
    let (notify, _) = peer.recv_containing("NOTIFY sip:", WAIT).await;
    peer.send(ok_to(&notify.expect("NOTIFY")).as_bytes()).await;
    assert_eq!(subscriptions(&app, 1).await["total"], 1);
    app.stop().await;
}

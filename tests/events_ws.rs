//! The event stream over a real WebSocket client (tokio-tungstenite).

mod common;

use std::time::Duration;

use common::sipp::{SippCmd, Transport, free_port};
use common::{Backend, TestApp};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(app: &TestApp, token: &str, query: &str) -> Ws {
    let url = format!("ws://{}/api/v1/events?access_token={token}{query}", app.app.http_addr);
    let (ws, _) = tokio_tungstenite::connect_async(url).await.expect("websocket");
    ws
}

/// The next event frame (bounded).
async fn next(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(15), ws.next()).await.expect("a frame in time").expect("open").expect("frame");
        if let Message::Text(t) = msg {
            return serde_json::from_str(&t).expect("json");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthorized_and_wrong_scope_upgrades_are_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let read = app.token("read", "1h").await;
    for (token, code) in [("garbage", 401), (read.as_str(), 403)] {
        let url = format!("ws://{}/api/v1/events?access_token={token}", app.app.http_addr);
        match tokio_tungstenite::connect_async(url).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => assert_eq!(resp.status().as_u16(), code),
            other => panic!("expected HTTP {code}, got {other:?}"),
        }
    }
    let url = format!("ws://{}/api/v1/events", app.app.http_addr);
    match tokio_tungstenite::connect_async(url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => assert_eq!(resp.status().as_u16(), 401),
        other => panic!("expected HTTP 401, got {other:?}"),
    }
    // The same checks for the token offered as a subprotocol (what the browser console sends).
    for (token, code) in [("garbage", 401), (read.as_str(), 403)] {
        match tokio_tungstenite::connect_async(subprotocol_request(&app, token)).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => assert_eq!(resp.status().as_u16(), code),
            other => panic!("expected HTTP {code}, got {other:?}"),
        }
    }
    app.stop().await;
}

/// An upgrade offering the subprotocols `callplane` and `bearer.<token>`, with no token in the URL.
fn subprotocol_request(app: &TestApp, token: &str) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = format!("ws://{}/api/v1/events", app.app.http_addr).into_client_request().expect("request");
    request.headers_mut().insert("sec-websocket-protocol", format!("callplane, bearer.{token}").parse().expect("header"));
    request
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_sends_its_token_as_a_subprotocol_and_the_server_picks_callplane() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let events_token = app.token("events", "1h").await;
    let (mut ws, response) = tokio_tungstenite::connect_async(subprotocol_request(&app, &events_token)).await.expect("upgrade");
    // RFC 6455 section 4.2.2: the server names one of the offered subprotocols, never the token.
    assert_eq!(response.headers().get("sec-websocket-protocol").and_then(|v| v.to_str().ok()), Some("callplane"));
    app.create("/api/v1/extensions", json!({"number": "1001", "password": "caller-secret-1"})).await;
    // The stream is live (the token's own config.changed may come first).
    let mut changed = next(&mut ws).await;
    if changed["data"]["resource"] == "api_token" {
        changed = next(&mut ws).await;
    }
    assert_eq!(changed["type"], "config.changed");
    assert_eq!(changed["data"]["resource"], "extension", "{changed}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_and_a_registration_arrive_as_cloudevents_in_order() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": "caller-secret-1"})).await;
    app.create("/api/v1/extensions", json!({"number": "1002", "ip_auth": ["127.0.0.1"]})).await;
    app.create("/api/v1/extensions", json!({"number": "1003", "ip_auth": ["127.0.0.1"]})).await;
    let events_token = app.token("events", "1h").await;
    let mut all = connect(&app, &events_token, "&types=call.*,registration.*").await;
    let mut only_1002 = connect(&app, &events_token, "&extension=1002").await;

    // 1003 registers: the 1002-filtered client must not see it.
    let port_1003 = free_port("127.0.0.1", Transport::Udp);
    assert!(SippCmd::new("register_without_auth.xml", app.sip_target(), port_1003).arg("-s").arg("1003").run().await.success);
    let reg = next(&mut all).await;
    assert_eq!(reg["type"], "registration.created");
    assert_eq!(reg["specversion"], "1.0");
    assert_eq!(reg["datacontenttype"], "application/json");
    assert_eq!(reg["data"]["aor"], "1003");

    let port = free_port("127.0.0.1", Transport::Udp);
    assert!(SippCmd::new("register_without_auth.xml", app.sip_target(), port).arg("-s").arg("1002").run().await.success);
    let first_for_1002 = next(&mut only_1002).await;
    assert_eq!(first_for_1002["type"], "registration.created");
    assert_eq!(first_for_1002["data"]["aor"], "1002", "nothing of 1003 reached the filtered client");
    assert_eq!(next(&mut all).await["data"]["aor"], "1002");

    let uas = SippCmd::new("uas_answer.xml", app.sip_target(), port).spawn();
    let caller = SippCmd::new("uac_call.xml", app.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .arg("-s").arg("1002").key("caller", "1001").arg("-au").arg("1001").arg("-ap").arg("caller-secret-1")
        .run()
        .await;
    assert!(caller.success, "{}", caller.log);
    assert!(uas.wait().await.success);
    let mut kinds = Vec::new();
    let mut call_ids = Vec::new();
    let mut seqs = Vec::new();
    while kinds.last().map(String::as_str) != Some("call.ended") {
        let e = next(&mut all).await;
        kinds.push(e["type"].as_str().expect("type").to_owned());
        call_ids.push(e["data"]["call_id"].clone());
        seqs.push(e["seq"].as_u64().expect("seq"));
    }
    assert_eq!(kinds, ["call.created", "call.ringing", "call.answered", "call.ended"]);
    assert!(call_ids.windows(2).all(|w| w[0] == w[1]), "one call id: {call_ids:?}");
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "increasing seq: {seqs:?}");
    app.stop().await;
}

/// The seq of the `config.changed` event of `resource`. A live stream starts about when it
/// connects: a change committed just before (the token's) may come first.
async fn seq_of(ws: &mut Ws, resource: &Value) -> u64 {
    loop {
        let e = next(ws).await;
        if e["data"]["id"] == resource["id"] {
            return e["seq"].as_u64().expect("seq");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_with_since_seq_has_no_gap_and_no_duplicate() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let token = app.token("events", "1h").await;
    let mut ws = connect(&app, &token, "&types=config.changed").await;
    let first = app.extension("1000").await;
    let seen = seq_of(&mut ws, &first).await;
    drop(ws);
    for i in 0..100 {
        app.create("/api/v1/extensions", json!({"number": format!("{}", 3000 + i)})).await;
    }
    let mut ws = connect(&app, &token, &format!("&types=config.changed&since_seq={seen}")).await;
    let mut got = Vec::new();
    for _ in 0..100 {
        let e = next(&mut ws).await;
        got.push(e["seq"].as_u64().expect("seq"));
    }
    let expected: Vec<u64> = (seen + 1..=seen + 100).collect();
    assert_eq!(got, expected);
    // Live events keep coming after the replay, not repeated.
    app.extension("1999").await;
    assert_eq!(next(&mut ws).await["seq"], seen + 101);
    // A client that closes gets the closing handshake answered, not a silent drop.
    ws.close(None).await.expect("send close");
    let reply = tokio::time::timeout(Duration::from_secs(5), ws.next()).await.expect("the close is answered in time");
    assert!(matches!(reply, Some(Ok(Message::Close(_)))), "{reply:?}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_closes_open_streams_with_going_away_and_the_resume_point() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let token = app.token("events", "1h").await;
    let mut ws = connect(&app, &token, "&types=config.changed").await;
    let created = app.extension("1000").await;
    let seq = seq_of(&mut ws, &created).await;
    app.stop().await;
    let frame = tokio::time::timeout(Duration::from_secs(10), ws.next()).await.expect("closed in time");
    let Some(Ok(Message::Close(Some(close)))) = frame else { panic!("a Close frame: {frame:?}") };
    assert_eq!(close.code, tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode::Away);
    assert!(close.reason.ends_with(&format!("since_seq={seq}")), "{}", close.reason);
}

//! Webhook deliveries to a real HTTP receiver (a Python script that checks signatures with
//! its own HMAC code): at least once, in order of events, through a receiver outage.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Backend, TestApp};
use serde_json::json;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_survive_a_receiver_outage_and_verify_independently() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Tcp);
    let (mut python, mut rx) = receiver(port, 3);
    assert_eq!(next_line(&mut rx).await, "READY");

    let hook = app
        .create("/api/v1/webhooks", json!({"url": format!("http://127.0.0.1:{port}/hooks"), "event_types": ["config.changed"], "secret": SECRET}))
        .await;
    let mut numbers = Vec::new();
    for i in 0..5 {
        numbers.push(app.extension(&format!("{}", 4000 + i)).await["number"].clone());
    }
    // Six events match (the webhook's own creation and five extensions). The receiver
    // refuses the first three requests; every event still arrives, verified.
    let mut delivered = Vec::new();
    while delivered.len() < 6 {
        let line = next_line(&mut rx).await;
        assert!(line.starts_with("OK "), "{line}");
        let seq: u64 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("seq");
        delivered.push(seq);
    }
    delivered.sort_unstable();
    delivered.dedup();
    assert_eq!(delivered.len(), 6, "six distinct events: {delivered:?}");

    // The receiver prints before it answers, so the outcome may be recorded a moment later.
    let mut list = serde_json::Value::Null;
    for _ in 0..100 {
        list = app.get(&format!("/api/v1/webhooks/{}/deliveries", hook["id"].as_str().expect("id"))).await.1;
        if list["items"].as_array().is_some_and(|i| i.len() == 6 && i.iter().all(|d| d["state"] == "delivered")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 6);
    assert!(items.iter().all(|d| d["state"] == "delivered"), "{list}");
    assert!(items.iter().any(|d| d["attempts"].as_u64() > Some(1)), "some needed retries: {list}");
    // A test ping reaches the webhook although its filter is config.changed only.
    let (status, sent) = app.post(&format!("/api/v1/webhooks/{}/test", hook["id"].as_str().expect("id")), json!({})).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{sent}");
    let line = next_line(&mut rx).await;
    assert_eq!(line, format!("OK {} webhook.test", sent["seq"]));
    let _ = python.kill();
    let _ = python.wait();
    app.stop().await;
}

async fn next_line(rx: &mut tokio::sync::mpsc::UnboundedReceiver<String>) -> String {
    tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.expect("receiver output in time").expect("line")
}

/// The Python receiver on `port` (refusing its first `fail_first` requests) and its lines.
fn receiver(port: u16, fail_first: u32) -> (std::process::Child, tokio::sync::mpsc::UnboundedReceiver<String>) {
    receiver_with(port, SECRET, fail_first)
}

fn receiver_with(port: u16, secret: &str, fail_first: u32) -> (std::process::Child, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let mut child = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/webhook_receiver.py"))
        .args([&port.to_string(), secret, &fail_first.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// The outbox is durable: Callplane killed with SIGKILL while the receiver is down loses
/// nothing; after a restart every queued event arrives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkill_mid_backlog_loses_no_delivery() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = common::server::start(dir.path(), None);
    let token = std::fs::read_to_string(dir.path().join("admin.token")).expect("token").trim().to_owned();
    let port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Tcp);
    let (mut down, mut down_lines) = receiver(port, 1_000_000);
    assert_eq!(next_line(&mut down_lines).await, "READY");
    let client = reqwest::Client::new();
    let post = |path: &str, body: serde_json::Value| {
        client.post(format!("{}{path}", server.base)).bearer_auth(&token).json(&body).send()
    };
    let hook = post("/api/v1/webhooks", json!({"url": format!("http://127.0.0.1:{port}/"), "event_types": ["config.changed"], "secret": SECRET}))
        .await
        .expect("create webhook");
    assert_eq!(hook.status(), reqwest::StatusCode::CREATED);
    for i in 0..5 {
        let r = post("/api/v1/extensions", json!({"number": format!("{}", 5000 + i)})).await.expect("create");
        assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    }
    // Mid-backlog: all six are in the outbox (queued, refused, waiting to be retried).
    let hook: serde_json::Value = hook.json().await.expect("json");
    let deliveries = format!("{}/api/v1/webhooks/{}/deliveries", server.base, hook["id"].as_str().expect("id"));
    let mut queued = 0;
    for _ in 0..100 {
        let list: serde_json::Value = client.get(&deliveries).bearer_auth(&token).send().await.expect("list").json().await.expect("json");
        queued = list["items"].as_array().map_or(0, Vec::len);
        if queued == 6 {
            break;
        }
        // The outbox has no event of its own to wait for; look again shortly (bounded).
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(queued, 6, "the backlog is queued before the crash");
    server.kill9();
    let _ = down.kill();
    let _ = down.wait();

    let (mut up, mut lines) = receiver(port, 0);
    assert_eq!(next_line(&mut lines).await, "READY");
    let server = common::server::start(dir.path(), None);
    let mut seqs = std::collections::BTreeSet::new();
    while seqs.len() < 6 {
        let line = next_line(&mut lines).await;
        assert!(line.starts_with("OK "), "{line}");
        seqs.insert(line.split_whitespace().nth(1).and_then(|s| s.parse::<u64>().ok()).expect("seq"));
    }
    assert_eq!(seqs.len(), 6, "the webhook's creation and five extensions: {seqs:?}");
    server.kill9();
    let _ = up.kill();
    let _ = up.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_secret_is_shown_once_and_signs_deliveries() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Tcp);
    let hook = app
        .create("/api/v1/webhooks", json!({"url": format!("http://127.0.0.1:{port}/"), "event_types": ["webhook.test"]}))
        .await;
    let secret = hook["generated_secret"].as_str().expect("a generated secret in the create answer").to_owned();
    assert!(secret.starts_with("whsec_"));
    let id = hook["id"].as_str().expect("id");
    let (_, got) = app.get(&format!("/api/v1/webhooks/{id}")).await;
    assert!(got.get("generated_secret").is_none(), "shown once: {got}");
    assert!(!got.to_string().contains(&secret));
    let (mut child, mut rx) = receiver_with(port, &secret, 0);
    assert_eq!(next_line(&mut rx).await, "READY");
    let (status, sent) = app.post(&format!("/api/v1/webhooks/{id}/test"), json!({})).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(next_line(&mut rx).await, format!("OK {} webhook.test", sent["seq"]));
    let _ = child.kill();
    let _ = child.wait();
    app.stop().await;
}

/// Reads one HTTP request (head and body) from `stream`; returns its `webhook-id`.
async fn read_request(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(15), stream.read(&mut chunk)).await.expect("a request in time").expect("read");
        assert!(n > 0, "the connection closed mid-request");
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).into_owned();
        let Some(end) = text.find("\r\n\r\n") else { continue };
        let header = |name: &str| {
            text[..end].lines().find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_owned()))
        };
        let length: usize = header("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
        if buf.len() >= end + 4 + length {
            return header("webhook-id").expect("webhook-id");
        }
    }
}

on_both_backends!(redelivery_in_flight, super::a_redelivery_requested_while_an_attempt_is_in_flight_is_not_lost);

async fn a_redelivery_requested_while_an_attempt_is_in_flight_is_not_lost(app: &TestApp) {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hooks", listener.local_addr().expect("addr"));
    let hook = app.create("/api/v1/webhooks", json!({"url": url, "event_types": ["call.*"], "secret": SECRET})).await;
    let hook_id = hook["id"].as_str().expect("id").to_owned();
    let (status, _) = app.post(&format!("/api/v1/webhooks/{hook_id}/test"), json!({})).await;
    assert_eq!(status, reqwest::StatusCode::OK);

    // The first attempt arrives; the receiver holds its answer while the delivery is
    // redelivered, then answers 200.
    let (mut first, _) = tokio::time::timeout(Duration::from_secs(15), listener.accept()).await.expect("in time").expect("accept");
    let id = read_request(&mut first).await;
    let (status, body) = app.post(&format!("/api/v1/webhooks/{hook_id}/deliveries/{id}/redeliver"), json!({})).await;
    assert!(status.is_success(), "{body}");
    first.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await.expect("answer");
    drop(first);

    // The redelivery still happens: the same delivery arrives again.
    let (mut second, _) = tokio::time::timeout(Duration::from_secs(15), listener.accept()).await.expect("a second attempt").expect("accept");
    assert_eq!(read_request(&mut second).await, id);
    second.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").await.expect("answer");
}

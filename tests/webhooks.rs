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
    let mut receiver = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/webhook_receiver.py"))
        .args([&port.to_string(), SECRET, "3"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let stdout = receiver.stdout.take().expect("stdout");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
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

    let (_, list) = app.get(&format!("/api/v1/webhooks/{}/deliveries", hook["id"].as_str().expect("id"))).await;
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 6);
    assert!(items.iter().all(|d| d["state"] == "delivered"), "{list}");
    assert!(items.iter().any(|d| d["attempts"].as_u64() > Some(1)), "some needed retries: {list}");
    let _ = receiver.kill();
    let _ = receiver.wait();
    app.stop().await;
}

async fn next_line(rx: &mut tokio::sync::mpsc::UnboundedReceiver<String>) -> String {
    tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.expect("receiver output in time").expect("line")
}

//! Several nodes on one PostgreSQL: what one node commits reaches the others (the change
//! log, woken by LISTEN/NOTIFY), and a token from one node works on every node.

mod common;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

/// Polls `check` (bounded, 5 s): for state that has no event on the node that takes it in
/// (bans and security settings adopted from another node).
async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{what} never happened");
}

/// Waits for `config.changed` about resource `id` with `action` on a node's bus (skipping
/// the node's own earlier announcements).
async fn changed(bus: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<callplane::events::Event>>, action: &str, id: &str) {
    loop {
        let e = common::wait_for(bus, "config.changed").await;
        if e.data["action"] == action && e.data["id"] == id {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn a_change_on_one_node_reaches_every_node() {
    let Some(n1) = common::TestApp::spawn(common::Backend::Postgres).await else { return };
    let n2 = n1.join().await;
    let n3 = n1.join().await;
    let (mut on2, mut on3) = (n2.app.state.bus.subscribe(), n3.app.state.bus.subscribe());

    // Created on node 1: node 2 and node 3 announce it and can route to it. The time from
    // node 1's answer to each other node's announcement is the fan-out latency.
    let mut latencies = vec![];
    let mut ids = vec![];
    for i in 0..20 {
        let number = format!("30{i:02}");
        let created = n1.create("/api/v1/extensions", json!({"number": number, "password": "correct horse battery"})).await;
        let answered = Instant::now();
        for (bus, node) in [(&mut on2, &n2), (&mut on3, &n3)] {
            let seen = common::wait_for(bus, "config.changed").await;
            latencies.push(answered.elapsed());
            assert_eq!((seen.data["resource"].as_str(), seen.data["id"].as_str()), (Some("extension"), created["id"].as_str()), "{}", seen.data);
            assert!(node.app.state.snapshot.get().extension_by_number(&number).is_some(), "{number} is in the node's snapshot");
        }
        ids.push(created["id"].as_str().expect("id").to_owned());
    }
    latencies.sort();
    eprintln!("fan-out latency over {} changes: p50 {:?}, p99 {:?}, max {:?}", latencies.len(), latencies[latencies.len() / 2], latencies[latencies.len() * 99 / 100], latencies[latencies.len() - 1]);

    // Changed on node 2, seen on node 1 and node 3; deleted on node 3, gone on 1 and 2.
    let mut on1 = n1.app.state.bus.subscribe();
    let (status, body) = n2.patch(&format!("/api/v1/extensions/{}", ids[0]), json!({"display_name": "Reception"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    changed(&mut on1, "updated", &ids[0]).await;
    changed(&mut on3, "updated", &ids[0]).await;
    for node in [&n1, &n3] {
        let snapshot = node.app.state.snapshot.get();
        let entry = snapshot.extensions.get(&ids[0]).expect("still there");
        assert_eq!(entry.extension.display_name, "Reception");
    }
    let (status, _) = n3.delete(&format!("/api/v1/extensions/{}", ids[1])).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for bus in [&mut on1, &mut on2] {
        changed(bus, "deleted", &ids[1]).await;
    }
    assert!(n1.app.state.snapshot.get().extension_by_number("3001").is_none());
    assert!(n2.app.state.snapshot.get().extension_by_number("3001").is_none());

    // A token minted on node 1 works on node 3 (one signing key); revoked on node 1, node 3
    // refuses it as soon as it has the change.
    let token = n1.token("read", "1h").await;
    let (status, _) = n3.call_as(&token, reqwest::Method::GET, "/api/v1/extensions", None).await;
    assert_eq!(status, StatusCode::OK, "node 3 accepts node 1's token");
    let (_, tokens) = n1.get("/api/v1/api-tokens").await;
    let id = tokens["items"].as_array().expect("items").iter().find(|t| t["scope"] == "read").expect("the read token")["id"].as_str().expect("id").to_owned();
    let (status, _) = n1.delete(&format!("/api/v1/api-tokens/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    changed(&mut on3, "updated", &id).await;
    let (status, _) = n3.call_as(&token, reqwest::Method::GET, "/api/v1/extensions", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "node 3 refuses the revoked token");

    // Security settings changed on node 2 are in force on node 1; a ban made on node 1 is
    // in force on node 3.
    let (status, body) = n2.patch("/api/v1/security/settings", json!({"rate_limit": {"enabled": true, "requests_per_s": 7, "burst": 9}})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    eventually("node 1 taking node 2's rate limit", async || n1.get("/api/v1/security/settings").await.1["rate_limit"]["requests_per_s"] == 7).await;
    let (status, body) = n1.post("/api/v1/security/bans", json!({"ip": "192.0.2.77", "duration_s": 600})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    eventually("node 3 taking node 1's ban", async || {
        let (_, bans) = n3.get("/api/v1/security/bans").await;
        bans.as_array().is_some_and(|b| b.iter().any(|b| b["ip"] == "192.0.2.77"))
    })
    .await;
    let (status, _) = n1.delete("/api/v1/security/bans/192.0.2.77").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    eventually("node 3 lifting the ban", async || {
        let (_, bans) = n3.get("/api/v1/security/bans").await;
        bans.as_array().is_some_and(|b| b.iter().all(|b| b["ip"] != "192.0.2.77"))
    })
    .await;

    n3.stop().await;
    n2.stop().await;
    n1.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn a_node_that_was_down_catches_up_from_the_change_log() {
    let Some(n1) = common::TestApp::spawn(common::Backend::Postgres).await else { return };
    let n2 = n1.join().await;
    let n2_dir = n2.data_dir.path().to_owned();
    // Node 2 stops (keeping its data dir, so it comes back as the same node); node 1
    // changes things meanwhile: nobody is listening on node 2's side.
    let node2 = n2.app.state.provisioner.store().node().to_owned();
    let keep = n2.data_dir;
    n2.app.stop().await;
    let created = n1.create("/api/v1/extensions", json!({"number": "4100", "password": "correct horse battery"})).await;
    // Back: it starts from the store, so it has the change, and is still node 2.
    let mut config = common::test_config(n2_dir, n1.database_url.clone());
    config.http_listen = "127.0.0.1:0".parse().expect("addr");
    let app = callplane::App::start(config).await.expect("restart node 2");
    assert_eq!(app.state.provisioner.store().node(), node2);
    assert!(app.state.snapshot.get().extensions.contains_key(created["id"].as_str().expect("id")));
    // And it follows again: a change on node 1 reaches it.
    let mut bus = app.state.bus.subscribe();
    n1.create("/api/v1/extensions", json!({"number": "4101", "password": "correct horse battery"})).await;
    common::wait_for(&mut bus, "config.changed").await;
    assert!(app.state.snapshot.get().extension_by_number("4101").is_some());
    app.stop().await;
    drop(keep);
    n1.stop().await;
}

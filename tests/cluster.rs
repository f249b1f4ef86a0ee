//! Several nodes on one PostgreSQL: what one node commits reaches the others (the change
//! log, woken by LISTEN/NOTIFY), and a token from one node works on every node.

mod common;

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

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

/// Waits (bounded, 5 s) until `node`'s snapshot satisfies `check`, woken by each of its
/// changes.
async fn until(node: &common::TestApp, what: &str, check: impl Fn(&callplane::snapshot::Snapshot) -> bool) {
    let mut changes = node.app.state.snapshot.watch();
    let waited = tokio::time::timeout(Duration::from_secs(5), async {
        while !check(&node.app.state.snapshot.get()) {
            changes.changed().await.expect("snapshot alive");
        }
    })
    .await;
    assert!(waited.is_ok(), "{what} never happened");
}

/// Through the edge the ACK may arrive after the BYE behind it (its worker processes can
/// reorder UDP; a UAS takes the BYE either way, RFC 3261 section 15.1.2): the callee
/// scenario is told so.
const ACK_IN_ORDER: &str = r#"<recv request="ACK"/>"#;
const ACK_ANY_ORDER: &str = r#"<recv request="ACK" optional="true"/>"#;

/// The seqs of the next `n` `config.changed` events of a node's feed (bounded wait).
async fn config_events(feed: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<callplane::events::Event>>, n: usize) -> Vec<u64> {
    let mut seqs = Vec::new();
    while seqs.len() < n {
        seqs.push(common::wait_for(feed, "config.changed").await.seq);
    }
    seqs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn a_change_on_one_node_reaches_every_node() {
    let Some(n1) = common::TestApp::spawn(common::Backend::Postgres).await else { return };
    let n2 = n1.join().await;
    let n3 = n1.join().await;
    let (mut on1, mut on2, mut on3) = (n1.app.state.feed.subscribe(), n2.app.state.feed.subscribe(), n3.app.state.feed.subscribe());

    // Created on node 1: node 2 and node 3 can route to it. The time from node 1's answer
    // to each other node's snapshot having it is the fan-out latency.
    let mut latencies = vec![];
    let mut ids = vec![];
    for i in 0..20 {
        let number = format!("30{i:02}");
        let created = n1.create("/api/v1/extensions", json!({"number": number, "password": "correct horse battery"})).await;
        let answered = Instant::now();
        for node in [&n2, &n3] {
            until(node, &format!("{number} on another node"), |s| s.extension_by_number(&number).is_some()).await;
            latencies.push(answered.elapsed());
        }
        ids.push(created["id"].as_str().expect("id").to_owned());
    }
    latencies.sort();
    eprintln!("fan-out latency over {} changes: p50 {:?}, p99 {:?}, max {:?}", latencies.len(), latencies[latencies.len() / 2], latencies[latencies.len() * 99 / 100], latencies[latencies.len() - 1]);
    // One event per change, in one stream: every node's feed shows the same 20 events with
    // the same seqs, and nothing more of them.
    let seen = config_events(&mut on1, 20).await;
    assert_eq!(config_events(&mut on2, 20).await, seen);
    assert_eq!(config_events(&mut on3, 20).await, seen);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "in seq order: {seen:?}");
    assert!(on2.try_recv().is_err() && on3.try_recv().is_err(), "no second copy");

    // Changed on node 2, seen on node 1 and node 3; deleted on node 3, gone on 1 and 2.
    let (status, body) = n2.patch(&format!("/api/v1/extensions/{}", ids[0]), json!({"display_name": "Reception"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for node in [&n1, &n3] {
        until(node, "the new name on another node", |s| s.extensions.get(&ids[0]).is_some_and(|e| e.extension.display_name == "Reception")).await;
    }
    let (status, _) = n3.delete(&format!("/api/v1/extensions/{}", ids[1])).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for node in [&n1, &n2] {
        until(node, "the deletion on another node", |s| s.extension_by_number("3001").is_none()).await;
    }

    // A token minted on node 1 works on node 3 (one signing key); revoked on node 1, node 3
    // refuses it as soon as it has the change.
    let token = n1.token("read", "1h").await;
    let (status, _) = n3.call_as(&token, reqwest::Method::GET, "/api/v1/extensions", None).await;
    assert_eq!(status, StatusCode::OK, "node 3 accepts node 1's token");
    let (_, tokens) = n1.get("/api/v1/api-tokens").await;
    let id = tokens["items"].as_array().expect("items").iter().find(|t| t["scope"] == "read").expect("the read token")["id"].as_str().expect("id").to_owned();
    let mut changes = n3.app.state.snapshot.watch();
    let (status, _) = n1.delete(&format!("/api/v1/api-tokens/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // Node 3 takes the revocation before its snapshot moves on: checked at each change.
    tokio::time::timeout(Duration::from_secs(5), async {
        while n3.app.state.signer.verify(&token).is_ok() {
            changes.changed().await.expect("snapshot alive");
        }
    })
    .await
    .expect("node 3 takes the revocation");
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
    let mut changes = app.state.snapshot.watch();
    n1.create("/api/v1/extensions", json!({"number": "4101", "password": "correct horse battery"})).await;
    tokio::time::timeout(Duration::from_secs(5), async {
        while app.state.snapshot.get().extension_by_number("4101").is_none() {
            changes.changed().await.expect("snapshot alive");
        }
    })
    .await
    .expect("node 2 follows node 1 again");
    app.stop().await;
    drop(keep);
    n1.stop().await;
}

/// A node killed during an answered call: another node sees it silent (no heartbeat for
/// 15 s), writes the call's CDR (`node_lost`) once and sends both phones a BYE.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn another_node_finishes_the_calls_of_a_node_that_died() {
    use common::sipp::{SippCmd, Transport, free_port};
    let Some(url) = common::postgres_database().await else { return };
    let (dir_a, dir_b) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
    let a = common::server::start(dir_a.path(), Some(&url));
    let b = common::server::start(dir_b.path(), Some(&url));
    let token = std::fs::read_to_string(dir_a.path().join("admin.token")).expect("token").trim().to_owned();
    let client = reqwest::Client::new();
    for body in [json!({"number": "1001", "password": common::office::CALLER_PW}), json!({"number": "1002", "ip_auth": ["127.0.0.1"]})] {
        let resp = client.post(format!("{}/api/v1/extensions", a.base)).bearer_auth(&token).json(&body).send().await.expect("create");
        assert_eq!(resp.status(), StatusCode::CREATED);
    }
    let port = free_port("127.0.0.1", Transport::Udp);
    let registered = SippCmd::new("register_without_auth.xml", a.sip, port).arg("-s").arg("1002").run().await;
    assert!(registered.success, "{}", registered.log);
    let callee = SippCmd::new("uas_answer.xml", a.sip, port).spawn();
    let caller = SippCmd::caller("uac_call_callee_hangs_up.xml", a.sip, "1001", common::office::CALLER_PW, "1002").spawn();
    assert!(a.answered_call(&client, &token, "").await.is_some(), "the call was never answered");
    a.kill9();

    // Node B, which never had the call, ends it for the dead node.
    let (caller, callee) = (caller.wait().await, callee.wait().await);
    assert!(caller.success, "the caller got a BYE from node B: {}", caller.log);
    assert!(callee.success, "the callee got a BYE from node B: {}", callee.log);
    let cdrs: Value = client.get(format!("{}/api/v1/cdrs", b.base)).bearer_auth(&token).send().await.expect("cdrs").json().await.expect("json");
    let items = cdrs["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{cdrs}");
    assert_eq!(items[0]["hangup_reason"], "node_lost", "{cdrs}");
    b.kill9();
}

/// A phone registered with node 1 is reached by a call placed on node 2: node 2 takes in
/// node 1's registration (notified through PostgreSQL), and drops it when it goes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn a_phone_registered_on_one_node_is_called_through_another() {
    use common::sipp::{SippCmd, Transport, free_port};
    let Some(n1) = common::TestApp::spawn(common::Backend::Postgres).await else { return };
    let n2 = n1.join().await;
    n1.create("/api/v1/extensions", json!({"number": "1001", "password": common::office::CALLER_PW})).await;
    n1.create("/api/v1/extensions", json!({"number": "1002", "ip_auth": ["127.0.0.1"]})).await;
    let port = free_port("127.0.0.1", Transport::Udp);
    let registered = SippCmd::new("register_without_auth.xml", n1.sip_target(), port).arg("-s").arg("1002").run().await;
    assert!(registered.success, "{}", registered.log);
    eventually("node 2 taking node 1's registration", async || !n2.app.state.sip.as_ref().expect("sip").registrar.table.lookup("1002", chrono::Utc::now()).is_empty()).await;
    let (_, regs) = n2.get("/api/v1/registrations").await;
    let node1 = n1.app.state.provisioner.store().node().to_owned();
    assert_eq!(regs["items"][0]["node"], node1.as_str(), "node 2 lists the binding as node 1's: {regs}");

    let callee = SippCmd::new("uas_answer.xml", n1.sip_target(), port).spawn();
    let caller = SippCmd::caller("uac_call.xml", n2.sip_target(), "1001", common::office::CALLER_PW, "1002").run().await;
    let callee = callee.wait().await;
    common::office::assert_all(&[&caller, &callee]);

    // Unregistered on node 1: gone on node 2 as well.
    let gone = SippCmd::new("register_without_auth.xml", n1.sip_target(), port).substitute("Expires: 120", "Expires: 0").arg("-s").arg("1002").run().await;
    assert!(gone.success, "{}", gone.log);
    eventually("node 2 dropping the registration", async || n2.app.state.sip.as_ref().expect("sip").registrar.table.lookup("1002", chrono::Utc::now()).is_empty()).await;
    n2.stop().await;
    n1.stop().await;
}

/// A call on node 1 is listed by node 2 (naming node 1) and hung up through node 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn a_call_is_listed_and_hung_up_from_any_node() {
    use common::sipp::{SippCmd, Transport, free_port};
    let Some(n1) = common::TestApp::spawn(common::Backend::Postgres).await else { return };
    let n2 = n1.join().await;
    n1.create("/api/v1/extensions", json!({"number": "1001", "password": common::office::CALLER_PW})).await;
    n1.create("/api/v1/extensions", json!({"number": "1002", "ip_auth": ["127.0.0.1"]})).await;
    let port = free_port("127.0.0.1", Transport::Udp);
    let registered = SippCmd::new("register_without_auth.xml", n1.sip_target(), port).arg("-s").arg("1002").run().await;
    assert!(registered.success, "{}", registered.log);
    let mut on1 = n1.app.state.feed.subscribe();
    let callee = SippCmd::new("uas_answer.xml", n1.sip_target(), port).spawn();
    let caller = SippCmd::caller("uac_call_callee_hangs_up.xml", n1.sip_target(), "1001", common::office::CALLER_PW, "1002").spawn();
    let answered = common::wait_for(&mut on1, "call.answered").await;
    let id = answered.data["call_id"].as_str().expect("id").to_owned();

    let node1 = n1.app.state.provisioner.store().node().to_owned();
    let (_, all) = n2.get("/api/v1/calls").await;
    assert_eq!((all["total"].as_i64(), all["items"][0]["id"].as_str(), all["items"][0]["node"].as_str()), (Some(1), Some(id.as_str()), Some(node1.as_str())), "{all}");
    assert_eq!(all["items"][0]["state"], "answered", "{all}");
    let (_, own) = n2.get("/api/v1/calls?local=true").await;
    assert_eq!(own["total"], 0, "node 2 itself has no call: {own}");

    let (status, body) = n2.delete(&format!("/api/v1/calls/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let ended = common::wait_for(&mut on1, "call.ended").await;
    assert_eq!((ended.data["call_id"].as_str(), ended.data["hangup_side"].as_str()), (Some(id.as_str()), Some("api")), "{}", ended.data);
    let (caller, callee) = (caller.wait().await, callee.wait().await);
    common::office::assert_all(&[&caller, &callee]);
    let (status, _) = n2.delete(&format!("/api/v1/calls/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no node has it any more");
    n2.stop().await;
    n1.stop().await;
}

/// The shipped edge (`deploy/kamailio/callplane-edge.cfg`) in front of two nodes: a phone
/// registers through it (with Path), a call through it reaches the phone through it, and
/// when the node that carried the call is killed the next call goes to the other node.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn phones_behind_the_edge_are_served_by_either_node_and_a_dead_node_is_skipped() {
    use common::sipp::{SippCmd, Transport, free_port};
    let Some(url) = common::postgres_database().await else { return };
    let (dir_a, dir_b) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
    let mut nodes = vec![Some(common::server::start(dir_a.path(), Some(&url))), Some(common::server::start(dir_b.path(), Some(&url)))];
    let token = std::fs::read_to_string(dir_a.path().join("admin.token")).expect("token").trim().to_owned();
    let client = reqwest::Client::new();
    let base = nodes[0].as_ref().expect("node").base.clone();
    for body in [json!({"number": "1001", "password": common::office::CALLER_PW}), json!({"number": "1002", "ip_auth": ["127.0.0.1"]})] {
        let resp = client.post(format!("{base}/api/v1/extensions")).bearer_auth(&token).json(&body).send().await.expect("create");
        assert_eq!(resp.status(), StatusCode::CREATED);
    }
    let list_dir = tempfile::tempdir().expect("dir");
    let list = list_dir.path().join("nodes.list");
    let lines: String = nodes.iter().flatten().map(|n| format!("1 sip:{}\n", n.sip)).collect();
    std::fs::write(&list, lines).expect("nodes list");
    let edge_port = free_port("127.0.0.1", Transport::Udp);
    let edge_addr: std::net::SocketAddr = format!("127.0.0.1:{edge_port}").parse().expect("addr");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/kamailio/callplane-edge.cfg");
    let edge = common::kamailio::Kamailio::start_file(&path, &[("udp:127.0.0.1:5060", format!("udp:{edge_addr}")), ("/etc/kamailio/callplane-nodes.list", list.display().to_string())]);
    edge.wait_ready(edge_addr).await;

    // 1002 registers through the edge: the binding carries the edge's Path.
    let port = free_port("127.0.0.1", Transport::Udp);
    let registered = SippCmd::new("register_without_auth.xml", edge_addr, port).arg("-s").arg("1002").run().await;
    assert!(registered.success, "{}\n{}", registered.log, edge.log());
    // Whichever node took it, both hold it (node A may hear of it a moment later).
    for node in nodes.iter().flatten() {
        let url = format!("{}/api/v1/registrations", node.base);
        eventually("both nodes holding the registration with the edge's Path", async || {
            let regs: Value = client.get(&url).bearer_auth(&token).send().await.expect("regs").json().await.expect("json");
            regs["items"][0]["path"][0].as_str().is_some_and(|p| p.contains(&edge_port.to_string()))
        })
        .await;
    }

    // A call through the edge reaches 1002 through the edge; it stays up until hung up
    // through the API, so the node carrying it can be found.
    let callee = SippCmd::new("uas_answer.xml", edge_addr, port).substitute(ACK_IN_ORDER, ACK_ANY_ORDER).spawn();
    let caller = SippCmd::caller("uac_call_callee_hangs_up.xml", edge_addr, "1001", common::office::CALLER_PW, "1002").spawn();
    // The first node listing it carries it (a node lists its own with local=true).
    let mut carrier = None;
    for (i, node) in nodes.iter().enumerate() {
        if let Some(id) = node.as_ref().expect("node").answered_call(&client, &token, "local=true").await {
            carrier = Some((i, id));
            break;
        }
    }
    let (carrier, id) = carrier.unwrap_or_else(|| panic!("no node carries the call:\n{}", edge.log()));
    let resp = client.delete(format!("{base}/api/v1/calls/{id}")).bearer_auth(&token).send().await.expect("hang up");
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let (caller, callee) = (caller.wait().await, callee.wait().await);
    assert!(caller.success && callee.success, "{}\n{}\n{}", caller.log, callee.log, edge.log());

    // The carrier stores the call's CDR behind its end; it is killed once that is done (a
    // kill in between is the node-lost case, tested in `another_node_finishes_...`).
    let carrier_base = nodes[carrier].as_ref().expect("carrier").base.clone();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let cdrs: Value = client.get(format!("{carrier_base}/api/v1/cdrs")).bearer_auth(&token).send().await.expect("cdrs").json().await.expect("json");
        if cdrs["total"] == 1 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the first call's CDR was not stored: {cdrs}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The carrier is killed. The edge hashes the From user, so the next call from 1001
    // goes to that node first: it does not answer, the edge takes the other node.
    nodes[carrier].take().expect("carrier").kill9();
    let survivor = nodes[1 - carrier].as_ref().expect("survivor");
    let callee = SippCmd::new("uas_answer.xml", edge_addr, port).substitute(ACK_IN_ORDER, ACK_ANY_ORDER).spawn();
    let caller = SippCmd::caller("uac_call.xml", edge_addr, "1001", common::office::CALLER_PW, "1002").run().await;
    let callee = callee.wait().await;
    assert!(caller.success && callee.success, "after the carrier died: {}\n{}\n{}", caller.log, callee.log, edge.log());
    // The CDR writer stores behind the call's end: bounded wait for the second one.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let cdrs = loop {
        let cdrs: Value = client.get(format!("{}/api/v1/cdrs", survivor.base)).bearer_auth(&token).send().await.expect("cdrs").json().await.expect("json");
        if cdrs["total"] == 2 || std::time::Instant::now() > deadline {
            break cdrs;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(cdrs["total"], 2, "{cdrs}");
    for n in nodes.into_iter().flatten() {
        n.kill9();
    }
}

/// The signing key rotates across the cluster: a key added on node 1 signs new tokens that
/// node 2 accepts; tokens of the old key stay valid on both until it is retired, then both
/// refuse them. The key that signs cannot be retired.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn the_signing_key_rotates_on_every_node() {
    let Some(n1) = common::TestApp::spawn(common::Backend::Postgres).await else { return };
    let n2 = n1.join().await;
    let old = n1.admin.clone();
    let (status, added) = n1.post("/api/v1/security/signing-keys", json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let new_id = added["id"].as_str().expect("id").to_owned();
    let fresh = n1.token("admin", "1h").await;
    eventually("node 2 accepting a token of the new key", async || n2.app.state.signer.verify(&fresh).is_ok()).await;
    for node in [&n1, &n2] {
        let (status, _) = node.call_as(&old, reqwest::Method::GET, "/api/v1/extensions", None).await;
        assert_eq!(status, StatusCode::OK, "the old key's token is still valid");
    }
    let (_, keys) = n2.call_as(&fresh, reqwest::Method::GET, "/api/v1/security/signing-keys", None).await;
    let listed: Vec<(String, bool)> = keys["items"].as_array().expect("items").iter().map(|k| (k["id"].as_str().expect("id").to_owned(), k["signing"] == true)).collect();
    assert_eq!(listed, [("first".to_owned(), false), (new_id.clone(), true)], "{keys}");

    let (status, body) = n2.call_as(&fresh, reqwest::Method::DELETE, &format!("/api/v1/security/signing-keys/{new_id}"), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "the signing key stays: {body}");
    let (status, body) = n2.call_as(&fresh, reqwest::Method::DELETE, "/api/v1/security/signing-keys/first", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, _) = n2.call_as(&old, reqwest::Method::GET, "/api/v1/extensions", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "refused at once where it was retired");
    eventually("node 1 refusing the retired key's token", async || n1.app.state.signer.verify(&old).is_err()).await;
    let (status, _) = n1.call_as(&fresh, reqwest::Method::GET, "/api/v1/extensions", None).await;
    assert_eq!(status, StatusCode::OK);
    n2.stop().await;
    n1.stop().await;
}

/// A registration expires once across the cluster, whichever node gets there first, and
/// still expires when the node that took it is gone: one `registration.expired` each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn a_registration_expires_once_even_when_its_node_is_gone() {
    use common::sipp::{SippCmd, Transport, free_port};
    let Some(n1) = common::TestApp::spawn_with(common::Backend::Postgres, |c| c.sip.min_expires = 2).await else { return };
    let n2 = n1.join_with(|c| c.sip.min_expires = 2).await;
    for number in ["1001", "1002"] {
        n1.create("/api/v1/extensions", json!({"number": number, "password": "correct horse battery"})).await;
    }
    let mut feed = n2.app.state.feed.subscribe();
    let register = |number: &str| {
        SippCmd::new("register_short.xml", n1.sip_target(), free_port("127.0.0.1", Transport::Udp)).arg("-s").arg(number).arg("-au").arg(number).arg("-ap").arg("correct horse battery")
    };
    let expired_of = async |feed: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<callplane::events::Event>>, aor: &str| loop {
        let e = common::wait_for(feed, "registration.expired").await;
        if e.data["aor"] == aor {
            return e.seq;
        }
    };
    // Both nodes alive: both see it expire, one expiry is stored.
    let r = register("1001").run().await;
    assert!(r.success, "{}", r.log);
    let first = expired_of(&mut feed, "1001").await;
    // The node that took it stops: the other expires it.
    let r = register("1002").run().await;
    assert!(r.success, "{}", r.log);
    let store = n1.app.state.provisioner.store().clone();
    n1.stop().await;
    let second = expired_of(&mut feed, "1002").await;
    assert!(second > first);
    let log = n2.app.state.provisioner.store().events_after(0, 1000).await.expect("log");
    let expiries: Vec<String> = log.iter().filter(|e| e.kind == "registration.expired").map(|e| e.data["aor"].as_str().unwrap_or_default().to_owned()).collect();
    assert_eq!(expiries, ["1001", "1002"], "one expiry each");
    assert!(store.pool().is_closed());
    let (_, regs) = n2.get("/api/v1/registrations").await;
    assert_eq!(regs["total"], 0, "{regs}");
    n2.stop().await;
}

//! Three nodes on one PostgreSQL behind the shipped edge, under load (sipp calls at 50/s
//! plus registrations), one node killed with SIGKILL and restarted: the edge stops sending
//! to it within 5 s, new calls keep succeeding, no binding is lost, the event stream read
//! across nodes has no gap and no duplicate, each webhook event arrives, and the node
//! rejoins.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};

use common::sipp::{Transport, free_port};

const CALLERS: u32 = 40;
const PHONES: u32 = 200;

/// A sipp run of many calls from `ip`, reading users from `users` (one per line).
struct Load {
    child: Option<Child>,
    dir: tempfile::TempDir,
}

impl Load {
    fn start(scenario: &str, target: SocketAddr, ip: &str, users: &[String], args: &[&str]) -> Load {
        let dir = tempfile::tempdir().expect("dir");
        let csv = dir.path().join("users.csv");
        std::fs::write(&csv, format!("SEQUENTIAL\n{}\n", users.join("\n"))).expect("users");
        let port = free_port(ip, Transport::Udp);
        let child = Command::new("sipp")
            .current_dir(dir.path())
            .arg(target.to_string())
            .arg("-sf")
            .arg(format!("{}/tests/scenarios/{scenario}", env!("CARGO_MANIFEST_DIR")))
            .arg("-inf")
            .arg(&csv)
            // A call ringing on the node that dies waits for the edge's INVITE timer (2
            // minutes after a 180): such a call is given up after 20 s and counted failed.
            .args(["-i", ip, "-p", &port.to_string(), "-nostdin", "-timeout", "90s", "-recv_timeout", "20000", "-trace_stat", "-stf"])
            .arg(dir.path().join("stats.csv"))
            .args(["-trace_err", "-error_file"])
            .arg(dir.path().join("errors.log"))
            // A provisional response the edge relays after the final one (its processes
            // may reorder UDP) is ignored, as a client transaction does (RFC 3261 section
            // 17.1.1.2), not taken for a broken call.
            .args(["-default_behaviors", "all,-abortunexp"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sipp");
        Load { child: Some(child), dir }
    }

    /// Waits for the end (bounded: sipp's own timeouts, then 2 minutes before it is
    /// killed); (successful, failed) calls.
    async fn finish(mut self) -> (u64, u64, String) {
        if let Some(mut child) = self.child.take() {
            let pid = child.id().to_string();
            let waited = tokio::time::timeout(Duration::from_secs(120), tokio::task::spawn_blocking(move || child.wait())).await;
            if waited.is_err() {
                let _ = Command::new("kill").args(["-KILL", &pid]).status();
            }
        }
        let stats = std::fs::read_to_string(self.dir.path().join("stats.csv")).unwrap_or_default();
        let errors = std::fs::read_to_string(self.dir.path().join("errors.log")).unwrap_or_default();
        let mut lines = stats.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split(';').collect();
        let last: Vec<&str> = lines.last().unwrap_or_default().split(';').collect();
        let column = |name: &str| header.iter().position(|h| *h == name).and_then(|i| last.get(i)).and_then(|v| v.parse().ok()).unwrap_or(0);
        let tail: String = errors.lines().rev().take(20).collect::<Vec<_>>().join("\n");
        (column("SuccessfulCall(C)"), column("FailedCall(C)"), tail)
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A child process ended by SIGKILL when dropped (a failing test leaves none behind).
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A node: its process, its fixed addresses (it restarts where the edge expects it).
struct Node {
    server: Option<common::server::Server>,
    dir: tempfile::TempDir,
    http: SocketAddr,
    sip: SocketAddr,
}

impl Node {
    fn start(url: &str, ip: &str) -> Node {
        let dir = tempfile::tempdir().expect("dir");
        let http: SocketAddr = format!("{ip}:{}", free_port(ip, Transport::Tcp)).parse().expect("addr");
        let sip: SocketAddr = format!("{ip}:{}", free_port(ip, Transport::Udp)).parse().expect("addr");
        let server = common::server::start_on(dir.path(), Some(url), &http.to_string(), &sip.to_string());
        Node { server: Some(server), dir, http, sip }
    }

    fn restart(&mut self, url: &str) {
        self.server = Some(common::server::start_on(self.dir.path(), Some(url), &self.http.to_string(), &self.sip.to_string()));
    }

    fn base(&self) -> String {
        format!("http://{}", self.http)
    }
}

/// Waits (bounded) until the edge's log has a line containing all of `words`.
async fn edge_logs(edge: &common::kamailio::Kamailio, words: &[&str], within: Duration) -> Option<Instant> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if edge.log().lines().any(|l| words.iter().all(|w| l.contains(w))) {
            return Some(Instant::now());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

/// The whole event log as one node serves it: (seq, id) in order.
async fn event_log(client: &reqwest::Client, base: &str, token: &str) -> Vec<(u64, String)> {
    let mut all = Vec::new();
    let mut since = 0;
    loop {
        let page: Value = client
            .get(format!("{base}/api/v1/events/log?since_seq={since}&limit=1000"))
            .bearer_auth(token)
            .send()
            .await
            .expect("log")
            .json()
            .await
            .expect("json");
        for e in page["events"].as_array().expect("events") {
            all.push((e["seq"].as_u64().expect("seq"), e["id"].as_str().expect("id").to_owned()));
        }
        let next = page["next_since_seq"].as_u64().expect("next");
        if next == since || next >= page["last_seq"].as_u64().expect("last") {
            return all;
        }
        since = next;
    }
}

/// The seq of the `config.changed` that created webhook `id` (and how many events the log
/// holds).
async fn event_log_since(client: &reqwest::Client, base: &str, token: &str, id: &str) -> (usize, u64) {
    let page: Value = client
        .get(format!("{base}/api/v1/events/log?since_seq=0&limit=1000&types=config.changed"))
        .bearer_auth(token)
        .send()
        .await
        .expect("log")
        .json()
        .await
        .expect("json");
    let events = page["events"].as_array().expect("events");
    let created = events.iter().find(|e| e["data"]["id"] == id && e["data"]["action"] == "created").expect("the webhook's creation");
    (events.len(), created["seq"].as_u64().expect("seq"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn three_nodes_behind_the_edge_survive_a_sigkill_under_load() {
    let Some(url) = common::postgres_database().await else { return };
    let mut nodes = vec![Node::start(&url, "127.0.0.11"), Node::start(&url, "127.0.0.12"), Node::start(&url, "127.0.0.13")];
    let token = std::fs::read_to_string(nodes[0].dir.path().join("admin.token")).expect("token").trim().to_owned();
    let client = reqwest::Client::new();
    let base = nodes[0].base();
    let post = async |path: &str, body: Value| {
        let resp = client.post(format!("{base}{path}")).bearer_auth(&token).json(&body).send().await.expect("post");
        assert_eq!(resp.status(), StatusCode::CREATED, "{path} {body}");
    };

    // The edge in front, trusted by the nodes to name each request's source.
    let resp = client.patch(format!("{base}/api/v1/security/settings")).bearer_auth(&token).json(&json!({"edges": ["127.0.0.1"]})).send().await.expect("patch");
    assert_eq!(resp.status(), StatusCode::OK);
    let (caller_ips, phone_ip, callee_ip) = (["127.0.0.21", "127.0.0.22", "127.0.0.25", "127.0.0.26"], "127.0.0.23", "127.0.0.24");
    let callers: Vec<String> = (0..CALLERS).map(|i| format!("{}", 1100 + i)).collect();
    let phones: Vec<String> = (0..PHONES).map(|i| format!("{}", 3000 + i)).collect();
    for c in &callers {
        post("/api/v1/extensions", json!({"number": c, "ip_auth": caller_ips})).await;
    }
    for p in &phones {
        post("/api/v1/extensions", json!({"number": p, "ip_auth": [phone_ip]})).await;
    }
    post("/api/v1/extensions", json!({"number": "2000", "ip_auth": [callee_ip], "max_contacts": 1})).await;
    // A webhook receiver for every event.
    let hook_port = free_port("127.0.0.1", Transport::Tcp);
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let mut receiver = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/webhook_receiver.py"))
        .args([&hook_port.to_string(), secret, "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let (hook_tx, mut hooks) = tokio::sync::mpsc::unbounded_channel::<String>();
    let stdout = receiver.stdout.take().expect("stdout");
    let _receiver = Reaped(receiver);
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if hook_tx.send(line).is_err() {
                break;
            }
        }
    });
    assert_eq!(hooks.recv().await.as_deref(), Some("READY"));
    let hook: Value = client
        .post(format!("{base}/api/v1/webhooks"))
        .bearer_auth(&token)
        .json(&json!({"url": format!("http://127.0.0.1:{hook_port}/hook"), "event_types": ["*"], "secret": secret}))
        .send()
        .await
        .expect("webhook")
        .json()
        .await
        .expect("json");
    let hook_id = hook["id"].as_str().expect("id").to_owned();

    let list_dir = tempfile::tempdir().expect("dir");
    let list = list_dir.path().join("nodes.list");
    std::fs::write(&list, nodes.iter().map(|n| format!("1 sip:{}\n", n.sip)).collect::<String>()).expect("nodes list");
    let edge_addr: SocketAddr = format!("127.0.0.1:{}", free_port("127.0.0.1", Transport::Udp)).parse().expect("addr");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/kamailio/callplane-edge.cfg");
    let edge = common::kamailio::Kamailio::start_file(&path, &[("udp:127.0.0.1:5060", format!("udp:{edge_addr}")), ("/etc/kamailio/callplane-nodes.list", list.display().to_string())]);
    edge.wait_ready(edge_addr).await;

    // The callee registers through the edge and answers every call.
    let callee_port = free_port(callee_ip, Transport::Udp);
    let registered = common::sipp::SippCmd::new("register_without_auth.xml", edge_addr, callee_port).arg("-s").arg("2000").arg("-i").arg(callee_ip).run().await;
    assert!(registered.success, "{}", registered.log);
    // Through the edge the ACK may come after the BYE behind it (its workers can reorder
    // UDP; RFC 3261 section 15.1.2 has a UAS take the BYE either way).
    let callee_dir = tempfile::tempdir().expect("dir");
    let callee_scenario = callee_dir.path().join("uas.xml");
    let text = std::fs::read_to_string(format!("{}/tests/scenarios/uas_answer.xml", env!("CARGO_MANIFEST_DIR"))).expect("scenario");
    std::fs::write(&callee_scenario, text.replace(r#"<recv request="ACK"/>"#, r#"<recv request="ACK" optional="true"/>"#)).expect("scenario");
    let _callee = Command::new("sipp")
        .arg(edge_addr.to_string())
        .arg("-sf")
        .arg(&callee_scenario)
        .args(["-i", callee_ip, "-p", &callee_port.to_string(), "-nostdin", "-timeout", "150s"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(Reaped)
        .expect("sipp");

    // An event stream on node 2 (the one to be killed), read from the start of the load.
    let victim = 1;
    let ws_url = |node: &Node, since: u64| format!("ws://{}/api/v1/events?access_token={token}&since_seq={since}", node.http);
    let (mut stream, _) = tokio_tungstenite::connect_async(ws_url(&nodes[victim], 0)).await.expect("ws");
    let (seen_tx, mut seen_rx) = tokio::sync::mpsc::unbounded_channel::<(u64, String)>();
    let reader_tx = seen_tx.clone();
    let reader = tokio::spawn(async move {
        while let Some(Ok(msg)) = stream.next().await {
            if let tokio_tungstenite::tungstenite::Message::Text(text) = msg {
                let e: Value = serde_json::from_str(&text).expect("json");
                let _ = reader_tx.send((e["seq"].as_u64().expect("seq"), e["id"].as_str().expect("id").to_owned()));
            }
        }
    });

    // Load: 2 × 25 calls/s for 16 s, registrations at 20/s (every phone twice).
    let phase_a = [
        Load::start("load_uac.xml", edge_addr, caller_ips[0], &callers[..20], &["-s", "2000", "-r", "25", "-m", "400"]),
        Load::start("load_uac.xml", edge_addr, caller_ips[1], &callers[20..], &["-s", "2000", "-r", "25", "-m", "400"]),
    ];
    let registrations = Load::start("load_register.xml", edge_addr, phone_ip, &phones, &["-r", "20", "-m", &(2 * PHONES).to_string()]);
    tokio::time::sleep(Duration::from_secs(5)).await; // the load runs: wall-clock pacing, not synchronisation

    let killed = Instant::now();
    nodes[victim].server.take().expect("node").kill9();
    let victim_uri = nodes[victim].sip.to_string();
    let down = edge_logs(&edge, &["callplane node down", &victim_uri], Duration::from_secs(10)).await;
    let detected = down.map(|at| at.duration_since(killed)).unwrap_or_else(|| panic!("the edge never marked the node down:\n{}", edge.log()));
    eprintln!("the edge stopped using the killed node after {detected:?}");
    assert!(detected < Duration::from_secs(5), "{detected:?}");
    // The stream on the killed node ended: resume on node 3 from the last seq seen.
    let _ = tokio::time::timeout(Duration::from_secs(10), reader).await;
    let mut seen: Vec<(u64, String)> = std::iter::from_fn(|| seen_rx.try_recv().ok()).collect();
    let resume_from = seen.last().map_or(0, |(s, _)| *s);
    let (mut stream, _) = tokio_tungstenite::connect_async(ws_url(&nodes[2], resume_from)).await.expect("ws on node 3");
    let reader = tokio::spawn(async move {
        while let Some(Ok(msg)) = stream.next().await {
            if let tokio_tungstenite::tungstenite::Message::Text(text) = msg {
                let e: Value = serde_json::from_str(&text).expect("json");
                if seen_tx.send((e["seq"].as_u64().expect("seq"), e["id"].as_str().expect("id").to_owned())).is_err() {
                    break;
                }
            }
        }
    });

    // New calls once the edge knows: every one succeeds (on the two nodes left).
    let phase_b = [
        Load::start("load_uac.xml", edge_addr, caller_ips[2], &callers[..20], &["-s", "2000", "-r", "25", "-m", "100"]),
        Load::start("load_uac.xml", edge_addr, caller_ips[3], &callers[20..], &["-s", "2000", "-r", "25", "-m", "100"]),
    ];
    for load in phase_b {
        let (ok, failed, errors) = load.finish().await;
        assert_eq!((ok, failed), (100, 0), "calls after the kill: {errors}");
    }
    let (mut ok_a, mut failed_a) = (0, 0);
    for load in phase_a {
        let (ok, failed, _) = load.finish().await;
        ok_a += ok;
        failed_a += failed;
    }
    eprintln!("calls during the kill: {ok_a} succeeded, {failed_a} failed");
    assert_eq!(ok_a + failed_a, 800);
    // Only calls the killed node carried or was setting up may fail: at 50/s of 1 s calls
    // about 50 are up at once, a third of them on each node.
    assert!(failed_a <= 60, "{failed_a} calls failed");
    let (reg_ok, reg_failed, reg_errors) = registrations.finish().await;
    eprintln!("registrations: {reg_ok} succeeded, {reg_failed} failed");
    assert!(reg_ok >= 2 * u64::from(PHONES) - 20, "{reg_errors}");

    // The node restarts where it was and the edge takes it back.
    nodes[victim].restart(&url);
    let up = edge_logs(&edge, &["callplane node up", &victim_uri], Duration::from_secs(10)).await;
    assert!(up.is_some(), "the edge never took the node back:\n{}", edge.log());
    let phase_c = Load::start("load_uac.xml", edge_addr, caller_ips[0], &callers, &["-s", "2000", "-r", "25", "-m", "100"]);
    let (ok, failed, errors) = phase_c.finish().await;
    assert_eq!((ok, failed), (100, 0), "calls after the node rejoined: {errors}");

    // No binding lost: every phone that registered is held by every node.
    let registered: BTreeSet<String> = phones.iter().cloned().collect();
    for node in &nodes {
        let regs: Value = client.get(format!("{}/api/v1/registrations", node.base())).bearer_auth(&token).send().await.expect("regs").json().await.expect("json");
        let held: BTreeSet<String> = regs["items"].as_array().expect("items").iter().filter_map(|b| b["aor"].as_str().map(str::to_owned)).collect();
        let missing: Vec<&String> = registered.difference(&held).collect();
        assert!(missing.is_empty(), "node {} lost bindings: {missing:?}", node.http);
    }

    // One event stream: the log is gap-free and the same on every node; the client that
    // moved from the killed node to node 3 saw it without gap or duplicate.
    let log = event_log(&client, &nodes[0].base(), &token).await;
    assert!(log.iter().enumerate().all(|(i, (seq, _))| *seq == i as u64 + 1), "the log has a gap");
    for node in &nodes[1..] {
        assert_eq!(event_log(&client, &node.base(), &token).await, log, "node {} serves another log", node.http);
    }
    let last = log.last().map_or(0, |(s, _)| *s);
    tokio::time::timeout(Duration::from_secs(10), async {
        while seen.last().is_none_or(|(s, _)| *s < last) {
            seen.push(seen_rx.recv().await.expect("stream"));
        }
    })
    .await
    .expect("the stream reaches the end of the log");
    reader.abort();
    assert_eq!(&seen[..log.len()], &log[..], "the stream across nodes is the log: no gap, no duplicate");
    eprintln!("event stream: {} events, resumed on node 3 after seq {resume_from}", log.len());

    // Webhooks: every event delivered; none twice but the attempt the killed node may have
    // had in flight (at least once, the webhook-id tells a repeat).
    // Every event from the webhook's own creation on (earlier ones had nobody to go to).
    let (_, created) = event_log_since(&client, &nodes[0].base(), &token, &hook_id).await;
    let log: Vec<(u64, String)> = log.into_iter().filter(|(s, _)| *s >= created).collect();
    let mut delivered: BTreeMap<u64, u32> = BTreeMap::new();
    let want = log.len();
    let all_delivered = tokio::time::timeout(Duration::from_secs(60), async {
        while !log.iter().all(|(s, _)| delivered.contains_key(s)) {
            let line = hooks.recv().await.expect("receiver");
            let seq = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{line}"));
            *delivered.entry(seq).or_default() += 1;
        }
    })
    .await;
    if all_delivered.is_err() {
        let missing: Vec<u64> = log.iter().map(|(s, _)| *s).filter(|s| !delivered.contains_key(s)).collect();
        let recent = client.get(format!("{base}/api/v1/webhooks/{hook_id}/deliveries?limit=500")).bearer_auth(&token).send().await.expect("deliveries").text().await.expect("text");
        panic!("{} of {want} events delivered; missing {:?}…\nnewest deliveries: {recent}", want - missing.len(), &missing[..missing.len().min(30)]);
    }
    let repeated: Vec<u64> = delivered.iter().filter(|(_, n)| **n > 1).map(|(s, _)| *s).collect();
    eprintln!("webhooks: {} events delivered, repeated: {repeated:?}", delivered.len());
    assert!(repeated.len() <= 1, "{repeated:?}");

    for n in nodes.iter_mut() {
        if let Some(s) = n.server.take() {
            s.kill9();
        }
    }
}

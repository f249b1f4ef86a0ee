//! The SDK examples in `clients/examples/`, run as users run them, against a live Callplane:
//! provisioning twice (Python client), the CRM listener following and resuming the event
//! stream while sipp places calls (Python), click-to-call with sipp phones and the webhook
//! receiver checking real signed deliveries (TypeScript client).
//!
//! `scripts/test-clients` (which `scripts/test` runs first) installs the pinned tools,
//! installs the Python client and builds the TypeScript examples, and names the Python
//! environment in `CALLPLANE_CLIENT_VENV`. Without it these tests are skipped, unless
//! `CALLPLANE_REQUIRE_CLIENTS=1` (as in CI), where they fail.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::sipp::{SippCmd, Transport, free_port};
use common::{Backend, TestApp};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

const CALLER_PW: &str = "caller-secret-1";
const RUN_LIMIT: Duration = Duration::from_secs(60);

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("clients/examples")
}

/// The Python that has the client installed, or `None` (skip) outside `scripts/test`.
fn python() -> Option<PathBuf> {
    match std::env::var("CALLPLANE_CLIENT_VENV") {
        Ok(venv) => Some(Path::new(&venv).join("bin/python")),
        Err(_) => {
            let reason = "CALLPLANE_CLIENT_VENV is not set (scripts/test-clients prepares the clients and prints it)";
            if std::env::var("CALLPLANE_REQUIRE_CLIENTS").is_ok_and(|v| v == "1") {
                panic!("the client example tests are required but {reason}");
            }
            eprintln!("skipping: {reason}");
            None
        }
    }
}

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs a command to completion (bounded by RUN_LIMIT).
async fn run(command: &mut Command) -> Run {
    let output = tokio::time::timeout(RUN_LIMIT, command.kill_on_drop(true).output())
        .await
        .expect("the example finishes in time")
        .expect("the example starts");
    Run {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn provision(python: &Path, app: &TestApp) -> Command {
    provision_file(python, app, &examples().join("office.yaml"))
}

fn provision_file(python: &Path, app: &TestApp, office: &Path) -> Command {
    let mut c = Command::new(python);
    c.arg(examples().join("provision_office.py"))
        .arg("--url")
        .arg(&app.base)
        .arg("--token")
        .arg(&app.admin)
        .arg(office)
        .env("CARRIER_PASSWORD", "carrier-secret");
    c
}

fn summary(run: &Run) -> &str {
    run.stdout.lines().find(|l| l.starts_with("office")).unwrap_or_else(|| panic!("no summary: {}{}", run.stdout, run.stderr))
}

/// Every resource the office file touches, as the API lists them.
async fn configuration(app: &TestApp) -> BTreeMap<&'static str, Value> {
    let mut all = BTreeMap::new();
    for (name, path) in [("extensions", "/api/v1/extensions?limit=100"), ("trunks", "/api/v1/trunks"), ("ring_groups", "/api/v1/ring-groups"), ("routes", "/api/v1/routes")] {
        let (status, body) = app.get(path).await;
        assert!(status.is_success(), "{path}: {body}");
        all.insert(name, body["items"].clone());
    }
    all
}

fn by<'a>(items: &'a Value, key: &str, value: &str) -> &'a Value {
    items.as_array().and_then(|a| a.iter().find(|i| i[key] == value)).unwrap_or_else(|| panic!("no {key}={value} in {items}"))
}

on_both_backends!(provision_office, super::provision_office_twice_changes_nothing_the_second_time);

async fn provision_office_twice_changes_nothing_the_second_time(app: &TestApp) {
    let Some(python) = python() else { return };
    let office: Value = serde_yaml::from_str(&std::fs::read_to_string(examples().join("office.yaml")).expect("office.yaml")).expect("yaml");
    let routes_csv = std::fs::read_to_string(examples().join("dialplan.csv")).expect("dialplan.csv");
    let route_names: Vec<&str> = routes_csv.lines().skip(1).filter_map(|l| l.split(',').next()).collect();
    let extensions = office["extensions"].as_array().expect("extensions");
    let total = extensions.len() + 1 + 1 + route_names.len();
    assert_eq!(extensions.len(), 20);

    // A dry run on an empty Callplane plans everything (routes to resources it would
    // create included) and writes nothing.
    let plan = run(provision(&python, app).arg("--dry-run")).await;
    assert!(plan.ok, "{}{}", plan.stdout, plan.stderr);
    assert_eq!(summary(&plan), format!("office (dry run, nothing written): created {total}, updated 0, unchanged 0"));
    assert!(configuration(app).await.values().all(|items| items.as_array().is_some_and(Vec::is_empty)));

    let first = run(&mut provision(&python, app)).await;
    assert!(first.ok, "{}{}", first.stdout, first.stderr);
    assert_eq!(summary(&first), format!("office: created {total}, updated 0, unchanged 0"));

    // What the file says is what Callplane holds.
    let config = configuration(app).await;
    for wanted in extensions {
        let number = wanted["number"].as_str().expect("number");
        let have = by(&config["extensions"], "number", number);
        assert_eq!(have["display_name"], wanted["display_name"]);
        assert_eq!(have["has_password"], true, "{number} got a password");
        // The password printed for it is the one SIP accepts (checked for one below).
        assert!(first.stdout.contains(&format!("password {number}: ")));
    }
    assert_eq!(by(&config["extensions"], "number", "219")["enabled"], false);
    assert_eq!(by(&config["extensions"], "number", "210")["forwarding"]["no_answer"], "201");
    let group = by(&config["ring_groups"], "number", "600");
    assert_eq!(group["members"], office["ring_groups"][0]["members"]);
    assert_eq!(group["fallback"], "201");
    let trunk = by(&config["trunks"], "name", "carrier");
    assert_eq!(trunk["quirks"]["register_same_call_id"], false);
    assert_eq!(trunk["quirks"]["request_uri_params"], "user=phone");
    assert_eq!(trunk["quirks"]["disable_100rel"], true);
    assert_eq!(trunk["quirks"]["no_answer_timeout_s"], 45);
    assert_eq!(trunk["has_password"], true);
    assert_eq!(trunk["inbound_match"], json!({"kind": "source", "cidrs": ["198.51.100.0/28"]}));
    for name in &route_names {
        by(&config["routes"], "name", name);
    }
    for (dialed, kind, id) in [
        ("00442079460000", "trunk", &trunk["id"]),
        ("*6", "ring_group", &group["id"]),
        ("9", "extension", &by(&config["extensions"], "number", "201")["id"]),
    ] {
        let url = reqwest::Url::parse_with_params(&app.url("/api/v1/routes/resolve"), [("number", dialed)]).expect("url");
        let resolution: Value = app.client.get(url).bearer_auth(&app.admin).send().await.expect("resolve").json().await.expect("json");
        assert_eq!(resolution["route"]["target"], json!({"kind": kind, "id": id}), "{dialed}: {resolution}");
    }
    // A printed password registers the phone.
    let password = first.stdout.lines().find_map(|l| l.strip_prefix("password 201: ")).expect("password of 201");
    let register = SippCmd::new("register_digest.xml", app.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .arg("-au")
        .arg("201")
        .arg("-ap")
        .arg(password)
        .arg("-s")
        .arg("201")
        .run()
        .await;
    assert!(register.success, "{}", register.log);

    // The second run writes nothing: same records (revisions, updated_at), no config event.
    let (_, log_before) = app.get("/api/v1/events/log?types=config.*&limit=1000").await;
    let second = run(&mut provision(&python, app)).await;
    assert!(second.ok, "{}{}", second.stdout, second.stderr);
    assert_eq!(summary(&second), format!("office: created 0, updated 0, unchanged {total}"));
    assert!(!second.stdout.contains("password "), "no new password: {}", second.stdout);
    assert_eq!(configuration(app).await, config);
    let (_, log_after) = app.get("/api/v1/events/log?types=config.*&limit=1000").await;
    assert_eq!(log_after["events"], log_before["events"], "no configuration event");

    // Drift is put right, and only the fields the file names: a forwarding target the file
    // does not mention stays.
    let id = by(&config["extensions"], "number", "205")["id"].as_str().expect("id").to_owned();
    app.patch(&format!("/api/v1/extensions/{id}"), json!({"display_name": "Temp", "forwarding": {"busy": "201"}})).await;
    // A dry run names the drift and writes nothing.
    let (_, drifted) = app.get(&format!("/api/v1/extensions/{id}")).await;
    let dry = run(provision(&python, app).arg("--dry-run")).await;
    assert!(dry.ok, "{}{}", dry.stdout, dry.stderr);
    assert!(dry.stdout.contains("would update extension 205 (display_name)"), "{}", dry.stdout);
    assert_eq!(summary(&dry), format!("office (dry run, nothing written): created 0, updated 1, unchanged {}", total - 1));
    assert_eq!(app.get(&format!("/api/v1/extensions/{id}")).await.1, drifted);
    let third = run(&mut provision(&python, app)).await;
    assert!(third.ok, "{}{}", third.stdout, third.stderr);
    assert_eq!(summary(&third), format!("office: created 0, updated 1, unchanged {}", total - 1));
    let (_, ext) = app.get(&format!("/api/v1/extensions/{id}")).await;
    assert_eq!(ext["display_name"], "Sales 4");
    assert_eq!(ext["forwarding"]["busy"], "201");

    // A bad file gets a clear error naming the field, and stops.
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("office.yaml");
    std::fs::write(&bad, "extensions:\n  - {number: \"3x1\"}\n").expect("write");
    let refused = run(&mut provision_file(&python, app, &bad)).await;
    assert!(!refused.ok);
    assert!(refused.stderr.contains("error: create extension 3x1: 422") && refused.stderr.contains("number: "), "{}", refused.stderr);
}

/// Registers `number` (IP-authenticated) from a fresh port and starts a sipp UAS there.
async fn phone(app: &TestApp, number: &str, scenario: &str) -> common::sipp::SippChild {
    app.create("/api/v1/extensions", json!({"number": number, "ip_auth": ["127.0.0.1"]})).await;
    let port = free_port("127.0.0.1", Transport::Udp);
    let r = SippCmd::new("register_without_auth.xml", app.sip_target(), port).arg("-s").arg(number).run().await;
    assert!(r.success, "{}", r.log);
    SippCmd::new(scenario, app.sip_target(), port).spawn()
}

async fn call_1001_to(app: &TestApp, dialed: &str) {
    let r = SippCmd::caller("uac_call.xml", app.sip_target(), "1001", CALLER_PW, dialed).run().await;
    assert!(r.success, "{}", r.log);
}

fn crm_listener(python: &Path, app: &TestApp, token: &str, state: &Path, max_events: usize) -> Command {
    let mut c = Command::new(python);
    c.arg(examples().join("crm_listener.py"))
        .arg("--url")
        .arg(&app.base)
        .arg("--token")
        .arg(token)
        .arg("--state")
        .arg(state)
        .arg("--max-events")
        .arg(max_events.to_string());
    c
}

/// The listener running in the background, its output piped.
fn spawn_listener(python: &Path, app: &TestApp, token: &str, state: &Path, max_events: usize) -> Child {
    crm_listener(python, app, token, state, max_events)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("listener")
}

/// (seq, kind, call id) of one line the listener printed.
fn pop(line: &str) -> (u64, String, String) {
    let mut f = line.split(' ');
    let seq = f.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("line {line:?}"));
    (seq, f.next().unwrap_or_default().to_owned(), f.next().unwrap_or_default().to_owned())
}

fn pops(out: &str) -> Vec<(u64, String, String)> {
    out.lines().map(pop).collect()
}

async fn next_pop(lines: &mut Lines<BufReader<ChildStdout>>) -> (u64, String, String) {
    pop(&next_line(lines, "pop").await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crm_listener_pops_calls_and_resumes_by_seq() {
    let Some(python) = python() else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
    let token = app.token("events", "1h").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("crm.seq");
    // Start from now: the listener resumes after the last event already logged.
    let (_, log) = app.get("/api/v1/events/log?limit=1").await;
    std::fs::write(&state, format!("{}\n", log["last_seq"])).expect("state");

    // Call 1 happens while nobody listens; the listener handles two of its events and stops.
    let uas = phone(&app, "2001", "uas_answer.xml").await;
    call_1001_to(&app, "2001").await;
    assert!(uas.wait().await.success);
    let first = run(&mut crm_listener(&python, &app, &token, &state, 2)).await;
    assert!(first.ok, "{}", first.stderr);
    let first = pops(&first.stdout);
    assert_eq!(first.iter().map(|p| p.1.as_str()).collect::<Vec<_>>(), ["CREATED", "RINGING"]);

    // It resumes where it stopped: the rest of call 1, then call 2 live.
    let listener = spawn_listener(&python, &app, &token, &state, 6);
    let uas = phone(&app, "2002", "uas_answer.xml").await;
    call_1001_to(&app, "2002").await;
    assert!(uas.wait().await.success);
    let out = tokio::time::timeout(RUN_LIMIT, listener.wait_with_output()).await.expect("in time").expect("output");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let second = pops(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(second.iter().map(|p| p.1.as_str()).collect::<Vec<_>>(), ["ANSWERED", "ENDED", "CREATED", "RINGING", "ANSWERED", "ENDED"]);
    let call1 = &first[0].2;
    assert!(first.iter().chain(&second[..2]).all(|p| &p.2 == call1));
    assert!(second[2..].iter().all(|p| p.2 == second[2].2) && &second[2].2 != call1);
    let seqs: Vec<u64> = first.iter().chain(&second).map(|p| p.0).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "no event twice, in order: {seqs:?}");
    assert_eq!(std::fs::read_to_string(&state).expect("state").trim(), seqs[seqs.len() - 1].to_string());

    // A listener that is running when Callplane restarts reconnects and resumes: the calls
    // before and after the restart each arrive whole, once.
    let mut listener = spawn_listener(&python, &app, &token, &state, 8);
    let mut lines = BufReader::new(listener.stdout.take().expect("stdout")).lines();
    let uas = phone(&app, "2003", "uas_answer.xml").await;
    call_1001_to(&app, "2003").await;
    assert!(uas.wait().await.success);
    // Restart once the listener has seen the call start (the rest may or may not have
    // reached it: it resumes from what it handled).
    let mut around = vec![next_pop(&mut lines).await];
    let app = app.restart_keeping_http_address().await;
    let uas = phone(&app, "2004", "uas_answer.xml").await;
    call_1001_to(&app, "2004").await;
    assert!(uas.wait().await.success);
    for _ in 1..8 {
        around.push(next_pop(&mut lines).await);
    }
    let out = tokio::time::timeout(RUN_LIMIT, listener.wait_with_output()).await.expect("in time").expect("output");
    assert!(out.status.success());
    let noticed = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(noticed.contains("stream closed by Callplane (1001 Callplane is stopping; resume with since_seq="), "{noticed}");
    let kinds: Vec<&str> = around.iter().map(|p| p.1.as_str()).collect();
    assert_eq!(kinds, ["CREATED", "RINGING", "ANSWERED", "ENDED", "CREATED", "RINGING", "ANSWERED", "ENDED"]);
    assert!(around.windows(2).all(|w| w[0].0 < w[1].0), "in order, none twice: {around:?}");
    assert_ne!(around[0].2, around[4].2);

    // A token without the events scope is refused with a clear message.
    let refused = run(&mut crm_listener(&python, &app, &app.token("read", "1h").await, &state, 1)).await;
    assert!(!refused.ok);
    assert!(refused.stderr.contains("HTTP 403"), "{}", refused.stderr);
    app.stop().await;
}

fn node(script: &str) -> Command {
    let mut c = Command::new("node");
    c.arg(examples().join("build").join(script));
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn click_to_call_example_rings_bridges_and_hangs_up() {
    if python().is_none() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let phone_a = phone(&app, "1005", "uas_answer_offer.xml").await;
    let phone_b = phone(&app, "2001", "uas_answer.xml").await;
    let token = app.token("calls", "1h").await;
    let done = run(node("click_to_call.js").args(["--url", &app.base, "--token", &token, "--hangup-when-answered", "1005", "2001"])).await;
    assert!(done.ok, "{}{}", done.stdout, done.stderr);
    let id = done.stdout.lines().find_map(|l| l.strip_prefix("STARTED ")).and_then(|r| r.split(' ').next()).expect("STARTED line").to_owned();
    for line in [format!("ANSWERED {id}"), format!("HUNG UP {id}")] {
        assert!(done.stdout.contains(&line), "{line}: {}", done.stdout);
    }
    assert!(done.stdout.contains(&format!("CDR {id} 1005 -> 2001 answered api")), "{}", done.stdout);
    for p in [phone_a, phone_b] {
        let r = p.wait().await;
        assert!(r.success, "{}", r.log);
    }
    let (_, cdrs) = app.get("/api/v1/cdrs").await;
    assert_eq!(cdrs["items"][0]["id"], id.as_str());
    assert_eq!(cdrs["items"][0]["hangup_side"], "api");

    // An unknown extension is refused, naming the field.
    let refused = run(node("click_to_call.js").args(["--url", &app.base, "--token", &token, "1999", "2001"])).await;
    assert!(!refused.ok);
    assert!(refused.stderr.contains("422") && refused.stderr.contains("from: "), "{}", refused.stderr);
    app.stop().await;
}

async fn next_line(lines: &mut Lines<BufReader<ChildStdout>>, what: &str) -> String {
    match tokio::time::timeout(Duration::from_secs(30), lines.next_line()).await {
        Ok(Ok(Some(line))) => line,
        other => panic!("the receiver printed no {what} line: {other:?}"),
    }
}

fn receiver(secret: &str) -> (Child, Lines<BufReader<ChildStdout>>) {
    let mut child = node("webhook_receiver.js")
        .args(["--port", "0", "--secret", secret])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("receiver");
    let lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    (child, lines)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_receiver_example_accepts_signed_deliveries_only() {
    if python().is_none() {
        return;
    }
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let (mut child, mut lines) = receiver(secret);
    let port: u16 = next_line(&mut lines, "LISTENING").await.strip_prefix("LISTENING ").and_then(|p| p.parse().ok()).expect("LISTENING <port>");
    let url = format!("http://127.0.0.1:{port}/");

    // A forged delivery is refused.
    let now = chrono::Utc::now().timestamp().to_string();
    let forged = app
        .client
        .post(&url)
        .header("webhook-id", "msg_forged")
        .header("webhook-timestamp", &now)
        .header("webhook-signature", "v1,bm90IGEgc2lnbmF0dXJl")
        .body(r#"{"type":"call.ended"}"#)
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), reqwest::StatusCode::UNAUTHORIZED);
    assert_eq!(next_line(&mut lines, "REJECTED").await, "REJECTED no valid v1 signature");

    // Callplane's signed test delivery is accepted and typed.
    let hook = app.create("/api/v1/webhooks", json!({"url": url, "secret": secret, "event_types": ["call.*"]})).await;
    let hook_id = hook["id"].as_str().expect("id");
    let (status, sent) = app.post(&format!("/api/v1/webhooks/{hook_id}/test"), json!({})).await;
    assert!(status.is_success(), "{sent}");
    assert_eq!(next_line(&mut lines, "OK").await, format!("OK {} webhook.test webhook {hook_id}", sent["seq"]));

    // Redelivered (same webhook-id), it is recognised as a duplicate.
    let (_, deliveries) = app.get(&format!("/api/v1/webhooks/{hook_id}/deliveries")).await;
    let delivery = deliveries["items"][0]["id"].as_str().expect("delivery id").to_owned();
    let (status, body) = app.post(&format!("/api/v1/webhooks/{hook_id}/deliveries/{delivery}/redeliver"), json!({})).await;
    assert!(status.is_success(), "{body}");
    assert_eq!(next_line(&mut lines, "DUPLICATE").await, format!("DUPLICATE {delivery}"));
    child.kill().await.expect("stop the receiver");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_examples_of_both_clients_run() {
    let Some(python) = python() else { return };
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    // One answered call, so listing CDRs has something to print.
    app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
    let uas = phone(&app, "2001", "uas_answer.xml").await;
    call_1001_to(&app, "2001").await;
    assert!(uas.wait().await.success);
    if let Some(sip) = &app.app.state.sip {
        sip.b2bua.cdrs.flush().await;
    }
    let readme = |command: &mut Command| {
        command.env("CALLPLANE_URL", &app.base).env("CALLPLANE_TOKEN", &app.admin);
    };

    let mut py = Command::new(&python);
    py.arg(examples().join("readme/python_readme.py"));
    readme(&mut py);
    let py = run(&mut py).await;
    assert!(py.ok, "{}{}", py.stdout, py.stderr);
    let ext = app.get("/api/v1/extensions?prefix=201").await.1["items"][0].clone();
    assert_eq!(ext["display_name"], "Ada");
    let lines: Vec<&str> = py.stdout.lines().collect();
    assert_eq!(lines[0], format!("{} 201", ext["id"].as_str().expect("id")));
    assert!(lines[1].contains(" 1001 2001 answered "), "the CDR line: {}", py.stdout);

    // The TypeScript README creates the same number: its error branch prints the conflict.
    let status = app.get("/api/v1/status").await.1;
    let mut ts = node("readme/typescript_readme.js");
    readme(&mut ts);
    let ts = run(&mut ts).await;
    assert!(ts.ok, "{}{}", ts.stdout, ts.stderr);
    // Its own client (createClient from @callplane/client/client) reads the status.
    let branch = format!(
        "branch PBX: Callplane {} on {}, {} extensions",
        status["version"].as_str().expect("version"),
        status["database"].as_str().expect("database"),
        status["counts"]["extensions"]
    );
    assert!(ts.stdout.lines().any(|l| l == branch), "want {branch:?} in {}", ts.stdout);
    assert!(ts.stderr.starts_with("409 "), "{}", ts.stderr);
    assert!(ts.stdout.contains(" 1001 2001 answered "), "the CDR line: {}", ts.stdout);
    app.stop().await;
}

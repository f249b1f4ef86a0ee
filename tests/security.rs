//! Security against real attack tools: sipvicious (svcrack, svwar, svmap) and a sipp flood.
//! The attacker is 127.0.0.1 (Debian's svcrack ignores `-b`, so it always sends from the
//! loopback's primary address); legitimate phones use 127.0.0.2.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::sipp::{SippCmd, Transport, free_port};
use common::{Backend, TestApp, wait_for};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Runs a sipvicious tool (bounded) and returns what it printed.
async fn sipvicious(tool: &str, args: &[&str]) -> String {
    let out = tokio::time::timeout(
        Duration::from_secs(120),
        tokio::process::Command::new(tool)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .output(),
    )
    .await
    .unwrap_or_else(|_| panic!("{tool} ran for over 120 s"))
    .unwrap_or_else(|e| panic!("{tool} is installed (scripts/test installs sipvicious): {e}"));
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Sets the action of the `friendly-scanner` User-Agent signature (sipvicious' fixed UA).
async fn friendly_scanner_action(app: &TestApp, action: &str) {
    let (_, settings) = app.get("/api/v1/security/settings").await;
    let mut signatures = settings["signatures"].as_array().expect("signatures").clone();
    for s in signatures.iter_mut() {
        if s["pattern"] == "friendly-scanner" {
            s["action"] = json!(action);
        }
    }
    let (status, body) = app.patch("/api/v1/security/settings", json!({"signatures": signatures})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn counters(app: &TestApp) -> Value {
    app.get("/api/v1/security/counters").await.1
}

/// An OPTIONS from `ip` with an ordinary User-Agent: answered or not.
async fn answered(app: &TestApp, ip: &str) -> bool {
    SippCmd::new("options_expect_200.xml", app.sip_target(), free_port(ip, Transport::Udp))
        .arg("-i")
        .arg(ip)
        .run()
        .await
        .success
}

async fn phone_registers(app: &TestApp, ip: &str, user: &str, password: &str) -> bool {
    let r = SippCmd::new("register_digest.xml", app.sip_target(), free_port(ip, Transport::Udp))
        .arg("-i").arg(ip).arg("-s").arg(user).arg("-au").arg(user).arg("-ap").arg(password)
        .run()
        .await;
    r.success
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn svcrack_is_banned_after_five_failures_and_the_ban_survives_a_restart() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": "right-pass-8"})).await;
    app.create("/api/v1/extensions", json!({"number": "1002", "password": "phone-secret-2"})).await;
    // So that svcrack reaches the password check at all (its UA is a dropped signature).
    friendly_scanner_action(&app, "log").await;
    let mut bus = app.app.state.feed.subscribe();

    // The right password is the 8th guess: without fail-to-ban svcrack would find it.
    let dir = tempfile::tempdir().expect("tempdir");
    let words = dir.path().join("words.txt");
    std::fs::write(&words, "guess1\nguess2\nguess3\nguess4\nguess5\nguess6\nguess7\nright-pass-8\nguess9\n").expect("wordlist");
    let port = app.sip_target().port().to_string();
    let local = free_port("0.0.0.0", Transport::Udp).to_string();
    let out = sipvicious(
        "svcrack",
        &["-u", "1001", "-d", words.to_str().expect("path"), "-p", &port, "-P", &local, "--maximumtime", "3", "127.0.0.1"],
    )
    .await;
    assert!(!out.contains("right-pass-8"), "svcrack found the password:\n{out}");

    let banned = wait_for(&mut bus, "security.banned").await;
    assert_eq!(banned.data["ip"], "127.0.0.1");
    assert_eq!(banned.data["reason"], "auth_failures");
    let c = counters(&app).await;
    assert_eq!(c["auth_failures_total"], 5, "no sixth password was checked: {c}");
    assert!(c["dropped_banned"].as_u64().expect("count") > 0, "{c}");
    let (_, bans) = app.get("/api/v1/security/bans").await;
    assert_eq!(bans[0]["ip"], "127.0.0.1", "{bans}");

    // Meanwhile a phone on another address registers, and the banned address gets nothing.
    assert!(phone_registers(&app, "127.0.0.2", "1002", "phone-secret-2").await);
    assert!(!answered(&app, "127.0.0.1").await, "a banned source got an answer");

    // The ban is in the store: still in force after a restart.
    let app = app.restart().await;
    let (_, bans) = app.get("/api/v1/security/bans").await;
    assert_eq!(bans.as_array().map(Vec::len), Some(1), "{bans}");
    assert!(!answered(&app, "127.0.0.1").await, "the ban did not survive the restart");

    // Lifting it restores answers at once.
    let mut bus = app.app.state.feed.subscribe();
    let (status, _) = app.delete("/api/v1/security/bans/127.0.0.1").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(wait_for(&mut bus, "security.unbanned").await.data["reason"], "api");
    assert!(answered(&app, "127.0.0.1").await);
    let (status, _) = app.delete("/api/v1/security/bans/127.0.0.1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scanners_get_no_answer_and_cannot_tell_extensions_apart() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    for n in ["1001", "1003"] {
        app.create("/api/v1/extensions", json!({"number": n, "password": format!("secret-{n}-pw")})).await;
    }
    let port = app.sip_target().port().to_string();

    let map = sipvicious("svmap", &["-p", &port, "-P", &free_port("0.0.0.0", Transport::Udp).to_string(), "127.0.0.1"]).await;
    assert!(!map.contains("Callplane"), "svmap saw the server:\n{map}");
    let war = sipvicious("svwar", &["-e", "1000-1004", "-p", &port, "-P", &free_port("0.0.0.0", Transport::Udp).to_string(), "127.0.0.1"]).await;
    assert!(!war.contains("1001") && !war.contains("reqauth"), "svwar learnt something:\n{war}");
    let c = counters(&app).await;
    let hits = c["signature_hits"].as_array().expect("hits");
    assert!(
        hits.iter().any(|h| h["signature"] == "user_agent:exact:friendly-scanner" && h["hits"].as_u64() > Some(1)),
        "{c}"
    );
    assert!(c["dropped_scanner"].as_u64().expect("count") >= 2, "{c}");
    // The same host with an ordinary User-Agent is answered.
    assert!(answered(&app, "127.0.0.1").await);

    // Even when the operator lets sipvicious' User-Agent through, svwar --force gets the
    // same answer for existing and missing extensions, so it reports none.
    friendly_scanner_action(&app, "log").await;
    let forced = sipvicious(
        "svwar",
        &["--force", "-e", "1000-1004", "-p", &port, "-P", &free_port("0.0.0.0", Transport::Udp).to_string(), "127.0.0.1"],
    )
    .await;
    assert!(forced.contains("401"), "svwar --force got answers:\n{forced}");
    for n in ["1001", "1003"] {
        assert!(!forced.contains(&format!("| {n}")), "svwar --force found {n}:\n{forced}");
    }
    assert!(forced.contains("found nothing"), "{forced}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_is_shed_while_a_phone_on_another_address_registers() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1002", "password": "phone-secret-2"})).await;
    // 127.0.0.3 sends 2,000 OPTIONS/s for at most 4 s (8,000 requests).
    let flood = SippCmd::new("options_flood.xml", app.sip_target(), free_port("127.0.0.3", Transport::Udp))
        .arg("-i").arg("127.0.0.3").arg("-r").arg("2000").arg("-m").arg("8000").arg("-l").arg("2000")
        .spawn();
    // Wait (bounded) until the limiter is shedding, then register a phone during the flood.
    let mut shedding = false;
    for _ in 0..200 {
        if counters(&app).await["dropped_rate_limited"].as_u64() > Some(0) {
            shedding = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(shedding, "the flood was never rate-limited");
    assert!(phone_registers(&app, "127.0.0.2", "1002", "phone-secret-2").await, "the phone could not register during the flood");
    let _ = flood.wait().await;
    let c = counters(&app).await;
    let shed = c["dropped_rate_limited"].as_u64().expect("count");
    assert!(shed > 1000, "only {shed} of 8,000 flood requests were shed: {c}");
    assert_eq!(c["bans_added"], 0, "rate limiting drops, it does not ban");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_and_bans_are_validated() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let (status, body) = app
        .patch("/api/v1/security/settings", json!({"fail2ban": {"enabled": true, "max_failures": 0, "window_s": 0, "ban_s": 60}, "whitelist": ["10.0.0.0/8"]}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["fail2ban.max_failures", "fail2ban.window_s"]);
    let (status, body) = app.patch("/api/v1/security/settings", json!({"whitelist": ["10.0.0.0/8", "nope"]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "whitelist[1]", "{body}");
    let (_, settings) = app.get("/api/v1/security/settings").await;
    assert_eq!(settings["fail2ban"]["max_failures"], 5, "nothing of a refused change is kept");
    assert!(settings["whitelist"].as_array().expect("whitelist").is_empty());

    let (status, body) = app.patch("/api/v1/security/settings", json!({"whitelist": ["192.0.2.0/24"]})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.post("/api/v1/security/bans", json!({"ip": "192.0.2.9"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "a whitelisted address cannot be banned: {body}");
    let (status, body) = app.post("/api/v1/security/bans", json!({"ip": "not-an-ip"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app.post("/api/v1/security/bans", json!({"ip": "198.51.100.7", "duration_s": 600})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["reason"], "api");
    let (status, body) = app.post("/api/v1/security/bans", json!({"ip": "198.51.100.8", "extra": 1})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    app.stop().await;
}

/// Behind the shipped edge (`deploy/kamailio/callplane-edge.cfg`), listed in `edges`: a
/// password guesser is banned by its own address (which the edge names), not the edge's,
/// and a phone behind the same edge goes on registering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_the_edge_the_guesser_is_banned_not_the_edge() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": "right-password-1"})).await;
    let (status, body) = app.patch("/api/v1/security/settings", json!({"edges": ["127.0.0.1/32"]})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let list_dir = tempfile::tempdir().expect("dir");
    let list = list_dir.path().join("nodes.list");
    std::fs::write(&list, format!("1 sip:{}\n", app.sip_target())).expect("nodes list");
    let edge_addr: std::net::SocketAddr = format!("127.0.0.1:{}", free_port("127.0.0.1", Transport::Udp)).parse().expect("addr");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/kamailio/callplane-edge.cfg");
    let edge = common::kamailio::Kamailio::start_file(&path, &[("udp:127.0.0.1:5060", format!("udp:{edge_addr}")), ("/etc/kamailio/callplane-nodes.list", list.display().to_string())]);
    edge.wait_ready(edge_addr).await;
    let mut events = app.app.state.feed.subscribe();

    // 127.0.0.2 guesses passwords through the edge until it is banned.
    let guess = || {
        tokio::task::spawn_blocking(move || {
            common::sipp::Sipp { scenario: "register_wrong_password.xml", target: edge_addr, user: "1001", password: Some("a-wrong-guess"), transport: Transport::Udp, local_ip: "127.0.0.2" }.run()
        })
    };
    for _ in 0..5 {
        let r = guess().await.expect("sipp");
        assert!(r.success, "{}\n{}", r.log, edge.log());
    }
    let banned = wait_for(&mut events, "security.banned").await;
    assert_eq!(banned.data["ip"], "127.0.0.2", "the guesser is banned, not the edge: {}", banned.data);
    let (_, bans) = app.get("/api/v1/security/bans").await;
    let ips: Vec<&str> = bans.as_array().expect("bans").iter().filter_map(|b| b["ip"].as_str()).collect();
    assert_eq!(ips, ["127.0.0.2"], "{bans}");

    // A phone behind the same edge (127.0.0.1) still registers.
    let phone = tokio::task::spawn_blocking(move || {
        common::sipp::Sipp { scenario: "register_digest.xml", target: edge_addr, user: "1001", password: Some("right-password-1"), transport: Transport::Udp, local_ip: "127.0.0.1" }.run()
    })
    .await
    .expect("sipp");
    assert!(phone.success, "{}\n{}", phone.log, edge.log());
    app.stop().await;
}

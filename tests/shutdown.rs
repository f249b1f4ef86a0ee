//! Graceful stop of the real binary: SIGTERM during an answered call refuses new calls
//! with 503 and Retry-After, lets the call run for the drain time, then sends BYE to both
//! parties and writes the call's CDR before the process exits. Also what the running
//! process sets for itself.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::sipp::{SippCmd, Transport, free_port};
use serde_json::{Value, json};

struct Server {
    child: Child,
    base: String,
    token: String,
}

/// A test that fails half-way leaves no server running: the process is killed (by its
/// PID, through `Child`) unless it has exited and been waited for already.
impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Server {
    async fn start(dir: &std::path::Path, http: u16, sip: u16) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_callplane"))
            .args(["serve", "--data-dir", dir.to_str().expect("path"), "--drain-seconds", "3"])
            .arg(format!("--http-listen=127.0.0.1:{http}"))
            .arg(format!("--sip-listen=127.0.0.1:{sip}"))
            .env("CALLPLANE_LOG_LEVEL", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("callplane");
        let base = format!("http://127.0.0.1:{http}");
        let client = reqwest::Client::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let token = std::fs::read_to_string(dir.join("admin.token")).unwrap_or_default().trim().to_owned();
            if !token.is_empty() && client.get(format!("{base}/api/v1/status")).bearer_auth(&token).send().await.is_ok_and(|r| r.status().is_success()) {
                return Server { child, base, token };
            }
            assert!(std::time::Instant::now() < deadline, "callplane did not come up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = reqwest::Client::new().request(method, format!("{}{path}", self.base)).bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("request").json().await.unwrap_or(Value::Null)
    }
}

/// Transparent huge pages are off for the server (see `no_huge_pages` in `src/main.rs`):
/// the kernel reports it per process.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_runs_without_transparent_huge_pages() {
    let dir = tempfile::tempdir().expect("dir");
    let (http, sip) = (free_port("127.0.0.1", Transport::Tcp), free_port("127.0.0.1", Transport::Udp));
    let server = Server::start(dir.path(), http, sip).await;
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).expect("the process status");
    let thp = status.lines().find_map(|l| l.strip_prefix("THP_enabled:")).map(str::trim);
    assert_eq!(thp, Some("0"), "THP_enabled in /proc/PID/status");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_then_ends_calls_with_bye_and_cdrs() {
    let dir = tempfile::tempdir().expect("dir");
    let (http, sip) = (free_port("127.0.0.1", Transport::Tcp), free_port("127.0.0.1", Transport::Udp));
    let mut server = Server::start(dir.path(), http, sip).await;
    let target = std::net::SocketAddr::from(([127, 0, 0, 1], sip));
    server.call(reqwest::Method::POST, "/api/v1/extensions", Some(json!({"number": "1001", "password": common::office::CALLER_PW}))).await;
    server.call(reqwest::Method::POST, "/api/v1/extensions", Some(json!({"number": "1002", "ip_auth": ["127.0.0.1"]}))).await;
    let phone = free_port("127.0.0.1", Transport::Udp);
    assert!(SippCmd::new("register_without_auth.xml", target, phone).arg("-s").arg("1002").run().await.success);
    // A call that neither party ends: both wait for a BYE.
    let callee = SippCmd::new("uas_answer.xml", target, phone).spawn();
    let caller = SippCmd::caller("uac_call_callee_hangs_up.xml", target, "1001", common::office::CALLER_PW, "1002").spawn();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while server.call(reqwest::Method::GET, "/api/v1/calls", None).await["items"][0]["state"] != "answered" {
        assert!(std::time::Instant::now() < deadline, "the call was never answered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let stopped_at = std::time::Instant::now();
    assert!(Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().expect("kill").success());
    // While it drains, a new call gets 503 with Retry-After (the call in progress goes on).
    let refused = SippCmd::new("uac_expect_code.xml", target, free_port("127.0.0.1", Transport::Udp))
        .arg("-s")
        .arg("1002")
        .key("caller", "1002")
        .substitute("EXTRA_HEADERS", "")
        .substitute("EXPECTED_CODE", "503")
        .substitute("EXPECTED_REASON", "shutting down")
        .run()
        .await;
    assert!(refused.success, "{}", refused.log);
    assert!(refused.log.contains("Retry-After: 60"), "{}", refused.log);
    // Then both parties get BYE, and the process exits by itself.
    common::office::assert_all(&[&caller.wait().await, &callee.wait().await]);
    assert!(stopped_at.elapsed() >= Duration::from_secs(3), "the call ran for the drain time");
    let exit = tokio::task::spawn_blocking(move || server.child.wait()).await.expect("join").expect("exit status");
    assert!(exit.success(), "{exit:?}");
    // The CDR was written before it exited.
    let config = common::test_config(dir.path().to_owned(), None);
    let app = callplane::App::start(config).await.expect("restart");
    let token = std::fs::read_to_string(dir.path().join("admin.token")).expect("token").trim().to_owned();
    let cdrs: Value = reqwest::Client::new().get(format!("http://{}/api/v1/cdrs", app.http_addr)).bearer_auth(&token).send().await.expect("cdrs").json().await.expect("json");
    let cdr = &cdrs["items"][0];
    assert_eq!((cdr["hangup_reason"].as_str(), cdr["disposition"].as_str(), cdr["final_callee"].as_str()), (Some("shutdown"), Some("answered"), Some("1002")), "{cdrs}");
    assert!(cdr["duration_s"].as_f64().is_some_and(|d| d >= 2.5), "{cdr}");
    app.stop().await;
}

//! The operator console (`/console`) driven in headless Chromium (Debian's `chromium`,
//! through playwright-core and `tests/console/drive.mjs`) against a live Callplane with
//! sipp phones and a sipp carrier registrar: sign-in, a field error from a 422 shown next
//! to its field, a trunk turning registered, a live call hung up from the console, its CDR
//! found and downloaded as CSV; every page is screenshotted (also at phone size) into
//! `target/test-artifacts/console/` and checked for unlabelled controls.
//!
//! `scripts/test` installs Chromium and `scripts/test-clients` the console's node modules;
//! without them this test is skipped, unless `CALLPLANE_REQUIRE_CLIENTS=1` (as in CI).

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::office::Office;
use common::sipp::{SippCmd, Transport, free_port};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

const PAGES: [&str; 10] = ["dashboard", "calls", "cdrs", "extensions", "ring-groups", "routes", "trunks", "webhooks", "lua", "security"];

fn chromium() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/lib/chromium/chromium"), PathBuf::from);
    let missing = if !browser.exists() {
        Some(format!("no Chromium at {} (apt-get install chromium)", browser.display()))
    } else if !root.join("clients/console/node_modules/playwright-core").exists() {
        Some("clients/console/node_modules is not installed (scripts/test-clients runs npm ci there)".to_owned())
    } else {
        None
    };
    match missing {
        None => Some(browser),
        Some(reason) if std::env::var("CALLPLANE_REQUIRE_CLIENTS").is_ok_and(|v| v == "1") => panic!("the console test is required but {reason}"),
        Some(reason) => {
            eprintln!("skipping: {reason}");
            None
        }
    }
}

/// The browser, one command at a time.
struct Browser {
    child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
}

impl Browser {
    fn start(chromium: &Path, base: &str, artifacts: &Path) -> Browser {
        let mut child = Command::new("node")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/console/drive.mjs"))
            .env("CONSOLE_BASE", base)
            .env("CONSOLE_ARTIFACTS", artifacts)
            .env("CHROMIUM", chromium)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs tests/console/drive.mjs");
        let stdin = child.stdin.take().expect("stdin");
        let lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        Browser { child, stdin, lines }
    }

    /// Runs `command`; its value, or the test fails with the browser's error.
    async fn ask(&mut self, command: Value) -> Value {
        self.stdin.write_all(format!("{command}\n").as_bytes()).await.expect("write to the driver");
        let line = tokio::time::timeout(Duration::from_secs(60), self.lines.next_line())
            .await
            .unwrap_or_else(|_| panic!("the browser did not answer {command} within 60 s"))
            .expect("read from the driver")
            .unwrap_or_else(|| panic!("the driver ended during {command}"));
        let answer: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("driver said {line:?}: {e}"));
        assert_eq!(answer["ok"], true, "{command} failed in the browser (screenshot failed.png): {}", answer["error"].as_str().unwrap_or_default());
        answer["value"].clone()
    }

    async fn close(mut self) {
        drop(self.stdin);
        let ended = tokio::time::timeout(Duration::from_secs(20), self.child.wait()).await;
        assert!(matches!(ended, Ok(Ok(s)) if s.success()), "the driver ended badly: {ended:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_runs_the_office_from_the_console() {
    let Some(chromium) = chromium() else { return };
    let mut office = Office::start().await;
    let app = &office.app;
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts/console");
    let _ = std::fs::remove_dir_all(&artifacts);
    std::fs::create_dir_all(&artifacts).expect("artifacts directory");

    // The assets come from the binary, with a policy that keeps the page to its own server.
    let page = app.client.get(app.url("/console")).send().await.expect("GET /console");
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let etag = page.headers().get("etag").cloned().expect("etag");
    let again = app.client.get(app.url("/console/console.js")).send().await.expect("GET console.js");
    assert_eq!(again.status(), StatusCode::OK);
    assert!(again.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/javascript"));
    let cached = app.client.get(app.url("/console/")).header("if-none-match", etag).send().await.expect("revalidate");
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);

    let mut browser = Browser::start(&chromium, &app.base, &artifacts);
    assert_eq!(browser.ask(json!({"do": "open"})).await, "Sign in · Callplane");

    // Sign-in: a wrong token is refused on the spot; the right one is kept out of the URL.
    let refused = browser.ask(json!({"do": "signIn", "token": "not-a-token"})).await;
    assert!(refused["refused"].as_str().is_some_and(|t| t.contains("not valid")), "{refused}");
    let signed = browser.ask(json!({"do": "signIn", "token": app.admin})).await;
    assert_eq!(signed["signedIn"], true, "{signed}");
    assert_eq!(signed["inSessionStorage"], true);
    assert!(!signed["url"].as_str().unwrap_or_default().contains(&app.admin), "the token is not in the URL");

    // A bad number: the server's 422 shows next to the field, and nothing is created.
    let bad = browser.ask(json!({"do": "createExtension", "number": "12ab", "password": "console-secret-1", "ipAuth": "127.0.0.1", "shotName": "03-extension-field-error"})).await;
    assert!(bad["fieldError"].as_str().is_some_and(|t| t.contains("digits")), "{bad}");
    assert_eq!(bad["invalid"], "true");
    assert!(bad["describedBy"].as_str().is_some_and(|d| d.contains("new-extension-number-error")), "the error is tied to the input: {bad}");
    let (_, list) = app.get("/api/v1/extensions").await;
    assert_eq!(list["total"], 1, "only 1001: {list}");
    // Corrected in the same form: created.
    let good = browser.ask(json!({"do": "createExtension", "number": "1002", "password": "console-secret-1", "ipAuth": "127.0.0.1", "shotName": "04-extension-created"})).await;
    assert!(good["created"].as_str().is_some_and(|t| t.contains("1002")), "{good}");
    let (_, found) = app.get("/api/v1/extensions?prefix=1002").await;
    let created = &found["items"][0];
    assert_eq!(created["ip_auth"], json!(["127.0.0.1"]));
    assert_eq!(created["has_password"], true);
    assert!(created.get("voicemail").is_none(), "the form's defaults alone make no voicemail box: {created}");
    assert_eq!(created["max_contacts"], 5, "defaults as the API has them: {created}");

    // A trunk to a carrier (a sipp registrar): its row turns registered, live.
    let carrier_port = free_port("127.0.0.1", Transport::Udp);
    let registrar = SippCmd::new("registrar_answer.xml", app.sip_target(), carrier_port).substitute("STATUS_LINE", "200 OK").arg("-m").arg("20").spawn();
    assert_eq!(
        browser.ask(json!({"do": "createTrunk", "name": "carrier", "host": "127.0.0.1", "port": carrier_port, "username": "office", "password": "carrier-secret"})).await,
        true
    );
    let trunk_row = browser.ask(json!({"do": "waitRow", "text": "carrier", "want": "registered", "shotName": "11-trunk-registered"})).await;
    assert!(trunk_row.as_str().is_some_and(|t| t.contains("200")), "the carrier's answer is shown: {trunk_row}");
    drop(registrar);

    // A live call, hung up from the console: both phones get BYE, the CDR says so.
    let phone = office.phone("1002", "uas_answer.xml").await;
    let caller = office.caller("uac_call_callee_hangs_up.xml", "1002").spawn();
    let call_id = office.answered_call().await;
    assert_eq!(browser.ask(json!({"do": "hangUp", "caller": "1001", "callee": "1002"})).await, true);
    let r = caller.wait().await;
    assert!(r.success, "caller: {}", r.log);
    let r = phone.wait().await;
    assert!(r.success, "phone: {}", r.log);
    let cdrs = office.cdrs().await;
    let cdr = cdrs.iter().find(|c| c["id"] == call_id.as_str()).unwrap_or_else(|| panic!("a CDR for {call_id}: {cdrs:?}"));
    assert_eq!(cdr["hangup_side"], "api");

    // The call history finds it; its CSV downloads.
    let csv = browser.ask(json!({"do": "downloadCsv", "number": "1001"})).await;
    assert!(csv["name"].as_str().is_some_and(|n| n.ends_with(".csv")), "{csv}");
    let text = csv["csv"].as_str().expect("csv text");
    assert!(text.starts_with("id,caller,dialed,"), "{text}");
    let line = text.lines().find(|l| l.starts_with(call_id.as_str())).unwrap_or_else(|| panic!("the call's line in {text}"));
    assert!(line.contains(",1001,1002,") && line.contains(",answered,api,"), "{line}");

    // Every page: screenshot, every control labelled; at phone size, nothing runs off the side.
    for (n, path) in PAGES.iter().enumerate() {
        let title = browser.ask(json!({"do": "goto", "path": path, "name": format!("5{n}-{path}")})).await;
        assert!(title.as_str().is_some_and(|t| !t.is_empty()), "{path}: {title}");
        let unlabelled = browser.ask(json!({"do": "unlabelled"})).await;
        assert_eq!(unlabelled, json!([]), "{path} has controls without a label");
        let phone = browser.ask(json!({"do": "phone", "path": path})).await;
        assert!(phone["overflow"].as_i64().is_some_and(|o| o <= 0), "{path} is wider than a phone: {phone}");
    }
    let keyboard = browser.ask(json!({"do": "keyboard"})).await;
    assert_eq!(keyboard["first"], "Skip to content", "{keyboard}");

    // The browser saw no error but the two this test caused (the wrong token, the bad number).
    let errors = browser.ask(json!({"do": "errors"})).await;
    let unexpected: Vec<&Value> = errors.as_array().expect("errors").iter().filter(|e| !e.as_str().is_some_and(|t| t.contains("401") || t.contains("422"))).collect();
    assert!(unexpected.is_empty(), "{unexpected:?}");
    browser.close().await;
    office.assert_no_live_calls().await;
    office.stop().await;
}

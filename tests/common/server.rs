//! The real `callplane` binary as a subprocess (for crash tests: SIGKILL and restart).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct Server {
    child: Child,
    pub base: String,
    /// Where SIP listens (UDP and TCP).
    pub sip: std::net::SocketAddr,
}

/// The first admin token a server's first start wrote into `data_dir`.
pub fn admin_token(data_dir: &Path) -> String {
    std::fs::read_to_string(data_dir.join("admin.token")).expect("the first start writes the admin token").trim().to_owned()
}

/// Starts `callplane serve` on a free port and waits for its "listening" log line.
pub fn start(data_dir: &Path, database_url: Option<&str>) -> Server {
    start_on(data_dir, database_url, "127.0.0.1:0", "127.0.0.1:0")
}

/// As `start`, with the HTTP API on `http` and SIP on `sip` (a node that restarts where the
/// edge expects it).
pub fn start_on(data_dir: &Path, database_url: Option<&str>, http: &str, sip: &str) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_callplane"));
    let level = std::env::var("CALLPLANE_TEST_LOG").unwrap_or_else(|_| "info".to_owned());
    cmd.args(["serve", "--http-listen", http, "--sip-listen", sip, "--log-level", &level, "--data-dir"])
        .arg(data_dir)
        .env_remove("CALLPLANE_DATABASE_URL");
    if let Some(url) = database_url {
        cmd.args(["--database-url", url]);
    }
    launch(cmd)
}

/// Runs `cmd` (a `callplane serve` of any binary and config that logs at info or finer)
/// and waits for its "listening" log lines; the addresses are read from them, so a server
/// given port 0 never races another test for a port. A server that exits first fails the
/// test with what it logged.
pub fn launch(mut cmd: Command) -> Server {
    let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn callplane");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut sip = None;
    let mut seen = Vec::new();
    let addr = loop {
        let Some(line) = lines.next().and_then(Result::ok) else {
            let exit = child.wait().ok();
            panic!("callplane exited before listening ({exit:?}):\n{}", seen.join("\n"));
        };
        if line.contains("SIP listening on UDP and TCP") {
            let addr = line.split("addr=").nth(1).expect("address in log").split_whitespace().next().expect("addr");
            sip = Some(addr.parse().expect("SIP address"));
        }
        if line.contains("HTTP API listening") {
            let addr = line.split("http_addr=").nth(1).expect("address in log").split_whitespace().next().expect("addr");
            break addr.to_owned();
        }
        seen.push(line);
    };
    // Keep draining the log so the server never blocks on a full pipe (shown with
    // `CALLPLANE_TEST_LOG` set).
    let show = std::env::var("CALLPLANE_TEST_LOG").is_ok();
    let name = addr.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if show {
                eprintln!("[callplane {name}] {line}");
            }
        }
    });
    Server { child, base: format!("http://{addr}"), sip: sip.expect("SIP listens before HTTP") }
}

impl Server {
    /// `GET {path}` on the API: the status and the JSON body (`Null` when there is none).
    pub async fn get(&self, client: &reqwest::Client, token: &str, path: &str) -> (reqwest::StatusCode, serde_json::Value) {
        let resp = client.get(format!("{}{path}", self.base)).bearer_auth(token).send().await.expect("GET");
        (resp.status(), resp.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// The id of an answered call this server lists in `/api/v1/calls?{query}`, polled
    /// (bounded, 5 s): across the process boundary there is no event stream to await.
    pub async fn answered_call(&self, client: &reqwest::Client, token: &str, query: &str) -> Option<String> {
        for _ in 0..200 {
            let calls: serde_json::Value =
                client.get(format!("{}/api/v1/calls?{query}", self.base)).bearer_auth(token).send().await.ok()?.json().await.ok()?;
            if let Some(call) = calls["items"].as_array().and_then(|c| c.iter().find(|c| c["state"] == "answered")) {
                return call["id"].as_str().map(str::to_owned);
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        None
    }

    /// SIGTERM, as systemd stops the service; the exit status once it has drained.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
        self.child.wait().expect("reap")
    }

    pub fn kill9(mut self) {
        // SIGKILL: no shutdown code runs, exactly like a crash.
        self.child.kill().expect("kill");
        self.child.wait().expect("reap");
    }
}

impl Drop for Server {
    /// A test that fails leaves no server behind (after `kill9` this finds it reaped).
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}


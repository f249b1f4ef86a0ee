//! Running sipp scenarios from `tests/scenarios/` against a test server.

use std::net::SocketAddr;
use std::process::{Command, Stdio};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Transport {
    Udp,
    Tcp,
}

pub struct Sipp<'a> {
    pub scenario: &'a str,
    pub target: SocketAddr,
    pub user: &'a str,
    pub password: Option<&'a str>,
    pub transport: Transport,
    pub local_ip: &'a str,
}

/// A free local port for `ip` (bound and released; sipp binds it right after).
pub fn free_port(ip: &str, transport: Transport) -> u16 {
    match transport {
        Transport::Udp => std::net::UdpSocket::bind((ip, 0)).and_then(|s| s.local_addr()).map(|a| a.port()).expect("free UDP port"),
        Transport::Tcp => std::net::TcpListener::bind((ip, 0)).and_then(|s| s.local_addr()).map(|a| a.port()).expect("free TCP port"),
    }
}

pub struct SippResult {
    pub success: bool,
    pub log: String,
    pub local_port: u16,
}

impl Sipp<'_> {
    /// Runs one call of the scenario (bounded by sipp's own 20 s timeout).
    pub fn run(&self) -> SippResult {
        let dir = tempfile::tempdir().expect("tempdir");
        let scenario = format!("{}/tests/scenarios/{}", env!("CARGO_MANIFEST_DIR"), self.scenario);
        let local_port = free_port(self.local_ip, self.transport);
        let mut cmd = Command::new("sipp");
        cmd.current_dir(dir.path())
            .arg(self.target.to_string())
            .args(["-sf", &scenario, "-s", self.user, "-m", "1", "-nostdin", "-timeout", "20s", "-timeout_error"])
            .args(["-i", self.local_ip, "-p", &local_port.to_string()])
            .args(["-trace_err", "-error_file"])
            .arg(dir.path().join("errors.log"))
            .args(["-trace_msg", "-message_file"])
            .arg(dir.path().join("messages.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(p) = self.password {
            cmd.args(["-ap", p]);
        }
        if self.transport == Transport::Tcp {
            cmd.args(["-t", "t1"]);
        }
        let out = cmd.output().expect("sipp is installed (scripts/test installs sip-tester)");
        let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap_or_default();
        let log = format!(
            "stderr:\n{}\nerrors:\n{}\nmessages:\n{}",
            String::from_utf8_lossy(&out.stderr),
            read("errors.log"),
            read("messages.log")
        );
        SippResult { success: out.status.success(), log, local_port }
    }
}

/// A sipp process with any arguments, on a chosen local port.
pub struct SippCmd {
    pub scenario: String,
    pub target: SocketAddr,
    pub port: u16,
    pub transport: Transport,
    pub args: Vec<String>,
    /// Literal replacements made in a copy of the scenario (for values sipp cannot expand).
    pub substitutions: Vec<(String, String)>,
}

pub struct SippChild {
    child: std::process::Child,
    dir: tempfile::TempDir,
    name: String,
}

impl SippCmd {
    pub fn new(scenario: &str, target: SocketAddr, port: u16) -> SippCmd {
        SippCmd { scenario: scenario.to_owned(), target, port, transport: Transport::Udp, args: vec![], substitutions: vec![] }
    }

    /// Runs over `t` (TCP: one connection to the target, closed when sipp exits).
    pub fn transport(mut self, t: Transport) -> Self {
        self.transport = t;
        self
    }

    pub fn arg(mut self, a: &str) -> Self {
        self.args.push(a.to_owned());
        self
    }

    pub fn substitute(mut self, placeholder: &str, value: &str) -> Self {
        self.substitutions.push((placeholder.to_owned(), value.to_owned()));
        self
    }

    pub fn key(self, name: &str, value: &str) -> Self {
        self.arg("-key").arg(name).arg(value)
    }

    /// A UAC on a fresh local port: extension `user`, answering challenges with `password`,
    /// dialling `dialed` with `scenario`.
    pub fn caller(scenario: &str, target: SocketAddr, user: &str, password: &str, dialed: &str) -> SippCmd {
        SippCmd::new(scenario, target, free_port("127.0.0.1", Transport::Udp))
            .arg("-s")
            .arg(dialed)
            .key("caller", user)
            .arg("-au")
            .arg(user)
            .arg("-ap")
            .arg(password)
    }

    /// Starts sipp (one call, bounded by a 30 s timeout) in the background.
    pub fn spawn(&self) -> SippChild {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut scenario = format!("{}/tests/scenarios/{}", env!("CARGO_MANIFEST_DIR"), self.scenario);
        if !self.substitutions.is_empty() {
            let mut text = std::fs::read_to_string(&scenario).expect("scenario");
            for (from, to) in &self.substitutions {
                text = text.replace(from, to);
            }
            let copy = dir.path().join("scenario.xml");
            std::fs::write(&copy, text).expect("write scenario");
            scenario = copy.display().to_string();
        }
        let mut cmd = Command::new("sipp");
        cmd.current_dir(dir.path())
            .arg(self.target.to_string())
            .args(["-sf", &scenario, "-m", "1", "-nostdin", "-timeout", "30s", "-timeout_error"])
            .args(["-i", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-trace_err", "-error_file"])
            .arg(dir.path().join("errors.log"))
            .args(["-trace_msg", "-message_file"])
            .arg(dir.path().join("messages.log"))
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if self.transport == Transport::Tcp {
            cmd.args(["-t", "t1"]);
        }
        let child = cmd.spawn().expect("sipp is installed (scripts/test installs sip-tester)");
        SippChild { child, dir, name: self.scenario.clone() }
    }

    pub async fn run(&self) -> SippResult {
        let child = self.spawn();
        child.wait().await
    }
}

impl SippChild {
    /// Waits for sipp to end (its own -timeout bounds it).
    pub async fn wait(self) -> SippResult {
        let SippChild { child, dir, name } = self;
        let out = tokio::task::spawn_blocking(move || child.wait_with_output()).await.expect("join").expect("sipp output");
        let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap_or_default();
        let log = format!(
            "{name}\nstderr:\n{}\nerrors:\n{}\nmessages:\n{}",
            String::from_utf8_lossy(&out.stderr),
            read("errors.log"),
            read("messages.log")
        );
        SippResult { success: out.status.success(), log, local_port: 0 }
    }
}

/// sipp's RFC 4733 keypress recordings for `digits` (`pound`, `star` or a digit), each
/// followed by `pause_ms`, as scenario elements.
pub fn dtmf_keys(digits: &[&str], pause_ms: u32) -> String {
    digits
        .iter()
        .map(|d| format!("<nop><action><exec play_pcap_audio=\"/usr/share/sip-tester/dtmf_2833_{d}.pcap\"/></action></nop><pause milliseconds=\"{pause_ms}\"/>"))
        .collect()
}

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

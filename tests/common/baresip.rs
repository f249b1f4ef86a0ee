//! baresip phones for tests: a config in a temp dir, ctrl_tcp to dial and hang up.

use std::process::{Command, Stdio};
use std::time::Duration;

use super::TestApp;

/// A port free for UDP and TCP, with the next one free for TCP too (baresip binds
/// UDP and TCP on the port and TLS on port + 1).
pub fn free_port_pair() -> u16 {
    for _ in 0..50 {
        let port = super::sipp::free_port("127.0.0.1", super::sipp::Transport::Udp);
        let free = port < u16::MAX
            && std::net::TcpListener::bind(("127.0.0.1", port)).is_ok()
            && std::net::TcpListener::bind(("127.0.0.1", port + 1)).is_ok()
            && std::net::UdpSocket::bind(("127.0.0.1", port + 1)).is_ok();
        if free {
            return port;
        }
    }
    panic!("no free port pair for baresip");
}

/// Config lines that record decoded audio (the path is filled in per phone). The jitter
/// buffer is off: after a transfer the far end's RTP comes from a new source with its own
/// sequence numbers, and baresip 1.0's jitter buffer drops those as late for as long as
/// they are behind the old stream's (seen here: for more than 15 s). A media relay that
/// keeps one SSRC per leg (the media plane issue) spares real phones that.
const RECORD: &str = "module sndfile.so\nsnd_path __REC__\njitter_buffer_delay 0-0";

/// A baresip phone with its ctrl_tcp control socket.
pub struct Phone {
    child: std::process::Child,
    _dir: tempfile::TempDir,
    ctrl: u16,
    /// For a phone in a network namespace: a Unix socket (file systems are shared) that a
    /// small forwarder in the namespace connects to its ctrl_tcp port.
    ctrl_bridge: Option<(std::path::PathBuf, std::process::Child)>,
}

/// Where a phone runs: this namespace on 127.0.0.1, or a LAN namespace of the NAT lab.
struct Net<'a> {
    netns: Option<&'a str>,
    ip: &'a str,
}

const LOOPBACK: Net<'static> = Net { netns: None, ip: "127.0.0.1" };

/// Forwards connections on a Unix socket to a TCP port on 127.0.0.1 (run inside a
/// namespace, so a test outside it reaches a phone's ctrl_tcp).
const CTRL_BRIDGE: &str = r#"
import socket, sys, threading
path, port = sys.argv[1], int(sys.argv[2])
server = socket.socket(socket.AF_UNIX)
server.bind(path)
server.listen(8)
def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass
while True:
    client, _ = server.accept()
    target = socket.create_connection(("127.0.0.1", port))
    threading.Thread(target=pipe, args=(client, target), daemon=True).start()
    threading.Thread(target=pipe, args=(target, client), daemon=True).start()
"#;

impl Phone {
    pub fn start(app: &TestApp, number: &str, password: &str, rtp_base: u16) -> Phone {
        Self::start_on(app.sip_target(), "udp", "", number, password, rtp_base)
    }

    /// A phone registering to `target` over `transport` (`udp`, `tcp` or `tls`), with
    /// extra config lines (e.g. `sip_cafile` for TLS).
    pub fn start_on(target: std::net::SocketAddr, transport: &str, extra_config: &str, number: &str, password: &str, rtp_base: u16) -> Phone {
        Self::start_with(target, transport, extra_config, "", number, password, rtp_base)
    }

    /// A phone that plays a `tone_hz` sine and records what it hears (decoded audio, WAV)
    /// in `recordings()`.
    pub fn start_recording(app: &TestApp, number: &str, password: &str, rtp_base: u16, tone_hz: u32) -> Phone {
        Self::start_with(app.sip_target(), "udp", &format!("{RECORD}\naudio_source ausine,{tone_hz}"), "", number, password, rtp_base)
    }

    /// A recording phone (like `start_recording`) inside the namespace `netns` of a NAT lab,
    /// on its LAN address `ip`, registering to `target`, with RTP ports from `rtp_base`.
    pub fn start_in_lan(netns: &str, ip: &str, target: std::net::SocketAddr, number: &str, password: &str, tone_hz: u32, rtp_base: u16) -> Phone {
        let net = Net { netns: Some(netns), ip };
        Self::start_at(&net, target, "udp", &format!("{RECORD}\naudio_source ausine,{tone_hz}"), "", number, password, rtp_base)
    }

    /// A phone with baresip's `presence` module watching `watched` (its contacts list).
    /// (Not its `mwi` module: under CPU load baresip 1.0's `mwi` can fall into a loop of
    /// hundreds of SUBSCRIBEs a millisecond that never wait for an answer.)
    pub fn start_watching(app: &TestApp, number: &str, password: &str, rtp_base: u16, watched: &[&str]) -> Phone {
        let target = app.sip_target();
        let contacts: String = watched.iter().map(|n| format!("\"{n}\" <sip:{n}@{target}>;presence=p2p\n")).collect();
        Self::start_at(&LOOPBACK, target, "udp", &format!("module contact.so\nmodule_app presence.so\n__CONTACTS__{contacts}"), "", number, password, rtp_base)
    }

    /// What the phone printed so far (baresip's console log).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("baresip.log")).unwrap_or_default()
    }

    /// Where `start_recording` phones write what they decode.
    pub fn recordings(&self) -> std::path::PathBuf {
        self._dir.path().join("rec")
    }

    /// A phone that sends everything through the proxy at `proxy` (its outbound proxy).
    pub fn start_via(app: &TestApp, proxy: std::net::SocketAddr, number: &str, password: &str, rtp_base: u16) -> Phone {
        Self::start_with(app.sip_target(), "udp", "", &format!(";outbound=\"sip:{proxy};lr\""), number, password, rtp_base)
    }

    fn start_with(
        target: std::net::SocketAddr,
        transport: &str,
        extra_config: &str,
        account_params: &str,
        number: &str,
        password: &str,
        rtp_base: u16,
    ) -> Phone {
        Self::start_at(&LOOPBACK, target, transport, extra_config, account_params, number, password, rtp_base)
    }

    #[allow(clippy::too_many_arguments)]
    fn start_at(
        net: &Net<'_>,
        target: std::net::SocketAddr,
        transport: &str,
        extra_config: &str,
        account_params: &str,
        number: &str,
        password: &str,
        rtp_base: u16,
    ) -> Phone {
        let ip = net.ip;
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("rec")).expect("recordings dir");
        let extra_config = extra_config.replace("__REC__", &dir.path().join("rec").display().to_string());
        // A tone of its own replaces the default 440 Hz.
        let source = extra_config.lines().find(|l| l.starts_with("audio_source")).unwrap_or("audio_source ausine,440").to_owned();
        // `__CONTACTS__` lines go to the contacts file.
        let (extra_config, contacts) = match extra_config.split_once("__CONTACTS__") {
            Some((config, contacts)) => (config.to_owned(), contacts.to_owned()),
            None => (extra_config, String::new()),
        };
        let extra_config: String = extra_config.lines().filter(|l| !l.starts_with("audio_source")).map(|l| format!("{l}\n")).collect();
        // A namespace of its own has every port free.
        let (sip_port, ctrl) = match net.netns {
            Some(_) => (5060, 4444),
            None => (free_port_pair(), super::sipp::free_port("127.0.0.1", super::sipp::Transport::Tcp)),
        };
        let config = format!(
            "poll_method epoll\nsip_listen {ip}:{sip_port}\nnet_interface {ip}\nrtp_ports {rtp_base}-{}\n\
             {source}\nausrc_srate 48000\nausrc_channels 2\naudio_player aubridge,null{number}\naudio_alert aubridge,null{number}\n\
             module_path /usr/lib/baresip/modules\nmodule g711.so\nmodule ausine.so\nmodule aubridge.so\n\
             module_tmp uuid.so\nmodule_tmp account.so\nmodule_app menu.so\nmodule_app ctrl_tcp.so\nctrl_tcp_listen 127.0.0.1:{ctrl}\n{extra_config}",
            rtp_base + 19
        );
        std::fs::write(dir.path().join("config"), config).expect("config");
        std::fs::write(dir.path().join("contacts"), contacts).expect("contacts");
        std::fs::write(
            dir.path().join("accounts"),
            format!("<sip:{number}@{target};transport={transport}>;auth_pass={password};answermode=auto;regint=300;audio_codecs=PCMU{account_params}\n"),
        )
        .expect("accounts");
        let log = std::fs::File::create(dir.path().join("baresip.log")).expect("log");
        let mut command = match net.netns {
            Some(ns) => {
                let mut c = Command::new("ip");
                c.args(["netns", "exec", ns, "baresip"]);
                c
            }
            None => Command::new("baresip"),
        };
        let child = command
            .arg("-f")
            .arg(dir.path())
            .args(["-t", "60"])
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(Stdio::null())
            .spawn()
            .expect("baresip is installed");
        let ctrl_bridge = net.netns.map(|ns| {
            let path = dir.path().join("ctrl.sock");
            let bridge = Command::new("ip")
                .args(["netns", "exec", ns, "python3", "-c", CTRL_BRIDGE])
                .arg(&path)
                .arg(ctrl.to_string())
                .stdin(Stdio::null())
                .spawn()
                .expect("python3 for the ctrl bridge");
            (path, bridge)
        });
        Phone { child, _dir: dir, ctrl, ctrl_bridge }
    }

    /// Sends one ctrl_tcp command (netstring-framed JSON) on a fresh connection.
    pub async fn command(&self, command: &str, params: &str) {
        self.ask(command, params).await;
    }

    /// Waits (bounded, 10 s) until the phone reports an established call: it has the answer
    /// and sent its ACK, so a hang-up now is a BYE.
    pub async fn wait_established(&self) {
        for _ in 0..200 {
            if self.ask("listcalls", "").await.contains("ESTABLISHED") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the phone never reported an established call");
    }

    /// Waits (bounded, 10 s) until the phone has no call left (it got or sent the BYE).
    pub async fn wait_idle(&self) {
        for _ in 0..200 {
            let calls = self.ask("listcalls", "").await;
            if !calls.contains("ESTABLISHED") && !calls.contains("INCOMING") && !calls.contains("OUTGOING") && !calls.contains("RINGING") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the phone still has a call");
    }

    /// Sends one ctrl_tcp command and returns baresip's reply (its `data`, or "").
    pub async fn ask(&self, command: &str, params: &str) -> String {
        use tokio::io::AsyncWriteExt;
        let body = serde_json::json!({"command": command, "params": params, "token": command}).to_string();
        let request = format!("{}:{},", body.len(), body);
        // Read the reply so the command has been taken before we go on.
        let mut buf = vec![0u8; 8192];
        let read = |n: Result<Result<usize, std::io::Error>, tokio::time::error::Elapsed>| match n {
            Ok(Ok(n)) => n,
            _ => 0,
        };
        let n = match &self.ctrl_bridge {
            Some((path, _)) => {
                // The forwarder may still be starting: retry briefly (bounded).
                let mut stream = None;
                for _ in 0..100 {
                    if let Ok(s) = tokio::net::UnixStream::connect(path).await {
                        stream = Some(s);
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                let mut stream = stream.expect("ctrl bridge");
                stream.write_all(request.as_bytes()).await.expect("send command");
                read(tokio::time::timeout(Duration::from_secs(5), tokio::io::AsyncReadExt::read(&mut stream, &mut buf)).await)
            }
            None => {
                let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", self.ctrl)).await.expect("ctrl_tcp");
                stream.write_all(request.as_bytes()).await.expect("send command");
                read(tokio::time::timeout(Duration::from_secs(5), tokio::io::AsyncReadExt::read(&mut stream, &mut buf)).await)
            }
        };
        let text = String::from_utf8_lossy(&buf[..n]).to_string();
        let json = text.split_once(':').map(|(_, rest)| rest.trim_end_matches(',')).unwrap_or("");
        serde_json::from_str::<serde_json::Value>(json).ok().and_then(|v| v["data"].as_str().map(str::to_owned)).unwrap_or_default()
    }
}

impl Drop for Phone {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some((_, bridge)) = self.ctrl_bridge.as_mut() {
            let _ = bridge.kill();
            let _ = bridge.wait();
        }
        if std::env::var("CALLPLANE_TEST_LOG").is_ok() {
            let log = std::fs::read_to_string(self._dir.path().join("baresip.log")).unwrap_or_default();
            eprintln!("--- baresip log ---\n{log}");
        }
    }
}


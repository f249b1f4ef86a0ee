//! linphonec (Debian's linphone-cli) as a phone: a config per run (it rewrites its file),
//! driven over stdin; what it prints is read line by line.

use std::io::{BufRead, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Linphone {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    _dir: tempfile::TempDir,
}

impl Linphone {
    /// Extension `number` registering to `pbx` over UDP from `sip_port`, answering calls
    /// itself, with RTP on `rtp_port`.
    pub fn start(pbx: std::net::SocketAddr, number: &str, password: &str, sip_port: u16, rtp_port: u16) -> Linphone {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("home/.local/share/linphone")).expect("home");
        let host = pbx.ip();
        let mut codecs = String::new();
        for (i, (mime, rate)) in [("PCMU", 8000), ("opus", 48000), ("speex", 16000), ("speex", 8000), ("PCMA", 8000)].iter().enumerate() {
            let enabled = if i == 0 { 1 } else { 0 };
            codecs.push_str(&format!("[audio_codec_{i}]\nmime={mime}\nrate={rate}\nchannels=1\nenabled={enabled}\n"));
        }
        let rc = format!(
            "[sip]\nsip_port={sip_port}\nsip_tcp_port=0\nsip_tls_port=0\nbind_address=127.0.0.1\ndefault_proxy=0\nsupported=replaces, outbound\n\
             [rtp]\naudio_rtp_port={rtp_port}\nvideo_rtp_port={}\n[video]\nenabled=0\ncapture=0\ndisplay=0\nautomatically_initiate=0\nautomatically_accept=0\n\
             [proxy_0]\nreg_proxy=<sip:{pbx};transport=udp>\nreg_identity=sip:{number}@{host}\nreg_expires=300\nreg_sendregister=1\npublish=0\n\
             [auth_info_0]\nusername={number}\npasswd={password}\nrealm=callplane\ndomain={host}\n{codecs}",
            rtp_port + 10
        );
        std::fs::write(dir.path().join("run.rc"), rc).expect("rc");
        let mut child = Command::new("linphonec")
            .args(["-a", "-c"])
            .arg(dir.path().join("run.rc"))
            .env("HOME", dir.path().join("home"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("linphonec is installed (scripts/test installs linphone-cli)");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Linphone { child, stdin, lines, seen: vec![], _dir: dir }
    }

    pub fn send(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").expect("linphonec stdin");
        self.stdin.flush().expect("flush");
    }

    /// Waits (bounded by `wait`) for a line containing `needle`; returns it.
    pub fn expect(&mut self, needle: &str, wait: Duration) -> String {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!("linphonec never printed `{needle}`; it printed:\n{}", self.seen.join("\n")),
            }
        }
    }

    /// Waits until registered (polls `status register`, bounded).
    pub fn wait_registered(&mut self) {
        for _ in 0..40 {
            self.send("status register");
            let deadline = Instant::now() + Duration::from_millis(500);
            while let Ok(line) = self.lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                self.seen.push(line.clone());
                if line.contains("registered, identity=") {
                    return;
                }
            }
        }
        panic!("linphonec did not register:\n{}", self.seen.join("\n"));
    }
}

impl Drop for Linphone {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

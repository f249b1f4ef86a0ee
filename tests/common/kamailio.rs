//! Kamailio (Debian package) for tests: a config template from `tests/kamailio/` with its
//! placeholders replaced, run in the foreground and stopped by PID when dropped.

use std::process::{Child, Command, Stdio};

pub struct Kamailio {
    child: Child,
    dir: tempfile::TempDir,
}

impl Kamailio {
    /// Starts `tests/kamailio/<template>` with each `(placeholder, value)` replaced.
    pub fn start(template: &str, substitutions: &[(&str, String)]) -> Kamailio {
        let path = format!("{}/tests/kamailio/{template}", env!("CARGO_MANIFEST_DIR"));
        let kamailio = Self::start_file(std::path::Path::new(&path), substitutions);
        assert!(!std::fs::read_to_string(kamailio.dir.path().join("kamailio.cfg")).unwrap_or_default().contains("__"), "a placeholder of {template} was not replaced");
        kamailio
    }

    /// Starts the config at `path` (a shipped one, e.g. `deploy/kamailio/…`) with each
    /// `(text, value)` replaced.
    pub fn start_file(path: &std::path::Path, substitutions: &[(&str, String)]) -> Kamailio {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut cfg = std::fs::read_to_string(path).expect("config");
        for (from, to) in substitutions {
            assert!(cfg.contains(from), "{} has no `{from}`", path.display());
            cfg = cfg.replace(from, to);
        }
        std::fs::write(dir.path().join("kamailio.cfg"), cfg).expect("cfg");
        let log = std::fs::File::create(dir.path().join("kamailio.log")).expect("log");
        let child = Command::new("kamailio")
            .arg("-f")
            .arg(dir.path().join("kamailio.cfg"))
            .arg("-P")
            .arg(dir.path().join("kamailio.pid"))
            .arg("-Y")
            .arg(dir.path())
            .args(["-DD", "-E"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("kamailio is installed (scripts/test installs it)");
        Kamailio { child, dir }
    }

    /// What Kamailio logged so far (for assertion messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("kamailio.log")).unwrap_or_default()
    }

    /// Waits (bounded, 10 s) until Kamailio answers OPTIONS on `addr` over UDP.
    pub async fn wait_ready(&self, addr: std::net::SocketAddr) {
        let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.expect("bind");
        for i in 0..100 {
            let probe = format!(
                "OPTIONS sip:{addr} SIP/2.0\r\nVia: SIP/2.0/UDP {};branch=z9hG4bKready{i}\r\nMax-Forwards: 70\r\n\
                 From: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:{addr}>\r\nCall-ID: ready{i}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
                sock.local_addr().expect("addr")
            );
            let _ = sock.send_to(probe.as_bytes(), addr).await;
            let mut buf = [0u8; 2048];
            if let Ok(Ok(_)) = tokio::time::timeout(std::time::Duration::from_millis(100), sock.recv_from(&mut buf)).await {
                return;
            }
        }
        panic!("Kamailio did not start:\n{}", self.log());
    }
}

impl Drop for Kamailio {
    fn drop(&mut self) {
        // With -DD the spawned PID is Kamailio's main process; SIGTERM stops its children.
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
        if std::env::var("CALLPLANE_TEST_LOG").is_ok() {
            eprintln!("--- kamailio log ---\n{}", self.log());
        }
    }
}

//! `--rtpengine local`: Callplane starts rtpengine itself (the Debian package's binary,
//! userspace forwarding, nothing from the packaged configuration), on a loopback control
//! port, and starts it again if it exits.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use tokio::process::Command;

/// First RTP port of the local relay's range, and how many ports it gets (4 per call).
pub const DEFAULT_PORT_MIN: u16 = 30000;
pub const DEFAULT_PORT_MAX: u16 = 39999;

#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    #[error("cannot start rtpengine ({binary}): {source}; install Debian's rtpengine-daemon package")]
    Spawn { binary: String, source: std::io::Error },
    #[error("rtpengine did not answer on {0} within 5 s (its log: {1})")]
    NotReady(SocketAddr, String),
    #[error("no free loopback port for rtpengine's control: {0}")]
    Port(std::io::Error),
}

/// How the local rtpengine runs.
#[derive(Debug, Clone)]
pub struct LocalOptions {
    /// Address RTP is relayed on (and advertised in SDP).
    pub media_address: IpAddr,
    pub port_min: u16,
    pub port_max: u16,
    /// Where its log goes (`rtpengine.log`).
    pub log_dir: PathBuf,
    pub binary: String,
    /// Where rtpengine reports each keypress (RFC 4733 event) it sees.
    pub dtmf_log_dest: Option<SocketAddr>,
    /// Where rtpengine writes recorded calls (pcaps, turned into WAVs by Callplane).
    pub recording_spool: Option<PathBuf>,
}

/// A running local rtpengine; stopped when dropped.
pub struct LocalRtpengine {
    pub url: String,
    _supervisor: tokio::task::JoinHandle<()>,
    exits: tokio::sync::watch::Receiver<u64>,
}

fn free_port() -> Result<u16, LocalError> {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).map_err(LocalError::Port)
}

fn command(o: &LocalOptions, control: SocketAddr) -> Command {
    // setpriv (util-linux) makes the kernel stop rtpengine when Callplane dies, even by
    // SIGKILL, so no orphan keeps its ports.
    let mut c = Command::new("setpriv");
    c.args(["--pdeathsig", "KILL", "--"]).arg(&o.binary);
    c.arg("--config-file=none")
        .arg("--table=-1")
        .arg(format!("--interface={}", o.media_address))
        .arg(format!("--listen-http={control}"))
        .arg(format!("--port-min={}", o.port_min))
        .arg(format!("--port-max={}", o.port_max))
        .arg("--foreground")
        .arg("--log-stderr")
        .arg("--delete-delay=0")
        .args(o.dtmf_log_dest.map(|d| format!("--dtmf-log-dest={d}")))
        .args(o.recording_spool.iter().flat_map(|d| {
            [format!("--recording-dir={}", d.display()), "--recording-method=pcap".to_owned(), "--recording-format=eth".to_owned()]
        }))
        .kill_on_drop(true)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null());
    c
}

fn log_file(o: &LocalOptions) -> std::process::Stdio {
    let _ = std::fs::create_dir_all(&o.log_dir);
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(o.log_dir.join("rtpengine.log"))
        .map_or_else(|_| std::process::Stdio::null(), std::process::Stdio::from)
}

impl LocalRtpengine {
    /// Starts rtpengine and waits (bounded) until it answers `ping`.
    pub async fn start(options: LocalOptions) -> Result<LocalRtpengine, LocalError> {
        let control = SocketAddr::from(([127, 0, 0, 1], free_port()?));
        let url = format!("http://{control}");
        let mut child = command(&options, control)
            .stderr(log_file(&options))
            .spawn()
            .map_err(|source| LocalError::Spawn { binary: options.binary.clone(), source })?;
        let client = super::ng::NgClient::new(&url);
        let mut ready = false;
        for _ in 0..100 {
            if client.send(&super::ng::NgRequest::new("ping")).await.is_ok() {
                ready = true;
                break;
            }
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if !ready {
            let _ = child.kill().await;
            return Err(LocalError::NotReady(control, options.log_dir.join("rtpengine.log").display().to_string()));
        }
        tracing::info!(%url, media = %options.media_address, ports = %format!("{}-{}", options.port_min, options.port_max), "local rtpengine started");
        let (exited, exits) = tokio::sync::watch::channel(0);
        let supervisor = tokio::spawn(supervise(child, options, control, exited));
        Ok(LocalRtpengine { url, _supervisor: supervisor, exits })
    }

    /// Changes each time rtpengine exited (and is being started again): the sessions it
    /// held are gone, even when it answers again before anyone pinged it.
    pub fn exits(&self) -> tokio::sync::watch::Receiver<u64> {
        self.exits.clone()
    }
}

/// Restarts rtpengine when it exits (sessions it held are gone: those calls lose their
/// media), waiting longer after each quick failure.
async fn supervise(mut child: tokio::process::Child, options: LocalOptions, control: SocketAddr, exited: tokio::sync::watch::Sender<u64>) {
    let mut backoff = Duration::from_millis(500);
    loop {
        let started = tokio::time::Instant::now();
        let status = child.wait().await;
        tracing::error!(?status, "local rtpengine exited; starting it again");
        exited.send_modify(|n| *n += 1);
        if started.elapsed() > Duration::from_secs(30) {
            backoff = Duration::from_millis(500);
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(30));
        match command(&options, control).stderr(log_file(&options)).spawn() {
            Ok(c) => child = c,
            Err(e) => {
                tracing::error!(error = %e, "cannot start rtpengine again");
                return;
            }
        }
    }
}

impl Drop for LocalRtpengine {
    fn drop(&mut self) {
        // The supervisor owns the child (kill_on_drop): aborting it stops rtpengine.
        self._supervisor.abort();
    }
}

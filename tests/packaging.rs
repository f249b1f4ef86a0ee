//! The Debian package (scripts/build-deb, dpkg-deb): installed by dpkg into an empty root,
//! it holds the binary, the hardened systemd unit and the config under /etc (a conffile),
//! and the installed binary starts with the installed config.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::sipp::{Transport, free_port};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_package_installs_into_a_clean_root_and_its_binary_starts_with_its_config() {
    let work = tempfile::tempdir().expect("dir");
    let out = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/build-deb"))
        .args(["--fast", "--binary", env!("CARGO_BIN_EXE_callplane"), "--out"])
        .arg(work.path().join("out"))
        .output()
        .expect("build-deb");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let deb = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let info = Command::new("dpkg-deb").args(["--field", &deb, "Package", "Architecture", "Depends"]).output().expect("dpkg-deb");
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    assert!(info.contains("Package: callplane") && info.contains("Depends: adduser"), "{info}");

    // An empty root with a dpkg database of its own; dpkg installs the package there
    // (unpack and configure; the maintainer scripts run outside it with $DPKG_ROOT; the
    // root has no libc or adduser packages to satisfy the dependencies).
    let root = work.path().join("root");
    for d in ["var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"] {
        std::fs::create_dir_all(root.join(d)).expect("dpkg dirs");
    }
    std::fs::write(root.join("var/lib/dpkg/status"), "").expect("status");
    let unpacked = Command::new("dpkg").arg(format!("--root={}", root.display())).args(["--force-script-chrootless", "--force-depends", "--install", &deb]).output().expect("dpkg");
    assert!(unpacked.status.success(), "{}{}", String::from_utf8_lossy(&unpacked.stdout), String::from_utf8_lossy(&unpacked.stderr));
    let status = Command::new("dpkg-query").arg(format!("--admindir={}", root.join("var/lib/dpkg").display())).args(["-W", "-f=${Status} ${Conffiles}", "callplane"]).output().expect("dpkg-query");
    let status = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(status.starts_with("install ok installed") && status.contains("/etc/callplane/callplane.toml"), "{status}");
    assert!(root.join("var/lib/callplane").is_dir(), "the data directory is made");
    let sysctl = std::fs::read_to_string(root.join("usr/lib/sysctl.d/60-callplane.conf")).expect("the socket buffer limits are installed");
    assert!(sysctl.contains("net.core.rmem_max = 4194304"), "{sysctl}");
    let unit = std::fs::read_to_string(root.join("lib/systemd/system/callplane.service")).expect("unit");
    for line in ["ExecStart=/usr/bin/callplane serve --config /etc/callplane/callplane.toml", "NoNewPrivileges=yes", "ProtectSystem=strict", "TimeoutStopSec=60"] {
        assert!(unit.contains(line), "the unit lacks {line}");
    }

    // The installed binary with the installed config (the data directory and addresses
    // moved into the test's reach by flags, which override the file).
    let data = root.join("var/lib/callplane");
    let (http, sip) = (free_port("127.0.0.1", Transport::Tcp), free_port("127.0.0.1", Transport::Udp));
    let mut child = Command::new(root.join("usr/bin/callplane"))
        .args(["serve", "--config"])
        .arg(root.join("etc/callplane/callplane.toml"))
        .arg("--data-dir")
        .arg(&data)
        .arg(format!("--http-listen=127.0.0.1:{http}"))
        .arg(format!("--sip-listen=127.0.0.1:{sip}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the installed binary");
    let client = reqwest::Client::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        let token = std::fs::read_to_string(data.join("admin.token")).unwrap_or_default().trim().to_owned();
        let answer = client.get(format!("http://127.0.0.1:{http}/api/v1/status")).bearer_auth(&token).send().await;
        if let Some(r) = answer.ok().filter(|r| r.status().is_success()) {
            break r.json::<serde_json::Value>().await.expect("status");
        }
        assert!(std::time::Instant::now() < deadline, "the installed binary did not come up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(status["database"], "sqlite", "{status}");
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill").success());
    let exit = tokio::task::spawn_blocking(move || child.wait()).await.expect("join").expect("exit");
    assert!(exit.success(), "{exit:?}");
}

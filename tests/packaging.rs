//! The Debian package (scripts/build-deb, dpkg-deb): installed by dpkg into an empty root,
//! it holds the binary, the hardened systemd unit and the config under /etc (a conffile),
//! and the installed binary starts with the installed config.

mod common;

use std::process::Command;

use common::server;

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
    // moved into the test's reach by flags, which override the file; port 0, read back
    // from the log).
    let data = root.join("var/lib/callplane");
    let mut cmd = Command::new(root.join("usr/bin/callplane"));
    cmd.args(["serve", "--config"])
        .arg(root.join("etc/callplane/callplane.toml"))
        .arg("--data-dir")
        .arg(&data)
        .args(["--http-listen=127.0.0.1:0", "--sip-listen=127.0.0.1:0"]);
    let server = server::launch(cmd);
    let (code, status) = server.get(&reqwest::Client::new(), &server::admin_token(&data), "/api/v1/status").await;
    assert!(code.is_success(), "{code} {status}");
    assert_eq!(status["database"], "sqlite", "{status}");
    let exit = tokio::task::spawn_blocking(move || server.terminate()).await.expect("join");
    assert!(exit.success(), "{exit:?}");
}

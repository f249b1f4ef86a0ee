//! The internet edge for phones behind NAT, through the NAT lab (network namespaces with a
//! masquerading router): a STUN client (Debian's `stun`) learns its public address from
//! Callplane's SIP port and from its STUN port.

mod common;

/// What `stun` run in namespace `lan` learns from `server` (its MappedAddress lines).
fn mapped_addresses(lan: &str, server: std::net::SocketAddr) -> Vec<String> {
    let out = std::process::Command::new("timeout")
        .args(["10", "ip", "netns", "exec", lan, "stun", &server.to_string(), "-v"])
        .output()
        .expect("stun is installed (scripts/test installs stun-client)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.lines().filter_map(|l| l.trim().strip_prefix("MappedAddress = ").map(str::to_owned)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_behind_nat_learns_its_public_address_by_stun() {
    let lab = common::netlab::NatLab::build(1);
    let app = common::TestApp::spawn_with(common::Backend::Sqlite, |c| c.stun_listen = Some(std::net::SocketAddr::new(lab.public, 0))).await.expect("app");
    let public = lab.nat_address(1).to_string();
    for port in [app.app.sip_addr.port(), app.app.stun_addr.expect("STUN port").port()] {
        let seen = mapped_addresses(&lab.lan(1), std::net::SocketAddr::new(lab.public, port));
        assert!(!seen.is_empty(), "no STUN answer on port {port}");
        assert!(seen.iter().all(|a| a.starts_with(&format!("{public}:"))), "the NAT's address, not the phone's own ({}): {seen:?}", common::netlab::LAN_IP);
    }
    app.stop().await;
}

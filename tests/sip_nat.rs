//! The internet edge for phones behind NAT, through the NAT lab (network namespaces with a
//! masquerading router): a STUN client (Debian's `stun`) learns its public address from
//! Callplane's SIP port and from its STUN port; a phone (baresip) whose NAT goes silent is
//! marked unreachable within two keep-alive intervals, and calls skip it.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_phone_behind_nat_is_marked_unreachable_and_calls_skip_it() {
    let lab = common::netlab::NatLab::build(1);
    let app = common::TestApp::spawn_with(common::Backend::Sqlite, |c| c.sip.nat_keepalive_s = 2).await.expect("app");
    app.create("/api/v1/extensions", serde_json::json!({"number": "1001", "password": "phone-a-Pass1"})).await;
    app.create("/api/v1/extensions", serde_json::json!({"number": "1002", "password": "phone-b-Pass2"})).await;
    let mut events = app.app.state.feed.subscribe();
    let target = std::net::SocketAddr::new(lab.public, app.app.sip_addr.port());
    let phone = common::baresip::Phone::start_in_lan(&lab.lan(1), common::netlab::LAN_IP, target, "1001", "phone-a-Pass1", 500, 20000);
    let registered = common::wait_for(&mut events, "registration.created").await;
    assert_eq!(registered.data["contact"].as_str().map(|c| c.contains(common::netlab::LAN_IP)), Some(true), "{}", registered.data);
    // Keep-alives are answered: several intervals pass without a mark.
    let quiet = tokio::time::timeout(std::time::Duration::from_secs(5), common::wait_for(&mut events, "registration.unreachable")).await;
    assert!(quiet.is_err(), "an answering phone stays reachable");
    lab.drop_traffic(1);
    let dropped = std::time::Instant::now();
    let unreachable = common::wait_for(&mut events, "registration.unreachable").await;
    let took = dropped.elapsed();
    assert_eq!((unreachable.data["aor"].as_str(), unreachable.data["source"].as_str().map(|s| s.starts_with(&format!("{}:", lab.nat_address(1))))), (Some("1001"), Some(true)), "{}", unreachable.data);
    assert!(took <= std::time::Duration::from_millis(4500), "marked after {took:?}: within two intervals of 2 s");
    // A call to it skips the silent device: nothing else to ring, so 480 at once.
    let caller = common::sipp::SippCmd::caller("uac_expect_480.xml", app.sip_target(), "1002", "phone-b-Pass2", "1001").run().await;
    common::office::assert_all(&[&caller]);
    drop(phone);
    app.stop().await;
}

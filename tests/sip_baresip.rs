//! baresip (Debian `baresip-core`) registers to Callplane as a real phone.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Backend, TestApp};
use reqwest::StatusCode;

fn baresip_config(dir: &std::path::Path, sip_port: u16, target: std::net::SocketAddr, password: &str) {
    let config = format!(
        "poll_method epoll\nsip_listen 127.0.0.1:{sip_port}\nnet_interface 127.0.0.1\nrtp_ports 30000-30019\n\
         audio_source ausine,440\naudio_player aubridge,null1\naudio_alert aubridge,null1\n\
         module_path /usr/lib/baresip/modules\nmodule g711.so\nmodule ausine.so\nmodule aubridge.so\n\
         module_tmp uuid.so\nmodule_tmp account.so\n"
    );
    std::fs::write(dir.join("config"), config).expect("config");
    std::fs::write(dir.join("contacts"), "").expect("contacts");
    std::fs::write(
        dir.join("accounts"),
        format!("<sip:1001@{target};transport=udp>;auth_pass={password};regint=300;audio_codecs=PCMU\n"),
    )
    .expect("accounts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baresip_registers_and_unregisters() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    // baresip's account line cannot carry spaces in auth_pass.
    app.create("/api/v1/extensions", serde_json::json!({"number": "1001", "password": "baresip-Pass-7"})).await;
    let mut events = app.app.state.feed.subscribe();
    let dir = tempfile::tempdir().expect("tempdir");
    let sip_port = common::baresip::free_port_pair();
    baresip_config(dir.path(), sip_port, app.sip_target(), "baresip-Pass-7");
    let log_path = dir.path().join("baresip.log");
    let log = std::fs::File::create(&log_path).expect("log file");
    let mut child = Command::new("baresip")
        .arg("-f")
        .arg(dir.path())
        .args(["-t", "60"])
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(Stdio::null())
        .spawn()
        .expect("baresip is installed (scripts/test installs baresip-core)");
    // Wait for the registration to happen (bounded).
    let created = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match events.recv().await {
                Ok(e) if e.kind == "registration.created" => return e,
                Ok(_) => {}
                Err(e) => panic!("bus: {e}"),
            }
        }
    })
    .await;
    let Ok(created) = created else {
        let _ = child.kill();
        panic!("baresip did not register:\n{}", std::fs::read_to_string(&log_path).unwrap_or_default());
    };
    assert_eq!(created.data["aor"], "1001");

    let (status, body) = app.get("/api/v1/registrations?extension=1001").await;
    assert_eq!(status, StatusCode::OK);
    let items = body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{body}");
    assert!(items[0]["user_agent"].as_str().unwrap_or_default().contains("baresip"), "{body}");
    assert!(items[0]["instance"].as_str().unwrap_or_default().starts_with("<urn:uuid:"), "{body}");
    assert_eq!(items[0]["source"], format!("127.0.0.1:{sip_port}"));

    // SIGTERM makes baresip unregister before it exits.
    let pid = child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let removed = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            match events.recv().await {
                Ok(e) if e.kind == "registration.removed" => return e,
                Ok(_) => {}
                Err(e) => panic!("bus: {e}"),
            }
        }
    })
    .await
    .expect("baresip unregisters on exit");
    assert_eq!(removed.data["aor"], "1001");
    let _ = child.wait();
    app.stop().await;
}


#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baresip_calls_baresip_and_either_side_hangs_up() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", serde_json::json!({"number": "1001", "password": "phone-a-Pass1"})).await;
    app.create("/api/v1/extensions", serde_json::json!({"number": "1002", "password": "phone-b-Pass2"})).await;
    let mut events = app.app.state.feed.subscribe();
    let a = common::baresip::Phone::start(&app, "1001", "phone-a-Pass1", 31000);
    let b = common::baresip::Phone::start(&app, "1002", "phone-b-Pass2", 31100);
    common::wait_for(&mut events, "registration.created").await;
    common::wait_for(&mut events, "registration.created").await;

    for (round, hangs_up) in [(1, "caller"), (2, "callee")] {
        a.command("dial", "1002").await;
        common::wait_for(&mut events, "call.answered").await;
        tokio::time::sleep(Duration::from_secs(1)).await; // talk for a second
        let phone = if hangs_up == "caller" { &a } else { &b };
        phone.command("hangup", "").await;
        let ended = common::wait_for(&mut events, "call.ended").await;
        assert_eq!(ended.data["hangup_side"], hangs_up, "round {round}");
        assert_eq!(ended.data["final_callee"], "1002");
        assert!(ended.data["duration_s"].as_f64().expect("duration") >= 1.0);
    }
    if let Some(sip) = &app.app.state.sip {
        sip.b2bua.cdrs.flush().await;
    }
    let (_, cdrs) = app.get("/api/v1/cdrs").await;
    assert_eq!(cdrs["total"], 2, "{cdrs}");
    assert_eq!(cdrs["items"][0]["caller"], "1001");
    assert_eq!(cdrs["items"][1]["hangup_side"], "callee");
    let (_, calls) = app.get("/api/v1/calls").await;
    assert_eq!(calls["total"], 0);
    app.stop().await;
}

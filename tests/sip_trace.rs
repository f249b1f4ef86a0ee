//! SIP traces: a trace of extension 1001 captures its REGISTER and Callplane's answer, and
//! nothing of another phone; Wireshark's tshark reads the pcap.

mod common;

use common::sipp::{SippCmd, Transport, free_port};
use serde_json::json;

/// `tshark -r` of `file`: one line per SIP message (method or status code, source port,
/// destination port).
fn sip_lines(file: &std::path::Path) -> Vec<String> {
    let out = std::process::Command::new("tshark")
        .args(["-r", file.to_str().expect("path"), "-Y", "sip", "-T", "fields", "-e", "sip.Method", "-e", "sip.Status-Code", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "sip.from.user"])
        .output()
        .expect("tshark is installed (scripts/test installs it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().map(|l| l.split('\t').filter(|f| !f.is_empty()).collect::<Vec<_>>().join(" ")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trace_of_an_extension_holds_its_messages_in_a_pcap_wireshark_reads() {
    let app = common::TestApp::spawn(common::Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "ip_auth": ["127.0.0.1"]})).await;
    app.create("/api/v1/extensions", json!({"number": "1002", "ip_auth": ["127.0.0.1"]})).await;
    let (status, refused) = app.post("/api/v1/sip-traces", json!({"extension": "1001", "call": "x"})).await;
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let trace = app.create("/api/v1/sip-traces", json!({"extension": "1001", "max_bytes": 100000})).await;
    assert_eq!((trace["target"].as_str(), trace["running"].as_bool()), (Some("extension 1001"), Some(true)), "{trace}");
    let id = trace["id"].as_str().expect("id").to_owned();
    let (p1, p2) = (free_port("127.0.0.1", Transport::Udp), free_port("127.0.0.1", Transport::Udp));
    assert!(SippCmd::new("register_without_auth.xml", app.sip_target(), p1).arg("-s").arg("1001").run().await.success);
    assert!(SippCmd::new("register_without_auth.xml", app.sip_target(), p2).arg("-s").arg("1002").run().await.success);
    let (status, stopped) = app.post(&format!("/api/v1/sip-traces/{id}/stop"), json!({})).await;
    assert_eq!((status, stopped["running"].as_bool()), (reqwest::StatusCode::OK, Some(false)), "{stopped}");
    assert_eq!(stopped["packets"], 2, "{stopped}");
    let pcap = app.client.get(app.url(&format!("/api/v1/sip-traces/{id}/pcap"))).bearer_auth(&app.admin).send().await.expect("pcap");
    assert_eq!(pcap.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/vnd.tcpdump.pcap"));
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("trace.pcap");
    std::fs::write(&file, pcap.bytes().await.expect("bytes")).expect("write");
    let sip = app.app.sip_addr.port();
    assert_eq!(sip_lines(&file), vec![format!("REGISTER {p1} {sip} 1001"), format!("200 {sip} {p1} 1001")]);
    let (status, _) = app.delete(&format!("/api/v1/sip-traces/{id}")).await;
    assert_eq!(status, reqwest::StatusCode::NO_CONTENT);
    let (_, list) = app.get("/api/v1/sip-traces").await;
    assert_eq!(list["items"], json!([]));
    app.stop().await;
}

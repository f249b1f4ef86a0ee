//! Overload: new calls that waited too long for their handler are refused with 503 and a
//! Retry-After before any work is done for them (`sip/methods/overload.rs`), and the node
//! takes calls again as soon as it has caught up.
//!
//! The overload is made, not hoped for: both of the runtime's workers are held at once
//! (a barrier makes sure the two stalls run on the two workers together) for 400 ms while
//! sipp sends a burst of INVITEs, so the requests pile up behind them exactly as they
//! would behind a saturated CPU.

mod common;

use std::time::Duration;

use common::sipp::{SippCmd, Transport, free_port};
use common::{Backend, TestApp};
use serde_json::json;

fn shed() -> u64 {
    callplane::metrics::metrics().overload_shed.get()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_behind_a_stall_is_shed_with_retry_after_and_the_node_recovers() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.sip.overload_queue_ms = 5).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "ip_auth": ["127.0.0.1"]})).await;
    let (status, body) = app.patch("/api/v1/security/settings", json!({"whitelist": ["127.0.0.1"]})).await;
    assert!(status.is_success(), "{body}");
    let before = shed();

    // 1,000 INVITEs at 2,000/s; 50 ms in, both workers stall together for 400 ms.
    let burst = SippCmd::new("uac_burst.xml", app.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .arg("-s")
        .arg("5550")
        .key("caller", "1001")
        .arg("-r")
        .arg("2000")
        .arg("-m")
        .arg("1000")
        .arg("-l")
        .arg("1000")
        .spawn();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let together = std::sync::Arc::new(std::sync::Barrier::new(2));
    let stalls: Vec<_> = (0..2)
        .map(|_| {
            let together = together.clone();
            tokio::spawn(async move {
                // Blocks this worker until the other stall holds the other one.
                together.wait();
                std::thread::sleep(Duration::from_millis(400));
            })
        })
        .collect();
    for s in stalls {
        s.await.expect("stall");
    }
    let r = burst.wait().await;
    // Every INVITE was answered: 404 when taken, 503 with Retry-After when shed.
    assert!(r.success, "{}", r.log);
    let refused = shed() - before;
    assert!(refused > 0, "the INVITEs that waited behind the stall were shed");
    assert!(refused < 1000, "the ones before the stall were taken: {refused} of 1,000 shed");
    eprintln!("shed {refused} of 1,000 INVITEs");
    assert!(r.log.contains("Retry-After: "), "{}", r.log);

    // Caught up: the next call is taken (404), not shed.
    let after = shed();
    let one = SippCmd::new("uac_expect_code.xml", app.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .substitute("EXPECTED_CODE", "404")
        .substitute("EXPECTED_REASON", "Not Found")
        .substitute("EXTRA_HEADERS", "")
        .arg("-s")
        .arg("5550")
        .key("caller", "1001")
        .run()
        .await;
    assert!(one.success, "{}", one.log);
    assert_eq!(shed(), after);
    let (_, calls) = app.get("/api/v1/calls").await;
    assert_eq!(calls["total"], 0, "{calls}");
    app.stop().await;
}

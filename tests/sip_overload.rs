//! Overload: new calls that waited too long for their handler (counted from the kernel's
//! arrival stamp, so the wait in the socket's queue counts) are refused with 503 and a
//! Retry-After before any work is done for them (`sip/methods/overload.rs`), and the node
//! takes calls again as soon as it has caught up. An INVITE answering the node's challenge
//! is taken where a new one is refused: its call has already cost a 407. A node carrying
//! `[sip] max_calls` calls refuses the next the same way until one ends.
//!
//! The overload is made, not hoped for: both of the runtime's workers are held at once
//! (a barrier makes sure the two stalls run on the two workers together) while sipp sends
//! a burst of INVITEs, so the requests pile up behind them exactly as they would behind a
//! saturated CPU.

mod common;

use std::time::Duration;

use common::sipp::{SippCmd, Transport, free_port};
use common::{Backend, TestApp};
use serde_json::json;

/// The shed counter is the process's: the tests of this file run one at a time so that each
/// sees only its own refusals.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn shed() -> u64 {
    callplane::metrics::metrics().overload_shed.get()
}

/// One INVITE from `caller` to `dialled` that must be answered `code` with `reason` in its
/// reason phrase (sipp's `uac_expect_code.xml`).
async fn expect_code(app: &TestApp, caller: &str, dialled: &str, code: &str, reason: &str) -> common::sipp::SippResult {
    SippCmd::new("uac_expect_code.xml", app.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .substitute("EXPECTED_CODE", code)
        .substitute("EXPECTED_REASON", reason)
        .substitute("EXTRA_HEADERS", "")
        .arg("-s")
        .arg(dialled)
        .key("caller", caller)
        .run()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_behind_a_stall_is_shed_with_retry_after_and_the_node_recovers() {
    let _one = ONE_AT_A_TIME.lock().await;
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.sip.overload_queue_ms = 50).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "ip_auth": ["127.0.0.1"]})).await;
    let (status, body) = app.patch("/api/v1/security/settings", json!({"whitelist": ["127.0.0.1"]})).await;
    assert!(status.is_success(), "{body}");
    let before = shed();

    // 1,000 INVITEs at 2,000/s; 50 ms in, both workers stall together for 400 ms.
    let burst = SippCmd::new("uac_burst.xml", app.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .arg("-s")
        .arg("5550")
        .key("caller", "1001");
    let burst = thousand_calls_at(burst, 2000);
    tokio::time::sleep(Duration::from_millis(50)).await;
    stall_both_workers(Duration::from_millis(400)).await;
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
    let one = expect_code(&app, "1001", "5550", "404", "Not Found").await;
    assert!(one.success, "{}", one.log);
    assert_eq!(shed(), after);
    let (_, calls) = app.get("/api/v1/calls").await;
    assert_eq!(calls["total"], 0, "{calls}");
    app.stop().await;
}

/// Starts `cmd` placing 1,000 calls at `rate` per second, all allowed up at once.
fn thousand_calls_at(cmd: SippCmd, rate: u32) -> common::sipp::SippChild {
    cmd.arg("-r").arg(&rate.to_string()).arg("-m").arg("1000").arg("-l").arg("1000").spawn()
}

/// Holds both of the runtime's workers together for `stall` (a barrier makes sure the two
/// stalls run on the two workers at once), as a saturated CPU would.
async fn stall_both_workers(stall: Duration) {
    let together = std::sync::Arc::new(std::sync::Barrier::new(2));
    let stalls: Vec<_> = (0..2)
        .map(|_| {
            let together = together.clone();
            tokio::spawn(async move {
                together.wait();
                std::thread::sleep(stall);
            })
        })
        .collect();
    for s in stalls {
        s.await.expect("stall");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_stall_new_calls_are_shed_but_calls_answering_the_challenge_are_taken() {
    let _one = ONE_AT_A_TIME.lock().await;
    // Limit 200 ms: a new INVITE that waited past 400 ms is refused for certain; an INVITE
    // with credentials only past 800 ms.
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.sip.overload_queue_ms = 200).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": "burst-caller-pw"})).await;
    let (status, body) = app.patch("/api/v1/security/settings", json!({"whitelist": ["127.0.0.1"]})).await;
    assert!(status.is_success(), "{body}");

    // 1,000 calls at 1,000/s, each INVITE challenged and sent again with credentials
    // 200 ms after its 407. 300 ms in, both workers stall for 500 ms: the INVITEs with
    // credentials of the calls challenged just before meet the stall and wait up to
    // 500 ms, past the limit a new call gets but within the one its call has earned.
    let burst = thousand_calls_at(SippCmd::caller("uac_burst_auth.xml", app.sip_target(), "1001", "burst-caller-pw", "5550"), 1000);
    tokio::time::sleep(Duration::from_millis(300)).await;
    stall_both_workers(Duration::from_millis(500)).await;
    let r = burst.wait().await;
    // Every call ended as its scenario allows: a 503 to its first INVITE, or a 407 and then
    // a 404 to its INVITE with credentials. A 503 to that one fails the call.
    assert!(r.success, "{}", r.log);
    let received = |status: &str| r.log.matches(&format!("SIP/2.0 {status} ")).count();
    assert!(received("503") > 0, "the new INVITEs that met the stall were shed");
    assert!(received("404") > 0, "calls were taken through their challenge");
    eprintln!("{} new INVITEs refused with 503, {} calls taken through their challenge", received("503"), received("404"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_beyond_the_node_limit_is_refused_with_retry_after_until_one_ends() {
    let _one = ONE_AT_A_TIME.lock().await;
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.sip.max_calls = 1).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": "caller-secret-1"})).await;
    app.create("/api/v1/extensions", json!({"number": "2001", "ip_auth": ["127.0.0.1"]})).await;
    let port = free_port("127.0.0.1", Transport::Udp);
    let reg = SippCmd::new("register_without_auth.xml", app.sip_target(), port).arg("-s").arg("2001").run().await;
    assert!(reg.success, "{}", reg.log);
    let mut events = app.app.state.feed.subscribe();

    // The one call the node may carry rings at 2001 until it is hung up through the API.
    let callee = SippCmd::new("uas_ring_until_cancel.xml", app.sip_target(), port).arg("-m").arg("1").spawn();
    let caller = SippCmd::new("uac_call.xml", app.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .arg("-s").arg("2001").key("caller", "1001").arg("-au").arg("1001").arg("-ap").arg("caller-secret-1")
        .spawn();
    common::wait_for(&mut events, "call.ringing").await;

    let before = shed();
    let refused = expect_code(&app, "1001", "2001", "503", "call limit").await;
    assert!(refused.success, "{}", refused.log);
    assert!(refused.log.contains("Retry-After: 10"), "{}", refused.log);
    assert_eq!(shed(), before + 1);

    // Once the call ends, a new one is taken again (here: 404, nobody has 5550).
    let (_, calls) = app.get("/api/v1/calls").await;
    let id = calls["items"][0]["id"].as_str().expect("the ringing call").to_owned();
    let (status, body) = app.delete(&format!("/api/v1/calls/{id}")).await;
    assert!(status.is_success(), "{body}");
    common::wait_for(&mut events, "call.ended").await;
    assert!(callee.wait().await.success, "the ringing phone got CANCEL");
    let _ = caller.wait().await; // refused by the hang-up, as expected
    let taken = expect_code(&app, "2001", "5550", "404", "Not Found").await;
    assert!(taken.success, "{}", taken.log);
    app.stop().await;
}

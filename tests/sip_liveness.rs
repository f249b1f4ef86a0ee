//! Calls whose far end vanishes end on their own, with the reason in the CDR and in
//! `call.ended`: no ACK for the answer (RFC 3261 section 13.3.1.4), a TCP connection that
//! closes mid-call.

mod common;

use common::office::{Office, assert_all};
use common::sipp::Transport;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_that_never_acks_is_hung_up_after_64_t1() {
    let mut office = Office::start().await;
    let phone = office.phone_cmd("1002", "uas_answer.xml").await.arg("-timeout").arg("50s").spawn();
    let started = std::time::Instant::now();
    // 64*T1 is 32 s: this sipp waits longer than the usual 30 s.
    let caller = office.caller("uac_call_never_acks.xml", "1002").arg("-timeout").arg("50s").run().await;
    let ended = office.next("call.ended").await;
    assert_all(&[&caller, &phone.wait().await]);
    assert_eq!(ended.data["hangup_reason"], "ack_timeout", "{}", ended.data);
    assert_eq!(ended.data["hangup_side"], "caller");
    assert!(started.elapsed() >= std::time::Duration::from_secs(32), "ended before 64*T1");
    let cdrs = office.cdrs().await;
    assert_eq!(cdrs[0]["hangup_reason"], "ack_timeout", "{cdrs:?}");
    assert_eq!(cdrs[0]["disposition"], "answered");
    office.assert_no_live_calls().await;
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcp_caller_whose_connection_closes_mid_call_ends_the_call() {
    let mut office = Office::start().await;
    let phone = office.phone("1002", "uas_answer.xml").await;
    // The caller talks over TCP, ACKs, and goes away: sipp exits and its connection closes.
    let caller = office.caller("uac_call_then_vanish.xml", "1002").transport(Transport::Tcp).run().await;
    let ended = office.next("call.ended").await;
    // The phone got its BYE from Callplane.
    assert_all(&[&caller, &phone.wait().await]);
    assert_eq!(ended.data["hangup_reason"], "connection_lost", "{}", ended.data);
    assert_eq!(ended.data["hangup_side"], "caller");
    assert_eq!(office.cdrs().await[0]["hangup_reason"], "connection_lost");
    office.assert_no_live_calls().await;
    office.stop().await;
}

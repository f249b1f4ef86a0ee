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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callee_that_stops_answering_session_refreshes_is_hung_up() {
    let mut office = Office::start().await;
    // 1002 asks for a 90 s session that Callplane refreshes (RFC 4028 refresher=uac); it
    // never answers the UPDATE at 45 s, which times out 32 s later.
    let phone = office.phone_cmd("1002", "uas_session_timer_silent.xml").await.arg("-timeout").arg("110s").spawn();
    let caller = office.caller("uac_call_callee_hangs_up.xml", "1002").arg("-timeout").arg("110s").spawn();
    let answered = office.next("call.answered").await;
    assert_eq!(answered.data["callee"], "1002");
    let ended = tokio::time::timeout(std::time::Duration::from_secs(100), office.next_unbounded("call.ended")).await.expect("the call ends");
    assert_all(&[&caller.wait().await, &phone.wait().await]);
    assert_eq!(ended.data["hangup_reason"], "session_expired", "{}", ended.data);
    assert_eq!(ended.data["hangup_side"], "callee");
    assert_eq!(office.cdrs().await[0]["hangup_reason"], "session_expired");
    office.assert_no_live_calls().await;
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_interval_below_min_se_gets_422() {
    let office = Office::start().await;
    let caller = office
        .caller("uac_expect_480.xml", "1002")
        .substitute("<recv response=\"480\"/>", "<recv response=\"422\"><action><ereg regexp=\"90\" search_in=\"hdr\" header=\"Min-SE:\" check_it=\"true\" assign_to=\"m\"/></action></recv><Reference variables=\"m\"/>")
        .substitute("Max-Forwards: 70\n      Content-Type", "Max-Forwards: 70\n      Session-Expires: 60\n      Supported: timer\n      Content-Type")
        .run()
        .await;
    assert_all(&[&caller]);
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_by_update_is_answered_here_when_the_other_party_takes_no_update() {
    // 1002's 2xx lists no UPDATE in Allow: the caller's body-less UPDATE (a session
    // refresh) is answered by Callplane; relayed, the phone would abort on it.
    let office = Office::start().await;
    let phone = office
        .phone_cmd("1002", "uas_answer.xml")
        .await
        .substitute("Contact: <sip:[local_ip]:[local_port];transport=[transport]>\n      Content-Type", "Contact: <sip:[local_ip]:[local_port];transport=[transport]>\n      Allow: INVITE, ACK, CANCEL, BYE\n      Content-Type")
        .spawn();
    let caller = office.caller("uac_update_refresh.xml", "1002").run().await;
    assert_all(&[&caller, &phone.wait().await]);
    office.assert_no_live_calls().await;
    office.stop().await;
}

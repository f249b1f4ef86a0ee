//! Call park with real phones (sipp): a phone blind-transfers its caller to the park
//! number, hears the slot in the REFER's final NOTIFY, and anyone takes the call back by
//! dialling the slot; nobody within the park timeout: the call rings the parker again.

mod common;

use common::office::{Office, assert_all};
use common::sipp::{SippCmd, Transport, free_port};
use serde_json::json;

/// Extension `number` trusted from 127.0.0.1.
async fn colleague(office: &Office, number: &str) {
    let (status, body) = office.app.post("/api/v1/extensions", json!({"number": number, "ip_auth": ["127.0.0.1"]})).await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
}

fn dial(office: &Office, scenario: &str, number: &str, dialled: &str) -> SippCmd {
    SippCmd::new(scenario, office.app.sip_target(), free_port("127.0.0.1", Transport::Udp)).arg("-s").arg(dialled).key("caller", number)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parked_call_is_taken_back_by_dialling_its_slot() {
    let mut office = Office::start().await;
    colleague(&office, "1003").await;
    let parker = office.phone_cmd("1002", "uas_answer_then_park.xml").await.substitute("PARK_NUMBER", "700").substitute("PARKED_IN", "200 Parked in slot 701").spawn();
    // The caller is offered the retriever's session by re-INVITE, under the origin it saw.
    let caller = office.caller("uac_call_transferred.xml", "1002").spawn();
    let parked = office.next("call.parked").await;
    assert_eq!(parked.data["slot"], "701");
    assert_eq!(parked.data["parked"], "1001");
    assert_eq!(parked.data["parked_by"], "1002");
    assert!(parked.data["timeout_at"].as_str().is_some(), "{}", parked.data);
    assert_all(&[&parker.wait().await]);
    // An empty slot, and the park number dialled directly, are refused with a reason.
    assert_all(&[
        &dial(&office, "uac_expect_code.xml", "1003", "702").substitute("EXTRA_HEADERS", "").substitute("EXPECTED_CODE", "480").substitute("EXPECTED_REASON", "nothing parked").run().await,
        &dial(&office, "uac_expect_code.xml", "1003", "700").substitute("EXTRA_HEADERS", "").substitute("EXPECTED_CODE", "403").substitute("EXPECTED_REASON", "transfer a call").run().await,
    ]);
    // The parked call is still live, waiting in its slot.
    let (_, calls) = office.app.get("/api/v1/calls").await;
    assert_eq!(calls["total"], 1, "{calls}");
    let retriever = dial(&office, "uac_pickup.xml", "1003", "701").substitute("REPLACES_HEADER", "").spawn();
    let unparked = office.next("call.unparked").await;
    assert_eq!(unparked.data["slot"], "701");
    assert_eq!(unparked.data["reason"], "retrieved");
    assert_eq!(unparked.data["to"], "1003");
    let ended = office.next("call.ended").await;
    assert_eq!(ended.data["final_callee"], "1003", "{}", ended.data);
    assert_all(&[&caller.wait().await, &retriever.wait().await]);
    // The call's segments: 1001 with 1002, then 1001 with 1003 (from the slot).
    let cdrs = office.cdrs().await;
    assert_eq!(cdrs.len(), 2, "{cdrs:?}");
    assert_eq!(cdrs[0]["final_callee"], "1002");
    assert_eq!(cdrs[1]["final_callee"], "1003");
    office.assert_no_live_calls().await;
    // The slot is free again.
    let again = dial(&office, "uac_expect_code.xml", "1003", "701").substitute("EXTRA_HEADERS", "").substitute("EXPECTED_CODE", "480").substitute("EXPECTED_REASON", "nothing parked").run().await;
    assert_all(&[&again]);
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parked_call_nobody_takes_rings_the_parker_again() {
    let mut office = Office::start().await;
    let (status, body) = office.app.patch("/api/v1/feature-codes", json!({"park_timeout_s": 10})).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    let cmd = office.phone_cmd("1002", "uas_answer_then_park.xml").await.substitute("PARK_NUMBER", "700").substitute("PARKED_IN", "200 Parked in slot 701");
    let port = cmd.port;
    let parker = cmd.spawn();
    let caller = office.caller("uac_call_transferred.xml", "1002").spawn();
    let parked = office.next("call.parked").await;
    assert_eq!(parked.data["slot"], "701");
    assert_all(&[&parker.wait().await]);
    // The same phone answers when the call comes back to it.
    let parker_again = common::office::answers(&office.app, port, "uas_answer.xml");
    let unparked = office.next("call.unparked").await;
    assert_eq!(unparked.data["reason"], "timed_out");
    assert_eq!(unparked.data["to"], "1002");
    let answered = office.next("call.answered").await;
    assert_eq!(answered.data["callee"], "1002");
    let ended = office.next("call.ended").await;
    assert_eq!(ended.data["final_callee"], "1002", "{}", ended.data);
    assert_all(&[&caller.wait().await, &parker_again.wait().await]);
    office.assert_no_live_calls().await;
    office.stop().await;
}

//! Call pickup with real phones (sipp): a colleague answers a call ringing elsewhere by the
//! group pickup code, by the directed pickup code, and by an INVITE with Replaces naming
//! the ringing device's early dialog (what a busy-lamp key sends). The caller gets the
//! picker's session, the ringing phone gets CANCEL.

mod common;

use common::office::{Office, assert_all};
use common::sipp::{SippCmd, Transport, free_port};
use serde_json::json;

/// Extension `number` trusted from 127.0.0.1 (as `Office::phone` makes them), in `group`.
async fn colleague(office: &Office, number: &str, group: Option<&str>) {
    let (status, body) = office.app.post("/api/v1/extensions", json!({"number": number, "ip_auth": ["127.0.0.1"], "pickup_group": group})).await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
}

/// `number` dials `dialled` to pick a call up (`replaces`: a Replaces header value).
fn picker(office: &Office, number: &str, dialled: &str, replaces: Option<&str>) -> SippCmd {
    let header = replaces.map_or(String::new(), |r| format!("\nReplaces: {r}"));
    SippCmd::new("uac_pickup.xml", office.app.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .arg("-s")
        .arg(dialled)
        .key("caller", number)
        .substitute("REPLACES_HEADER", &header)
}

/// 1001 calls `dialled`; its 200 must carry the picker's session (port 7788, PCMU only:
/// what both offered, RFC 3264 section 6).
fn caller_expecting_the_picker(office: &Office, dialled: &str) -> SippCmd {
    office.caller("uac_call.xml", dialled).substitute(
        "<recv response=\"200\" rrs=\"true\"/>",
        "<recv response=\"200\" rrs=\"true\"><action><ereg regexp=\"m=audio 7788 RTP/AVP 0\\r?\\n\" search_in=\"body\" check_it=\"true\" assign_to=\"picked\"/></action></recv><Reference variables=\"picked\"/>",
    )
}

fn refused(office: &Office, number: &str, dialled: &str, code: u16, reason: &str) -> SippCmd {
    refused_with(office, number, dialled, code, reason, "")
}

/// As `refused`, with extra header lines in the INVITE.
fn refused_with(office: &Office, number: &str, dialled: &str, code: u16, reason: &str, headers: &str) -> SippCmd {
    SippCmd::new("uac_expect_code.xml", office.app.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .arg("-s")
        .arg(dialled)
        .key("caller", number)
        .substitute("EXTRA_HEADERS", headers)
        .substitute("EXPECTED_CODE", &code.to_string())
        .substitute("EXPECTED_REASON", reason)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_group_pickup_code_answers_a_call_ringing_in_the_group() {
    let mut office = Office::start().await;
    colleague(&office, "1002", Some("sales")).await;
    colleague(&office, "1003", Some("sales")).await;
    colleague(&office, "1004", Some("support")).await;
    colleague(&office, "1005", None).await;
    // Nothing rings yet.
    assert_all(&[&refused(&office, "1003", "*8", 480, "no call to pick up").run().await]);
    let ringing = office.phone("1002", "uas_ring_until_cancel.xml").await;
    let caller = caller_expecting_the_picker(&office, "1002").spawn();
    let ring = office.next("call.ringing").await;
    let call_id = ring.data["call_id"].as_str().expect("call id").to_owned();
    // Another group's member and an extension in no group cannot take it.
    assert_all(&[
        &refused(&office, "1004", "*8", 480, "no call to pick up").run().await,
        &refused(&office, "1005", "*8", 403, "no pickup group").run().await,
    ]);
    let pick = picker(&office, "1003", "*8", None).spawn();
    let picked = office.next("call.picked_up").await;
    assert_eq!(picked.data["call_id"], call_id.as_str());
    assert_eq!(picked.data["picked_up_by"], "1003");
    assert_eq!(picked.data["ringing"], "1002");
    assert_eq!(picked.data["via"], "group_code");
    let answered = office.next("call.answered").await;
    assert_eq!(answered.data["callee"], "1003");
    let ended = office.next("call.ended").await;
    assert_eq!(ended.data["final_callee"], "1003", "{}", ended.data);
    assert_eq!(ended.data["hangup_side"], "caller");
    assert_all(&[&caller.wait().await, &pick.wait().await, &ringing.wait().await]);
    let cdrs = office.cdrs().await;
    assert_eq!(cdrs.len(), 1, "{cdrs:?}");
    assert_eq!(cdrs[0]["final_callee"], "1003");
    assert_eq!(cdrs[0]["disposition"], "answered", "{}", cdrs[0]);
    office.assert_no_live_calls().await;
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directed_pickup_code_answers_the_call_ringing_at_one_extension() {
    let mut office = Office::start().await;
    colleague(&office, "1003", None).await;
    let ringing = office.phone("1002", "uas_ring_until_cancel.xml").await;
    let caller = caller_expecting_the_picker(&office, "1002").spawn();
    office.next("call.ringing").await;
    // Nothing rings at 1004; an extension cannot pick up its own calls.
    assert_all(&[
        &refused(&office, "1003", "**1004", 480, "no call to pick up").run().await,
        &refused(&office, "1002", "**1002", 403, "own calls").run().await,
    ]);
    let pick = picker(&office, "1003", "**1002", None).spawn();
    let picked = office.next("call.picked_up").await;
    assert_eq!(picked.data["via"], "directed_code");
    assert_eq!(picked.data["ringing"], "1002");
    office.next("call.ended").await;
    assert_all(&[&caller.wait().await, &pick.wait().await, &ringing.wait().await]);
    office.assert_no_live_calls().await;
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_with_replaces_naming_the_ringing_dialog_picks_the_call_up() {
    let mut office = Office::start().await;
    colleague(&office, "1003", None).await;
    let ringing = office.phone("1002", "uas_ring_until_cancel.xml").await;
    let caller = caller_expecting_the_picker(&office, "1002").spawn();
    let ring = office.next("call.ringing").await;
    // The ringing device's dialog as it sees it (what dialog-info tells a busy lamp).
    let dialog = &ring.data["dialog"];
    let (leg, phone_tag, our_tag) = (dialog["call_id"].as_str().expect("call id"), dialog["local_tag"].as_str().expect("tag"), dialog["remote_tag"].as_str().expect("tag"));
    assert!(phone_tag.contains("SIPpTag"), "the device's own tag: {dialog}");
    // RFC 3891 section 6.1: to-tag is the recipient's (Callplane's) tag.
    let replaces = format!("{leg};to-tag={our_tag};from-tag={phone_tag};early-only");
    // A dialog nobody holds is refused.
    assert_all(&[&refused_with(&office, "1003", "1002", 481, "Does Not Exist", "\nReplaces: gone@nowhere;to-tag=a;from-tag=b").run().await]);
    let pick = picker(&office, "1003", "1002", Some(&replaces)).spawn();
    let picked = office.next("call.picked_up").await;
    assert_eq!(picked.data["via"], "replaces");
    assert_eq!(picked.data["picked_up_by"], "1003");
    office.next("call.ended").await;
    assert_all(&[&caller.wait().await, &pick.wait().await, &ringing.wait().await]);
    office.assert_no_live_calls().await;
    office.stop().await;
}

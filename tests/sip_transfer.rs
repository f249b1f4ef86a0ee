//! Transfer, terminated by Callplane: through the API (a party stays and goes on to
//! another number, the other is released) and by a phone's REFER (blind transfer).

mod common;

use common::office::{Office, assert_all};
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_transfers_the_caller_to_another_extension() {
    let mut office = Office::start().await;
    let first = office.phone("1002", "uas_answer.xml").await;
    let second = office.phone("1003", "uas_answer.xml").await;
    // The caller checks that the re-INVITE keeps the origin it saw from 1002, one version up.
    let caller = office.caller("uac_call_transferred.xml", "1002").spawn();
    let id = office.answered_call().await;

    let (status, body) = office.app.post(&format!("/api/v1/calls/{id}/transfer"), json!({"party": "caller", "to": "1003"})).await;
    assert_eq!(status, reqwest::StatusCode::ACCEPTED, "{body}");
    let transferred = office.next("call.transferred").await;
    assert_eq!(transferred.data["transferee"], "1001");
    assert_eq!(transferred.data["transferor"], "1002");
    assert_eq!(transferred.data["target"], "1003");
    assert_eq!(transferred.data["via"], "api");
    let answered = office.next("call.answered").await;
    assert_eq!(answered.data["callee"], "1003");
    let ended = office.next("call.ended").await;
    assert_eq!(ended.data["final_callee"], "1003", "{}", ended.data);
    assert_eq!(ended.data["hangup_side"], "caller");
    assert_all(&[&caller.wait().await, &first.wait().await, &second.wait().await]);

    // Two CDR segments tied by the call's id.
    let cdrs = office.cdrs().await;
    assert_eq!(cdrs.len(), 2, "{cdrs:?}");
    assert_eq!(cdrs[0]["id"], id.as_str());
    assert_eq!(cdrs[0]["final_callee"], "1002");
    assert_eq!(cdrs[0]["hangup_reason"], "transferred");
    assert_eq!(cdrs[0]["hangup_side"], "api");
    assert_eq!(cdrs[1]["caller"], "1001");
    assert_eq!(cdrs[1]["dialed"], "1003");
    assert_eq!(cdrs[1]["final_callee"], "1003");
    assert_eq!(cdrs[1]["hangup_reason"], "hung_up");
    for c in &cdrs {
        assert_eq!(c["transfer_group"], id.as_str());
    }
    office.assert_no_live_calls().await;
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfers_are_refused_for_unknown_calls_bad_input_and_calls_still_ringing() {
    let mut office = Office::start().await;
    let (status, _) = office.app.post("/api/v1/calls/nope/transfer", json!({"party": "caller", "to": "1003"})).await;
    assert_eq!(status, reqwest::StatusCode::NOT_FOUND);
    let (status, body) = office.app.post("/api/v1/calls/nope/transfer", json!({"party": "someone", "to": "1003"})).await;
    assert!(status.is_client_error(), "{body}");
    // A call that rings until the API hangs it up (the caller then gets 487).
    let ringing = office.phone("1002", "uas_ring_until_cancel.xml").await;
    let caller = office.caller("uac_expect_480.xml", "1002").substitute("<recv response=\"480\"/>", "<recv response=\"487\"/>").spawn();
    let ring = office.next("call.ringing").await;
    let id = ring.data["call_id"].as_str().expect("id");
    let (status, body) = office.app.post(&format!("/api/v1/calls/{id}/transfer"), json!({"party": "caller", "to": "1003"})).await;
    assert_eq!(status, reqwest::StatusCode::CONFLICT, "{body}");
    let (status, body) = office.app.post(&format!("/api/v1/calls/{id}/transfer"), json!({"party": "caller", "to": "not a number"})).await;
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = office.app.delete(&format!("/api/v1/calls/{id}")).await;
    assert!(status.is_success());
    assert_all(&[&caller.wait().await, &ringing.wait().await]);
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_baresip_phone_blind_transfers_its_caller_with_refer() {
    let app = common::TestApp::spawn(common::Backend::Sqlite).await.expect("app");
    for (n, pw) in [("1001", "phone-a-Pass1"), ("1002", "phone-b-Pass2"), ("1003", "phone-c-Pass3")] {
        app.create("/api/v1/extensions", json!({"number": n, "password": pw})).await;
    }
    let mut events = app.app.state.feed.subscribe();
    // Each phone plays its own tone and records what it hears.
    let tones = [500.0, 800.0, 1200.0];
    let a = common::baresip::Phone::start_recording(&app, "1001", "phone-a-Pass1", 33000, 500);
    let b = common::baresip::Phone::start_recording(&app, "1002", "phone-b-Pass2", 33100, 800);
    let c = common::baresip::Phone::start_recording(&app, "1003", "phone-c-Pass3", 33200, 1200);
    for _ in 0..3 {
        common::wait_for(&mut events, "registration.created").await;
    }
    a.command("dial", "1002").await;
    common::wait_for(&mut events, "call.answered").await;
    b.wait_established().await;
    common::audio::wait_heard(&b.recordings(), 1.0).await;
    common::audio::wait_heard(&a.recordings(), 1.0).await;
    common::audio::assert_hears(&a.recordings(), 800.0, &tones, "1001 before the transfer");
    common::audio::assert_hears(&b.recordings(), 500.0, &tones, "1002 before the transfer");

    // 1002 presses Transfer: REFER to 1003.
    b.command("transfer", &format!("sip:1003@{}", app.sip_target())).await;
    let transferred = common::wait_for(&mut events, "call.transferred").await;
    assert_eq!(transferred.data["via"], "refer");
    assert_eq!(transferred.data["transferor"], "1002");
    assert_eq!(transferred.data["transferee"], "1001");
    assert_eq!(transferred.data["target"], "1003");
    let answered = common::wait_for(&mut events, "call.answered").await;
    assert_eq!(answered.data["callee"], "1003");
    b.wait_idle().await;
    c.wait_established().await;
    a.wait_established().await;
    // Real RTP both ways between the two that remain: 1001 hears 1003's tone, 1003 hears 1001's.
    common::audio::wait_heard(&c.recordings(), 1.0).await;
    common::audio::wait_heard(&a.recordings(), 1.0).await;
    common::audio::assert_hears(&a.recordings(), 1200.0, &tones, "1001 after the transfer");
    common::audio::assert_hears(&c.recordings(), 500.0, &tones, "1003");

    a.command("hangup", "").await;
    let ended = common::wait_for(&mut events, "call.ended").await;
    assert_eq!(ended.data["final_callee"], "1003");
    c.wait_idle().await;
    if let Some(sip) = &app.app.state.sip {
        sip.b2bua.cdrs.flush().await;
    }
    let (_, cdrs) = app.get("/api/v1/cdrs").await;
    let items = cdrs["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{cdrs}");
    assert_eq!(items[0]["hangup_reason"], "transferred");
    assert_eq!(items[0]["hangup_side"], "callee");
    assert_eq!(items[1]["final_callee"], "1003");
    let (_, calls) = app.get("/api/v1/calls").await;
    assert_eq!(calls["total"], 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_transfers_the_callee_and_the_two_that_remain_hear_each_other() {
    let app = common::TestApp::spawn(common::Backend::Sqlite).await.expect("app");
    for (n, pw) in [("1001", "phone-a-Pass1"), ("1002", "phone-b-Pass2"), ("1003", "phone-c-Pass3")] {
        app.create("/api/v1/extensions", json!({"number": n, "password": pw})).await;
    }
    let mut events = app.app.state.feed.subscribe();
    let tones = [500.0, 800.0, 1200.0];
    let a = common::baresip::Phone::start_recording(&app, "1001", "phone-a-Pass1", 35000, 500);
    let b = common::baresip::Phone::start_recording(&app, "1002", "phone-b-Pass2", 35100, 800);
    let c = common::baresip::Phone::start_recording(&app, "1003", "phone-c-Pass3", 35200, 1200);
    for _ in 0..3 {
        common::wait_for(&mut events, "registration.created").await;
    }
    a.command("dial", "1002").await;
    let answered = common::wait_for(&mut events, "call.answered").await;
    let id = answered.data["call_id"].as_str().expect("id").to_owned();
    b.wait_established().await;

    // The callee stays and goes on to 1003; the caller is released.
    let (status, body) = app.post(&format!("/api/v1/calls/{id}/transfer"), json!({"party": "callee", "to": "1003"})).await;
    assert_eq!(status, reqwest::StatusCode::ACCEPTED, "{body}");
    let transferred = common::wait_for(&mut events, "call.transferred").await;
    assert_eq!(transferred.data["transferee"], "1002");
    assert_eq!(transferred.data["transferor"], "1001");
    common::wait_for(&mut events, "call.answered").await;
    a.wait_idle().await;
    c.wait_established().await;
    common::audio::wait_heard(&b.recordings(), 1.0).await;
    common::audio::wait_heard(&c.recordings(), 1.0).await;
    common::audio::assert_hears(&b.recordings(), 1200.0, &tones, "1002 after the transfer");
    common::audio::assert_hears(&c.recordings(), 800.0, &tones, "1003");

    c.command("hangup", "").await;
    let ended = common::wait_for(&mut events, "call.ended").await;
    assert_eq!(ended.data["final_callee"], "1003");
    b.wait_idle().await;
    let (_, calls) = app.get("/api/v1/calls").await;
    assert_eq!(calls["total"], 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn linphonec_attended_transfer_connects_its_two_calls() {
    let app = common::TestApp::spawn(common::Backend::Sqlite).await.expect("app");
    for (n, pw) in [("1001", "phone-a-Pass1"), ("1002", "phone-b-Pass2"), ("1003", "phone-c-Pass3")] {
        app.create("/api/v1/extensions", json!({"number": n, "password": pw})).await;
    }
    let mut events = app.app.state.feed.subscribe();
    let tones = [500.0, 800.0, 1200.0];
    let c = common::baresip::Phone::start_recording(&app, "1003", "phone-c-Pass3", 36200, 1200);
    // linphonec phones play a tone of their own from a file (there is no sound card here);
    // 1001 records what it hears into a WAV file.
    let tone_dir = tempfile::tempdir().expect("tone dir");
    let heard_by_a = tone_dir.path().join("1001-heard.wav");
    let linphone = |number: &str, password: &str, rtp: u16, hz: f64| {
        let mut phone = common::linphone::Linphone::start(app.sip_target(), number, password, common::baresip::free_port_pair(), rtp);
        phone.wait_registered();
        let tone = tone_dir.path().join(format!("{number}-plays.wav"));
        common::audio::write_tone(&tone, hz, 60);
        phone.send("soundcard use files");
        phone.send(&format!("play {}", tone.display()));
        phone
    };
    let mut a = linphone("1001", "phone-a-Pass1", 36000, 500.0);
    a.send(&format!("record {}", heard_by_a.display()));
    let mut b = linphone("1002", "phone-b-Pass2", 36100, 800.0);
    b.send("autoanswer enable");
    for _ in 0..3 {
        common::wait_for(&mut events, "registration.created").await;
    }

    // 1001 calls 1002 (linphonec answers), then 1002 calls 1003 (its first call goes on hold).
    a.send(&format!("call sip:1002@{}", app.sip_target()));
    let line = b.expect("connected", Duration::from_secs(10));
    eprintln!("linphonec: {line}");
    let first = common::wait_for(&mut events, "call.answered").await;
    let first_id = first.data["call_id"].as_str().expect("id").to_owned();
    b.send("pause 1");
    b.expect("paused", Duration::from_secs(10));
    b.send(&format!("call sip:1003@{}", app.sip_target()));
    b.expect("Call 2 with", Duration::from_secs(10));
    let second = common::wait_for(&mut events, "call.answered").await;
    assert_eq!(second.data["callee"], "1003");

    // Attended transfer: REFER on the first call, Refer-To 1003 with Replaces naming the second.
    b.send("transfer 1 --to-call 2");
    let transferred = common::wait_for(&mut events, "call.transferred").await;
    assert_eq!(transferred.data["via"], "refer");
    assert_eq!(transferred.data["transferee"], "1001");
    assert_eq!(transferred.data["transferor"], "1002");
    assert_eq!(transferred.data["target"], "1003");
    let ended = common::wait_for(&mut events, "call.ended").await;
    assert_eq!(ended.data["call_id"], first_id.as_str());
    assert_eq!(ended.data["hangup_reason"], "transferred");

    // Real RTP both ways between the two that remain: 1003 hears 1001's tone and 1001
    // (resumed from linphonec's hold by Callplane's re-INVITE) hears 1003's.
    common::audio::wait_heard(&c.recordings(), 1.0).await;
    common::audio::assert_hears(&c.recordings(), 500.0, &tones, "1003 after the attended transfer");
    let heard_by_a = tone_dir.path().join("1001-heard-after.wav");
    a.send(&format!("record {}", heard_by_a.display()));
    common::audio::wait_heard(&heard_by_a, 2.0).await;
    a.send("terminate");
    let ended = common::wait_for(&mut events, "call.ended").await;
    assert_eq!(ended.data["final_callee"], "1001", "{}", ended.data);
    a.expect("ended", Duration::from_secs(5));
    common::audio::assert_hears(&heard_by_a, 1200.0, &tones, "1001 after the attended transfer");
    c.wait_idle().await;
    let (_, calls) = app.get("/api/v1/calls").await;
    assert_eq!(calls["total"], 0, "{calls}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_with_replaces_takes_over_a_party_of_a_call() {
    let mut office = Office::start().await;
    let callee = office.phone("1002", "uas_answer_reinvite.xml").await;
    // The caller's dialog gets a Call-ID the newcomer can name (its From tag is 1).
    let caller = office.caller("uac_call_callee_hangs_up.xml", "1002").arg("-cid_str").arg("taken-over-%u@test").spawn();
    let id = office.answered_call().await;
    // 1003 (another phone of the office) takes the caller's place: INVITE with Replaces.
    office.app.create("/api/v1/extensions", json!({"number": "1003", "ip_auth": ["127.0.0.1"]})).await;
    let newcomer = common::sipp::SippCmd::new("uac_replaces.xml", office.app.sip_target(), common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp))
        .arg("-s")
        .arg("1002")
        .key("caller", "1003")
        .key("replaces", "taken-over-1@test;to-tag=x;from-tag=1")
        .run()
        .await;
    let transferred = office.next("call.transferred").await;
    assert_eq!(transferred.data["call_id"], id.as_str());
    assert_eq!(transferred.data["via"], "replaces");
    assert_eq!(transferred.data["transferor"], "1001");
    assert_eq!(transferred.data["target"], "1003");
    let ended = office.next("call.ended").await;
    assert_eq!(ended.data["hangup_reason"], "hung_up");
    // The replaced caller got its BYE, the callee its re-INVITE and then the newcomer's BYE.
    assert_all(&[&newcomer, &caller.wait().await, &callee.wait().await]);

    // A Replaces naming no live dialog: 481 (RFC 3891 section 3).
    let mut peer = common::peer::Peer::udp("127.0.0.1", office.app.sip_target()).await;
    let invite = format!(
        "INVITE sip:1002@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{};branch=z9hG4bKstray;rport\r\nMax-Forwards: 70\r\n\
         From: <sip:1003@127.0.0.1>;tag=s1\r\nTo: <sip:1002@127.0.0.1>\r\nCall-ID: stray-replaces\r\nCSeq: 1 INVITE\r\n\
         Contact: <sip:1003@127.0.0.1:{}>\r\nReplaces: nobody@test;to-tag=a;from-tag=b\r\nContent-Length: 0\r\n\r\n",
        peer.local_port(),
        peer.local_port()
    );
    peer.send(invite.as_bytes()).await;
    let (answer, seen) = peer.recv_containing("481", Duration::from_secs(5)).await;
    assert!(answer.is_some(), "no 481: {seen:?}");
    office.assert_no_live_calls().await;
    office.stop().await;
}

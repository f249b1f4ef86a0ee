//! Media through rtpengine: Callplane starts its own (`--rtpengine local`), offers and
//! answers every session description through it when the policy says so, and deletes the
//! session when the call ends. Audio is proven by the phones' recordings.

mod common;

use serde_json::json;
use std::time::Duration;

/// A Callplane with a local rtpengine relaying on `address`, RTP ports from `port_min`
/// (each test its own range: tests run side by side).
async fn relaying_app(address: std::net::IpAddr, port_min: u16) -> common::TestApp {
    common::TestApp::spawn_with(common::Backend::Sqlite, |c| {
        c.media.rtpengine = vec!["local".into()];
        c.media.address = Some(address);
        c.media.port_min = Some(port_min);
        c.media.port_max = Some(port_min + 99);
    })
    .await
    .expect("app")
}

async fn media_sessions(app: &common::TestApp) -> u64 {
    let (_, status) = app.get("/api/v1/status").await;
    assert_eq!(status["media"]["reachable"], true, "{status}");
    status["media"]["sessions"].as_u64().expect("sessions")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relayed_call_carries_audio_both_ways_and_leaves_no_session() {
    let app = relaying_app([127, 0, 0, 1].into(), 40000).await;
    for (n, pw) in [("1001", "phone-a-Pass1"), ("1002", "phone-b-Pass2")] {
        app.create("/api/v1/extensions", json!({"number": n, "password": pw, "media_mode": "relay"})).await;
    }
    let mut events = app.app.state.feed.subscribe();
    let tones = [500.0, 800.0];
    let a = common::baresip::Phone::start_recording(&app, "1001", "phone-a-Pass1", 40500, 500);
    let b = common::baresip::Phone::start_recording(&app, "1002", "phone-b-Pass2", 40600, 800);
    for _ in 0..2 {
        common::wait_for(&mut events, "registration.created").await;
    }
    assert_eq!(media_sessions(&app).await, 0);
    a.command("dial", "1002").await;
    common::wait_for(&mut events, "call.answered").await;
    a.wait_established().await;
    assert_eq!(media_sessions(&app).await, 1, "the call's media goes through the relay");
    common::audio::wait_heard(&a.recordings(), 1.0).await;
    common::audio::wait_heard(&b.recordings(), 1.0).await;
    common::audio::assert_hears(&a.recordings(), 800.0, &tones, "1001");
    common::audio::assert_hears(&b.recordings(), 500.0, &tones, "1002");
    a.command("hangup", "").await;
    let ended = common::wait_for(&mut events, "call.ended").await;
    assert_eq!(ended.data["hangup_side"], "caller");
    assert_eq!(media_sessions(&app).await, 0, "the relay's session ends with the call");
    b.wait_idle().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_behind_nat_hear_each_other_through_the_relay_and_not_without_it() {
    // Two phones, each behind its own NAT router, both on 198.19.1.2 in their LAN.
    let lab = common::netlab::NatLab::build(2);
    let app = relaying_app(lab.public, 40200).await;
    let target = std::net::SocketAddr::new(lab.public, app.app.sip_addr.port());
    let mut ids = vec![];
    for (n, pw) in [("1001", "phone-a-Pass1"), ("1002", "phone-b-Pass2")] {
        ids.push(app.create("/api/v1/extensions", json!({"number": n, "password": pw})).await["id"].as_str().expect("id").to_owned());
    }
    let mut events = app.app.state.feed.subscribe();
    let tones = [500.0, 800.0];
    let lan = common::netlab::LAN_IP;
    // Different RTP ports: with direct media each phone sends to the other's port on its own
    // address, where nothing listens (with the same port it would hear itself).
    let a = common::baresip::Phone::start_in_lan(&lab.lan(1), lan, target, "1001", "phone-a-Pass1", 500, 20000);
    let b = common::baresip::Phone::start_in_lan(&lab.lan(2), lan, target, "1002", "phone-b-Pass2", 800, 21000);
    for _ in 0..2 {
        common::wait_for(&mut events, "registration.created").await;
    }
    let (_, regs) = app.get("/api/v1/registrations").await;
    let sources: Vec<String> = regs["items"].as_array().expect("items").iter().map(|r| r["source"].as_str().unwrap_or_default().to_owned()).collect();
    for i in [1, 2] {
        assert!(sources.iter().any(|s| s.starts_with(&format!("{}:", lab.nat_address(i)))), "registered through the NAT routers: {regs}");
    }

    // media_mode auto: both are behind NAT, so the call is relayed and audio flows.
    a.command("dial", "1002").await;
    common::wait_for(&mut events, "call.answered").await;
    a.wait_established().await;
    assert_eq!(media_sessions(&app).await, 1);
    common::audio::wait_heard(&a.recordings(), 1.0).await;
    common::audio::wait_heard(&b.recordings(), 1.0).await;
    common::audio::assert_hears(&a.recordings(), 800.0, &tones, "1001 behind NAT, relayed");
    common::audio::assert_hears(&b.recordings(), 500.0, &tones, "1002 behind NAT, relayed");
    a.command("hangup", "").await;
    common::wait_for(&mut events, "call.ended").await;
    assert_eq!(media_sessions(&app).await, 0);
    b.wait_idle().await;

    // media_mode direct on both: the same call connects, and each phone sends its RTP to
    // the other's private address, which is its own: silence both ways.
    for id in &ids {
        let (status, body) = app.patch(&format!("/api/v1/extensions/{id}"), json!({"media_mode": "direct"})).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    }
    common::audio::forget_recordings(&a.recordings());
    common::audio::forget_recordings(&b.recordings());
    a.command("dial", "1002").await;
    common::wait_for(&mut events, "call.answered").await;
    a.wait_established().await;
    assert_eq!(media_sessions(&app).await, 0, "direct media: no relay session");
    let window = std::time::Duration::from_secs(3);
    let (heard_by_a, heard_by_b) = (a.recordings(), b.recordings());
    tokio::join!(
        common::audio::assert_hears_nothing(&heard_by_a, window, "1001 behind NAT, direct"),
        common::audio::assert_hears_nothing(&heard_by_b, window, "1002 behind NAT, direct"),
    );
    a.command("hangup", "").await;
    common::wait_for(&mut events, "call.ended").await;
    b.wait_idle().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trunk_calls_are_relayed_and_no_private_address_crosses_to_the_other_side() {
    let app = relaying_app([127, 0, 0, 1].into(), 40400).await;
    app.create("/api/v1/extensions", json!({"number": "1001", "password": common::office::CALLER_PW})).await;
    let carrier_port = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp);
    let trunk = app.create("/api/v1/trunks", json!({"name": "carrier", "host": "127.0.0.1", "port": carrier_port})).await;
    app.create("/api/v1/routes", json!({"prefix": "0", "target": {"kind": "trunk", "id": trunk["id"]}})).await;
    let mut events = app.app.state.feed.subscribe();
    // The phone's SDP names 10.9.9.9 and the carrier's 10.8.8.8: each checks that what it
    // gets names the relay and not the other's address (media_mode auto: a trunk call).
    let carrier = common::sipp::SippCmd::new("uas_answer_private_sdp.xml", app.sip_target(), carrier_port).spawn();
    let caller = common::office::caller(&app, "uac_call_private_sdp.xml", "02071234567").run().await;
    common::office::assert_all(&[&caller, &carrier.wait().await]);
    let ended = common::wait_for(&mut events, "call.ended").await;
    assert_eq!(ended.data["hangup_side"], "caller");
    assert_eq!(media_sessions(&app).await, 0);
    app.stop().await;
}

/// The PID of the rtpengine a Callplane started, found by its control address.
fn rtpengine_pid(url: &str) -> u32 {
    let control = url.trim_start_matches("http://").trim_end_matches("/ng");
    let out = std::process::Command::new("pgrep").args(["-f", "--", &format!("--listen-http={control}")]).output().expect("pgrep");
    String::from_utf8_lossy(&out.stdout).lines().next().and_then(|l| l.trim().parse().ok()).expect("the local rtpengine runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_that_dies_ends_its_calls_and_new_calls_are_relayed_once_it_is_back() {
    let app = relaying_app([127, 0, 0, 1].into(), 40900).await;
    for (n, pw) in [("1001", "phone-a-Pass1"), ("1002", "phone-b-Pass2")] {
        app.create("/api/v1/extensions", json!({"number": n, "password": pw, "media_mode": "relay"})).await;
    }
    let mut events = app.app.state.feed.subscribe();
    let a = common::baresip::Phone::start(&app, "1001", "phone-a-Pass1", 40700);
    let b = common::baresip::Phone::start(&app, "1002", "phone-b-Pass2", 40800);
    for _ in 0..2 {
        common::wait_for(&mut events, "registration.created").await;
    }
    a.command("dial", "1002").await;
    common::wait_for(&mut events, "call.answered").await;
    a.wait_established().await;
    assert_eq!(media_sessions(&app).await, 1);

    // rtpengine dies: the call is ended (both phones get BYE), not left up in silence.
    let (_, status) = app.get("/api/v1/status").await;
    let url = status["media"]["rtpengine"][0].as_str().expect("url").to_owned();
    let pid = rtpengine_pid(&url);
    assert!(std::process::Command::new("kill").args(["-9", &pid.to_string()]).status().expect("kill").success());
    let ended = common::wait_for(&mut events, "call.ended").await;
    assert_eq!(ended.data["hangup_reason"], "media_lost", "{}", ended.data);
    a.wait_idle().await;
    b.wait_idle().await;

    // Callplane starts it again; the next call is relayed again.
    // (Polled, bounded: `available` turns true at the first health check that sees it.)
    let mut back = false;
    for _ in 0..100 {
        let (_, status) = app.get("/api/v1/status").await;
        if status["media"]["available"] == true {
            back = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(back, "the local rtpengine was not started again");
    assert_ne!(rtpengine_pid(&url), pid);
    a.command("dial", "1002").await;
    common::wait_for(&mut events, "call.answered").await;
    a.wait_established().await;
    assert_eq!(media_sessions(&app).await, 1, "relayed again");
    a.command("hangup", "").await;
    common::wait_for(&mut events, "call.ended").await;
    b.wait_idle().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_relay_unreachable_calls_fall_back_to_direct_media() {
    // A relay configured but not running: calls still connect, with direct media.
    let dead = common::sipp::free_port("127.0.0.1", common::sipp::Transport::Tcp);
    let app = common::TestApp::spawn_with(common::Backend::Sqlite, |c| c.media.rtpengine = vec![format!("http://127.0.0.1:{dead}")])
        .await
        .expect("app");
    let (_, status) = app.get("/api/v1/status").await;
    assert_eq!(status["media"]["reachable"], false, "{status}");
    let mut office = common::office::Office::with_app(app).await;
    let (_, found) = office.app.get("/api/v1/extensions?prefix=1001").await;
    let id = found["items"][0]["id"].as_str().expect("1001").to_owned();
    let (status, body) = office.app.patch(&format!("/api/v1/extensions/{id}"), json!({"media_mode": "relay"})).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    let callee = office.phone("1002", "uas_answer.xml").await;
    let caller = office.caller("uac_call.xml", "1002").run().await;
    common::office::assert_all(&[&caller, &callee.wait().await]);
    let ended = office.next("call.ended").await;
    assert_eq!(ended.data["hangup_reason"], "hung_up");
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_sent_as_rfc4733_events_through_the_relay_are_published_in_order() {
    let app = relaying_app([127, 0, 0, 1].into(), 41000).await;
    let mut office = common::office::Office::with_app(app).await;
    let callee = office.phone("1002", "uas_answer_dtmf.xml").await;
    let (_, found) = office.app.get("/api/v1/extensions?prefix=1002").await;
    let id = found["items"][0]["id"].as_str().expect("1002").to_owned();
    office.app.patch(&format!("/api/v1/extensions/{id}"), json!({"media_mode": "relay"})).await;
    // The caller plays sipp's RFC 2833 captures of the keys 1 and # into the relay.
    let caller = office.caller("uac_call_dtmf_rfc4733.xml", "1002").run().await;
    common::office::assert_all(&[&caller, &callee.wait().await]);
    let mut keys = vec![];
    for _ in 0..2 {
        let dtmf = office.next("call.dtmf").await;
        assert_eq!(dtmf.data["party"], "1001", "{}", dtmf.data);
        assert_eq!(dtmf.data["via"], "rtp", "{}", dtmf.data);
        assert!(dtmf.data["duration_ms"].as_u64().is_some_and(|d| d > 0), "{}", dtmf.data);
        keys.push(dtmf.data["digit"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(keys, ["1", "#"]);
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_party_hears_the_music_on_hold_until_it_is_resumed() {
    // The music is a 1000 Hz tone here, so what the held party gets can be told apart.
    let music_dir = tempfile::tempdir().expect("music dir");
    let music = music_dir.path().join("moh.wav");
    common::audio::write_tone(&music, 1000.0, 10);
    let app = common::TestApp::spawn_with(common::Backend::Sqlite, |c| {
        c.media.rtpengine = vec!["local".into()];
        c.media.address = Some([127, 0, 0, 1].into());
        c.media.port_min = Some(41100);
        c.media.port_max = Some(41199);
        c.media.music_on_hold = Some(music.clone());
    })
    .await
    .expect("app");
    let mut office = common::office::Office::with_app(app).await;
    // 1002's RTP port is this test's socket: what the relay sends it is counted and decoded.
    let rtp = std::sync::Arc::new(tokio::net::UdpSocket::bind("127.0.0.1:0").await.expect("rtp socket"));
    let rtp_port = rtp.local_addr().expect("port").port();
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Vec<u8>>::new()));
    let sink = received.clone();
    let reader = rtp.clone();
    let listener = tokio::spawn(async move {
        let mut buf = vec![0u8; 2048];
        while let Ok(n) = reader.recv(&mut buf).await {
            // RTP with payload type 0 (PCMU): the 12-byte header, then μ-law bytes.
            if n > 12 && buf[1] & 0x7f == 0 {
                sink.lock().expect("lock").push(buf[12..n].to_vec());
            }
        }
    });
    let callee = office.phone_cmd("1002", "uas_answer_reinvites_on_port.xml").await.arg("-set").arg("rtp_port").arg(&rtp_port.to_string()).spawn();
    let (_, found) = office.app.get("/api/v1/extensions?prefix=1002").await;
    let id = found["items"][0]["id"].as_str().expect("1002").to_owned();
    office.app.patch(&format!("/api/v1/extensions/{id}"), json!({"media_mode": "relay"})).await;

    let caller = office.caller("uac_call_hold_resume.xml", "1002").spawn();
    let held = office.next("call.held").await;
    assert_eq!((held.data["party"].as_str(), held.data["by"].as_str(), held.data["music"].as_bool()), (Some("1002"), Some("1001"), Some(true)), "{}", held.data);
    let at_hold = received.lock().expect("lock").len();
    let resumed = office.next("call.resumed").await;
    assert_eq!(resumed.data["party"], "1002", "{}", resumed.data);
    let during: Vec<f64> = received.lock().expect("lock")[at_hold..].iter().flatten().map(|b| common::audio::ulaw(*b)).collect();
    // The caller sends no audio of its own: all 1002 got while held is the music.
    assert!(during.len() >= 8000, "only {} samples of music in 1.5 s on hold", during.len());
    let (tone, ratio) = common::audio::dominant(&during, 8000, &[440.0, 1000.0, 1500.0]);
    assert_eq!(tone, 1000.0, "the held party hears {tone} Hz");
    assert!(ratio > 100.0, "the music is only {ratio:.1} times the next tone");
    let at_resume = received.lock().expect("lock").len();
    common::office::assert_all(&[&caller.wait().await, &callee.wait().await]);
    // The caller waited 1.5 s after resuming: the music stopped (50 packets a second).
    let after = received.lock().expect("lock").len() - at_resume;
    assert!(after < 20, "{after} packets after the resume: the music went on");
    listener.abort();
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_recorded_on_demand_holds_both_parties_and_is_downloaded_and_deleted_through_the_api() {
    let app = relaying_app([127, 0, 0, 1].into(), 41200).await;
    for (n, pw) in [("1001", "phone-a-Pass1"), ("1002", "phone-b-Pass2")] {
        app.create("/api/v1/extensions", json!({"number": n, "password": pw, "media_mode": "relay"})).await;
    }
    let mut events = app.app.state.feed.subscribe();
    let a = common::baresip::Phone::start_recording(&app, "1001", "phone-a-Pass1", 41500, 500);
    let b = common::baresip::Phone::start_recording(&app, "1002", "phone-b-Pass2", 41600, 800);
    for _ in 0..2 {
        common::wait_for(&mut events, "registration.created").await;
    }
    a.command("dial", "1002").await;
    let answered = common::wait_for(&mut events, "call.answered").await;
    let call_id = answered.data["call_id"].as_str().expect("call id").to_owned();
    a.wait_established().await;

    let read = app.token("read", "1h").await;
    let path = format!("/api/v1/calls/{call_id}/recording");
    let (status, _) = app.call_as(&read, reqwest::Method::POST, &path, None).await;
    assert_eq!(status, reqwest::StatusCode::FORBIDDEN, "a read token cannot start a recording");
    let (status, body) = app.call(reqwest::Method::POST, &path, None).await;
    assert_eq!(status, reqwest::StatusCode::ACCEPTED, "{body}");
    // Two seconds of the call, as the phones hear them, then stop and hang up.
    common::audio::wait_heard(&a.recordings(), 2.0).await;
    let (status, _) = app.call(reqwest::Method::DELETE, &path, None).await;
    assert_eq!(status, reqwest::StatusCode::NO_CONTENT);
    a.command("hangup", "").await;
    let ready = common::wait_for(&mut events, "recording.ready").await;
    assert_eq!(ready.data["call_id"], call_id.as_str(), "{}", ready.data);
    let id = ready.data["recording_id"].as_str().expect("id").to_owned();
    let duration = ready.data["duration_s"].as_f64().expect("duration");
    assert!((1.5..6.0).contains(&duration), "recorded {duration} s");

    let (_, list) = app.get("/api/v1/recordings").await;
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["items"][0]["id"], id.as_str());
    let audio_path = format!("/api/v1/recordings/{id}/audio");
    let denied = app.client.get(app.url(&audio_path)).bearer_auth(&read).send().await.expect("download");
    assert_eq!(denied.status(), reqwest::StatusCode::FORBIDDEN, "a read token lists recordings but cannot listen");
    let wav = app.client.get(app.url(&audio_path)).bearer_auth(&app.admin).send().await.expect("download");
    assert_eq!(wav.headers()["content-type"], "audio/wav");
    let bytes = wav.bytes().await.expect("wav");
    let file = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(file.path(), &bytes).expect("write");
    // Both parties are in it: each tone far above the one nobody played.
    let (samples, rate) = common::audio::samples(file.path());
    let power = |f: f64| common::audio::power(&samples, rate, f);
    assert!(power(500.0) > 100.0 * power(1200.0), "1001's tone is missing from the recording");
    assert!(power(800.0) > 100.0 * power(1200.0), "1002's tone is missing from the recording");

    let (status, _) = app.delete(&format!("/api/v1/recordings/{id}")).await;
    assert_eq!(status, reqwest::StatusCode::NO_CONTENT);
    let (status, _) = app.get(&format!("/api/v1/recordings/{id}")).await;
    assert_eq!(status, reqwest::StatusCode::NOT_FOUND);
    b.wait_idle().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recording_always_relays_the_call_records_it_from_the_answer_and_never_refuses_the_api() {
    let app = relaying_app([127, 0, 0, 1].into(), 41300).await;
    let mut office = common::office::Office::with_app(app).await;
    let callee = office.phone("1002", "uas_answer_dtmf.xml").await;
    let (_, found) = office.app.get("/api/v1/extensions?prefix=1002").await;
    let id = found["items"][0]["id"].as_str().expect("1002").to_owned();
    // `media_mode` stays `auto` and nobody is behind NAT, which alone means direct media:
    // `recording: always` puts the call through the relay, and nobody asks for the
    // recording: the call is recorded because 1002 says `always`.
    office.app.patch(&format!("/api/v1/extensions/{id}"), json!({"recording": "always"})).await;
    let caller = office.caller("uac_call_dtmf_rfc4733.xml", "1002").run().await;
    common::office::assert_all(&[&caller, &callee.wait().await]);
    let answered = office.next("call.answered").await;
    let ready = office.next("recording.ready").await;
    assert_eq!(ready.data["call_id"], answered.data["call_id"], "{}", ready.data);

    // `never`: the API refuses to record.
    office.app.patch(&format!("/api/v1/extensions/{id}"), json!({"media_mode": "relay", "recording": "never"})).await;
    let callee = office.phone_cmd("1002", "uas_answer_reinvites_on_port.xml").await.arg("-set").arg("rtp_port").arg("9").spawn();
    let caller = office.caller("uac_call_hold_resume.xml", "1002").spawn();
    let answered = office.next("call.answered").await;
    let call_id = answered.data["call_id"].as_str().expect("id").to_owned();
    let (status, problem) = office.app.call(reqwest::Method::POST, &format!("/api/v1/calls/{call_id}/recording"), None).await;
    assert_eq!(status, reqwest::StatusCode::CONFLICT, "{problem}");
    assert!(problem["detail"].as_str().unwrap_or_default().contains("never"), "{problem}");
    common::office::assert_all(&[&caller.wait().await, &callee.wait().await]);
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn click_to_call_legs_are_relayed_when_the_policy_says_so() {
    let app = relaying_app([127, 0, 0, 1].into(), 41400).await;
    let mut office = common::office::Office::with_app(app).await;
    // A answers the INVITE without SDP with its offer; B answers the relay's version.
    let a = office.phone("1005", "uas_answer_offer.xml").await;
    let b = office.phone("2001", "uas_answer.xml").await;
    for n in ["1005", "2001"] {
        let (_, found) = office.app.get(&format!("/api/v1/extensions?prefix={n}")).await;
        let id = found["items"][0]["id"].as_str().expect("extension").to_owned();
        office.app.patch(&format!("/api/v1/extensions/{id}"), json!({"media_mode": "relay"})).await;
    }
    let (status, started) = office.app.post("/api/v1/calls", json!({"from": "1005", "to": "2001"})).await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{started}");
    office.next("call.answered").await;
    assert_eq!(media_sessions(&office.app).await, 1, "the click-to-call's media goes through the relay");
    let (status, _) = office.app.delete(&format!("/api/v1/calls/{}", started["id"].as_str().expect("id"))).await;
    assert_eq!(status, reqwest::StatusCode::NO_CONTENT);
    office.next("call.ended").await;
    assert_eq!(media_sessions(&office.app).await, 0);
    common::office::assert_all(&[&a.wait().await, &b.wait().await]);
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn baresip_and_linphonec_put_a_phone_on_hold_and_it_hears_the_music_until_resumed() {
    // The music is a 1000 Hz tone. The held phone is linphonec 1002, recording what it
    // hears; baresip 1001 (500 Hz) and linphonec 1003 (1200 Hz) each call it, hold and
    // resume. (baresip 1.0 as the held party discards the music: rtpengine plays it with an
    // SSRC of its own, and baresip 1.0 compares the new source's timestamps with the old
    // one's and drops them as "wrapping backwards".)
    let dir = tempfile::tempdir().expect("dir");
    let music = dir.path().join("moh.wav");
    common::audio::write_tone(&music, 1000.0, 30);
    let app = common::TestApp::spawn_with(common::Backend::Sqlite, |c| {
        c.media.rtpengine = vec!["local".into()];
        c.media.address = Some([127, 0, 0, 1].into());
        c.media.port_min = Some(42000);
        c.media.port_max = Some(42099);
        c.media.music_on_hold = Some(music.clone());
    })
    .await
    .expect("app");
    for (n, pw) in [("1001", "phone-a-Pass1"), ("1002", "phone-b-Pass2"), ("1003", "phone-c-Pass3")] {
        app.create("/api/v1/extensions", json!({"number": n, "password": pw, "media_mode": "relay"})).await;
    }
    let mut events = app.app.state.feed.subscribe();
    let tones = [500.0, 800.0, 1000.0, 1200.0];
    let a = common::baresip::Phone::start_recording(&app, "1001", "phone-a-Pass1", 42200, 500);
    // linphonec has no sound card here: it sends silence, or a file it is told to `play`.
    let linphone = |number: &str, password: &str, rtp: u16| {
        let mut phone = common::linphone::Linphone::start(app.sip_target(), number, password, common::baresip::free_port_pair(), rtp);
        phone.wait_registered();
        phone.send("soundcard use files");
        phone
    };
    let mut b = linphone("1002", "phone-b-Pass2", 42300);
    b.send("autoanswer enable");
    let mut c = linphone("1003", "phone-c-Pass3", 42400);
    let c_tone = dir.path().join("1003-plays.wav");
    common::audio::write_tone(&c_tone, 1200.0, 60);
    for _ in 0..3 {
        common::wait_for(&mut events, "registration.created").await;
    }

    // Each part of the call gets a recording of its own (linphonec records the current call
    // into the file named last). "3 s" of recording: linphonec may record at 48 kHz, where
    // that much file is half a second.
    let mut part = 0;
    let mut record = |b: &mut common::linphone::Linphone| {
        part += 1;
        let file = dir.path().join(format!("1002-heard-{part}.wav"));
        b.send(&format!("record {}", file.display()));
        file
    };

    // baresip: `hold` and `resume` on its call.
    a.command("dial", "1002").await;
    common::wait_for(&mut events, "call.answered").await;
    a.wait_established().await;
    // linphonec records the call it has: once it says the call is up.
    b.expect("connected", Duration::from_secs(10));
    let heard = record(&mut b);
    common::audio::wait_heard(&heard, 3.0).await;
    common::audio::assert_hears(&heard, 500.0, &tones, "1002 before baresip's hold");
    a.command("hold", "").await;
    let held = common::wait_for(&mut events, "call.held").await;
    assert_eq!((held.data["party"].as_str(), held.data["by"].as_str(), held.data["music"].as_bool()), (Some("1002"), Some("1001"), Some(true)), "{}", held.data);
    let heard = record(&mut b);
    common::audio::wait_heard(&heard, 3.0).await;
    common::audio::assert_hears(&heard, 1000.0, &tones, "1002 held by baresip");
    a.command("resume", "").await;
    let resumed = common::wait_for(&mut events, "call.resumed").await;
    assert_eq!(resumed.data["party"], "1002", "{}", resumed.data);
    let heard = record(&mut b);
    common::audio::wait_heard(&heard, 3.0).await;
    common::audio::assert_hears(&heard, 500.0, &tones, "1002 after baresip's resume");
    a.command("hangup", "").await;
    common::wait_for(&mut events, "call.ended").await;
    b.expect("ended", Duration::from_secs(5));

    // linphonec: `pause` and `resume` on its call.
    c.send(&format!("call sip:1002@{}", app.sip_target()));
    common::wait_for(&mut events, "call.answered").await;
    c.expect("connected", Duration::from_secs(10));
    b.expect("connected", Duration::from_secs(10));
    c.send(&format!("play {}", c_tone.display()));
    let heard = record(&mut b);
    common::audio::wait_heard(&heard, 3.0).await;
    common::audio::assert_hears(&heard, 1200.0, &tones, "1002 before linphonec's hold");
    c.send("pause 1");
    let held = common::wait_for(&mut events, "call.held").await;
    assert_eq!((held.data["party"].as_str(), held.data["by"].as_str()), (Some("1002"), Some("1003")), "{}", held.data);
    let heard = record(&mut b);
    common::audio::wait_heard(&heard, 3.0).await;
    common::audio::assert_hears(&heard, 1000.0, &tones, "1002 held by linphonec");
    c.send("resume 1");
    common::wait_for(&mut events, "call.resumed").await;
    let heard = record(&mut b);
    common::audio::wait_heard(&heard, 3.0).await;
    common::audio::assert_hears(&heard, 1200.0, &tones, "1002 after linphonec's resume");
    c.send("terminate");
    common::wait_for(&mut events, "call.ended").await;
    b.expect("ended", Duration::from_secs(5));
    assert_eq!(media_sessions(&app).await, 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parked_caller_hears_the_music_until_it_is_taken_back() {
    // The music is a 1000 Hz tone here, so what the parked party gets can be told apart.
    let music_dir = tempfile::tempdir().expect("music dir");
    let music = music_dir.path().join("moh.wav");
    common::audio::write_tone(&music, 1000.0, 10);
    let app = common::TestApp::spawn_with(common::Backend::Sqlite, |c| {
        c.media.rtpengine = vec!["local".into()];
        c.media.address = Some([127, 0, 0, 1].into());
        c.media.port_min = Some(41500);
        c.media.port_max = Some(41599);
        c.media.music_on_hold = Some(music.clone());
    })
    .await
    .expect("app");
    let mut office = common::office::Office::with_app(app).await;
    office.app.create("/api/v1/extensions", json!({"number": "1003", "ip_auth": ["127.0.0.1"]})).await;
    // The caller's RTP port is this test's socket: what the relay sends it is decoded.
    let rtp = std::sync::Arc::new(tokio::net::UdpSocket::bind("127.0.0.1:0").await.expect("rtp socket"));
    let rtp_port = rtp.local_addr().expect("port").port();
    let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Vec<u8>>::new()));
    let sink = received.clone();
    let reader = rtp.clone();
    let listener = tokio::spawn(async move {
        let mut buf = vec![0u8; 2048];
        while let Ok(n) = reader.recv(&mut buf).await {
            if n > 12 && buf[1] & 0x7f == 0 {
                sink.lock().expect("lock").push(buf[12..n].to_vec());
            }
        }
    });
    let parker = office.phone_cmd("1002", "uas_answer_then_park.xml").await.substitute("PARK_NUMBER", "700").substitute("PARKED_IN", "200 Parked in slot 701");
    let (_, found) = office.app.get("/api/v1/extensions?prefix=1002").await;
    let id = found["items"][0]["id"].as_str().expect("1002").to_owned();
    office.app.patch(&format!("/api/v1/extensions/{id}"), json!({"media_mode": "relay"})).await;
    let parker = parker.spawn();
    let caller = office.caller("uac_call_transferred.xml", "1002").substitute("m=audio [media_port]", &format!("m=audio {rtp_port}")).spawn();
    let parked = office.next("call.parked").await;
    assert_eq!(parked.data["slot"], "701");
    common::office::assert_all(&[&parker.wait().await]);
    // A second of music (50 packets a second), bounded.
    let at_park = received.lock().expect("lock").len();
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while received.lock().expect("lock").len() < at_park + 50 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let during: Vec<f64> = received.lock().expect("lock")[at_park..].iter().flatten().map(|b| common::audio::ulaw(*b)).collect();
    assert!(during.len() >= 8000, "only {} samples of music while parked", during.len());
    let (tone, ratio) = common::audio::dominant(&during, 8000, &[440.0, 1000.0, 1500.0]);
    assert_eq!(tone, 1000.0, "the parked party hears {tone} Hz");
    assert!(ratio > 100.0, "the music is only {ratio:.1} times the next tone");
    let retriever = common::sipp::SippCmd::new("uac_pickup.xml", office.app.sip_target(), common::sipp::free_port("127.0.0.1", common::sipp::Transport::Udp))
        .arg("-s")
        .arg("701")
        .key("caller", "1003")
        .substitute("REPLACES_HEADER", "")
        .spawn();
    let unparked = office.next("call.unparked").await;
    assert_eq!(unparked.data["reason"], "retrieved");
    office.next("call.ended").await;
    common::office::assert_all(&[&caller.wait().await, &retriever.wait().await]);
    listener.abort();
    assert_eq!(media_sessions(&office.app).await, 0, "the relay's session is gone");
    office.stop().await;
}

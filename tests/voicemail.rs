//! Voicemail with real peers: a baresip caller (playing a 500 Hz tone) is not answered,
//! the no-answer forwarding leads to the callee's box, Callplane answers through the local
//! rtpengine, plays the greeting and records; the stored WAV holds the caller's tone, the
//! box's counts follow, and the messages API lists, downloads, marks heard and deletes.

mod common;

use std::time::Duration;

use common::office::assert_all;
use common::sipp::{SippCmd, Transport, dtmf_keys, free_port};
use reqwest::StatusCode;
use serde_json::json;

/// aiosmtpd (from `$CALLPLANE_TEST_VENV`, which scripts/test installs) on 127.0.0.1:`port`,
/// writing what it receives into the Maildir `dir`; stopped when dropped.
struct SmtpServer(std::process::Child);

impl SmtpServer {
    fn start(port: u16, dir: &std::path::Path) -> SmtpServer {
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(dir.join(sub)).expect("maildir");
        }
        let venv = std::env::var("CALLPLANE_TEST_VENV").expect("CALLPLANE_TEST_VENV: the venv with aiosmtpd (scripts/test makes it)");
        let child = std::process::Command::new(format!("{venv}/bin/aiosmtpd"))
            .args(["-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("aiosmtpd");
        SmtpServer(child)
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The e-mails delivered into the Maildir `dir`.
fn delivered(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir.join("new")).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default()
}

/// Polls `check` (bounded, 30 s) until it gives a value: across the SMTP boundary there is
/// no event to await.
async fn wait_until<T, F: std::future::Future<Output = Option<T>>>(check: impl Fn() -> F) -> T {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(std::time::Instant::now() < deadline, "gave up waiting");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// 1002 dials the voicemail code and presses `keys`, then waits for Callplane's BYE.
fn listener(app: &common::TestApp, keys: &str) -> SippCmd {
    SippCmd::new("uac_voicemail_listen.xml", app.sip_target(), free_port("127.0.0.1", Transport::Udp)).arg("-s").arg("*97").key("caller", "1002").substitute("KEYS", keys)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_caller_leaves_a_message_the_box_owner_can_manage() {
    let app = common::TestApp::spawn_with(common::Backend::Sqlite, |c| {
        c.media.rtpengine = vec!["local".into()];
        c.media.address = Some([127, 0, 0, 1].into());
        c.media.port_min = Some(41600);
        c.media.port_max = Some(41699);
    })
    .await
    .expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": "phone-a-Pass1"})).await;
    // A box without voicemail cannot forward there.
    let (status, body) = app.post("/api/v1/extensions", json!({"number": "1003", "ip_auth": ["127.0.0.1"], "forwarding": {"no_answer": "voicemail"}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("forwarding.no_answer"), "{body}");
    // 1002 rings 5 s, then its box takes the call; messages are at most 5 s long.
    let callee = app
        .create("/api/v1/extensions", json!({
            "number": "1002", "ip_auth": ["127.0.0.1"],
            "voicemail": {"max_message_s": 5, "email": "anna@example.com", "attach": true, "pin": "2468"},
            "forwarding": {"no_answer": "voicemail", "no_answer_timeout_s": 5}
        }))
        .await;
    let callee_id = callee["id"].as_str().expect("id").to_owned();
    // The box's own greeting: two seconds of 700 Hz (the default is speech).
    let tones_dir = tempfile::tempdir().expect("dir");
    let greeting = tones_dir.path().join("greeting.wav");
    common::audio::write_tone(&greeting, 700.0, 2);
    let upload = |bytes: Vec<u8>| app.client.put(format!("{}/api/v1/voicemail/1002/greeting", app.base)).bearer_auth(&app.admin).header("content-type", "audio/wav").body(bytes).send();
    let bad = upload(b"RIFF....WAVEjunk".to_vec()).await.expect("upload");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let uploaded = upload(std::fs::read(&greeting).expect("tone")).await.expect("upload");
    assert_eq!(uploaded.status(), StatusCode::OK);
    let uploaded: serde_json::Value = uploaded.json().await.expect("json");
    assert_eq!((uploaded["custom"].as_bool(), uploaded["duration_s"].as_f64()), (Some(true), Some(2.0)), "{uploaded}");
    assert_eq!((callee["voicemail"]["enabled"].as_bool(), callee["voicemail"]["has_pin"].as_bool()), (Some(true), Some(true)), "{callee}");
    assert!(callee["voicemail"].get("pin").is_none() && callee["voicemail"].get("pin_hash").is_none(), "the PIN is never shown: {callee}");
    // The mail server is down when the message arrives: the e-mail waits in the queue.
    let smtp_port = free_port("127.0.0.1", Transport::Tcp);
    let (status, smtp) = app.call(reqwest::Method::PUT, "/api/v1/settings/smtp", Some(json!({
        "host": "127.0.0.1", "port": smtp_port, "tls": "none", "from": "pbx@example.com", "username": "pbx", "password": "mail-secret"
    }))).await;
    assert_eq!(status, StatusCode::OK, "{smtp}");
    assert_eq!((smtp["has_password"].as_bool(), smtp.get("password")), (Some(true), None), "{smtp}");
    // The test's server takes mail without authentication (it offers none without TLS).
    let (status, smtp) = app.call(reqwest::Method::PUT, "/api/v1/settings/smtp", Some(json!({
        "host": "127.0.0.1", "port": smtp_port, "tls": "none", "from": "pbx@example.com", "password": null
    }))).await;
    assert_eq!((status, smtp["has_password"].as_bool()), (StatusCode::OK, Some(false)), "{smtp}");
    let mut events = app.app.state.feed.subscribe();
    let port = free_port("127.0.0.1", Transport::Udp);
    let register = SippCmd::new("register_without_auth.xml", app.sip_target(), port).arg("-s").arg("1002").run().await;
    assert_all(&[&register]);
    let ringing = SippCmd::new("uas_ring_until_cancel.xml", app.sip_target(), port).spawn();
    let caller = common::baresip::Phone::start_recording(&app, "1001", "phone-a-Pass1", 41700, 500);
    while common::wait_for(&mut events, "registration.created").await.data["aor"] != "1001" {}

    caller.command("dial", "1002").await;
    let forwarded = common::wait_for(&mut events, "call.forwarded").await;
    assert_eq!(forwarded.data["to"], "voicemail:1002", "{}", forwarded.data);
    assert_eq!(forwarded.data["reason"], "no_answer");
    assert_all(&[&ringing.wait().await]);
    // The greeting, then five seconds of recording: Callplane hangs up at the box's maximum.
    let received = tokio::time::timeout(Duration::from_secs(30), common::wait_for(&mut events, "voicemail.received")).await.expect("a message");
    let data = &received.data;
    assert_eq!((data["number"].as_str(), data["caller"].as_str()), (Some("1002"), Some("1001")), "{data}");
    let duration = data["duration_s"].as_f64().expect("duration");
    assert!((3.0..=5.5).contains(&duration), "{duration} s recorded (at most 5, the tail silence cut)");
    let waiting = common::wait_for(&mut events, "message_waiting.changed").await;
    assert_eq!((waiting.data["number"].as_str(), waiting.data["new_messages"].as_u64()), (Some("1002"), Some(1)));
    let ended = common::wait_for(&mut events, "call.ended").await;
    assert_eq!((ended.data["code"].as_u64(), ended.data["final_callee"].as_str()), (Some(200), Some("voicemail:1002")), "{}", ended.data);
    caller.wait_idle().await;
    // The caller heard the box's greeting (then the tone, then nothing).
    let heard = common::audio::decoded(&caller.recordings()).pop().expect("the caller's recording");
    let (samples, rate) = common::audio::samples(&heard);
    let (tone, ratio) = common::audio::dominant(&samples, rate, &[700.0, 1400.0]);
    assert_eq!(tone, 700.0, "the caller heard {tone} Hz first of all");
    assert!(ratio > 2.0, "the greeting is only {ratio:.1} times the tone");

    // The first attempt failed and is in the queue with its error; the server comes up and
    // the e-mail arrives, once, with the WAV attached.
    let queued = wait_until(|| async { let (_, q) = app.get("/api/v1/mail/queue").await; (q["items"][0]["attempts"].as_u64().unwrap_or(0) >= 1).then_some(q) }).await;
    assert_eq!(queued["items"][0]["to"], "anna@example.com", "{queued}");
    assert!(queued["items"][0]["last_error"].as_str().is_some_and(|e| !e.is_empty()), "{queued}");
    let maildir = tempfile::tempdir().expect("maildir");
    let _smtp = SmtpServer::start(smtp_port, maildir.path());
    let mails = wait_until(|| async {
        let (_, q) = app.get("/api/v1/mail/queue").await;
        let files = delivered(maildir.path());
        (q["total"] == 0 && !files.is_empty()).then_some(files)
    })
    .await;
    assert_eq!(mails.len(), 1, "one e-mail: {mails:?}");
    let mail = std::fs::read_to_string(&mails[0]).expect("mail");
    assert!(mail.contains("Subject: Voicemail from 1001"), "{mail}");
    assert!(mail.contains("To: anna@example.com") && mail.contains("From: pbx@example.com"), "{mail}");
    assert!(mail.contains("New voicemail for 1002 from 1001"), "{mail}");
    let name = format!("voicemail-{}.wav", data["message_id"].as_str().expect("id"));
    assert!(mail.contains("Content-Disposition: attachment") && mail.contains(&name) && mail.contains("Content-Type: audio/wav"), "{mail}");
    // The attachment is the recording (base64 up to the closing boundary).
    let encoded: String = mail
        .split("Content-Transfer-Encoding: base64")
        .nth(1)
        .and_then(|rest| rest.split("\n--").next())
        .map(|b| b.chars().filter(|c| !c.is_whitespace()).collect())
        .unwrap_or_default();
    use base64::Engine as _;
    let attached = base64::engine::general_purpose::STANDARD.decode(encoded).expect("base64 attachment");

    // The messages API: by the extension's number or id.
    let (status, list) = app.get("/api/v1/voicemail/1002/messages").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1, "{list}");
    let message = &list["items"][0];
    assert_eq!((message["heard"].as_bool(), message["caller"].as_str()), (Some(false), Some("1001")), "{message}");
    let id = message["id"].as_str().expect("id").to_owned();
    assert_eq!(data["download"], format!("/api/v1/voicemail/{callee_id}/messages/{id}/audio"));
    // The recording holds the caller's tone.
    let wav = app.client.get(format!("{}{}", app.base, data["download"].as_str().expect("link"))).bearer_auth(&app.admin).send().await.expect("download");
    assert_eq!(wav.status(), StatusCode::OK);
    assert_eq!(wav.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("audio/wav"));
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("message.wav");
    std::fs::write(&file, wav.bytes().await.expect("bytes")).expect("write");
    let downloaded = std::fs::read(&file).expect("wav");
    assert!(downloaded.starts_with(b"RIFF"));
    assert_eq!(attached, downloaded, "the e-mail carries the recording");
    let (tone, ratio) = common::audio::dominant_tone(&file, &[500.0, 800.0, 1400.0], 2.0);
    assert_eq!(tone, 500.0, "the message holds {tone} Hz");
    assert!(ratio > 10.0, "the caller's tone is only {ratio:.1} times the next");

    // Heard: the lamp goes out (old 1, new 0); new again: it lights.
    let (status, heard) = app.patch(&format!("/api/v1/voicemail/{callee_id}/messages/{id}"), json!({"heard": true})).await;
    assert_eq!((status, heard["heard"].as_bool()), (StatusCode::OK, Some(true)), "{heard}");
    let waiting = common::wait_for(&mut events, "message_waiting.changed").await;
    assert_eq!((waiting.data["new_messages"].as_u64(), waiting.data["old_messages"].as_u64()), (Some(0), Some(1)));
    let (_, counts) = app.get(&format!("/api/v1/extensions/{callee_id}/message-waiting")).await;
    assert_eq!(counts["old_messages"], 1, "{counts}");
    app.patch(&format!("/api/v1/voicemail/{callee_id}/messages/{id}"), json!({"heard": false})).await;
    common::wait_for(&mut events, "message_waiting.changed").await;

    // From the phone: *97, the PIN, 1 plays the message (now heard), 3 deletes it, # ends.
    let presses = dtmf_keys(&["2", "4", "6", "8", "pound"], 400) + &dtmf_keys(&["1"], 2500) + &dtmf_keys(&["3"], 1500) + &dtmf_keys(&["pound"], 500);
    let listen = listener(&app, &presses).spawn();
    let waiting = common::wait_for(&mut events, "message_waiting.changed").await;
    assert_eq!((waiting.data["new_messages"].as_u64(), waiting.data["old_messages"].as_u64()), (Some(0), Some(1)), "heard from the phone");
    let waiting = common::wait_for(&mut events, "message_waiting.changed").await;
    assert_eq!((waiting.data["new_messages"].as_u64(), waiting.data["old_messages"].as_u64()), (Some(0), Some(0)), "deleted from the phone");
    assert_all(&[&listen.wait().await]);
    let (_, list) = app.get("/api/v1/voicemail/1002/messages").await;
    assert_eq!(list["total"], 0, "{list}");
    let (status, _) = app.delete(&format!("/api/v1/voicemail/1002/messages/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get("/api/v1/voicemail/1999/messages").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The greeting: downloaded (8 kHz with the tone after it), then back to the default.
    let got = app.client.get(format!("{}/api/v1/voicemail/1002/greeting", app.base)).bearer_auth(&app.admin).send().await.expect("greeting");
    let got = got.bytes().await.expect("bytes");
    assert!(got.starts_with(b"RIFF") && got.len() > 44 + 2 * 16000, "{} bytes", got.len());
    let (status, _) = app.delete("/api/v1/voicemail/1002/greeting").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.delete("/api/v1/voicemail/1002/greeting").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Three wrong PINs end the call and count for fail-to-ban (here: one failure bans).
    let (status, body) = app.patch("/api/v1/security/settings", json!({"fail2ban": {"enabled": true, "max_failures": 1, "window_s": 60, "ban_s": 60}})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let wrong = dtmf_keys(&["1", "1", "1", "1", "pound"], 300);
    let guess = listener(&app, &format!("{wrong}{wrong}{wrong}")).spawn();
    let banned = common::wait_for(&mut events, "security.banned").await;
    assert_eq!(banned.data["ip"], "127.0.0.1", "{}", banned.data);
    assert_all(&[&guess.wait().await]);
    app.stop().await;
}

/// The box's store on both backends: a message left (as the call would hand it over),
/// listed, recounted, marked heard and deleted, with the events that tell it.
async fn box_store(app: &common::TestApp) {
    let ext = app.create("/api/v1/extensions", json!({"number": "2002", "ip_auth": ["127.0.0.1"], "voicemail": {}})).await;
    let id = ext["id"].as_str().expect("id").to_owned();
    let boxes = app.app.state.sip.as_ref().and_then(|s| s.b2bua.voicemail.clone()).expect("voicemail");
    let mut events = app.app.state.feed.subscribe();
    // Half a second is discarded; two seconds are kept.
    assert!(boxes.deposit(&id, "2002", "1001", "call-1", &[0; 4000], None).await.expect("deposit").is_none());
    let samples: Vec<i16> = (0..16000).map(|i| ((i as f64 * 0.39).sin() * 9000.0) as i16).collect();
    let message = boxes.deposit(&id, "2002", "1001", "call-2", &samples, Some("anna@example.com")).await.expect("deposit").expect("kept");
    assert_eq!(message.duration_s, 2.0);
    assert_eq!(common::wait_for(&mut events, "voicemail.received").await.data["message_id"], message.id.as_str());
    let waiting = common::wait_for(&mut events, "message_waiting.changed").await;
    assert_eq!((waiting.data["new_messages"].as_u64(), waiting.data["old_messages"].as_u64()), (Some(1), Some(0)));
    // Its e-mail was queued with it (no SMTP server is set, so it waits).
    let (_, queue) = app.get("/api/v1/mail/queue").await;
    assert_eq!((queue["total"].as_i64(), queue["items"][0]["message_id"].as_str()), (Some(1), Some(message.id.as_str())), "{queue}");
    let (_, list) = app.get(&format!("/api/v1/voicemail/{id}/messages")).await;
    assert_eq!(list["total"], 1, "{list}");
    assert!(boxes.set_heard(&id, "2002", &message.id, true).await.expect("heard"));
    let waiting = common::wait_for(&mut events, "message_waiting.changed").await;
    assert_eq!((waiting.data["new_messages"].as_u64(), waiting.data["old_messages"].as_u64()), (Some(0), Some(1)));
    assert!(boxes.delete(&id, "2002", &message.id).await.expect("delete"));
    assert!(!boxes.delete(&id, "2002", &message.id).await.expect("delete again"));
    assert!(!boxes.audio_path(&id, &message.id).exists(), "the recording is gone with its message");
    let (_, counts) = app.get(&format!("/api/v1/extensions/{id}/message-waiting")).await;
    assert_eq!((counts["new_messages"].as_u64(), counts["old_messages"].as_u64()), (Some(0), Some(0)), "{counts}");

    // Retention: by default messages are kept; heard ones a week, all a month once set.
    let (_, settings) = app.get("/api/v1/settings/voicemail").await;
    assert_eq!(settings, json!({"max_messages": 100}), "the defaults");
    let (status, body) = app.patch("/api/v1/settings/voicemail", json!({"keep_days": 0})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let heard = boxes.deposit(&id, "2002", "1001", "call-3", &samples, None).await.expect("deposit").expect("kept");
    let unheard = boxes.deposit(&id, "2002", "1001", "call-4", &samples, None).await.expect("deposit").expect("kept");
    assert!(boxes.set_heard(&id, "2002", &heard.id, true).await.expect("heard"));
    assert_eq!(boxes.sweep(chrono::Utc::now() + chrono::Duration::days(3650)).await.expect("sweep"), 0, "nothing expires by default");
    let (status, settings) = app.patch("/api/v1/settings/voicemail", json!({"keep_days": 30, "keep_heard_days": 7, "max_messages": 2})).await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert!(boxes.is_full(&id).await, "two messages fill a box of two");
    assert_eq!(boxes.sweep(chrono::Utc::now() + chrono::Duration::days(8)).await.expect("sweep"), 1, "the heard one, a week later");
    let (_, list) = app.get(&format!("/api/v1/voicemail/{id}/messages")).await;
    assert_eq!((list["total"].as_i64(), list["items"][0]["id"].as_str()), (Some(1), Some(unheard.id.as_str())), "{list}");
    assert!(!boxes.audio_path(&id, &heard.id).exists());
    assert_eq!(boxes.sweep(chrono::Utc::now() + chrono::Duration::days(31)).await.expect("sweep"), 1, "every message, a month later");
    let (_, counts) = app.get(&format!("/api/v1/extensions/{id}/message-waiting")).await;
    assert_eq!((counts["new_messages"].as_u64(), counts["old_messages"].as_u64()), (Some(0), Some(0)), "{counts}");
    let (_, settings) = app.patch("/api/v1/settings/voicemail", json!({"max_messages": null})).await;
    assert_eq!(settings, json!({"keep_days": 30, "keep_heard_days": 7}), "null removes the limit");
    let (_, settings) = app.get("/api/v1/settings/voicemail").await;
    assert_eq!(settings, json!({"keep_days": 30, "keep_heard_days": 7}), "and stays removed");
}

on_both_backends!(store, super::box_store);

//! Feature codes: the `/api/v1/feature-codes` resource, and phones (sipp) dialling the
//! do-not-disturb and forwarding codes, which change the extension and confirm by
//! answering and hanging up with a Reason saying what was done.

mod common;

use common::office::{Office, assert_all};
use common::sipp::{SippCmd, Transport, free_port};
use reqwest::StatusCode;
use serde_json::json;

/// Registered extension `number` (trusted from 127.0.0.1) dials `code`, expecting the
/// confirmation session saying `text`.
async fn dial_code(office: &Office, number: &str, code: &str, text: &str) {
    let cmd = office.phone_cmd(number, "uac_feature_code.xml").await.arg("-s").arg(code).key("caller", number).substitute("WARNING_TEXT", text);
    assert_all(&[&cmd.run().await]);
}

fn refused(office: &Office, number: &str, dialled: &str, code: u16, reason: &str) -> SippCmd {
    SippCmd::new("uac_expect_code.xml", office.app.sip_target(), free_port("127.0.0.1", Transport::Udp))
        .arg("-s")
        .arg(dialled)
        .key("caller", number)
        .substitute("EXTRA_HEADERS", "")
        .substitute("EXPECTED_CODE", &code.to_string())
        .substitute("EXPECTED_REASON", reason)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feature_codes_resource_has_defaults_and_refuses_ambiguity_and_collisions() {
    let office = Office::start().await;
    let (status, codes) = office.app.get("/api/v1/feature-codes").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(codes, json!({
        "group_pickup": "*8", "directed_pickup": "**", "dnd_on": "*78", "dnd_off": "*79",
        "forward_on": "*72", "forward_off": "*73", "voicemail": "*97", "voicemail_deposit": "*98", "park": "700",
        "park_first_slot": 701, "park_last_slot": 720, "park_timeout_s": 120
    }));
    // Two codes alike, a code that starts with a prefix code, letters: 422 by field.
    let (status, body) = office.app.patch("/api/v1/feature-codes", json!({"dnd_on": "*79"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("dnd_off"), "{body}");
    let (status, body) = office.app.patch("/api/v1/feature-codes", json!({"directed_pickup": "*7"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = office.app.patch("/api/v1/feature-codes", json!({"voicemail": "vm"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = office.app.patch("/api/v1/feature-codes", json!({"bogus": "1"})).await;
    assert!(status.is_client_error(), "{body}");
    // Extension numbers and feature codes never collide, whichever comes first.
    let (status, body) = office.app.post("/api/v1/extensions", json!({"number": "705", "ip_auth": ["127.0.0.1"]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("feature codes"), "{body}");
    office.app.create("/api/v1/extensions", json!({"number": "750", "ip_auth": ["127.0.0.1"]})).await;
    let (status, body) = office.app.patch("/api/v1/feature-codes", json!({"park_first_slot": 740, "park_last_slot": 759})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("750"), "{body}");
    // Nothing of the refused changes stuck.
    let (_, after) = office.app.get("/api/v1/feature-codes").await;
    assert_eq!(after, codes);
    // A valid change is in force at once, and told as config.changed.
    let mut events = office.app.app.state.feed.subscribe();
    let (status, body) = office.app.call(reqwest::Method::PUT, "/api/v1/feature-codes", Some(json!({
        "group_pickup": "*8", "directed_pickup": "**", "dnd_on": "*55", "dnd_off": "*56",
        "forward_on": "*72", "forward_off": "*73", "voicemail": "*97", "park": "800",
        "park_first_slot": 801, "park_last_slot": 810, "park_timeout_s": 60
    }))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let changed = common::wait_for(&mut events, "config.changed").await;
    assert_eq!(changed.data["resource"], "feature_codes");
    let (_, now) = office.app.get("/api/v1/feature-codes").await;
    assert_eq!(now["dnd_on"], "*55");
    // 705 is no slot any more.
    office.app.create("/api/v1/extensions", json!({"number": "705", "ip_auth": ["127.0.0.1"]})).await;
    office.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn do_not_disturb_and_forwarding_codes_change_the_extension_and_say_so() {
    let mut office = Office::start().await;
    dial_code(&office, "1002", "*78", "do-not-disturb on").await;
    let presence = loop {
        let e = office.next("presence.changed").await;
        if e.data["number"] == "1002" && e.data["state"] == "do_not_disturb" {
            break e;
        }
    };
    assert_eq!(presence.data["previous"], "available", "{}", presence.data);
    let (_, list) = office.app.get("/api/v1/extensions").await;
    let ext = list["items"].as_array().and_then(|i| i.iter().find(|e| e["number"] == "1002")).cloned().expect("1002");
    assert_eq!(ext["do_not_disturb"], true, "{ext}");
    let id = ext["id"].as_str().expect("id").to_owned();
    // A caller now gets busy handling.
    assert_all(&[&office.caller("uac_expect_486.xml", "1002").run().await]);
    dial_code(&office, "1002", "*79", "do-not-disturb off").await;
    let (_, ext) = office.app.get(&format!("/api/v1/extensions/{id}")).await;
    assert_eq!(ext["do_not_disturb"], false, "{ext}");
    dial_code(&office, "1002", "*72+15550100", "all calls forwarded to .15550100").await;
    let (_, ext) = office.app.get(&format!("/api/v1/extensions/{id}")).await;
    assert_eq!(ext["forwarding"]["unconditional"], "+15550100", "{ext}");
    dial_code(&office, "1002", "*73", "forwarding off").await;
    let (_, ext) = office.app.get(&format!("/api/v1/extensions/{id}")).await;
    assert!(ext["forwarding"].get("unconditional").is_none_or(|v| v.is_null()), "{ext}");
    // What cannot be done is refused with a reason.
    assert_all(&[
        &refused(&office, "1002", "*721002", 403, "itself").run().await,
        &refused(&office, "1002", "*97", 403, "no voicemail box").run().await,
    ]);
    office.stop().await;
}

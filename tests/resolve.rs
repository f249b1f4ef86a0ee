//! The dial plan through `/api/v1/routes/resolve`: every change is visible in the answer
//! right after the write's 2xx, without polling.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::json;

async fn resolve(app: &TestApp, number: &str) -> serde_json::Value {
    let (status, body) = app.get(&format!("/api/v1/routes/resolve?number={}", number.replace('+', "%2B"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn dial_plan(app: &TestApp) {
    let none = resolve(app, "0044123").await;
    assert_eq!(none["matched"], false);
    assert!(none["explanation"].as_str().expect("explanation").contains("404"));

    let alice = app.extension("1001").await;
    let r = resolve(app, "1001").await;
    assert_eq!(r["matched_by"], "extension");
    assert_eq!(r["target"]["id"], alice["id"]);
    assert_eq!(r["target"]["enabled"], true);

    let carrier = app.create("/api/v1/trunks", json!({"name": "carrier", "host": "sip.carrier.example"})).await;
    let backup = app.create("/api/v1/trunks", json!({"name": "backup", "host": "sip.backup.example"})).await;
    let national = app
        .create("/api/v1/routes", json!({"prefix": "0", "strip": 1, "prepend": "+44", "target": {"kind": "trunk", "id": carrier["id"]}}))
        .await;
    let r = resolve(app, "02071234567").await;
    assert_eq!(r["matched_by"], "route");
    assert_eq!(r["route"]["id"], national["id"]);
    assert_eq!(r["dialed_number"], "+442071234567");
    assert_eq!(r["target"]["label"], "carrier");

    // A longer prefix wins over a shorter one.
    let intl = app
        .create("/api/v1/routes", json!({"prefix": "00", "strip": 2, "prepend": "+", "target": {"kind": "trunk", "id": backup["id"]}}))
        .await;
    let r = resolve(app, "0033123456").await;
    assert_eq!(r["route"]["id"], intl["id"]);
    assert_eq!(r["dialed_number"], "+33123456");

    // Among equal prefixes the lower priority wins; changing it flips the answer at once.
    let cheap = app
        .create("/api/v1/routes", json!({"prefix": "00", "priority": 50, "target": {"kind": "trunk", "id": carrier["id"]}}))
        .await;
    assert_eq!(resolve(app, "0033123456").await["route"]["id"], cheap["id"]);
    let cheap_id = cheap["id"].as_str().expect("id");
    let (status, _) = app.patch(&format!("/api/v1/routes/{cheap_id}"), json!({"priority": 150})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(resolve(app, "0033123456").await["route"]["id"], intl["id"]);
    let (status, _) = app.patch(&format!("/api/v1/routes/{cheap_id}"), json!({"priority": 10})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(resolve(app, "0033123456").await["route"]["id"], cheap["id"]);

    // Disabled routes are skipped; deleted ones are gone.
    let (status, _) = app.patch(&format!("/api/v1/routes/{cheap_id}"), json!({"enabled": false})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(resolve(app, "0033123456").await["route"]["id"], intl["id"]);
    let (status, _) = app.delete(&format!("/api/v1/routes/{}", intl["id"].as_str().expect("id"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(resolve(app, "0033123456").await["route"]["id"], national["id"]);

    // An exact internal number beats any route prefix; renumbering moves it at once.
    app.create("/api/v1/routes", json!({"prefix": "1", "target": {"kind": "trunk", "id": carrier["id"]}})).await;
    assert_eq!(resolve(app, "1001").await["matched_by"], "extension");
    let group = app.create("/api/v1/ring-groups", json!({"number": "600", "members": ["1001"]})).await;
    let r = resolve(app, "600").await;
    assert_eq!(r["matched_by"], "ring_group");
    assert_eq!(r["target"]["id"], group["id"]);
    let (status, _) = app.patch(&format!("/api/v1/extensions/{}", alice["id"].as_str().expect("id")), json!({"number": "2001", "enabled": false})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(resolve(app, "1001").await["matched_by"], "route");
    let r = resolve(app, "2001").await;
    assert_eq!(r["matched_by"], "extension");
    assert_eq!(r["target"]["enabled"], false);

    let (status, problem) = app.get("/api/v1/routes/resolve?number=12ab").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "number");

    // Status reports the snapshot and counts.
    let (_, status_body) = app.get("/api/v1/status").await;
    assert_eq!(status_body["counts"]["routes"], 3);
    assert_eq!(status_body["counts"]["trunks"], 2);
    assert!(status_body["snapshot_version"].as_u64().expect("version") >= 10);
    assert_eq!(status_body["snapshot_version"], resolve(app, "1").await["snapshot_version"]);
}
on_both_backends!(dial_plan_follows_every_change, super::dial_plan);

//! Every class of error the API answers, each as a problem body naming the field.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn field_of(problem: &Value) -> &str {
    problem["errors"][0]["field"].as_str().unwrap_or_default()
}

async fn raw_post(app: &TestApp, path: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Value, String) {
    // A client of its own: the server may close a connection whose body it refused to read
    // (413), and the shared pool must not reuse it.
    let resp = reqwest::Client::new()
        .post(app.url(path))
        .bearer_auth(&app.admin)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request");
    let status = resp.status();
    let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let text = resp.text().await.expect("text");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null), ct)
}

async fn error_classes(app: &TestApp) {
    // 400: malformed JSON.
    let (status, problem, ct) = raw_post(app, "/api/v1/extensions", "application/json", b"{\"number\": \"1001\"".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(ct.starts_with("application/json"), "{ct}");
    assert!(problem["detail"].as_str().expect("detail").contains("malformed JSON"), "{problem}");

    // 400: a wrong type names the field, even nested.
    let (status, problem) = app.post("/api/v1/extensions", json!({"number": "1001", "ip_auth": ["10.0.0.1", 7]})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_of(&problem), "ip_auth[1]");
    let (status, problem) = app.post("/api/v1/trunks", json!({"name": "t", "host": "h.example", "quirks": {"disable_100rel": "yes"}})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_of(&problem), "quirks.disable_100rel");

    // 400: unknown and missing fields.
    let (status, problem) = app.post("/api/v1/extensions", json!({"number": "1001", "pasword": "x"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_of(&problem), "pasword");
    let (status, problem) = app.post("/api/v1/extensions", json!({"display_name": "no number"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_of(&problem), "number");

    // 415: not JSON at all.
    let (status, problem, _) = raw_post(app, "/api/v1/extensions", "text/plain", b"number=1001".to_vec()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(problem["status"], 415);

    // 413: oversized body (the default limit is 1 MiB).
    let big = format!("{{\"number\":\"1001\",\"display_name\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let (status, problem, _) = raw_post(app, "/api/v1/extensions", "application/json", big.into_bytes()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(problem["status"], 413);

    // 422: a value that does not parse (numbers, prefixes, CIDRs, hosts are parsed as the
    // body is read) is named with its path, nested ones included.
    for (body, field) in [
        (json!({"number": "10O1"}), "number"),
        (json!({"number": "1001", "ip_auth": ["10.0.0.1", "10.0.0.0/33"]}), "ip_auth[1]"),
        (json!({"number": "1001", "forwarding": {"busy": "voicemail"}}), "forwarding.busy"),
    ] {
        let (status, problem) = app.post("/api/v1/extensions", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(field_of(&problem), field, "{problem}");
    }
    let (status, problem) = app.post("/api/v1/routes", json!({"prefix": "9x", "target": {"kind": "trunk", "id": "t"}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&problem), "prefix", "{problem}");
    let (status, problem) = app.post("/api/v1/trunks", json!({"name": "t", "host": "h.example", "outbound_proxy": "proxy.example:0"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&problem), "outbound_proxy", "{problem}");
    // 422: every other invalid value, every one reported at once.
    let (status, problem) = app
        .post("/api/v1/extensions", json!({"number": "1001", "password": "short", "max_contacts": 0, "forwarding": {"busy": "1001"}}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["max_contacts", "forwarding.busy", "password"], "{problem}");

    // 422: a route to a target that does not exist, of a kind that does.
    let (status, problem) = app
        .post("/api/v1/routes", json!({"prefix": "9", "target": {"kind": "trunk", "id": "no-such-trunk"}}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_of(&problem), "target.id");
    // 400: a target kind that does not exist at all.
    let (status, problem) = app.post("/api/v1/routes", json!({"prefix": "9", "target": {"kind": "fax", "id": "x"}})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_of(&problem), "target.kind");
    let (status, problem) = app.post("/api/v1/trunks", json!({"name": "t", "host": "h.example", "register": true, "expires_s": 5})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = problem["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["expires_s", "username", "password"], "{problem}");

    // 404: unknown ids on every kind and verb.
    for kind in ["extensions", "trunks", "routes", "ring-groups", "webhooks", "api-tokens"] {
        let (status, problem) = app.get(&format!("/api/v1/{kind}/nope")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{kind}");
        assert_eq!(problem["status"], 404);
        let (status, _) = app.patch(&format!("/api/v1/{kind}/nope"), json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "PATCH {kind}");
        let (status, _) = app.delete(&format!("/api/v1/{kind}/nope")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "DELETE {kind}");
    }
    let (status, problem) = app.get("/api/v1/no-such-collection").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(problem["status"], 404);

    // 409: a number is unique across extensions and ring groups.
    let ext = app.extension("1001").await;
    let (status, problem) = app.post("/api/v1/extensions", json!({"number": "1001"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(field_of(&problem), "number");
    let (status, problem) = app.post("/api/v1/ring-groups", json!({"number": "1001", "members": ["1002"]})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(problem["detail"].as_str().expect("detail").contains(ext["id"].as_str().expect("id")));
    let other = app.extension("1002").await;
    let (status, _) = app.patch(&format!("/api/v1/extensions/{}", other["id"].as_str().expect("id")), json!({"number": "1001"})).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // 409: a delete that would orphan a route names the route.
    let route = app
        .create("/api/v1/routes", json!({"prefix": "55", "target": {"kind": "extension", "id": ext["id"]}}))
        .await;
    let (status, problem) = app.delete(&format!("/api/v1/extensions/{}", ext["id"].as_str().expect("id"))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(problem["detail"].as_str().expect("detail").contains(route["id"].as_str().expect("id")), "{problem}");

    // A failed write changed nothing.
    let (_, list) = app.get("/api/v1/extensions").await;
    assert_eq!(list["total"], 2);
    let (_, list) = app.get("/api/v1/ring-groups").await;
    assert_eq!(list["total"], 0);
}
on_both_backends!(errors, super::error_classes);

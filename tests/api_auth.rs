//! Authentication and scopes on every operation the OpenAPI document lists, and
//! write-only secrets.

mod common;

use base64::Engine;
use callplane::auth::{Claims, Scope};
use common::{Backend, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Operation {
    method: Method,
    path: String,
}

/// Every operation of the served document, with path and required query parameters filled.
async fn operations(app: &TestApp) -> Vec<Operation> {
    let spec: Value = app.client.get(app.url("/openapi.json")).send().await.expect("spec").json().await.expect("json");
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let mut url = path.replace("{id}", "some-id");
            let required: Vec<String> = op["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "query" && p["required"] == true)
                        .filter_map(|p| p["name"].as_str().map(|n| format!("{n}=1")))
                        .collect()
                })
                .unwrap_or_default();
            if !required.is_empty() {
                url = format!("{url}?{}", required.join("&"));
            }
            ops.push(Operation { method: method.to_uppercase().parse().expect("method"), path: url });
        }
    }
    assert!(ops.len() >= 30, "the document lists every operation, found {}", ops.len());
    ops
}

async fn send(app: &TestApp, op: &Operation, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.request(op.method.clone(), app.url(&op.path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if op.method == Method::POST || op.method == Method::PATCH || op.method == Method::PUT {
        req = req.json(&json!({}));
    }
    req.send().await.expect("request")
}

fn secret(app: &TestApp) -> Vec<u8> {
    let text = std::fs::read_to_string(app.data_dir.path().join("jwt.secret")).expect("secret");
    base64::engine::general_purpose::STANDARD.decode(text.trim()).expect("base64")
}

fn sign(claims: &Claims, key: &[u8]) -> String {
    jsonwebtoken::encode(&jsonwebtoken::Header::default(), claims, &jsonwebtoken::EncodingKey::from_secret(key)).expect("sign")
}

fn claims(scope: Scope, exp_offset: i64) -> Claims {
    let now = chrono::Utc::now().timestamp();
    Claims { iss: "callplane".into(), sub: "test".into(), jti: "test".into(), scope, iat: now - 7200, exp: now + exp_offset }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_refuses_bad_tokens_and_wrong_scopes() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let key = secret(&app);
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;

    let expired = sign(&claims(Scope::Admin, -60), &key);
    let foreign = sign(&claims(Scope::Admin, 3600), &[9u8; 64]);
    let read = sign(&claims(Scope::Read, 3600), &key);
    // Tampered: a read token whose payload was rewritten to claim admin, signature kept.
    let mut parts: Vec<String> = read.split('.').map(str::to_owned).collect();
    let mut payload: Value = serde_json::from_slice(&b64.decode(&parts[1]).expect("b64")).expect("json");
    payload["scope"] = json!("admin");
    parts[1] = b64.encode(payload.to_string());
    let tampered = parts.join(".");
    let alg_none = format!("{}.{}.", b64.encode(br#"{"alg":"none","typ":"JWT"}"#), b64.encode(payload.to_string()));
    let events = app.token("events", "1h").await;
    let read = app.token("read", "1h").await;
    let metrics = app.token("metrics", "1h").await;

    for op in operations(&app).await {
        let what = format!("{} {}", op.method, op.path);
        if op.path == "/health" {
            assert_eq!(send(&app, &op, None).await.status(), StatusCode::OK, "{what}");
            continue;
        }
        let resp = send(&app, &op, None).await;
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{what} without a token");
        assert_eq!(resp.headers().get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer"), "{what}");
        let problem: Value = resp.json().await.expect("problem body");
        assert_eq!(problem["status"], 401, "{what}");
        for (name, token) in [
            ("garbage", "not-a-jwt"),
            ("expired", expired.as_str()),
            ("signed with another secret", foreign.as_str()),
            ("tampered", tampered.as_str()),
            ("alg none", alg_none.as_str()),
        ] {
            assert_eq!(send(&app, &op, Some(token)).await.status(), StatusCode::UNAUTHORIZED, "{what} with a {name} token");
        }
        let events_log = op.path == "/api/v1/events/log";
        let events_status = send(&app, &op, Some(&events)).await.status();
        if events_log {
            assert_eq!(events_status, StatusCode::OK, "{what} with an events token");
        } else {
            assert_eq!(events_status, StatusCode::FORBIDDEN, "{what} with an events token");
        }
        // The metrics scope reads the metrics and nothing else; a read token not them.
        let metrics_page = op.path == "/metrics";
        let metrics_status = send(&app, &op, Some(&metrics)).await.status();
        if metrics_page {
            assert_eq!(metrics_status, StatusCode::OK, "{what} with a metrics token");
        } else {
            assert_eq!(metrics_status, StatusCode::FORBIDDEN, "{what} with a metrics token");
        }
        let read_status = send(&app, &op, Some(&read)).await.status();
        // A read token lists recordings but cannot listen to them.
        let recording_audio = op.path.starts_with("/api/v1/recordings/") && op.path.ends_with("/audio");
        let read_allowed = op.method == Method::GET && !op.path.starts_with("/api/v1/api-tokens") && !events_log && !recording_audio && !metrics_page;
        if read_allowed {
            assert!(read_status != StatusCode::FORBIDDEN && read_status != StatusCode::UNAUTHORIZED, "{what} with a read token: {read_status}");
        } else {
            assert_eq!(read_status, StatusCode::FORBIDDEN, "{what} with a read token");
        }
    }

    for open in ["/health", "/openapi.yaml", "/openapi.json", "/docs"] {
        let resp = app.client.get(app.url(open)).send().await.expect("request");
        assert_eq!(resp.status(), StatusCode::OK, "{open} is open");
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_are_never_returned() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let ext_pw = "ext-Secret-7391";
    let trunk_pw = "trunk-Secret-5520";
    let hook_secret = "whsec_hook-Secret-0042-abcdefgh";
    let ext = app.create("/api/v1/extensions", json!({"number": "1001", "password": ext_pw})).await;
    let trunk = app
        .create("/api/v1/trunks", json!({"name": "c", "host": "c.example", "register": true, "username": "u", "password": trunk_pw}))
        .await;
    let hook = app.create("/api/v1/webhooks", json!({"url": "https://crm.example/h", "secret": hook_secret})).await;
    let (_, patched) = app.patch(&format!("/api/v1/extensions/{}", ext["id"].as_str().expect("id")), json!({"password": "ext-Secret-NEW-1"})).await;

    let mut seen = vec![ext, trunk.clone(), hook.clone(), patched];
    for path in [
        "/api/v1/extensions".to_owned(),
        "/api/v1/trunks".to_owned(),
        "/api/v1/webhooks".to_owned(),
        format!("/api/v1/trunks/{}", trunk["id"].as_str().expect("id")),
        format!("/api/v1/webhooks/{}", hook["id"].as_str().expect("id")),
        "/api/v1/routes/resolve?number=1001".to_owned(),
        "/api/v1/status".to_owned(),
    ] {
        let (status, body) = app.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        seen.push(body);
    }
    let all = serde_json::to_string(&seen).expect("json");
    for secret in [ext_pw, trunk_pw, hook_secret, "ext-Secret-NEW-1"] {
        assert!(!all.contains(secret), "{secret} leaked");
    }
    assert!(all.contains("\"has_password\":true"));
    app.stop().await;
}

//! CRUD of every configuration resource over HTTP, on SQLite and PostgreSQL.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn extensions_crud(app: &TestApp) {
    let created = app
        .create(
            "/api/v1/extensions",
            json!({"number": "1001", "display_name": "Alice", "password": "correct horse battery",
                   "ip_auth": ["192.0.2.10", "10.1.0.0/16"], "max_contacts": 3,
                   "forwarding": {"busy": "1002", "no_answer_timeout_s": 15}}),
        )
        .await;
    let id = created["id"].as_str().expect("id");
    assert_eq!(created["number"], "1001");
    assert_eq!(created["has_password"], true);
    assert_eq!(created["enabled"], true);
    assert_eq!(created["forwarding"]["busy"], "1002");
    assert!(created.get("password").is_none());

    let (status, got) = app.get(&format!("/api/v1/extensions/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got, created);

    let (status, patched) = app
        .patch(&format!("/api/v1/extensions/{id}"), json!({"display_name": "Alice B", "password": null, "enabled": false}))
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["display_name"], "Alice B");
    assert_eq!(patched["has_password"], false);
    assert_eq!(patched["enabled"], false);
    assert_eq!(patched["max_contacts"], 3, "absent fields keep their value");
    assert_eq!(patched["created_at"], created["created_at"]);

    let (status, list) = app.get("/api/v1/extensions").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["display_name"], "Alice B");

    let (status, _) = app.delete(&format!("/api/v1/extensions/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, problem) = app.get(&format!("/api/v1/extensions/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(problem["status"], 404);
    // The number is free again once its extension is gone.
    app.extension("1001").await;
}
on_both_backends!(extensions, super::extensions_crud);

async fn trunks_crud(app: &TestApp) {
    let created = app
        .create(
            "/api/v1/trunks",
            json!({"name": "carrier-a", "host": "sip.carrier.example", "register": true,
                   "username": "4420", "password": "carrier-pass", "realm": "carrier.example",
                   "quirks": {"register_same_call_id": false, "request_uri_params": "user=phone"}}),
        )
        .await;
    let id = created["id"].as_str().expect("id");
    assert!(created.get("port").is_none() && created.get("transport").is_none(), "the carrier's DNS decides (RFC 3263): {created}");
    assert_eq!(created["inbound_match"], json!({"kind": "registration"}));
    let q = &created["quirks"];
    assert_eq!(q["register_same_call_id"], false);
    assert_eq!(q["request_uri_params"], "user=phone");
    assert_eq!(q["accept_tel_uri"], true, "unspecified quirks take their documented defaults");
    assert_eq!(q["force_tcp_for_large"], true);
    assert_eq!(q["disable_100rel"], false);

    let peer = app
        .create("/api/v1/trunks", json!({"name": "office-b", "host": "192.0.2.20", "transport": "tcp", "keepalive_s": 30}))
        .await;
    assert_eq!(peer["inbound_match"], json!({"kind": "source", "cidrs": []}));
    assert_eq!(peer["register"], false);

    let (status, patched) = app
        .patch(&format!("/api/v1/trunks/{id}"), json!({"quirks": {"disable_100rel": true, "no_answer_timeout_s": 30}, "realm": null}))
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["quirks"]["disable_100rel"], true);
    assert_eq!(patched["quirks"]["no_answer_timeout_s"], 30);
    assert_eq!(patched["realm"], Value::Null);

    let (status, dup) = app.post("/api/v1/trunks", json!({"name": "carrier-a", "host": "other.example"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{dup}");
    assert_eq!(dup["errors"][0]["field"], "name");

    let (status, list) = app.get("/api/v1/trunks?prefix=office").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["name"], "office-b");

    let (status, _) = app.delete(&format!("/api/v1/trunks/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}
on_both_backends!(trunks, super::trunks_crud);

async fn routes_and_ring_groups_crud(app: &TestApp) {
    let ext = app.extension("201").await;
    app.extension("202").await;
    let group = app
        .create("/api/v1/ring-groups", json!({"number": "600", "name": "Sales", "members": ["201", "202", "+15550100"],
                                               "strategy": "sequential", "fallback": "201"}))
        .await;
    assert_eq!(group["member_timeout_s"], 20);
    assert_eq!(group["timeout_s"], 60);
    let trunk = app.create("/api/v1/trunks", json!({"name": "out", "host": "203.0.113.5"})).await;

    let route = app
        .create("/api/v1/routes", json!({"prefix": "9", "strip": 1, "target": {"kind": "trunk", "id": trunk["id"]}}))
        .await;
    assert_eq!(route["priority"], 100);
    let rid = route["id"].as_str().expect("id");
    let (status, patched) = app
        .patch(&format!("/api/v1/routes/{rid}"), json!({"prepend": "0", "target": {"kind": "ring_group", "id": group["id"]}}))
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["target"]["kind"], "ring_group");

    let gid = group["id"].as_str().expect("id");
    let (status, g) = app.patch(&format!("/api/v1/ring-groups/{gid}"), json!({"members": ["202"], "fallback": null})).await;
    assert_eq!(status, StatusCode::OK, "{g}");
    assert_eq!(g["members"], json!(["202"]));
    assert_eq!(g["fallback"], Value::Null);

    // The route refers to the ring group: deleting the group is refused and names the route.
    let (status, problem) = app.delete(&format!("/api/v1/ring-groups/{gid}")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(problem["detail"].as_str().expect("detail").contains(rid), "{problem}");

    let (status, _) = app.delete(&format!("/api/v1/routes/{rid}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.delete(&format!("/api/v1/ring-groups/{gid}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.delete(&format!("/api/v1/extensions/{}", ext["id"].as_str().expect("id"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}
on_both_backends!(routes_and_ring_groups, super::routes_and_ring_groups_crud);

async fn webhooks_crud(app: &TestApp) {
    let hook = app
        .create("/api/v1/webhooks", json!({"url": "https://crm.example/hooks/pbx", "event_types": ["call.*"],
                                            "secret": "whsec_0123456789abcdefghijkl"}))
        .await;
    assert_eq!(hook["has_secret"], true);
    assert_eq!(hook["enabled"], true);
    let id = hook["id"].as_str().expect("id");
    let (status, patched) = app.patch(&format!("/api/v1/webhooks/{id}"), json!({"enabled": false, "event_types": ["*"]})).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["event_types"], json!(["*"]));
    let (status, _) = app.delete(&format!("/api/v1/webhooks/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}
on_both_backends!(webhooks, super::webhooks_crud);

async fn api_tokens_lifecycle(app: &TestApp) {
    let (status, created) = app.post("/api/v1/api-tokens", json!({"scope": "read", "ttl": "1h", "description": "crm"})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let token = created["token"].as_str().expect("token").to_owned();
    let id = created["api_token"]["id"].as_str().expect("id").to_owned();

    let (status, _) = app.call_as(&token, reqwest::Method::GET, "/api/v1/extensions", None).await;
    assert_eq!(status, StatusCode::OK);

    let (status, list) = app.get("/api/v1/api-tokens").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["total"], 2, "the bootstrap admin token and the new one");
    assert!(!list.to_string().contains(&token), "token strings are never listed");

    let (status, patched) = app.patch(&format!("/api/v1/api-tokens/{id}"), json!({"description": "crm sync"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(patched["description"], "crm sync");

    let (status, _) = app.delete(&format!("/api/v1/api-tokens/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, problem) = app.call_as(&token, reqwest::Method::GET, "/api/v1/extensions", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked token stops working at once");
    assert!(problem["detail"].as_str().expect("detail").contains("revoked"));
    let (_, got) = app.get(&format!("/api/v1/api-tokens/{id}")).await;
    assert!(got["revoked_at"].is_string());
}
on_both_backends!(api_tokens, super::api_tokens_lifecycle);

async fn pagination_over_250(app: &TestApp) {
    for i in 0..250 {
        app.create("/api/v1/extensions", json!({"number": format!("{}", 3000 + i)})).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/extensions?limit=100&cursor={c}"),
            None => "/api/v1/extensions?limit=100".to_owned(),
        };
        let (status, page) = app.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["total"], 250);
        pages += 1;
        for item in page["items"].as_array().expect("items") {
            seen.push(item["number"].as_str().expect("number").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
        assert!(pages < 10, "pagination must end");
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = (0..250).map(|i| format!("{}", 3000 + i)).collect();
    assert_eq!(seen, expected, "every item once, in creation order");

    let (_, filtered) = app.get("/api/v1/extensions?prefix=312&limit=5").await;
    assert_eq!(filtered["total"], 10);
    assert_eq!(filtered["items"].as_array().map(Vec::len), Some(5));

    let (status, problem) = app.get("/api/v1/extensions?limit=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "limit");
    let (status, _) = app.get("/api/v1/extensions?limit=501").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
on_both_backends!(pagination, super::pagination_over_250);

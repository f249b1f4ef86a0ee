//! The command-line contract: `openapi`, `migrate`, `token create`.

use std::process::{Command, Output};

use callplane::App;
use reqwest::StatusCode;
use serde_json::json;

fn callplane(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_callplane"))
        .args(args)
        .env_remove("CALLPLANE_DATABASE_URL")
        .env_remove("CALLPLANE_DATA_DIR")
        .output()
        .expect("run callplane")
}

#[test]
fn openapi_document_is_committed_and_current() {
    let out = callplane(&["openapi"]);
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).expect("utf-8");
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/callplane.yaml"))
        .expect("openapi/callplane.yaml is committed");
    assert!(
        printed == committed,
        "openapi/callplane.yaml is stale: run `cargo run -- openapi > openapi/callplane.yaml` and commit it"
    );
}

#[test]
fn every_operation_has_a_stable_readable_id() {
    let spec = callplane::api::spec_yaml();
    let ids: Vec<&str> = spec
        .lines()
        .filter_map(|l| l.trim().strip_prefix("operationId: "))
        .collect();
    let operations = spec.lines().filter(|l| {
        let t = l.trim_start();
        l.len() - t.len() == 4 && ["get:", "post:", "patch:", "delete:", "put:"].contains(&t)
    });
    assert_eq!(ids.len(), operations.count(), "every operation has an operationId");
    for id in &ids {
        assert!(id.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{id} is snake_case");
    }
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "operation ids are unique");
}

#[test]
fn migrate_creates_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = callplane(&["migrate", "--data-dir", dir.path().to_str().expect("path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("callplane.db").exists());
}

#[test]
fn token_create_rejects_an_unknown_scope_and_prints_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = callplane(&["token", "create", "--data-dir", dir.path().to_str().expect("path"), "--scope", "root"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("root"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_create_prints_only_a_working_jwt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data_dir = dir.path().to_str().expect("path");
    let out = callplane(&["token", "create", "--data-dir", data_dir, "--scope", "read", "--ttl", "2h"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(stdout.lines().count(), 1, "one line: {stdout:?}");
    let token = stdout.trim();
    assert_eq!(token.split('.').count(), 3, "a JWT");

    let config = callplane::config::Config {
        data_dir: dir.path().to_owned(),
        http_listen: "127.0.0.1:0".parse().expect("addr"),
        ..Default::default()
    };
    let app = App::start(config).await.expect("start");
    assert!(app.admin_token_file.is_none(), "a store that has tokens gets no bootstrap token");
    let client = reqwest::Client::new();
    let base = format!("http://{}", app.http_addr);
    let resp = client.get(format!("{base}/api/v1/extensions")).bearer_auth(token).send().await.expect("get");
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = client
        .post(format!("{base}/api/v1/extensions"))
        .bearer_auth(token)
        .json(&json!({"number": "1001"}))
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    app.stop().await;
}

//! A database outage while the server runs: PostgreSQL sits behind a forwarder the test
//! cuts (`common::cut_proxy`). Phones keep registering, answered from memory; a change
//! through the API is refused with 503 and `Retry-After` and leaves nothing behind; once
//! the database is back, every registration taken during the outage is written with its
//! event, and it survives a SIGKILL.

mod common;

use std::time::{Duration, Instant};

use common::cut_proxy::CutProxy;
use common::server::{Server, admin_token, start};
use common::sipp::{SippCmd, Transport, free_port};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "outage-password-1";

async fn register(server: &Server, number: &str) {
    let port = free_port("127.0.0.1", Transport::Udp);
    let r = SippCmd::new("register_digest.xml", server.sip, port)
        .arg("-s")
        .arg(number)
        .arg("-au")
        .arg(number)
        .arg("-ap")
        .arg(PASSWORD)
        .run()
        .await;
    assert!(r.success, "{number} registers: {}", r.log);
}

/// The `registration.created` events the stored log holds for `number`.
async fn stored_registrations(client: &reqwest::Client, server: &Server, token: &str, number: &str) -> Option<usize> {
    let path = format!("/api/v1/events/log?types=registration.created&extension={number}&limit=1000");
    let (status, page) = server.get(client, token, &path).await;
    page["events"].as_array().filter(|_| status.is_success()).map(Vec::len)
}

/// How many live bindings `/api/v1/registrations` lists for `number`.
async fn listed(client: &reqwest::Client, server: &Server, token: &str, number: &str) -> Value {
    server.get(client, token, &format!("/api/v1/registrations?extension={number}")).await.1["total"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn registrations_taken_while_the_database_is_away_are_written_when_it_returns() {
    let Some(url) = common::postgres_database().await else { return };
    let parsed = reqwest::Url::parse(&url).expect("database URL");
    let upstream = format!("{}:{}", parsed.host_str().expect("host"), parsed.port().unwrap_or(5432));
    let proxy = CutProxy::start(upstream.parse().expect("database address")).await;
    let mut proxied = parsed.clone();
    proxied.set_port(Some(proxy.addr.port())).expect("port");

    let dir = tempfile::tempdir().expect("tempdir");
    let server = start(dir.path(), Some(proxied.as_str()));
    let token = admin_token(dir.path());
    let client = reqwest::Client::new();
    for number in ["1001", "1002"] {
        let resp = client
            .post(format!("{}/api/v1/extensions", server.base))
            .bearer_auth(&token)
            .json(&json!({"number": number, "password": PASSWORD}))
            .send()
            .await
            .expect("create");
        assert_eq!(resp.status(), StatusCode::CREATED);
    }
    register(&server, "1001").await;

    proxy.cut();
    // The REGISTER path never waits for the store: the phone is answered during the outage.
    register(&server, "1002").await;
    assert_eq!(listed(&client, &server, &token, "1002").await, 1);
    // A change cannot be committed: the API says so, and when to try again.
    let refused = client
        .post(format!("{}/api/v1/extensions", server.base))
        .bearer_auth(&token)
        .json(&json!({"number": "1003", "password": PASSWORD}))
        .send()
        .await
        .expect("create during the outage");
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.headers().get("retry-after").is_some(), "{:?}", refused.headers());
    let problem: Value = refused.json().await.expect("problem");
    assert!(problem["detail"].as_str().is_some_and(|d| d.contains("unreachable")), "{problem}");

    proxy.restore().await;
    // The registrar's writer retries until the store takes the batch (bounded poll: across
    // the process boundary there is no event to await).
    let deadline = Instant::now() + Duration::from_secs(30);
    while stored_registrations(&client, &server, &token, "1002").await != Some(1) {
        assert!(Instant::now() < deadline, "the registration taken during the outage was never written");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(stored_registrations(&client, &server, &token, "1001").await, Some(1));
    let (_, extensions) = server.get(&client, &token, "/api/v1/extensions?limit=100").await;
    let numbers: Vec<Value> = extensions["items"].as_array().expect("items").iter().map(|e| e["number"].clone()).collect();
    assert_eq!(numbers, [json!("1001"), json!("1002")], "the refused change left nothing");
    server.kill9();

    // Both bindings are in the store: a restart straight on the database serves them.
    let server = start(dir.path(), Some(&url));
    for number in ["1001", "1002"] {
        assert_eq!(listed(&client, &server, &token, number).await, 1, "{number} survived");
    }
    server.kill9();
}

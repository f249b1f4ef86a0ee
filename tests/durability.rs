//! Crash safety of the store: the real binary is killed with SIGKILL right after it
//! answered 201, and restarted on the same data dir.

mod common;

use common::server::{admin_token, start};

use reqwest::StatusCode;
use serde_json::{Value, json};

async fn crash_after_201(database_url: Option<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let client = reqwest::Client::new();
    for round in 0..3 {
        let server = start(dir.path(), database_url.as_deref());
        let token = admin_token(dir.path());
        let number = format!("{}", 7000 + round);
        let resp = client
            .post(format!("{}/api/v1/extensions", server.base))
            .bearer_auth(&token)
            .json(&json!({"number": number, "password": "durable-password"}))
            .send()
            .await
            .expect("create");
        assert_eq!(resp.status(), StatusCode::CREATED);
        let created: Value = resp.json().await.expect("json");
        server.kill9();

        let server = start(dir.path(), database_url.as_deref());
        let resp = client
            .get(format!("{}/api/v1/extensions/{}", server.base, created["id"].as_str().expect("id")))
            .bearer_auth(&token)
            .send()
            .await
            .expect("get");
        assert_eq!(resp.status(), StatusCode::OK, "round {round}: the acknowledged extension survived SIGKILL");
        let got: Value = resp.json().await.expect("json");
        assert_eq!(got, created);
        let resolved: Value = client
            .get(format!("{}/api/v1/routes/resolve?number={number}", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .expect("resolve")
            .json()
            .await
            .expect("json");
        assert_eq!(resolved["target"]["id"], created["id"], "the rebuilt snapshot has it");
        server.kill9();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_sqlite() {
    crash_after_201(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn acknowledged_writes_survive_sigkill_postgres() {
    let Some(url) = common::postgres_database().await else { return };
    crash_after_201(Some(url)).await;
}

/// Kills the server while many creates are in flight; after restart every acknowledged
/// extension exists, every stored one is whole (its number resolves to it, its number is
/// taken, nothing else is), so no write was left half-done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_mid_writes_leaves_no_half_written_resource() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = start(dir.path(), None);
    let token = admin_token(dir.path());
    let client = reqwest::Client::new();
    let (acked_tx, mut acked_rx) = tokio::sync::mpsc::unbounded_channel::<Value>();
    let mut writers = Vec::new();
    for w in 0..4 {
        let (client, base, token, acked_tx) = (client.clone(), server.base.clone(), token.clone(), acked_tx.clone());
        writers.push(tokio::spawn(async move {
            for i in 0..200 {
                let number = format!("8{w}{i:03}");
                let body = json!({"number": number, "password": "durable-password", "ip_auth": ["10.0.0.0/8"]});
                let Ok(resp) = client.post(format!("{base}/api/v1/extensions")).bearer_auth(&token).json(&body).send().await else {
                    return;
                };
                if resp.status() != StatusCode::CREATED {
                    return;
                }
                let Ok(v) = resp.json::<Value>().await else { return };
                if acked_tx.send(v).is_err() {
                    return;
                }
            }
        }));
    }
    drop(acked_tx);
    let mut acked = Vec::new();
    while acked.len() < 40 {
        acked.push(acked_rx.recv().await.expect("writers acknowledge creates"));
    }
    server.kill9();
    for w in writers {
        let _ = w.await;
    }
    while let Ok(v) = acked_rx.try_recv() {
        acked.push(v);
    }

    let server = start(dir.path(), None);
    let get = |path: String| {
        let (client, token, base) = (client.clone(), token.clone(), server.base.clone());
        async move {
            let resp = client.get(format!("{base}{path}")).bearer_auth(&token).send().await.expect("get");
            (resp.status(), resp.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (_, page) = get("/api/v1/extensions?limit=500".into()).await;
    let stored = page["items"].as_array().expect("items").clone();
    assert!(stored.len() >= acked.len());
    for a in &acked {
        assert!(stored.contains(a), "acknowledged {} is stored whole", a["number"]);
    }
    for s in &stored {
        assert_eq!(s["ip_auth"], json!(["10.0.0.0/8"]));
        let (_, r) = get(format!("/api/v1/routes/resolve?number={}", s["number"].as_str().expect("number"))).await;
        assert_eq!(r["target"]["id"], s["id"], "number and row were committed together");
    }
    // No number is held by a resource that does not exist: an unacknowledged, unstored
    // number can be created now.
    for w in 0..4 {
        let number = format!("8{w}199");
        if !stored.iter().any(|s| s["number"] == number.as_str()) {
            let resp = client
                .post(format!("{}/api/v1/extensions", server.base))
                .bearer_auth(&token)
                .json(&json!({"number": number}))
                .send()
                .await
                .expect("create");
            assert_eq!(resp.status(), StatusCode::CREATED, "{number} was not left claimed by a half-written create");
        }
    }
    server.kill9();
}

/// A call answered when the node is killed (SIGKILL, nothing runs): when the node comes
/// back, the call gets its CDR (`node_lost`, lasting until the node's last heartbeat) and
/// both phones get a BYE, so neither stays in a dead call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_answered_when_the_node_is_killed_gets_its_cdr_and_both_phones_a_bye() {
    use common::sipp::{SippCmd, Transport, free_port};
    let dir = tempfile::tempdir().expect("tempdir");
    let server = start(dir.path(), None);
    let token = admin_token(dir.path());
    let client = reqwest::Client::new();
    let api = |server: &common::server::Server, path: &str| format!("{}{path}", server.base);
    for body in [json!({"number": "1001", "password": common::office::CALLER_PW}), json!({"number": "1002", "ip_auth": ["127.0.0.1"]})] {
        let resp = client.post(api(&server, "/api/v1/extensions")).bearer_auth(&token).json(&body).send().await.expect("create");
        assert_eq!(resp.status(), StatusCode::CREATED);
    }
    let port = free_port("127.0.0.1", Transport::Udp);
    let registered = SippCmd::new("register_without_auth.xml", server.sip, port).arg("-s").arg("1002").run().await;
    assert!(registered.success, "{}", registered.log);
    // Both scenarios end only on a BYE they answer with 200.
    let callee = SippCmd::new("uas_answer.xml", server.sip, port).spawn();
    let caller = SippCmd::caller("uac_call_callee_hangs_up.xml", server.sip, "1001", common::office::CALLER_PW, "1002").spawn();
    // `answered` in the call list comes after the call is stored (there is no event stream
    // to await across the process boundary; the poll is bounded).
    assert!(server.answered_call(&client, &token, "").await.is_some(), "the call was never answered");
    server.kill9();

    let server = start(dir.path(), None);
    let (caller, callee) = (caller.wait().await, callee.wait().await);
    assert!(caller.success, "the caller got a BYE from the restarted node: {}", caller.log);
    assert!(callee.success, "the callee got a BYE from the restarted node: {}", callee.log);
    let cdrs: Value = client.get(api(&server, "/api/v1/cdrs")).bearer_auth(&token).send().await.expect("cdrs").json().await.expect("json");
    let items = cdrs["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{cdrs}");
    let cdr = &items[0];
    assert_eq!((cdr["hangup_reason"].as_str(), cdr["disposition"].as_str(), cdr["final_callee"].as_str()), (Some("node_lost"), Some("answered"), Some("1002")), "{cdr}");
    let duration = cdr["duration_s"].as_f64().expect("duration");
    assert!((0.0..5.0).contains(&duration), "the call lasted until the node's last heartbeat: {duration} s");
    let calls: Value = client.get(api(&server, "/api/v1/calls")).bearer_auth(&token).send().await.expect("calls").json().await.expect("json");
    assert_eq!(calls["items"], json!([]), "nothing is left live");
    server.kill9();
}

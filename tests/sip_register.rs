//! The registrar against real peers: sipp scenarios over UDP and TCP on 127.0.0.1.

mod common;


use common::sipp::{Sipp, Transport};
use common::{Backend, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn registrations(app: &TestApp, extension: &str) -> Vec<Value> {
    let (status, body) = app.get(&format!("/api/v1/registrations?extension={extension}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().expect("items").clone()
}


fn sipp<'a>(app: &TestApp, scenario: &'a str, user: &'a str, password: Option<&'a str>, transport: Transport) -> Sipp<'a> {
    Sipp { scenario, target: app.sip_target(), user, password, transport, local_ip: "127.0.0.1" }
}

async fn run(s: Sipp<'_>) -> common::sipp::SippResult {
    let scenario = s.scenario.to_owned();
    let owned = (s.scenario.to_owned(), s.target, s.user.to_owned(), s.password.map(str::to_owned), s.transport, s.local_ip.to_owned());
    let result = tokio::task::spawn_blocking(move || {
        Sipp { scenario: &owned.0, target: owned.1, user: &owned.2, password: owned.3.as_deref(), transport: owned.4, local_ip: &owned.5 }.run()
    })
    .await
    .expect("sipp task");
    assert!(result.success, "{scenario} failed:\n{}", result.log);
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_registration_over_udp_and_tcp() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let ext = app.extension("1001").await;
    let mut events = app.app.state.feed.subscribe();

    let udp = run(sipp(&app, "register_digest.xml", "1001", Some(PASSWORD), Transport::Udp)).await;
    let created = common::wait_for(&mut events, "registration.created").await;
    assert_eq!(created.data["aor"], "1001");
    let tcp = run(sipp(&app, "register_digest.xml", "1001", Some(PASSWORD), Transport::Tcp)).await;

    let regs = registrations(&app, "1001").await;
    assert_eq!(regs.len(), 2, "two contacts for one extension: {regs:?}");
    let by_transport = |t: &str| regs.iter().find(|r| r["transport"] == t).cloned().expect("binding");
    let u = by_transport("udp");
    assert_eq!(u["source"], format!("127.0.0.1:{}", udp.local_port));
    assert_eq!(u["user_agent"], "sipp-register");
    assert_eq!(u["extension_id"], ext["id"]);
    let t = by_transport("tcp");
    assert!(t["contact"].as_str().expect("contact").contains(&tcp.local_port.to_string()));

    let (_, status) = app.get("/api/v1/status").await;
    assert_eq!(status["sip"]["registrations"], 2);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_unknown_user_get_no_binding_and_are_counted() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.extension("1001").await;
    run(sipp(&app, "register_wrong_password.xml", "1001", Some("not the password"), Transport::Udp)).await;
    // Unknown users are challenged and refused exactly like known ones.
    run(sipp(&app, "register_wrong_password.xml", "1999", Some("anything"), Transport::Udp)).await;
    assert!(registrations(&app, "1001").await.is_empty());
    let (_, status) = app.get("/api/v1/status").await;
    assert_eq!(status["sip"]["auth_failures_total"], 2);
    assert_eq!(status["sip"]["auth_failures_by_source"][0], json!({"source": "127.0.0.1", "failures": 2}));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_nonce_is_rechallenged_with_stale_true() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.sip.nonce_ttl_s = 1).await.expect("app");
    app.extension("1001").await;
    run(sipp(&app, "register_stale_nonce.xml", "1001", Some(PASSWORD), Transport::Udp)).await;
    assert_eq!(registrations(&app, "1001").await.len(), 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unregister_and_expiry_remove_bindings_with_events() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.sip.min_expires = 1).await.expect("app");
    app.extension("1001").await;
    let mut events = app.app.state.feed.subscribe();
    run(sipp(&app, "register_unregister.xml", "1001", Some(PASSWORD), Transport::Udp)).await;
    common::wait_for(&mut events, "registration.created").await;
    let removed = common::wait_for(&mut events, "registration.removed").await;
    assert_eq!(removed.data["aor"], "1001");
    assert!(registrations(&app, "1001").await.is_empty());

    run(sipp(&app, "register_short.xml", "1001", Some(PASSWORD), Transport::Udp)).await;
    assert_eq!(registrations(&app, "1001").await.len(), 1);
    let expired = common::wait_for(&mut events, "registration.expired").await;
    assert_eq!(expired.data["aor"], "1001");
    assert!(registrations(&app, "1001").await.is_empty());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ip_auth_accepts_only_the_listed_source() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1005", "ip_auth": ["127.0.0.1/32"]})).await;
    run(sipp(&app, "register_without_auth.xml", "1005", None, Transport::Udp)).await;
    assert_eq!(registrations(&app, "1005").await.len(), 1);
    let mut other = sipp(&app, "register_expect_challenge.xml", "1005", None, Transport::Udp);
    other.local_ip = "127.0.0.2";
    run(other).await;
    assert_eq!(registrations(&app, "1005").await.len(), 1, "the challenged source did not register");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_registration_through_the_api() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    app.extension("1001").await;
    run(sipp(&app, "register_digest.xml", "1001", Some(PASSWORD), Transport::Udp)).await;
    let regs = registrations(&app, "1001").await;
    let id = regs[0]["id"].as_str().expect("id");
    let (status, _) = app.delete(&format!("/api/v1/registrations/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(registrations(&app, "1001").await.is_empty());
    let (status, _) = app.delete(&format!("/api/v1/registrations/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bindings_survive_a_restart() {
    let data_dir = tempfile::tempdir().expect("tempdir");
    let config = common::test_config(data_dir.path().to_owned(), None);
    let app = callplane::App::start(config.clone()).await.expect("start");
    let token = std::fs::read_to_string(data_dir.path().join("admin.token")).expect("token").trim().to_owned();
    let client = reqwest::Client::new();
    let base = format!("http://{}", app.http_addr);
    client
        .post(format!("{base}/api/v1/extensions"))
        .bearer_auth(&token)
        .json(&json!({"number": "1001", "password": PASSWORD}))
        .send()
        .await
        .expect("create");
    let target = std::net::SocketAddr::from(([127, 0, 0, 1], app.sip_addr.port()));
    let s = Sipp { scenario: "register_digest.xml", target, user: "1001", password: Some(PASSWORD), transport: Transport::Udp, local_ip: "127.0.0.1" };
    run(s).await;
    app.stop().await;

    let app = callplane::App::start(config).await.expect("restart");
    let base = format!("http://{}", app.http_addr);
    let body: Value = client
        .get(format!("{base}/api/v1/registrations"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(body["total"], 1, "{body}");
    assert_eq!(body["items"][0]["aor"], "1001");
    app.stop().await;
}

/// A phone that refreshes far more often than its lifetime needs is kept up to date in
/// memory (what calls use) without a store write and a `registration.refreshed` per
/// REGISTER; a refresh that asks for less time than the store holds is written and
/// announced, so the stored copy never outlives the phone's registration.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frequent_refreshes_stay_in_memory_until_the_stored_expiry_needs_them() {
    use common::sipp::{SippCmd, free_port};
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.sip.min_expires = 1).await.expect("app");
    app.extension("1001").await;
    let store = app.app.state.provisioner.store().clone();
    let before = store.last_event_seq().await.expect("seq");
    let registrar = app.app.state.sip.as_ref().expect("sip").registrar.clone();
    let port = free_port("127.0.0.1", Transport::Udp);
    let digest = |scenario: &str, count: &str| {
        SippCmd::new(scenario, app.sip_target(), port).arg("-s").arg("1001").arg("-au").arg("1001").arg("-ap").arg(PASSWORD).arg("-m").arg(count)
    };
    // Five REGISTERs of one device (one contact), each for 120 s.
    let r = digest("register_digest.xml", "5").run().await;
    assert!(r.success, "{}", r.log);
    registrar.flush().await;
    let held = registrations(&app, "1001").await;
    assert_eq!(held.len(), 1, "{held:?}");
    assert_ne!(held[0]["refreshed_at"], held[0]["registered_at"], "memory follows every refresh");
    let stored = store.load_live_bindings(chrono::Utc::now().timestamp_millis()).await.expect("stored");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].refreshed_at, stored[0].registered_at, "the store keeps the first write: 120 s were still ahead of it");
    let kinds = |events: &[callplane::events::Event]| events.iter().filter(|e| e.kind.starts_with("registration.")).map(|e| e.kind.clone()).collect::<Vec<_>>();
    let logged = store.events_after(before, 100).await.expect("log");
    assert_eq!(kinds(&logged), ["registration.created"], "no event per refresh");

    // The same device asks for 2 s: less than the store holds, so written and announced.
    let mut events = app.app.state.feed.subscribe();
    let r = digest("register_short.xml", "1").run().await;
    assert!(r.success, "{}", r.log);
    registrar.flush().await;
    let stored = store.load_live_bindings(chrono::Utc::now().timestamp_millis()).await.expect("stored");
    assert_eq!(stored.len(), 1);
    assert!(stored[0].expires_at <= chrono::Utc::now() + chrono::Duration::seconds(2), "the store has the shorter expiry: {:?}", stored[0].expires_at);
    let logged = store.events_after(before, 100).await.expect("log");
    assert_eq!(kinds(&logged), ["registration.created", "registration.refreshed"]);
    // And it ends when the phone said.
    let expired = common::wait_for(&mut events, "registration.expired").await;
    assert_eq!(expired.data["aor"], "1001");
    app.stop().await;
}

//! Lua services steering real sipp calls: routing and rejecting, runaway and memory-hungry
//! services failing alone while other calls complete, sandbox escapes failing, syntax
//! errors refused with their line.

mod common;

use common::sipp::{SippCmd, Transport, free_port};
use common::{Backend, TestApp, wait_for};
use reqwest::StatusCode;
use serde_json::{Value, json};

use common::office::{CALLER_PW, caller as uac};

async fn setup() -> (TestApp, u16) {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    // Both sipp ends share 127.0.0.1 and run dozens of calls: whitelisted from the rate limit.
    let (status, body) = app.patch("/api/v1/security/settings", json!({"whitelist": ["127.0.0.1"]})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
    app.create("/api/v1/extensions", json!({"number": "1002", "ip_auth": ["127.0.0.1"]})).await;
    let port = free_port("127.0.0.1", Transport::Udp);
    let r = SippCmd::new("register_without_auth.xml", app.sip_target(), port).arg("-s").arg("1002").run().await;
    assert!(r.success, "{}", r.log);
    (app, port)
}

async fn service(app: &TestApp, name: &str, source: &str) -> String {
    let s = app.create("/api/v1/lua-services", json!({"name": name, "source": source})).await;
    s["id"].as_str().expect("id").to_owned()
}

async fn route(app: &TestApp, prefix: &str, priority: u32, target: Value) {
    app.create("/api/v1/routes", json!({"prefix": prefix, "priority": priority, "target": target})).await;
}

async fn last_cdr(app: &TestApp) -> Value {
    if let Some(sip) = &app.app.state.sip {
        sip.b2bua.cdrs.flush().await;
    }
    let (_, cdrs) = app.get("/api/v1/cdrs?limit=500").await;
    cdrs["items"].as_array().and_then(|a| a.last().cloned()).expect("a CDR")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_route_reject_and_fall_back_on_sandbox_errors() {
    let (app, phone) = setup().await;
    let vip = service(&app, "vip", "function on_route(call)\n  if call.caller == '1001' and callplane.extension_exists('1002') then\n    return {action = 'route', target = '1002'}\n  end\n  return {action = 'continue'}\nend").await;
    let blocked = service(&app, "blocked", "function on_route(call) return {action = 'reject', code = 403, reason = 'Blocked by policy'} end").await;
    let escape = service(&app, "escape", "function on_route(call) os.execute('touch /tmp/pwned') return {action = 'continue'} end").await;
    let ext_1002 = app.get("/api/v1/extensions?prefix=1002").await.1["items"][0]["id"].clone();
    route(&app, "5000", 1, json!({"kind": "lua_service", "id": vip})).await;
    route(&app, "6", 1, json!({"kind": "lua_service", "id": blocked})).await;
    route(&app, "9", 1, json!({"kind": "lua_service", "id": escape})).await;
    route(&app, "9", 2, json!({"kind": "extension", "id": ext_1002})).await;
    let (_, resolved) = app.get("/api/v1/routes/resolve?number=5000").await;
    assert_eq!(resolved["route"]["target"]["kind"], "lua_service", "{resolved}");

    // 5000 is no extension: the service sends the call to 1002.
    let uas = SippCmd::new("uas_answer.xml", app.sip_target(), phone).spawn();
    let r = uac(&app, "uac_call.xml", "5000").run().await;
    assert!(r.success, "{}", r.log);
    assert!(uas.wait().await.success);
    assert_eq!(last_cdr(&app).await["final_callee"], "1002");

    // A new source swaps the service's VM: the next call gets the new answer.
    let (status, body) = app
        .patch(&format!("/api/v1/lua-services/{vip}"), json!({"source": "function on_route(c) return {action = 'reject', code = 486, reason = 'Busy by script'} end"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let r = uac(&app, "uac_expect_486.xml", "5000").run().await;
    assert!(r.success, "{}", r.log);

    // The reject service answers its code.
    let r = uac(&app, "uac_expect_403.xml", "6000").run().await;
    assert!(r.success, "{}", r.log);

    // A sandbox escape is an error of that call only; the next route (1002) takes it.
    let mut bus = app.app.state.feed.subscribe();
    let uas = SippCmd::new("uas_answer.xml", app.sip_target(), phone).spawn();
    let r = uac(&app, "uac_call.xml", "9000").run().await;
    assert!(r.success, "{}", r.log);
    assert!(uas.wait().await.success);
    let failed = wait_for(&mut bus, "service.failed").await;
    assert_eq!(failed.data["name"], "escape");
    assert_eq!(failed.data["kind"], "error");
    assert!(failed.data["error"].as_str().unwrap_or_default().contains("os"), "{}", failed.data);
    assert!(!std::path::Path::new("/tmp/pwned").exists());
    let (_, stats) = app.get(&format!("/api/v1/lua-services/{escape}/stats")).await;
    assert_eq!(stats["failures"], 1, "{stats}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runaway_and_memory_hungry_services_fail_alone_while_calls_complete() {
    let (app, phone) = setup().await;
    let ext_1002 = app.get("/api/v1/extensions?prefix=1002").await.1["items"][0]["id"].clone();
    let good = service(&app, "good", "function on_route(call) return {action = 'route', target = '1002'} end").await;
    let looping = service(&app, "loop", "function on_route(call) while true do end end").await;
    let bomb = service(&app, "bomb", "function on_route(call)\n  local t = {}\n  for i = 1, 1e9 do t[i] = string.rep('x', 4096) .. i end\nend").await;
    route(&app, "5", 1, json!({"kind": "lua_service", "id": good})).await;
    route(&app, "7", 1, json!({"kind": "lua_service", "id": looping})).await;
    route(&app, "7", 2, json!({"kind": "extension", "id": ext_1002})).await;
    route(&app, "8", 1, json!({"kind": "lua_service", "id": bomb})).await;
    route(&app, "8", 2, json!({"kind": "extension", "id": ext_1002})).await;

    // 30 calls at once-ish: 10 through each service; every one must complete at 1002.
    let uas = SippCmd::new("uas_answer.xml", app.sip_target(), phone).arg("-m").arg("30").spawn();
    let callers: Vec<_> = ["5000", "7000", "8000"]
        .iter()
        .map(|n| uac(&app, "uac_call.xml", n).arg("-m").arg("10").arg("-r").arg("10").spawn())
        .collect();
    for c in callers {
        let r = c.wait().await;
        assert!(r.success, "{}", r.log.chars().take(3000).collect::<String>());
    }
    let r = uas.wait().await;
    assert!(r.success, "{}", r.log.chars().take(3000).collect::<String>());

    let stats = |id: String| {
        let app = &app;
        async move { app.get(&format!("/api/v1/lua-services/{id}/stats")).await.1 }
    };
    let s = stats(good).await;
    assert_eq!((s["invocations"].as_u64(), s["failures"].as_u64()), (Some(10), Some(0)), "{s}");
    let s = stats(looping).await;
    assert_eq!(s["failures"], 10, "{s}");
    // Stopped by whichever budget ran out first (instructions, or time on a loaded machine).
    let why = s["last_error"].as_str().unwrap_or_default();
    assert!(why.starts_with("instructions") || why.starts_with("timeout"), "{s}");
    let s = stats(bomb).await;
    assert_eq!(s["failures"], 10, "{s}");
    assert!(s["last_error"].as_str().unwrap_or_default().starts_with("memory"), "{s}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_sources_are_refused_with_their_line() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let (status, body) = app
        .post("/api/v1/lua-services", json!({"name": "broken", "source": "function on_route(call)\n  return {action = 'route' target = '1'}\nend"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "source");
    assert!(body["errors"][0]["message"].as_str().unwrap_or_default().contains("broken\"]:2:"), "{body}");
    let (status, body) = app.post("/api/v1/lua-services", json!({"name": "empty", "source": "x = 1"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap_or_default().contains("on_route"), "{body}");
    // A top level that never ends is stopped by the instruction budget, not run forever.
    let (status, body) = app.post("/api/v1/lua-services", json!({"name": "spin", "source": "while true do end"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // A bad update is refused and the stored source stays.
    let id = service(&app, "keep", "function on_route(c) return {action = 'continue'} end").await;
    let (status, _) = app.patch(&format!("/api/v1/lua-services/{id}"), json!({"source": "function on_route(c"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, kept) = app.get(&format!("/api/v1/lua-services/{id}")).await;
    assert!(kept["source"].as_str().unwrap_or_default().contains("continue"), "{kept}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn built_in_services_from_files_are_listed_and_routable() {
    let (app, phone) = setup().await;
    // The test config loads `lua/services/` of this repository.
    let (status, builtins) = app.get("/api/v1/lua-services/builtin").await;
    assert_eq!(status, StatusCode::OK, "{builtins}");
    let ids: Vec<&str> = builtins.as_array().expect("list").iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids, ["builtin:blacklist", "builtin:business_hours", "builtin:vip_callers"]);
    let (status, body) = app.post("/api/v1/routes", json!({"prefix": "0", "target": {"kind": "lua_service", "id": "builtin:nope"}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "target.id");

    // 1001 is not blacklisted: the built-in answers `continue`, the next route takes it.
    let ext_1002 = app.get("/api/v1/extensions?prefix=1002").await.1["items"][0]["id"].clone();
    route(&app, "0", 1, json!({"kind": "lua_service", "id": "builtin:blacklist"})).await;
    route(&app, "0", 2, json!({"kind": "extension", "id": ext_1002})).await;
    let uas = SippCmd::new("uas_answer.xml", app.sip_target(), phone).spawn();
    let r = uac(&app, "uac_call.xml", "0999").run().await;
    assert!(r.success, "{}", r.log);
    assert!(uas.wait().await.success);
    let (_, stats) = app.get("/api/v1/lua-services/builtin:blacklist/stats").await;
    assert_eq!((stats["invocations"].as_u64(), stats["failures"].as_u64()), (Some(1), Some(0)), "{stats}");
    app.stop().await;
}

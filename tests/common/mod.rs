//! Test harness: starts the real application (`App::start`) on port 0 with a fresh data
//! dir, on SQLite or on a fresh database of the PostgreSQL server named by
//! `CALLPLANE_TEST_POSTGRES_URL` (which `scripts/test` starts).

#![allow(dead_code)]

pub mod audio;
pub mod baresip;
pub mod cut_proxy;
pub mod kamailio;
pub mod linphone;
pub mod netlab;
pub mod office;
pub mod peer;
pub mod server;
pub mod sipp;

use std::path::PathBuf;

use callplane::App;
use callplane::config::Config;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub app: App,
    pub base: String,
    pub admin: String,
    pub client: reqwest::Client,
    pub data_dir: tempfile::TempDir,
    pub database_url: Option<String>,
}

/// A fresh, empty PostgreSQL database, or `None` (with the reason printed) when no server
/// is configured. With `CALLPLANE_REQUIRE_POSTGRES=1` (as in CI) a missing server fails.
pub async fn postgres_database() -> Option<String> {
    let Ok(admin_url) = std::env::var("CALLPLANE_TEST_POSTGRES_URL") else {
        let reason = "CALLPLANE_TEST_POSTGRES_URL is not set (scripts/test starts a server and sets it)";
        if std::env::var("CALLPLANE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
            panic!("PostgreSQL tests are required but {reason}");
        }
        eprintln!("skipping PostgreSQL: {reason}");
        return None;
    };
    sqlx::any::install_default_drivers();
    let name = format!("cp_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::AnyConnection::connect(&admin_url).await.expect("connect to the test PostgreSQL server");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    let _ = conn.close().await;
    let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b);
    Some(format!("{base}/{name}"))
}

pub fn test_config(data_dir: PathBuf, database_url: Option<String>) -> Config {
    Config {
        data_dir,
        database_url,
        http_listen: "127.0.0.1:0".parse().expect("addr"),
        // 0.0.0.0 so tests can also reach it from 127.0.0.2 (another source address).
        sip_listen: "0.0.0.0:0".parse().expect("addr"),
        ..Config::default()
    }
}

impl TestApp {
    /// Starts Callplane on `backend`; `None` when that backend is unavailable.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Starts Callplane with settings changed by `adjust`.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
        // `CALLPLANE_TEST_LOG=callplane=debug` shows the server's log in a failing test's output.
        if let Ok(filter) = std::env::var("CALLPLANE_TEST_LOG") {
            let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
        }
        let database_url = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(postgres_database().await?),
        };
        let data_dir = tempfile::tempdir().expect("tempdir");
        let mut config = test_config(data_dir.path().to_owned(), database_url.clone());
        adjust(&mut config);
        let app = App::start(config).await.expect("start Callplane");
        let token_file = app.admin_token_file.clone().expect("first start writes an admin token");
        let admin = std::fs::read_to_string(token_file).expect("read admin token").trim().to_owned();
        let base = format!("http://{}", app.http_addr);
        Some(TestApp { app, base, admin, client: reqwest::Client::new(), data_dir, database_url })
    }

    /// Another node on the same PostgreSQL database (its own data dir and ports). The admin
    /// token of this node is valid there: the nodes share one signing key.
    pub async fn join(&self) -> TestApp {
        self.join_with(|_| {}).await
    }

    pub async fn join_with(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let database_url = self.database_url.clone().expect("a cluster needs PostgreSQL");
        let data_dir = tempfile::tempdir().expect("tempdir");
        let mut config = test_config(data_dir.path().to_owned(), Some(database_url.clone()));
        adjust(&mut config);
        let app = App::start(config).await.expect("start another node");
        let base = format!("http://{}", app.http_addr);
        TestApp { app, base, admin: self.admin.clone(), client: reqwest::Client::new(), data_dir, database_url: Some(database_url) }
    }

    /// SIP address on 127.0.0.1 with the port the server got.
    pub fn sip_target(&self) -> std::net::SocketAddr {
        std::net::SocketAddr::from(([127, 0, 0, 1], self.app.sip_addr.port()))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Sends a request with the admin token; returns status and JSON (or `Null`).
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call_as(&self.admin.clone(), method, path, body).await
    }

    pub async fn call_as(&self, token: &str, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.client.request(method, self.url(path)).bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, None).await
    }

    /// Creates a resource and returns its JSON, failing the test on anything but 201.
    pub async fn create(&self, path: &str, body: Value) -> Value {
        let (status, value) = self.post(path, body).await;
        assert_eq!(status, StatusCode::CREATED, "POST {path}: {value}");
        value
    }

    pub async fn extension(&self, number: &str) -> Value {
        self.create("/api/v1/extensions", json!({"number": number, "password": "correct horse battery"})).await
    }

    /// Mints a token through the API.
    pub async fn token(&self, scope: &str, ttl: &str) -> String {
        let created = self.create("/api/v1/api-tokens", json!({"scope": scope, "ttl": ttl})).await;
        created["token"].as_str().expect("token").to_owned()
    }

    /// Stops Callplane (flushing what it writes behind) and starts it again on the same
    /// store; the SIP port changes.
    pub async fn restart(self) -> TestApp {
        self.restart_with(|_| {}).await
    }

    /// Like `restart`, with the API on the same address, so its clients can reconnect.
    pub async fn restart_keeping_http_address(self) -> TestApp {
        let http = self.app.http_addr;
        self.restart_with(move |c| c.http_listen = http).await
    }

    async fn restart_with(self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let TestApp { app, base: _, admin, client, data_dir, database_url } = self;
        app.stop().await;
        let mut config = test_config(data_dir.path().to_owned(), database_url.clone());
        adjust(&mut config);
        let app = App::start(config).await.expect("restart Callplane");
        let base = format!("http://{}", app.http_addr);
        TestApp { app, base, admin, client, data_dir, database_url }
    }

    pub async fn stop(self) {
        self.app.stop().await;
    }
}

/// Waits (bounded) for the next event of `kind` on the bus.
pub async fn wait_for(
    rx: &mut tokio::sync::broadcast::Receiver<std::sync::Arc<callplane::events::Event>>,
    kind: &str,
) -> std::sync::Arc<callplane::events::Event> {
    tokio::time::timeout(std::time::Duration::from_secs(30), async {
        loop {
            match rx.recv().await {
                Ok(e) if e.kind == kind => return e,
                Ok(_) => {}
                Err(e) => panic!("event bus: {e}"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no {kind} event"))
}

/// Runs `async fn $body(app: &TestApp)` on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $body:path) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = super::common::TestApp::spawn(super::common::Backend::Sqlite).await.expect("sqlite always runs");
                $body(&app).await;
                app.stop().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
            async fn postgres() {
                let Some(app) = super::common::TestApp::spawn(super::common::Backend::Postgres).await else { return };
                $body(&app).await;
                app.stop().await;
            }
        }
    };
}

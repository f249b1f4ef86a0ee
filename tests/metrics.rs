//! Prometheus metrics: `GET /metrics` for an `admin` or `metrics` token, scraped by a real
//! Prometheus (Debian's) while sipp sends traffic; queries return the counters.

mod common;

use std::time::Duration;

use common::sipp::{SippCmd, Transport, free_port};
use serde_json::json;

/// Prometheus scraping `app` every second with `token`, on a free port.
struct Prometheus {
    child: std::process::Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Prometheus {
    fn start(app: &common::TestApp, token: &str) -> Prometheus {
        let dir = tempfile::tempdir().expect("dir");
        let port = free_port("127.0.0.1", Transport::Tcp);
        let config = format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: callplane\n    metrics_path: /metrics\n    authorization:\n      type: Bearer\n      credentials: {token}\n    static_configs:\n      - targets: ['{}']\n",
            app.app.http_addr
        );
        std::fs::write(dir.path().join("prometheus.yml"), config).expect("config");
        let child = std::process::Command::new("prometheus")
            .arg(format!("--config.file={}", dir.path().join("prometheus.yml").display()))
            .arg(format!("--storage.tsdb.path={}", dir.path().join("data").display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("prometheus is installed (scripts/test installs it)");
        Prometheus { child, port, _dir: dir }
    }

    /// The value of `query` once it is at least `at_least` (polled; bounded to 60 s).
    async fn wait_for(&self, query: &str, at_least: f64) -> f64 {
        let client = reqwest::Client::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        let mut last = serde_json::Value::Null;
        while std::time::Instant::now() < deadline {
            let answer = client.get(format!("http://127.0.0.1:{}/api/v1/query", self.port)).query(&[("query", query)]).send().await;
            if let Ok(r) = answer {
                last = r.json().await.unwrap_or_default();
                let value = last["data"]["result"][0]["value"][1].as_str().and_then(|v| v.parse::<f64>().ok());
                if let Some(v) = value.filter(|v| *v >= at_least) {
                    return v;
                }
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        panic!("{query} never reached {at_least}: {last}");
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_scrapes_the_counters_of_sip_traffic() {
    let app = common::TestApp::spawn(common::Backend::Sqlite).await.expect("app");
    app.create("/api/v1/extensions", json!({"number": "1001", "password": "phone-a-Pass1"})).await;
    let scraper = app.token("metrics", "1h").await;
    // The metrics scope reads the metrics and nothing else; other scopes but admin get 403.
    let (status, _) = app.call_as(&scraper, reqwest::Method::GET, "/api/v1/extensions", None).await;
    assert_eq!(status, reqwest::StatusCode::FORBIDDEN);
    let events = app.token("events", "1h").await;
    let refused = app.client.get(app.url("/metrics")).bearer_auth(&events).send().await.expect("metrics");
    assert_eq!(refused.status(), reqwest::StatusCode::FORBIDDEN);
    let page = app.client.get(app.url("/metrics")).bearer_auth(&scraper).send().await.expect("metrics");
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    assert!(page.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|c| c.starts_with("text/plain; version=0.0.4")));
    let text = page.text().await.expect("text");
    assert!(text.contains("# TYPE callplane_call_setup_seconds histogram") && text.contains("callplane_registrations 0"), "{text}");

    let prometheus = Prometheus::start(&app, &scraper);
    // Three OPTIONS, and a call to an extension with no device (480).
    for _ in 0..3 {
        let r = SippCmd::new("options_expect_200.xml", app.sip_target(), free_port("127.0.0.1", Transport::Udp)).run().await;
        assert!(r.success, "{}", r.log);
    }
    common::office::assert_all(&[&SippCmd::caller("uac_expect_480.xml", app.sip_target(), "1001", "phone-a-Pass1", "1001").run().await]);
    // A number a Lua service passes on, to a route that fails; a trunk to show its state.
    let lua = app.create("/api/v1/lua-services", json!({"name": "pass", "source": "function on_route(c) return {action = 'continue'} end"})).await;
    app.create("/api/v1/routes", json!({"prefix": "9", "target": {"kind": "lua_service", "id": lua["id"]}})).await;
    app.create("/api/v1/trunks", json!({"name": "peer", "host": "192.0.2.10", "port": 5060})).await;
    common::office::assert_all(&[&SippCmd::caller("uac_expect_404.xml", app.sip_target(), "1001", "phone-a-Pass1", "9123").run().await]);
    assert_eq!(prometheus.wait_for("sum(callplane_sip_requests_total{method=\"OPTIONS\",transport=\"udp\"})", 3.0).await, 3.0);
    prometheus.wait_for("sum(callplane_sip_responses_total{method=\"INVITE\",code=\"480\"})", 1.0).await;
    prometheus.wait_for("sum(callplane_sip_responses_total{method=\"INVITE\",code=\"407\"})", 1.0).await;
    prometheus.wait_for("sum(callplane_calls_total)", 1.0).await;
    prometheus.wait_for("up{job=\"callplane\"}", 1.0).await;
    prometheus.wait_for("sum(callplane_lua_consultations_total{result=\"continue\"})", 1.0).await;
    // Every metric the Grafana dashboard queries exists (a trunk, a Lua service and the
    // calls above gave the labelled ones their first samples).
    let text = app.client.get(app.url("/metrics")).bearer_auth(&scraper).send().await.expect("metrics").text().await.expect("text");
    let dashboard = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/grafana/callplane-dashboard.json")).expect("dashboard");
    let mut names: Vec<&str> = dashboard.match_indices("callplane_").map(|(i, _)| &dashboard[i..]).map(|rest| rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or_default()).collect();
    names.sort();
    names.dedup();
    assert!(names.len() >= 10, "{names:?}");
    for name in names {
        assert!(text.contains(&format!("# TYPE {} ", name.trim_end_matches("_bucket"))), "the dashboard's {name} is not exported");
    }
    app.stop().await;
}

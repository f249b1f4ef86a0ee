//! One shape for call tests: a Callplane with caller 1001 (digest) and phones that are sipp
//! scenarios registered as extensions; the test observes the result through the API and
//! the event stream.

use std::sync::Arc;

use callplane::events::Event;
use serde_json::{Value, json};
use tokio::sync::broadcast;

use super::sipp::{SippChild, SippCmd, SippResult, Transport, free_port};
use super::{Backend, TestApp};

pub const CALLER_PW: &str = "caller-secret-1";

/// Extension 1001 (password `CALLER_PW`) dials `dialed` with `scenario`: the one caller of
/// every call test.
pub fn caller(app: &TestApp, scenario: &str, dialed: &str) -> SippCmd {
    SippCmd::caller(scenario, app.sip_target(), "1001", CALLER_PW, dialed)
}

pub struct Office {
    pub app: TestApp,
    pub events: broadcast::Receiver<Arc<Event>>,
}

impl Office {
    /// Callplane on SQLite with extension 1001, which calls with a password.
    pub async fn start() -> Office {
        let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
        app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
        let events = app.app.state.feed.subscribe();
        Office { app, events }
    }

    /// An office on `app` (extension 1001 as in `start`).
    pub async fn with_app(app: TestApp) -> Office {
        app.create("/api/v1/extensions", json!({"number": "1001", "password": CALLER_PW})).await;
        let events = app.app.state.feed.subscribe();
        Office { app, events }
    }

    /// Extension `number` (trusted from 127.0.0.1) registered from a fresh port, where
    /// `scenario` then plays the phone.
    pub async fn phone(&self, number: &str, scenario: &str) -> SippChild {
        self.phone_cmd(number, scenario).await.spawn()
    }

    /// As `phone`, returning the command to adjust before it starts.
    pub async fn phone_cmd(&self, number: &str, scenario: &str) -> SippCmd {
        // Created on first use (a 409 for a number that exists already is fine).
        let _ = self.app.post("/api/v1/extensions", json!({"number": number, "ip_auth": ["127.0.0.1"]})).await;
        let port = free_port("127.0.0.1", Transport::Udp);
        let r = SippCmd::new("register_without_auth.xml", self.app.sip_target(), port).arg("-s").arg(number).run().await;
        assert!(r.success, "{}", r.log);
        SippCmd::new(scenario, self.app.sip_target(), port)
    }

    /// 1001 dials `dialed` with `scenario` (UDP).
    pub fn caller(&self, scenario: &str, dialed: &str) -> SippCmd {
        caller(&self.app, scenario, dialed)
    }

    /// The next event of `kind` (bounded).
    pub async fn next(&mut self, kind: &str) -> Arc<Event> {
        super::wait_for(&mut self.events, kind).await
    }

    /// The next event of `kind`, however long it takes (bound it yourself).
    pub async fn next_unbounded(&mut self, kind: &str) -> Arc<Event> {
        loop {
            match self.events.recv().await {
                Ok(e) if e.kind == kind => return e,
                Ok(_) => {}
                Err(e) => panic!("event bus: {e}"),
            }
        }
    }

    /// The id of the only live call (waits until there is one and it is answered).
    pub async fn answered_call(&mut self) -> String {
        let answered = self.next("call.answered").await;
        answered.data["call_id"].as_str().expect("call_id").to_owned()
    }

    /// Every CDR, oldest first (the writer flushed first).
    pub async fn cdrs(&self) -> Vec<Value> {
        if let Some(sip) = &self.app.app.state.sip {
            sip.b2bua.cdrs.flush().await;
        }
        let (_, body) = self.app.get("/api/v1/cdrs").await;
        body["items"].as_array().expect("items").clone()
    }

    pub async fn assert_no_live_calls(&self) {
        let (_, calls) = self.app.get("/api/v1/calls").await;
        assert_eq!(calls["total"], 0, "no leaked call: {calls}");
    }

    pub async fn stop(self) {
        self.app.stop().await;
    }
}

/// The phone registered from `port` plays `scenario`.
pub fn answers(app: &TestApp, port: u16, scenario: &str) -> SippChild {
    SippCmd::new(scenario, app.sip_target(), port).spawn()
}

/// The shape of every call test: `caller` runs to its end, then every phone; all must
/// succeed. Returns the caller's run.
pub async fn call(caller: SippCmd, phones: Vec<SippChild>) -> SippResult {
    let caller = caller.run().await;
    assert!(caller.success, "caller: {}", caller.log);
    for phone in phones {
        let r = phone.wait().await;
        assert!(r.success, "phone: {}", r.log);
    }
    caller
}

/// Asserts that every sipp run succeeded.
pub fn assert_all(results: &[&SippResult]) {
    for r in results {
        assert!(r.success, "{}", r.log);
    }
}

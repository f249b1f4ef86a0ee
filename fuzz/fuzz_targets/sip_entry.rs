//! Fuzzes the SIP entry point: bytes as a transport delivers them → admission → parse →
//! transactions → method handlers and calls, on a real Callplane (SQLite in a temporary
//! directory, two extensions). Responses go to a discard address.
//! Any panic, or a message taking over 10 s (a stuck task), is a finding.

#![no_main]

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use callplane::sip::core::SipCore;
use callplane::sip::transport::{Proto, Source};
use libfuzzer_sys::fuzz_target;

struct Target {
    runtime: tokio::runtime::Runtime,
    core: Arc<SipCore>,
    _app: callplane::App,
    _dir: tempfile::TempDir,
}

fn target() -> &'static Target {
    static TARGET: OnceLock<Target> = OnceLock::new();
    TARGET.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
        let dir = tempfile::tempdir().expect("tempdir");
        let app = runtime.block_on(async {
            let config = callplane::config::Config {
                data_dir: dir.path().to_owned(),
                http_listen: "127.0.0.1:0".parse().expect("addr"),
                sip_listen: "127.0.0.1:0".parse().expect("addr"),
                ..callplane::config::Config::default()
            };
            let app = callplane::App::start(config).await.expect("start");
            let p = &app.state.provisioner;
            let ext = |v: serde_json::Value| serde_json::from_value(v).expect("extension");
            p.create::<callplane::model::extension::Extension>(ext(serde_json::json!({"number": "1001", "password": "fuzz-password-1"})))
                .await
                .expect("1001");
            p.create::<callplane::model::extension::Extension>(ext(serde_json::json!({"number": "1002", "ip_auth": ["127.0.0.0/8"]})))
                .await
                .expect("1002");
            // Every input comes from one address: no rate limit, no bans.
            let sip = app.state.sip.clone().expect("sip core");
            sip.security
                .set_settings(p.store(), |s| {
                    let mut s = s.clone();
                    s.whitelist = vec!["127.0.0.0/8".parse().expect("a CIDR")];
                    Ok(s)
                })
                .await
                .expect("settings");
            app
        });
        let core = app.state.sip.clone().expect("sip core");
        Target { runtime, core, _app: app, _dir: dir }
    })
}

fuzz_target!(|data: &[u8]| {
    let t = target();
    let proto = if data.len() % 2 == 1 { Proto::Tcp } else { Proto::Udp };
    // The discard port: answers leave through the real transport and go nowhere.
    let source = Source { addr: SocketAddr::from(([127, 0, 0, 1], 9)), proto };
    let core = t.core.clone();
    let bytes = data.to_vec();
    t.runtime.block_on(async move {
        tokio::time::timeout(std::time::Duration::from_secs(10), core.receive(bytes, source))
            .await
            .expect("a message was handled within 10 s");
    });
});

//! What consulting a trivial Lua service adds to a call's routing: N invocations of
//! `on_route` through the engine (VM lock, blocking-pool hop, call table, decision), with
//! p50/p99/mean per invocation.
//!
//!     cargo run --release --example lua_overhead -- 20000

use std::sync::Arc;
use std::time::Instant;

use callplane::lua::engine::{CallInfo, Lookups, LuaEngine};
use callplane::model::lua_service::{LuaLimits, LuaService};

struct Nothing;
impl Lookups for Nothing {
    fn extension_exists(&self, _: &str) -> bool {
        true
    }
    fn is_registered(&self, _: &str) -> bool {
        true
    }
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let engine = LuaEngine::new(Arc::new(Nothing));
    let now = chrono::Utc::now();
    let service = Arc::new(LuaService {
        id: "bench".into(),
        name: "bench".into(),
        description: String::new(),
        source: "function on_route(call) return {action = 'route', target = '1002'} end".into(),
        enabled: true,
        limits: LuaLimits::default(),
        created_at: now,
        updated_at: now,
    });
    let call = CallInfo { call_id: "c".into(), caller: "1001".into(), dialed: "5000".into(), ..CallInfo::default() };
    let _ = engine.route(&service, call.clone()).await; // builds the VM
    let mut times = Vec::with_capacity(n);
    let start = Instant::now();
    for _ in 0..n {
        let t = Instant::now();
        let d = engine.route(&service, call.clone()).await;
        times.push(t.elapsed().as_secs_f64() * 1e6);
        assert!(d.is_ok());
    }
    let total = start.elapsed();
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!(
        "{n} invocations: p50 {:.1} us, p99 {:.1} us, mean {:.1} us, {:.0} invocations/s on one task",
        pct(0.5),
        pct(0.99),
        total.as_secs_f64() * 1e6 / n as f64,
        n as f64 / total.as_secs_f64()
    );
}

//! Per-service VMs and `on_route` invocations.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Timelike, Utc};
use dashmap::DashMap;
use mlua::{Lua, Value};
use poem_openapi::Object;

use super::sandbox::{self, Budget, INSTRUCTIONS_EXHAUSTED, TIME_EXHAUSTED};
use crate::model::lua_service::LuaService;

/// What a service decided for a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Ring this number (extension, ring group, or anything the dial plan routes).
    Route(String),
    /// Answer the caller with this final response.
    Reject(u16, String),
    /// Go on with the next route of the dial plan.
    Continue,
}

/// Why an invocation failed; the call goes on with the dial plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFailure {
    /// `error`, `instructions`, `timeout`, `memory` or `invalid_answer`.
    pub kind: &'static str,
    pub message: String,
}

/// What a service may look up about the PBX (read-only).
pub trait Lookups: Send + Sync + 'static {
    fn extension_exists(&self, number: &str) -> bool;
    fn is_registered(&self, number: &str) -> bool;
}

/// The call as `on_route(call)` sees it.
#[derive(Debug, Clone, Default)]
pub struct CallInfo {
    pub call_id: String,
    pub caller: String,
    pub caller_name: Option<String>,
    pub dialed: String,
    /// The trunk the call came in on.
    pub trunk: Option<String>,
    /// Selected request headers (User-Agent, P-Asserted-Identity, Diversion…).
    pub headers: Vec<(String, String)>,
}

/// Invocations and failures of one service since start.
#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ServiceStats {
    pub invocations: u64,
    pub failures: u64,
    pub last_error: Option<String>,
}

struct ServiceVm {
    /// The service version this VM runs (`updated_at`).
    version: DateTime<Utc>,
    state: std::sync::Mutex<(Lua, Arc<Budget>)>,
}

pub struct LuaEngine {
    vms: DashMap<String, Arc<ServiceVm>>,
    stats: DashMap<String, ServiceStats>,
    lookups: Arc<dyn Lookups>,
}

impl LuaEngine {
    pub fn new(lookups: Arc<dyn Lookups>) -> LuaEngine {
        LuaEngine { vms: DashMap::new(), stats: DashMap::new(), lookups }
    }

    pub fn stats(&self, service_id: &str) -> ServiceStats {
        self.stats.get(service_id).map(|s| s.clone()).unwrap_or_default()
    }

    /// Runs the service's `on_route` for `call`. The VM of the service's current version is
    /// built on first use; calls already running in an older VM finish there.
    pub async fn route(&self, service: &Arc<LuaService>, call: CallInfo) -> Result<Decision, ServiceFailure> {
        let vm = match self.vms.get(&service.id).map(|v| v.clone()) {
            Some(vm) if vm.version == service.updated_at => vm,
            _ => {
                let built = Arc::new(build(service, self.lookups.clone()).map_err(|e| failure(&e))?);
                self.vms.insert(service.id.clone(), built.clone());
                built
            }
        };
        let job = vm.clone();
        let result = tokio::task::spawn_blocking(move || invoke(&job, &call))
            .await
            .unwrap_or_else(|e| Err(ServiceFailure { kind: "error", message: format!("the service's task failed: {e}") }));
        let outcome = match &result {
            Ok(Decision::Route(_)) => "route",
            Ok(Decision::Reject(..)) => "reject",
            Ok(Decision::Continue) => "continue",
            Err(_) => "failed",
        };
        crate::metrics::metrics().lua.with_label_values(&[service.name.as_str(), outcome]).inc();
        let mut stats = self.stats.entry(service.id.clone()).or_default();
        stats.invocations += 1;
        if let Err(f) = &result {
            stats.failures += 1;
            stats.last_error = Some(format!("{}: {}", f.kind, f.message));
            if f.kind == "memory" {
                // A VM that ran out of memory may hold the garbage that filled it: start afresh.
                self.vms.remove_if(&service.id, |_, v| Arc::ptr_eq(v, &vm));
            }
        }
        result
    }
}

fn build(service: &LuaService, lookups: Arc<dyn Lookups>) -> mlua::Result<ServiceVm> {
    let (lua, budget) = sandbox::new_vm(service.limits)?;
    let api = lua.create_table()?;
    let l = lookups.clone();
    api.set("extension_exists", lua.create_function(move |_, n: String| Ok(l.extension_exists(&n)))?)?;
    let l = lookups;
    api.set("is_registered", lua.create_function(move |_, n: String| Ok(l.is_registered(&n)))?)?;
    let name = service.name.clone();
    api.set(
        "log",
        lua.create_function(move |_, msg: String| {
            tracing::info!(service = %name, "{}", msg.chars().take(1000).collect::<String>());
            Ok(())
        })?,
    )?;
    api.set(
        "now",
        lua.create_function(|lua, ()| {
            let now = Utc::now();
            let t = lua.create_table()?;
            t.set("hour", now.hour())?;
            t.set("minute", now.minute())?;
            t.set("weekday", now.weekday().number_from_monday())?;
            t.set("epoch", now.timestamp())?;
            Ok(t)
        })?,
    )?;
    lua.globals().set("callplane", api)?;
    budget.reset();
    lua.load(&service.source).set_name(&service.name).set_mode(mlua::chunk::ChunkMode::Text).exec()?;
    Ok(ServiceVm { version: service.updated_at, state: std::sync::Mutex::new((lua, budget)) })
}

fn invoke(vm: &ServiceVm, call: &CallInfo) -> Result<Decision, ServiceFailure> {
    let guard = vm.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let (lua, budget) = &*guard;
    budget.reset();
    let run = || -> mlua::Result<Value> {
        let on_route: mlua::Function = lua.globals().get("on_route")?;
        let t = lua.create_table()?;
        t.set("id", call.call_id.as_str())?;
        t.set("caller", call.caller.as_str())?;
        t.set("caller_name", call.caller_name.as_deref())?;
        t.set("dialed", call.dialed.as_str())?;
        t.set("trunk", call.trunk.as_deref())?;
        let headers = lua.create_table()?;
        for (n, v) in &call.headers {
            headers.set(n.to_ascii_lowercase(), v.as_str())?;
        }
        t.set("headers", headers)?;
        on_route.call::<Value>(t)
    };
    let answer = run().map_err(|e| failure(&e))?;
    decision(&answer)
}

/// Reads `{action = "route", target = "1002"}`, `{action = "reject", code = 403,
/// reason = "..."}` or `{action = "continue"}`.
fn decision(answer: &Value) -> Result<Decision, ServiceFailure> {
    let invalid = |m: &str| ServiceFailure { kind: "invalid_answer", message: m.to_owned() };
    let Value::Table(t) = answer else {
        return Err(invalid("on_route must return a table with an `action`"));
    };
    let action: Option<String> = t.get("action").ok();
    match action.as_deref() {
        Some("continue") => Ok(Decision::Continue),
        Some("route") => {
            let target: Option<String> = t.get("target").ok();
            match target {
                Some(n) if n.parse::<crate::model::values::Number>().is_ok() => Ok(Decision::Route(n)),
                _ => Err(invalid("`route` needs a `target` number")),
            }
        }
        Some("reject") => {
            let code: Option<i64> = t.get("code").ok();
            let reason: Option<String> = t.get("reason").ok();
            match code {
                Some(c) if (400..700).contains(&c) => {
                    let reason = reason.unwrap_or_else(|| "Rejected".to_owned()).replace(['\r', '\n'], " ");
                    Ok(Decision::Reject(c as u16, reason.chars().take(100).collect()))
                }
                _ => Err(invalid("`reject` needs a `code` between 400 and 699")),
            }
        }
        _ => Err(invalid("`action` must be `route`, `reject` or `continue`")),
    }
}

fn failure(e: &mlua::Error) -> ServiceFailure {
    let message = short_error(e);
    let kind = if matches!(root(e), mlua::Error::MemoryError(_)) {
        "memory"
    } else if message.contains(INSTRUCTIONS_EXHAUSTED) {
        "instructions"
    } else if message.contains(TIME_EXHAUSTED) {
        "timeout"
    } else {
        "error"
    };
    ServiceFailure { kind, message }
}

fn root(e: &mlua::Error) -> &mlua::Error {
    match e {
        mlua::Error::CallbackError { cause, .. } => root(cause),
        other => other,
    }
}

/// The first line of a Lua error (without the traceback).
pub fn short_error(e: &mlua::Error) -> String {
    root(e).to_string().lines().next().unwrap_or_default().chars().take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::lua_service::LuaLimits;

    struct NoLookups;
    impl Lookups for NoLookups {
        fn extension_exists(&self, n: &str) -> bool {
            n == "1002"
        }
        fn is_registered(&self, _: &str) -> bool {
            false
        }
    }

    fn service(source: &str) -> Arc<LuaService> {
        Arc::new(LuaService {
            id: "s".into(),
            name: "test".into(),
            description: String::new(),
            source: source.into(),
            enabled: true,
            limits: LuaLimits { memory_bytes: 1 << 20, instructions: 100_000, timeout_ms: 200 },
            created_at: Utc::now(),
            updated_at: Utc::now(),
        })
    }

    async fn run(source: &str) -> Result<Decision, ServiceFailure> {
        let engine = LuaEngine::new(Arc::new(NoLookups));
        engine.route(&service(source), CallInfo { caller: "1001".into(), dialed: "5000".into(), ..CallInfo::default() }).await
    }

    #[tokio::test]
    async fn decisions_and_lookups() {
        let r = run("function on_route(c) if callplane.extension_exists('1002') then return {action='route', target='1002'} end end").await;
        assert_eq!(r, Ok(Decision::Route("1002".into())));
        let r = run("function on_route(c) return {action='reject', code=486, reason='busy\\r\\nX: y'} end").await;
        assert_eq!(r, Ok(Decision::Reject(486, "busy  X: y".into())));
        assert_eq!(run("function on_route(c) return {action='continue'} end").await, Ok(Decision::Continue));
        assert_eq!(run("function on_route(c) return 42 end").await.map_err(|f| f.kind), Err("invalid_answer"));
    }

    async fn run_as(source: &str, caller: &str) -> Result<Decision, ServiceFailure> {
        let engine = LuaEngine::new(Arc::new(NoLookups));
        engine.route(&service(source), CallInfo { caller: caller.into(), dialed: "100".into(), ..CallInfo::default() }).await
    }

    #[tokio::test]
    async fn the_example_services_load_and_decide() {
        let blacklist = include_str!("../../lua/services/blacklist.lua");
        let vip = include_str!("../../lua/services/vip_callers.lua");
        let hours = include_str!("../../lua/services/business_hours.lua");
        for (name, src) in [("blacklist", blacklist), ("vip", vip), ("hours", hours)] {
            assert!(super::super::check_source(name, src, LuaLimits::default()).is_ok(), "{name}");
        }
        assert_eq!(run_as(blacklist, "+19005551234").await, Ok(Decision::Reject(603, "Declined".into())));
        assert_eq!(run_as(blacklist, "+441234").await, Ok(Decision::Continue));
        assert_eq!(run_as(vip, "+442071234567").await, Ok(Decision::Continue), "1010 does not exist here");
        let night = run_as(hours, "1001").await;
        assert!(matches!(night, Ok(Decision::Route(ref n)) if ["600", "1098"].contains(&n.as_str())), "{night:?}");
    }

    #[tokio::test]
    async fn limits_stop_loops_and_bombs() {
        assert_eq!(run("function on_route(c) while true do end end").await.map_err(|f| f.kind), Err("instructions"));
        let bomb = "function on_route(c) local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 1024) .. i end end";
        assert_eq!(run(bomb).await.map_err(|f| f.kind), Err("memory"));
    }

    #[tokio::test]
    async fn the_sandbox_has_no_escape_hatches() {
        for probe in ["os.execute('true')", "io.open('/etc/passwd')", "require('os')", "load(string.dump(print))", "dofile('/etc/passwd')", "debug.getinfo(1)", "package.loadlib('x', 'y')"] {
            let r = run(&format!("function on_route(c) {probe} return {{action='continue'}} end")).await;
            assert_eq!(r.as_ref().map_err(|f| f.kind), Err("error"), "{probe}: {r:?}");
        }
        let r = run("function on_route(c) return {action='route', target=tostring(#string.rep('a', 3) + math.floor(1.5))} end").await;
        assert_eq!(r, Ok(Decision::Route("4".into())), "string and math are there");
    }
}

//! A sandboxed Lua 5.4 VM: only `string`, `table`, `math` and `utf8` (plus the safe base
//! functions), no `os`, `io`, `package`, `require`, `debug`, `load`, `dofile`,
//! `loadfile` or `string.dump`; a memory limit; and a hook that stops a call after its
//! instruction or time budget.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mlua::{HookTriggers, Lua, LuaOptions, StdLib, VmState};

use crate::model::lua_service::LuaLimits;

/// Instructions between two budget checks.
const CHECK_EVERY: u32 = 1_000;

/// Why a call was stopped (carried in the Lua error's message).
pub const INSTRUCTIONS_EXHAUSTED: &str = "instruction budget exhausted";
pub const TIME_EXHAUSTED: &str = "time budget exhausted";

/// The budget of the call in progress, read by the hook.
pub struct Budget {
    used: AtomicU64,
    started: std::sync::Mutex<Instant>,
    limits: LuaLimits,
}

impl Budget {
    /// Starts a new call's budget.
    pub fn reset(&self) {
        self.used.store(0, Ordering::Relaxed);
        if let Ok(mut s) = self.started.lock() {
            *s = Instant::now();
        }
    }

    fn check(&self) -> Result<(), &'static str> {
        let used = self.used.fetch_add(u64::from(CHECK_EVERY), Ordering::Relaxed) + u64::from(CHECK_EVERY);
        if used > self.limits.instructions {
            return Err(INSTRUCTIONS_EXHAUSTED);
        }
        let elapsed = self.started.lock().map(|s| s.elapsed()).unwrap_or_default();
        if elapsed > Duration::from_millis(u64::from(self.limits.timeout_ms)) {
            return Err(TIME_EXHAUSTED);
        }
        Ok(())
    }
}

/// A new sandboxed VM with `limits`, and the budget its hook reads.
pub fn new_vm(limits: LuaLimits) -> mlua::Result<(Lua, Arc<Budget>)> {
    let lua = Lua::new_with(StdLib::STRING | StdLib::TABLE | StdLib::MATH | StdLib::UTF8, LuaOptions::new())?;
    let globals = lua.globals();
    for name in ["dofile", "loadfile", "load", "require", "collectgarbage"] {
        globals.set(name, mlua::Value::Nil)?;
    }
    if let Ok(string) = globals.get::<mlua::Table>("string") {
        string.set("dump", mlua::Value::Nil)?;
    }
    let budget = Arc::new(Budget { used: AtomicU64::new(0), started: std::sync::Mutex::new(Instant::now()), limits });
    let hook_budget = budget.clone();
    lua.set_hook(HookTriggers::new().every_nth_instruction(CHECK_EVERY), move |_, _| match hook_budget.check() {
        Ok(()) => Ok(VmState::Continue),
        Err(why) => Err(mlua::Error::runtime(why)),
    })?;
    lua.set_memory_limit(usize::try_from(limits.memory_bytes).unwrap_or(usize::MAX))?;
    Ok((lua, budget))
}

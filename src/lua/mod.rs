//! Lua services: routing decisions by small user scripts, one sandboxed VM per service.
//!
//! A route whose target is a `lua_service` calls the service's `on_route(call)`. Each
//! service has one VM; calls to one service run one at a time on a blocking thread (never
//! on the SIP tasks), each within the service's instruction, time and memory limits. An
//! error, a limit hit or an invalid answer fails only that invocation: the call goes on
//! with the next route of the dial plan, and `service.failed` says why.

pub mod builtin;
pub mod engine;
pub mod sandbox;

pub use engine::{Decision, LuaEngine, ServiceFailure};

use crate::model::lua_service::LuaLimits;

/// Why a source is refused by the API.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{0}")]
    Syntax(String),
    #[error("running the service's top level failed: {0}")]
    Load(String),
    #[error("the service must define a global function `on_route(call)`")]
    NoEntryPoint,
}

/// Compiles and loads `source` in a sandbox with `limits`: syntax errors name the line
/// (`[string "name"]:3: ...`), and `on_route` must be defined.
pub fn check_source(name: &str, source: &str, limits: LuaLimits) -> Result<(), SourceError> {
    let (lua, budget) = sandbox::new_vm(limits).map_err(|e| SourceError::Load(e.to_string()))?;
    budget.reset();
    let chunk = lua.load(source).set_name(name).set_mode(mlua::chunk::ChunkMode::Text);
    let function = chunk.into_function().map_err(|e| match e {
        mlua::Error::SyntaxError { message, .. } => SourceError::Syntax(message),
        other => SourceError::Load(other.to_string()),
    })?;
    function.call::<()>(()).map_err(|e| SourceError::Load(engine::short_error(&e)))?;
    match lua.globals().get::<mlua::Value>("on_route") {
        Ok(mlua::Value::Function(_)) => Ok(()),
        _ => Err(SourceError::NoEntryPoint),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_the_line() {
        let e = check_source("svc", "function on_route(call)\n  return {action = \n end", LuaLimits::default()).expect_err("syntax");
        assert!(e.to_string().contains("svc\"]:3:"), "{e}");
    }

    #[test]
    fn a_source_without_on_route_is_refused() {
        assert!(matches!(check_source("svc", "x = 1", LuaLimits::default()), Err(SourceError::NoEntryPoint)));
    }
}

//! Lua services at run time: the built-in services loaded from files, and each service's
//! invocations and failures.

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;

use super::state::ApiState;
use super::auth::BearerToken;
use super::error::ApiError;
use crate::auth::scope::Access;
use crate::lua::engine::ServiceStats;
use crate::model::lua_service::LuaService;

pub struct LuaRuntimeApi;

#[OpenApi(prefix_path = "/api/v1")]
impl LuaRuntimeApi {
    /// The read-only services loaded at start from the services directory (`*.lua`), with
    /// ids `builtin:<file name>`; route to them like to any service.
    #[oai(path = "/lua-services/builtin", method = "get", operation_id = "list_builtin_lua_services", tag = "crate::api::state::ApiTag::LuaServices")]
    async fn builtin(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<Vec<LuaService>>, ApiError> {
        auth.require(Access::Read)?;
        let snapshot = state.snapshot.get();
        let mut all: Vec<LuaService> = snapshot
            .lua_services
            .values()
            .filter(|s| s.id.starts_with(crate::lua::builtin::PREFIX))
            .map(|s| (**s).clone())
            .collect();
        all.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Json(all))
    }

    /// Invocations and failures since start, and the last failure.
    #[oai(path = "/lua-services/:id/stats", method = "get", operation_id = "get_lua_service_stats", tag = "crate::api::state::ApiTag::LuaServices")]
    async fn stats(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<Json<ServiceStats>, ApiError> {
        auth.require(Access::Read)?;
        if !state.snapshot.get().lua_services.contains_key(&id.0) {
            return Err(ApiError::status(StatusCode::NOT_FOUND, format!("no lua_service with id `{}`", id.0)));
        }
        let sip = state.sip.as_ref().ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "the SIP core is not running"))?;
        Ok(Json(sip.b2bua.lua.stats(&id.0)))
    }
}

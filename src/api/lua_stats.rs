//! `GET /api/v1/lua-services/{id}/stats`: invocations and failures of a service.

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;

use super::ApiState;
use super::auth::BearerToken;
use super::error::ApiError;
use crate::auth::scope::Access;
use crate::lua::engine::ServiceStats;

pub struct LuaStatsApi;

#[OpenApi(prefix_path = "/api/v1")]
impl LuaStatsApi {
    /// Invocations and failures since start, and the last failure.
    #[oai(path = "/lua-services/:id/stats", method = "get", operation_id = "get_lua_service_stats", tag = "crate::api::ApiTag::LuaServices")]
    async fn stats(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<Json<ServiceStats>, ApiError> {
        auth.require(Access::Read)?;
        if !state.snapshot.get().lua_services.contains_key(&id.0) {
            return Err(ApiError::status(StatusCode::NOT_FOUND, format!("no lua_service with id `{}`", id.0)));
        }
        let sip = state.sip.as_ref().ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "the SIP core is not running"))?;
        Ok(Json(sip.lua.stats(&id.0)))
    }
}

//! `GET /api/v1/trunks/{id}/status`: registration or keep-alive state of a trunk.

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;

use super::state::ApiState;
use super::auth::BearerToken;
use super::error::ApiError;
use crate::auth::scope::Access;
use crate::model::trunk_status::TrunkStatus;

pub struct TrunkStatusApi;

#[OpenApi(prefix_path = "/api/v1")]
impl TrunkStatusApi {
    /// Whether the trunk is registered (or up), the carrier's last answer, and the server in
    /// use now (as the last request to the trunk, a call included, left it).
    #[oai(path = "/trunks/:id/status", method = "get", operation_id = "get_trunk_status", tag = "crate::api::state::ApiTag::Trunks")]
    async fn status(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<Json<TrunkStatus>, ApiError> {
        auth.require(Access::Read)?;
        let sip = state.sip.as_ref().ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "the SIP core is not running"))?;
        let mut status = sip.trunks.status.get(&id.0).map(|s| s.clone()).ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, format!("no trunk with id `{}`", id.0)))?;
        if let Some(view) = sip.endpoint.locator.view(&crate::sip::trunk::register::locator_key(&id.0)) {
            status.target = Some(view.target);
            status.target_note = view.note;
        }
        Ok(Json(status))
    }
}

//! `/api/v1/registrations`: the devices registered right now (runtime state, not config).

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::state::ApiState;
use super::auth::BearerToken;
use super::error::ApiError;
use crate::auth::scope::Access;
use crate::sip::registrar::binding::Binding;

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RegistrationList {
    pub items: Vec<Binding>,
    pub total: i64,
}

pub struct RegistrationsApi;

fn sip(state: &ApiState) -> Result<&Arc<crate::sip::core::SipCore>, ApiError> {
    state.sip.as_ref().ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "the SIP core is not running"))
}

#[OpenApi(prefix_path = "/api/v1")]
impl RegistrationsApi {
    /// Registered contacts, by extension number then age.
    #[oai(path = "/registrations", method = "get", operation_id = "list_registrations", tag = "crate::api::state::ApiTag::Registrations")]
    async fn list(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        /// Only this extension number.
        extension: Query<Option<String>>,
    ) -> Result<Json<RegistrationList>, ApiError> {
        auth.require(Access::Read)?;
        let now = chrono::Utc::now();
        let items: Vec<Binding> = sip(&state)?
            .registrar
            .table
            .all()
            .into_iter()
            .filter(|b| b.expires_at > now && extension.0.as_deref().is_none_or(|n| b.aor == n))
            .collect();
        Ok(Json(RegistrationList { total: items.len() as i64, items }))
    }

    /// Unregister one contact now; the device will register again on its next refresh.
    #[oai(path = "/registrations/:id", method = "delete", operation_id = "delete_registration", tag = "crate::api::state::ApiTag::Registrations")]
    async fn delete(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<super::Deleted, ApiError> {
        auth.require(Access::Admin)?;
        match sip(&state)?.registrar.unregister(&id.0) {
            Some(_) => Ok(super::Deleted::Deleted),
            None => Err(ApiError::status(StatusCode::NOT_FOUND, format!("no registration with id `{}`", id.0))),
        }
    }
}

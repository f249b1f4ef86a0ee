//! `/api/v1/settings/voicemail`: how many messages a box holds and how long messages are
//! kept (every box).

use std::sync::Arc;

use poem_openapi::OpenApi;
use poem_openapi::payload::Json;

use super::auth::BearerToken;
use super::body::JsonBody;
use super::error::ApiError;
use super::state::ApiState;
use crate::auth::scope::Access;
use crate::model::voicemail_settings::{VoicemailSettings, VoicemailSettingsPatch};

pub struct VoicemailSettingsApi;

#[OpenApi(prefix_path = "/api/v1")]
impl VoicemailSettingsApi {
    /// The voicemail settings (the defaults until changed: 100 messages a box, kept until
    /// deleted).
    #[oai(path = "/settings/voicemail", method = "get", operation_id = "get_voicemail_settings", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn get(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<VoicemailSettings>, ApiError> {
        auth.require(Access::Read)?;
        Ok(Json(state.provisioner.store().voicemail_settings().await?))
    }

    /// Change the voicemail settings: only the fields present change; `null` removes a
    /// limit. Messages past a new keeping time are deleted at once (and every hour after).
    #[oai(path = "/settings/voicemail", method = "patch", operation_id = "update_voicemail_settings", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn patch(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, body: JsonBody<VoicemailSettingsPatch>) -> Result<Json<VoicemailSettings>, ApiError> {
        auth.require(Access::Admin)?;
        let patch = body.parse()?;
        let store = state.provisioner.store();
        let next = store.voicemail_settings().await?.apply(patch)?;
        store.save_voicemail_settings(&next).await?;
        tracing::info!(?next, "voicemail settings changed");
        if let Some(boxes) = state.sip.as_ref().and_then(|sip| sip.b2bua.voicemail.clone()) {
            boxes.settings_changed.notify_one();
        }
        Ok(Json(next))
    }
}

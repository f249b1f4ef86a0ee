//! `/api/v1/ivr-menus/{id}/prompt`: the WAV an IVR menu plays (the menus themselves are
//! CRUD resources, `resources.rs`).

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::auth::BearerToken;
use super::error::ApiError;
use super::recordings::{Wav, WavAnswer};
use super::state::ApiState;
use super::voicemail::WavUpload;
use crate::auth::scope::Access;
use crate::ivr::{MenuPrompts, PromptError};
use crate::model::ivr_menu::IvrMenu;

/// A menu's prompt after an upload.
#[derive(Debug, Object)]
pub struct MenuPromptView {
    /// Whether the menu has its own prompt (else callers hear "Please choose an option.").
    pub custom: bool,
    /// The uploaded prompt's length, in seconds.
    #[oai(skip_serializing_if_is_none)]
    pub duration_s: Option<f64>,
}

pub struct IvrMenusApi;

fn prompts(state: &ApiState) -> Result<Arc<MenuPrompts>, ApiError> {
    state.sip.as_ref().and_then(|sip| sip.b2bua.menus.clone()).ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "IVR menus need the SIP core"))
}

/// The menu with id `id` (404 when there is none).
async fn menu(state: &ApiState, id: &str) -> Result<IvrMenu, ApiError> {
    Ok(state.provisioner.store().get::<IvrMenu>(id).await?.value)
}

#[OpenApi(prefix_path = "/api/v1")]
impl IvrMenusApi {
    /// The prompt the menu plays (its own, else the default), as WAV.
    #[oai(path = "/ivr-menus/:id/prompt", method = "get", operation_id = "get_ivr_menu_prompt", tag = "crate::api::state::ApiTag::IvrMenus")]
    async fn prompt(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<WavAnswer, ApiError> {
        auth.require(Access::Read)?;
        let menu = menu(&state, &id.0).await?;
        let path = prompts(&state)?.menu_prompt(&menu.id);
        let bytes = tokio::fs::read(&path).await.map_err(|e| ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, format!("the prompt cannot be read: {e}")))?;
        Ok(WavAnswer::Ok(Wav(bytes)))
    }

    /// Upload the menu's prompt (the body is the WAV file, as `application/octet-stream`
    /// or `audio/wav`): 16-bit PCM, mono or stereo, 8 to 48 kHz, at most 120 s; it is
    /// converted to 8 kHz mono. Anything else is refused (422 with the reason).
    #[oai(path = "/ivr-menus/:id/prompt", method = "put", operation_id = "upload_ivr_menu_prompt", tag = "crate::api::state::ApiTag::IvrMenus")]
    async fn upload(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>, body: WavUpload) -> Result<Json<MenuPromptView>, ApiError> {
        auth.require(Access::Admin)?;
        let menu = menu(&state, &id.0).await?;
        let file = body.file()?;
        match prompts(&state)?.set(&menu.id, file) {
            Ok(seconds) => Ok(Json(MenuPromptView { custom: true, duration_s: Some(seconds) })),
            Err(PromptError::Wav(e)) => Err(crate::model::Invalid::one("body", e.to_string()).into()),
            Err(e @ PromptError::Write { .. }) => Err(ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())),
        }
    }

    /// Back to the default prompt.
    #[oai(path = "/ivr-menus/:id/prompt", method = "delete", operation_id = "delete_ivr_menu_prompt", tag = "crate::api::state::ApiTag::IvrMenus")]
    async fn delete(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<super::Deleted, ApiError> {
        auth.require(Access::Admin)?;
        let menu = menu(&state, &id.0).await?;
        if !prompts(&state)?.remove(&menu.id) {
            return Err(ApiError::status(StatusCode::NOT_FOUND, "the menu has no prompt of its own"));
        }
        Ok(super::Deleted::Deleted)
    }
}

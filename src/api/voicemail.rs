//! `/api/v1/voicemail/{extension}/messages`: the messages in an extension's voicemail box
//! (list, download the WAV, mark heard, delete). Every change recounts the box's
//! message-waiting lamp.

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::auth::BearerToken;
use super::body::JsonBody;
use super::error::ApiError;
use super::recordings::{Wav, WavAnswer};
use super::state::ApiState;
use crate::auth::scope::Access;
use crate::model::voicemail::{VoicemailMessage, VoicemailMessagePatch};
use crate::snapshot::ExtensionEntry;
use crate::voicemail::{Voicemail, VoicemailError};

#[derive(Debug, Object)]
pub struct VoicemailMessageList {
    /// Newest first.
    pub items: Vec<VoicemailMessage>,
    pub total: i64,
}

pub struct VoicemailApi;

fn boxes(state: &ApiState) -> Result<Arc<Voicemail>, ApiError> {
    state.sip.as_ref().and_then(|sip| sip.b2bua.voicemail.clone()).ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "voicemail needs the SIP core"))
}

/// The extension `key` names: its id, or its number.
fn extension(state: &ApiState, key: &str) -> Result<Arc<ExtensionEntry>, ApiError> {
    let snapshot = state.snapshot.get();
    snapshot
        .extensions
        .get(key)
        .or_else(|| snapshot.extension_by_number(key))
        .cloned()
        .ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, format!("no extension `{key}` (an id or a number)")))
}

fn failed(e: VoicemailError) -> ApiError {
    match e {
        VoicemailError::Store(s) => s.into(),
        VoicemailError::Write { .. } => ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

fn no_message(id: &str) -> ApiError {
    ApiError::status(StatusCode::NOT_FOUND, format!("no voicemail message `{id}` in this box"))
}

#[OpenApi(prefix_path = "/api/v1")]
impl VoicemailApi {
    /// The messages in an extension's box (`extension`: its id or number), newest first.
    #[oai(path = "/voicemail/:extension/messages", method = "get", operation_id = "list_voicemail_messages", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn list(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, extension: Path<String>) -> Result<Json<VoicemailMessageList>, ApiError> {
        auth.require(Access::Read)?;
        let ext = self::extension(&state, &extension.0)?;
        let items = state.provisioner.store().voicemail_messages(&ext.extension.id).await?;
        Ok(Json(VoicemailMessageList { total: items.len() as i64, items }))
    }

    /// One message.
    #[oai(path = "/voicemail/:extension/messages/:id", method = "get", operation_id = "get_voicemail_message", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn get(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, extension: Path<String>, id: Path<String>) -> Result<Json<VoicemailMessage>, ApiError> {
        auth.require(Access::Read)?;
        let ext = self::extension(&state, &extension.0)?;
        let message = state.provisioner.store().voicemail_message(&ext.extension.id, &id.0).await?;
        message.map(Json).ok_or_else(|| no_message(&id.0))
    }

    /// The recording (`audio/wav`: 8 kHz, mono, 16-bit). Downloading does not mark it heard.
    #[oai(path = "/voicemail/:extension/messages/:id/audio", method = "get", operation_id = "download_voicemail_message", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn audio(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, extension: Path<String>, id: Path<String>) -> Result<WavAnswer, ApiError> {
        auth.require(Access::Read)?;
        let ext = self::extension(&state, &extension.0)?;
        if state.provisioner.store().voicemail_message(&ext.extension.id, &id.0).await?.is_none() {
            return Err(no_message(&id.0));
        }
        let path = boxes(&state)?.audio_path(&ext.extension.id, &id.0);
        let bytes = tokio::fs::read(&path).await.map_err(|e| ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, format!("the recording cannot be read: {e}")))?;
        Ok(WavAnswer::Ok(Wav(bytes)))
    }

    /// Mark a message heard (or new again): the owner's message-waiting lamp follows.
    #[oai(path = "/voicemail/:extension/messages/:id", method = "patch", operation_id = "update_voicemail_message", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn patch(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        extension: Path<String>,
        id: Path<String>,
        body: JsonBody<VoicemailMessagePatch>,
    ) -> Result<Json<VoicemailMessage>, ApiError> {
        auth.require(Access::Admin)?;
        let patch = body.parse()?;
        let ext = self::extension(&state, &extension.0)?;
        let number = ext.extension.number.as_str();
        if !boxes(&state)?.set_heard(&ext.extension.id, number, &id.0, patch.heard).await.map_err(failed)? {
            return Err(no_message(&id.0));
        }
        let message = state.provisioner.store().voicemail_message(&ext.extension.id, &id.0).await?;
        message.map(Json).ok_or_else(|| no_message(&id.0))
    }

    /// Delete a message and its recording.
    #[oai(path = "/voicemail/:extension/messages/:id", method = "delete", operation_id = "delete_voicemail_message", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn delete(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, extension: Path<String>, id: Path<String>) -> Result<super::Deleted, ApiError> {
        auth.require(Access::Admin)?;
        let ext = self::extension(&state, &extension.0)?;
        if !boxes(&state)?.delete(&ext.extension.id, ext.extension.number.as_str(), &id.0).await.map_err(failed)? {
            return Err(no_message(&id.0));
        }
        Ok(super::Deleted::Deleted)
    }
}

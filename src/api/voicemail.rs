//! `/api/v1/voicemail/{extension}/messages`: the messages in an extension's voicemail box
//! (list, download the WAV, mark heard, delete). Every change recounts the box's
//! message-waiting lamp.

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem::{FromRequest, Request, RequestBody};
use poem_openapi::impl_apirequest_for_payload;
use poem_openapi::payload::{ParsePayload, Payload};
use poem_openapi::registry::{MetaSchemaRef, Registry};
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

/// The box's greeting after an upload.
#[derive(Debug, Object)]
pub struct GreetingView {
    /// Whether the box has its own greeting (else callers hear the default one).
    pub custom: bool,
    /// The uploaded greeting's length (before the tone), when it is the box's own.
    #[oai(skip_serializing_if_is_none)]
    pub duration_s: Option<f64>,
}

/// An uploaded WAV (16-bit PCM, mono or stereo, 8–48 kHz, at most 120 s), sent as
/// `audio/wav` (or `audio/x-wav`, `audio/wave`) or as `application/octet-stream` (what the
/// OpenAPI document declares: the generated clients send files that way).
pub struct WavUpload {
    bytes: Vec<u8>,
    content_type: Option<String>,
}

const WAV_TYPES: [&str; 5] = ["application/octet-stream", "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"];

impl WavUpload {
    /// The file, once the caller is known to be allowed (the content type is checked here,
    /// after the token: an unauthorised caller learns nothing from a 415).
    pub(super) fn file(&self) -> Result<&[u8], ApiError> {
        let kind = self.content_type.as_deref().and_then(|c| c.split(';').next()).map(str::trim).unwrap_or_default();
        if WAV_TYPES.iter().any(|t| kind.eq_ignore_ascii_case(t)) {
            Ok(&self.bytes)
        } else {
            Err(ApiError::status(StatusCode::UNSUPPORTED_MEDIA_TYPE, format!("send the WAV file as audio/wav or application/octet-stream, not `{kind}`")))
        }
    }
}

/// Uploads larger than this are refused (413): two minutes of 48 kHz stereo fit.
const MAX_UPLOAD: usize = 24 * 1024 * 1024;

impl Payload for WavUpload {
    const CONTENT_TYPE: &'static str = "application/octet-stream";

    // Any content type reaches the operation, which checks it after the token.
    fn check_content_type(_content_type: &str) -> bool {
        true
    }

    fn schema_ref() -> MetaSchemaRef {
        <poem_openapi::types::Binary<Vec<u8>> as poem_openapi::types::Type>::schema_ref()
    }

    fn register(_registry: &mut Registry) {}
}

impl ParsePayload for WavUpload {
    const IS_REQUIRED: bool = true;

    async fn from_request(request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let body = poem::Body::from_request(request, body).await?;
        let bytes = body.into_bytes_limit(MAX_UPLOAD).await.map_err(|e| match e {
            poem::error::ReadBodyError::PayloadTooLarge => poem::Error::from_string(format!("the WAV exceeds {MAX_UPLOAD} bytes"), StatusCode::PAYLOAD_TOO_LARGE),
            other => poem::Error::from_string(format!("cannot read the body: {other}"), StatusCode::BAD_REQUEST),
        })?;
        Ok(WavUpload { bytes: bytes.to_vec(), content_type: request.content_type().map(str::to_owned) })
    }
}

impl_apirequest_for_payload!(WavUpload);

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

    /// The greeting callers of the box hear (the box's own, else the default), with its
    /// tone.
    #[oai(path = "/voicemail/:extension/greeting", method = "get", operation_id = "get_voicemail_greeting", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn greeting(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, extension: Path<String>) -> Result<WavAnswer, ApiError> {
        auth.require(Access::Read)?;
        let ext = self::extension(&state, &extension.0)?;
        let path = boxes(&state)?.greeting(&ext.extension.id);
        let bytes = tokio::fs::read(&path).await.map_err(|e| ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, format!("the greeting cannot be read: {e}")))?;
        Ok(WavAnswer::Ok(Wav(bytes)))
    }

    /// Upload the box's own greeting (the body is the WAV file, as `application/octet-stream`
    /// or `audio/wav`): 16-bit PCM, mono or stereo, 8 to 48 kHz, at most 120 s; it is converted to 8 kHz mono and the tone is put after it. Anything
    /// else is refused (422 with the reason).
    #[oai(path = "/voicemail/:extension/greeting", method = "put", operation_id = "upload_voicemail_greeting", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn upload_greeting(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, extension: Path<String>, body: WavUpload) -> Result<Json<GreetingView>, ApiError> {
        auth.require(Access::Admin)?;
        let ext = self::extension(&state, &extension.0)?;
        let file = body.file()?;
        match boxes(&state)?.set_greeting(&ext.extension.id, file) {
            Ok(seconds) => Ok(Json(GreetingView { custom: true, duration_s: Some(seconds) })),
            Err(crate::voicemail::GreetingError::Wav(e)) => Err(crate::model::Invalid::one("body", e.to_string()).into()),
            Err(crate::voicemail::GreetingError::Write(e)) => Err(failed(e)),
        }
    }

    /// Back to the default greeting.
    #[oai(path = "/voicemail/:extension/greeting", method = "delete", operation_id = "delete_voicemail_greeting", tag = "crate::api::state::ApiTag::Voicemail")]
    async fn delete_greeting(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, extension: Path<String>) -> Result<super::Deleted, ApiError> {
        auth.require(Access::Admin)?;
        let ext = self::extension(&state, &extension.0)?;
        if !boxes(&state)?.remove_greeting(&ext.extension.id) {
            return Err(ApiError::status(StatusCode::NOT_FOUND, "the box has no greeting of its own"));
        }
        Ok(super::Deleted::Deleted)
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

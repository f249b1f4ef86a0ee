//! `/api/v1/calls/{id}/recording` (start and stop recording a live call) and
//! `/api/v1/recordings` (finished recordings: list, download, delete).

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::auth::BearerToken;
use super::error::ApiError;
use super::state::ApiState;
use crate::auth::scope::Access;
use crate::media::recording::{Recording, Recordings};
use crate::sip::b2bua::event::RecordAnswer;

#[derive(Debug, Object)]
pub struct RecordingList {
    /// Oldest first.
    pub items: Vec<Recording>,
    pub total: i64,
}

#[derive(ApiResponse)]
pub enum RecordingStarted {
    /// The relay records the call now; the recording is ready (`recording.ready`) when the
    /// call ends.
    #[oai(status = 202)]
    Accepted,
}

/// A WAV file (`audio/wav`).
pub struct Wav(pub Vec<u8>);

impl poem_openapi::payload::Payload for Wav {
    const CONTENT_TYPE: &'static str = "audio/wav";

    fn schema_ref() -> poem_openapi::registry::MetaSchemaRef {
        <poem_openapi::types::Binary<Vec<u8>> as poem_openapi::types::Type>::schema_ref()
    }
}

impl poem::IntoResponse for Wav {
    fn into_response(self) -> poem::Response {
        poem::Response::builder().content_type("audio/wav").body(self.0)
    }
}

#[derive(ApiResponse)]
pub enum WavAnswer {
    #[oai(status = 200)]
    Ok(Wav),
}

pub struct RecordingsApi;

fn recordings(state: &ApiState) -> Result<Arc<Recordings>, ApiError> {
    state
        .sip
        .as_ref()
        .and_then(|sip| sip.b2bua.media.recordings.clone())
        .ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "recording needs the local media relay (`--rtpengine local`)"))
}

async fn record(state: &ApiState, id: &str, start: bool) -> Result<(), ApiError> {
    let sip = state.sip.as_ref().ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "the SIP core is not running"))?;
    match sip.b2bua.calls.record(id, start).await {
        None => Err(ApiError::status(StatusCode::NOT_FOUND, format!("no live call with id `{id}`"))),
        Some(RecordAnswer::Done) => Ok(()),
        Some(RecordAnswer::NotAnswered) => Err(ApiError::status(StatusCode::CONFLICT, format!("call `{id}` is not answered yet"))),
        Some(RecordAnswer::NotRelayed) => Err(ApiError::status(
            StatusCode::CONFLICT,
            format!("call `{id}` does not go through the local media relay (see media_mode and --rtpengine local)"),
        )),
        Some(RecordAnswer::Refused) => Err(ApiError::status(StatusCode::CONFLICT, format!("a party of call `{id}` has recording: never"))),
        Some(RecordAnswer::Failed) => Err(ApiError::status(StatusCode::BAD_GATEWAY, "the media relay did not record")),
    }
}

#[OpenApi(prefix_path = "/api/v1")]
impl RecordingsApi {
    /// Start recording a live, relayed call (both parties). 409 when it is not answered,
    /// not relayed, or a party has `recording: never`.
    #[oai(path = "/calls/:id/recording", method = "post", operation_id = "start_call_recording", tag = "crate::api::state::ApiTag::Recordings")]
    async fn start(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<RecordingStarted, ApiError> {
        auth.require(Access::Calls)?;
        record(&state, &id.0, true).await.map(|()| RecordingStarted::Accepted)
    }

    /// Stop recording a live call (what was recorded becomes a recording when it ends).
    #[oai(path = "/calls/:id/recording", method = "delete", operation_id = "stop_call_recording", tag = "crate::api::state::ApiTag::Recordings")]
    async fn stop(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<super::Deleted, ApiError> {
        auth.require(Access::Calls)?;
        record(&state, &id.0, false).await.map(|()| super::Deleted::Deleted)
    }

    /// Finished recordings, oldest first.
    #[oai(path = "/recordings", method = "get", operation_id = "list_recordings", tag = "crate::api::state::ApiTag::Recordings")]
    async fn list(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<RecordingList>, ApiError> {
        auth.require(Access::Read)?;
        let items = recordings(&state)?.list();
        Ok(Json(RecordingList { total: items.len() as i64, items }))
    }

    /// One recording's description.
    #[oai(path = "/recordings/:id", method = "get", operation_id = "get_recording", tag = "crate::api::state::ApiTag::Recordings")]
    async fn get(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<Json<Recording>, ApiError> {
        auth.require(Access::Read)?;
        recordings(&state)?.get(&id.0).map(Json).ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, format!("no recording `{}`", id.0)))
    }

    /// The recording as WAV (8 kHz mono, both parties). Needs the `calls` or `admin`
    /// scope: a `read` token lists recordings but cannot listen to them.
    #[oai(path = "/recordings/:id/audio", method = "get", operation_id = "download_recording", tag = "crate::api::state::ApiTag::Recordings")]
    async fn audio(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<WavAnswer, ApiError> {
        auth.require(Access::Calls)?;
        recordings(&state)?.audio(&id.0).map(|w| WavAnswer::Ok(Wav(w))).ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, format!("no recording `{}`", id.0)))
    }

    /// Delete a recording (`calls` or `admin` scope).
    #[oai(path = "/recordings/:id", method = "delete", operation_id = "delete_recording", tag = "crate::api::state::ApiTag::Recordings")]
    async fn delete(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<super::Deleted, ApiError> {
        auth.require(Access::Calls)?;
        if recordings(&state)?.delete(&id.0) {
            Ok(super::Deleted::Deleted)
        } else {
            Err(ApiError::status(StatusCode::NOT_FOUND, format!("no recording `{}`", id.0)))
        }
    }
}

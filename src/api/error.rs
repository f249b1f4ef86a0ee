//! Problem-details error bodies (RFC 9457 fields) for every failure the API answers.
//! They are served as `application/json`, the media type the OpenAPI document declares,
//! so generated clients decode them without special cases.

use poem::http::StatusCode;
use poem::{Endpoint, IntoResponse, Request, Response};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};

use crate::model::{FieldError, Invalid};
use crate::provisioning::ProvisionError;
use crate::store::{Outage, StoreError};

/// An error answer. `errors` names each offending field when there are any.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Problem {
    /// A URI naming the problem class, e.g. `https://callplane.dev/problems/invalid-value`.
    #[oai(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[oai(default)]
    pub errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        let (slug, title) = match status.as_u16() {
            400 => ("bad-request", "Malformed request"),
            401 => ("unauthorized", "Authentication required"),
            403 => ("forbidden", "Insufficient scope"),
            404 => ("not-found", "Not found"),
            405 => ("method-not-allowed", "Method not allowed"),
            409 => ("conflict", "Conflict"),
            413 => ("payload-too-large", "Request body too large"),
            415 => ("unsupported-media-type", "Unsupported media type"),
            422 => ("invalid-value", "Invalid value"),
            503 => ("unavailable", "Temporarily unavailable"),
            _ if status.is_server_error() => ("internal", "Internal error"),
            _ => ("error", "Error"),
        };
        Problem {
            kind: format!("https://callplane.dev/problems/{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    pub fn with_field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.errors.push(FieldError { field: field.into(), message: message.into() });
        self
    }

    pub fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut resp = Json(self).into_response();
        resp.set_status(status);
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(poem::http::header::WWW_AUTHENTICATE, poem::http::HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

/// The error responses operations declare in the OpenAPI document.
#[derive(Debug, ApiResponse)]
pub enum ApiError {
    /// Malformed JSON, a wrong type or an unknown field.
    #[oai(status = 400)]
    BadRequest(Json<Problem>),
    /// Missing, expired, tampered or revoked token.
    #[oai(status = 401)]
    Unauthorized(Json<Problem>),
    /// The token's scope does not allow this operation.
    #[oai(status = 403)]
    Forbidden(Json<Problem>),
    #[oai(status = 404)]
    NotFound(Json<Problem>),
    /// A duplicate value, a delete that would orphan a reference, or a concurrent change.
    #[oai(status = 409)]
    Conflict(Json<Problem>),
    #[oai(status = 413)]
    PayloadTooLarge(Json<Problem>),
    /// The body is not `application/json`.
    #[oai(status = 415)]
    UnsupportedMediaType(Json<Problem>),
    /// A value is syntactically fine but not acceptable (bad CIDR, letters in a number...).
    #[oai(status = 422)]
    Unprocessable(Json<Problem>),
    #[oai(status = 500)]
    Internal(Json<Problem>),
    /// The configuration store cannot be reached (the detail says whether a change may
    /// have been made). Retry after the given number of seconds.
    #[oai(status = 503)]
    Unavailable(Json<Problem>, #[oai(header = "Retry-After")] u32),
}

/// What an answer refused for a store outage asks the client to wait, in seconds.
const STORE_RETRY_AFTER_S: u32 = 5;

impl ApiError {
    pub fn from_problem(p: Problem) -> Self {
        match p.status {
            400 => ApiError::BadRequest(Json(p)),
            401 => ApiError::Unauthorized(Json(p)),
            403 => ApiError::Forbidden(Json(p)),
            404 => ApiError::NotFound(Json(p)),
            409 => ApiError::Conflict(Json(p)),
            413 => ApiError::PayloadTooLarge(Json(p)),
            415 => ApiError::UnsupportedMediaType(Json(p)),
            422 => ApiError::Unprocessable(Json(p)),
            503 => ApiError::Unavailable(Json(p), STORE_RETRY_AFTER_S),
            _ => ApiError::Internal(Json(p)),
        }
    }

    pub fn status(status: StatusCode, detail: impl Into<String>) -> Self {
        Self::from_problem(Problem::new(status, detail))
    }

    pub fn field(status: StatusCode, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::from_problem(Problem::new(status, format!("{field}: {message}")).with_field(field, message))
    }
}

impl From<Invalid> for ApiError {
    fn from(e: Invalid) -> Self {
        let mut p = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string());
        p.errors = e.0;
        ApiError::from_problem(p)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let detail = e.to_string();
        if let Some(outage) = e.outage() {
            tracing::warn!(error = %detail, "configuration store unreachable; request refused");
            let detail = match outage {
                Outage::Unreached => "the configuration store is unreachable; nothing was changed, retry later",
                Outage::ConnectionLost => {
                    "the connection to the configuration store broke; a change may or may not have been made: read it back before retrying"
                }
            };
            return ApiError::status(StatusCode::SERVICE_UNAVAILABLE, detail);
        }
        match e {
            StoreError::NotFound { .. } | StoreError::NoSuchSigningKey { .. } => ApiError::status(StatusCode::NOT_FOUND, detail),
            StoreError::Conflict { field, .. } => {
                ApiError::from_problem(Problem::new(StatusCode::CONFLICT, detail.clone()).with_field(field, detail))
            }
            StoreError::Referenced { .. } | StoreError::Stale { .. } | StoreError::SigningKeyInUse { .. } => ApiError::status(StatusCode::CONFLICT, detail),
            StoreError::DanglingReference { field, .. } => ApiError::from_problem(
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail.clone()).with_field(field, detail),
            ),
            StoreError::Corrupt { .. } | StoreError::Database(_) | StoreError::Migrate(_) | StoreError::Unreadable(_) => {
                tracing::error!(error = %detail, "store failure");
                ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, "the configuration store failed; see the server log")
            }
        }
    }
}

impl From<ProvisionError> for ApiError {
    fn from(e: ProvisionError) -> Self {
        match e {
            ProvisionError::Invalid(i) => i.into(),
            ProvisionError::Store(s) => s.into(),
        }
    }
}

/// Turns every error answer that did not come from an operation (unknown path, wrong
/// method, missing token, unsupported media type...) into a problem body too.
pub async fn problem_bodies<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let resp = match next.call(req).await {
        Ok(r) => r.into_response(),
        Err(e) => e.into_response(),
    };
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(resp);
    }
    let is_json = resp
        .headers()
        .get(poem::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    if is_json {
        let mut resp = resp;
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(poem::http::header::WWW_AUTHENTICATE, poem::http::HeaderValue::from_static("Bearer"));
        }
        return Ok(resp);
    }
    let text = resp.into_body().into_string().await.unwrap_or_default();
    let detail = if status == StatusCode::UNAUTHORIZED && text == "authorization error" {
        "send `Authorization: Bearer <token>`; mint one with `callplane token create`".to_owned()
    } else if text.trim().is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text
    };
    let mut problem = Problem::new(status, detail);
    // poem-openapi's parameter errors name the parameter: make it the field.
    if let Some(name) = problem.detail.strip_prefix("failed to parse parameter `").and_then(|r| r.split('`').next()) {
        let message = problem.detail.split_once(": ").map_or(problem.detail.as_str(), |(_, m)| m).to_owned();
        problem = problem.clone().with_field(name.to_owned(), message);
    }
    Ok(problem.into_response())
}

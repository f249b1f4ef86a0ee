//! `/api/v1/api-tokens`: mint, list, describe and revoke API tokens (admin only).

use std::sync::Arc;

use chrono::Utc;
use poem::http::StatusCode;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

use super::state::ApiState;
use super::auth::BearerToken;
use super::body::JsonBody;
use super::error::ApiError;
use super::pagination::{page_request, page_type};
use crate::auth::scope::Access;
use crate::model::SecretChange;
use crate::model::api_token::{ApiToken, ApiTokenCreate, ApiTokenCreated, ApiTokenPatch};

page_type!(ApiTokenPage, ApiToken);

#[derive(ApiResponse)]
pub enum TokenMinted {
    /// The token is shown once; store it now.
    #[oai(status = 201)]
    Created(Json<ApiTokenCreated>),
}

pub struct TokensApi;

#[OpenApi(prefix_path = "/api/v1")]
impl TokensApi {
    /// List tokens (never the token strings themselves).
    #[oai(path = "/api-tokens", method = "get", operation_id = "list_api_tokens", tag = "crate::api::state::ApiTag::ApiTokens")]
    async fn list(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        /// Page size, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<ApiTokenPage>, ApiError> {
        auth.require(Access::Admin)?;
        let page = page_request(limit.0, cursor.0, None)?;
        Ok(Json(state.provisioner.store().list::<ApiToken>(&page).await?.into()))
    }

    /// Mint a token with a scope and lifetime.
    #[oai(path = "/api-tokens", method = "post", operation_id = "create_api_token", tag = "crate::api::state::ApiTag::ApiTokens")]
    async fn create(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, body: JsonBody<ApiTokenCreate>) -> Result<TokenMinted, ApiError> {
        auth.require(Access::Admin)?;
        let subject = format!("api:{}", auth.0.jti);
        let record = state.provisioner.create::<ApiToken>(body.parse()?).await?;
        let ttl = (record.expires_at - record.created_at).to_std().unwrap_or_default();
        let (token, _) = state
            .signer
            .sign(&record.id, &subject, record.scope, ttl)
            .map_err(|e| ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        Ok(TokenMinted::Created(Json(ApiTokenCreated { token, api_token: record })))
    }

    /// One API token's record (never the token itself).
    #[oai(path = "/api-tokens/:id", method = "get", operation_id = "get_api_token", tag = "crate::api::state::ApiTag::ApiTokens")]
    async fn get(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<Json<ApiToken>, ApiError> {
        auth.require(Access::Admin)?;
        Ok(Json(state.provisioner.store().get::<ApiToken>(&id.0).await?.value))
    }

    /// Change a token's description.
    #[oai(path = "/api-tokens/:id", method = "patch", operation_id = "update_api_token", tag = "crate::api::state::ApiTag::ApiTokens")]
    async fn update(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>, body: JsonBody<ApiTokenPatch>) -> Result<Json<ApiToken>, ApiError> {
        auth.require(Access::Admin)?;
        Ok(Json(state.provisioner.update::<ApiToken>(&id.0, body.parse()?).await?))
    }

    /// Revoke a token: it is refused from this moment on. The record stays listed.
    #[oai(path = "/api-tokens/:id", method = "delete", operation_id = "revoke_api_token", tag = "crate::api::state::ApiTag::ApiTokens")]
    async fn revoke(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<super::Deleted, ApiError> {
        auth.require(Access::Admin)?;
        let revoked = state
            .provisioner
            .modify::<ApiToken>(&id.0, |t| {
                let mut t = t.clone();
                let now = Utc::now();
                t.revoked_at.get_or_insert(now);
                t.updated_at = now;
                Ok((t, SecretChange::Keep))
            })
            .await?;
        state.signer.revoke(&revoked.id);
        Ok(super::Deleted::Deleted)
    }
}

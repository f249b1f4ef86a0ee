//! `/api/v1/security/signing-keys`: the keys API tokens are signed with. Rotate by adding a
//! key (it signs from then on; tokens signed with older keys stay valid), re-issue your
//! tokens, then retire the old key (its tokens stop working at once, on every node).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use poem::http::StatusCode;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use rand::RngCore;

use super::auth::BearerToken;
use super::error::ApiError;
use super::state::ApiState;
use crate::auth::scope::Access;

/// A signing key (its secret never leaves the store).
#[derive(Debug, Clone, Object)]
pub struct SigningKeyView {
    /// The `kid` of the tokens it signs.
    pub id: String,
    pub created_at: DateTime<Utc>,
    /// Whether new tokens are signed with it (the newest key).
    pub signing: bool,
}

#[derive(Debug, Clone, Object)]
pub struct SigningKeyList {
    /// Oldest first.
    pub items: Vec<SigningKeyView>,
}

#[derive(ApiResponse)]
pub enum KeyAdded {
    /// The new key, which signs from now on.
    #[oai(status = 201)]
    Created(Json<SigningKeyView>),
}

pub struct SigningKeysApi;

/// Keys are kept in the store unless the configuration sets one (`jwt_secret`).
fn rotatable(state: &ApiState) -> Result<(), ApiError> {
    if state.fixed_signing_key {
        return Err(ApiError::status(StatusCode::CONFLICT, "the signing key is set in the configuration (`jwt_secret`): change it there"));
    }
    Ok(())
}

/// Puts the store's keys in force on this node (the others take them from the change log).
async fn reload(state: &ApiState) -> Result<(), ApiError> {
    let keys = state.provisioner.store().signing_keys().await?;
    state.signer.set_keys(&keys);
    Ok(())
}

#[OpenApi(prefix_path = "/api/v1")]
impl SigningKeysApi {
    /// The keys tokens are verified with, oldest first; the newest signs.
    #[oai(path = "/security/signing-keys", method = "get", operation_id = "list_signing_keys", tag = "crate::api::state::ApiTag::Security")]
    async fn list(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<SigningKeyList>, ApiError> {
        auth.require(Access::Read)?;
        let signing = state.signer.signing_key_id();
        let items = state
            .provisioner
            .store()
            .signing_key_infos()
            .await?
            .into_iter()
            .map(|k| SigningKeyView { signing: k.id == signing, id: k.id, created_at: k.created_at })
            .collect();
        Ok(Json(SigningKeyList { items }))
    }

    /// Add a new random key: new tokens are signed with it on every node; tokens signed
    /// with older keys stay valid until those are retired.
    #[oai(path = "/security/signing-keys", method = "post", operation_id = "rotate_signing_key", tag = "crate::api::state::ApiTag::Security")]
    async fn rotate(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<KeyAdded, ApiError> {
        auth.require(Access::Admin)?;
        rotatable(&state)?;
        let mut secret = [0u8; 64];
        rand::rng().fill_bytes(&mut secret);
        let id = format!("k{}", uuid::Uuid::now_v7().simple());
        let added = state.provisioner.store().add_signing_key(&id, &secret).await?;
        reload(&state).await?;
        tracing::warn!(key = %id, "a new API token signing key signs from now on");
        Ok(KeyAdded::Created(Json(SigningKeyView { id: added.id, created_at: added.created_at, signing: true })))
    }

    /// Retire a key: every token it signed is refused from now on, on every node. The key
    /// that signs cannot be retired (409): add a newer one first.
    #[oai(path = "/security/signing-keys/:id", method = "delete", operation_id = "retire_signing_key", tag = "crate::api::state::ApiTag::Security")]
    async fn retire(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<super::Deleted, ApiError> {
        auth.require(Access::Admin)?;
        rotatable(&state)?;
        state.provisioner.store().retire_signing_key(&id.0).await?;
        reload(&state).await?;
        tracing::warn!(key = %id.0, "an API token signing key was retired; the tokens it signed are refused");
        Ok(super::Deleted::Deleted)
    }
}

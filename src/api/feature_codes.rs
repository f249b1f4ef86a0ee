//! `/api/v1/feature-codes`: what phones dial for pickup, park, do-not-disturb and
//! forwarding.

use std::sync::Arc;

use poem_openapi::OpenApi;
use poem_openapi::payload::Json;

use super::auth::BearerToken;
use super::body::JsonBody;
use super::error::ApiError;
use super::state::ApiState;
use crate::auth::scope::Access;
use crate::model::feature_codes::{FeatureCodes, FeatureCodesPatch};

pub struct FeatureCodesApi;

#[OpenApi(prefix_path = "/api/v1")]
impl FeatureCodesApi {
    /// The feature codes in force (the defaults until changed).
    #[oai(path = "/feature-codes", method = "get", operation_id = "get_feature_codes", tag = "crate::api::state::ApiTag::FeatureCodes")]
    async fn get(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<FeatureCodes>, ApiError> {
        auth.require(Access::Read)?;
        Ok(Json(FeatureCodes::clone(&state.snapshot.get().feature_codes)))
    }

    /// Replace every feature code. Codes are 1 to 16 of digits, `*` and `#`; no code may
    /// equal another or start with a code that takes a number after it; none may collide
    /// with an extension's or ring group's number (422 naming the field).
    #[oai(path = "/feature-codes", method = "put", operation_id = "replace_feature_codes", tag = "crate::api::state::ApiTag::FeatureCodes")]
    async fn put(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, body: JsonBody<FeatureCodes>) -> Result<Json<FeatureCodes>, ApiError> {
        auth.require(Access::Admin)?;
        let codes = body.parse()?;
        Ok(Json(state.provisioner.set_feature_codes(|_| codes).await?))
    }

    /// Change some feature codes: only the fields given change.
    #[oai(path = "/feature-codes", method = "patch", operation_id = "update_feature_codes", tag = "crate::api::state::ApiTag::FeatureCodes")]
    async fn patch(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, body: JsonBody<FeatureCodesPatch>) -> Result<Json<FeatureCodes>, ApiError> {
        auth.require(Access::Admin)?;
        let patch = body.parse()?;
        Ok(Json(state.provisioner.set_feature_codes(|current| current.apply(patch)).await?))
    }
}

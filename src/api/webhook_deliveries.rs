//! `/api/v1/webhooks/{id}/deliveries`: what was sent to a webhook and how it went.

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::state::ApiState;
use super::auth::BearerToken;
use super::error::ApiError;
use crate::auth::scope::Access;
use crate::model::webhook::Webhook;
use crate::store::outbox::Delivery;

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DeliveryList {
    /// Newest first.
    pub items: Vec<Delivery>,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TestSent {
    /// The `seq` of the `webhook.test` event queued for delivery.
    pub seq: u64,
    pub event_id: String,
}

pub struct WebhookDeliveriesApi;

#[OpenApi(prefix_path = "/api/v1")]
impl WebhookDeliveriesApi {
    /// Recent deliveries of a webhook with attempts, status codes and latency.
    #[oai(path = "/webhooks/:id/deliveries", method = "get", operation_id = "list_webhook_deliveries", tag = "crate::api::state::ApiTag::Webhooks")]
    async fn list(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        id: Path<String>,
        /// How many, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u32>>,
    ) -> Result<Json<DeliveryList>, ApiError> {
        auth.require(Access::Read)?;
        let store = state.provisioner.store();
        store.get::<Webhook>(&id.0).await?;
        let limit = limit.0.unwrap_or(50);
        if limit == 0 || limit > 500 {
            return Err(ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "limit", "must be between 1 and 500"));
        }
        Ok(Json(DeliveryList { items: store.list_deliveries(&id.0, limit).await? }))
    }

    /// Send a `webhook.test` event to this webhook only (whatever its filters); see the
    /// outcome in its deliveries.
    #[oai(path = "/webhooks/:id/test", method = "post", operation_id = "test_webhook", tag = "crate::api::state::ApiTag::Webhooks")]
    async fn test(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<Json<TestSent>, ApiError> {
        auth.require(Access::Admin)?;
        state.provisioner.store().get::<Webhook>(&id.0).await?;
        // Committed before the answer, so its seq is known (and the ping is never lost).
        let draft = crate::events::Draft::new(crate::events::EventPayload::WebhookTest(crate::events::types::WebhookTestData { webhook_id: id.0.clone() }));
        let stored = state.provisioner.store().append_events(std::slice::from_ref(&draft)).await?;
        state.bus.announce_stored(draft);
        let event = stored.first().ok_or_else(|| ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, "the test event was not stored"))?;
        Ok(Json(TestSent { seq: event.seq, event_id: event.id.clone() }))
    }

    /// Queue a delivery again, due now.
    #[oai(path = "/webhooks/:id/deliveries/:delivery_id/redeliver", method = "post", operation_id = "redeliver_webhook_delivery", tag = "crate::api::state::ApiTag::Webhooks")]
    async fn redeliver(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        id: Path<String>,
        delivery_id: Path<String>,
    ) -> Result<super::Deleted, ApiError> {
        auth.require(Access::Admin)?;
        if state.provisioner.store().redeliver(&id.0, &delivery_id.0).await? {
            Ok(super::Deleted::Deleted)
        } else {
            Err(ApiError::status(StatusCode::NOT_FOUND, format!("no delivery `{}` for webhook `{}`", delivery_id.0, id.0)))
        }
    }
}

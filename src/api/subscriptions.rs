//! `/api/v1/subscriptions` (what phones watch: lamps, presence, mailboxes) and
//! `/api/v1/extensions/{id}/message-waiting` (a mailbox's counts, which light the lamp).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use poem::http::StatusCode;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::auth::BearerToken;
use super::body::JsonBody;
use super::error::ApiError;
use super::state::ApiState;
use crate::auth::scope::Access;
use crate::events::types::MessageWaitingData;
use crate::events::{Draft, EventPayload};
use crate::model::extension::Extension;
use crate::model::mailbox::MessageCounts;
use crate::sip::subscriptions::package::Package;

/// A subscription a phone holds on this node.
#[derive(Debug, Clone, Object)]
pub struct SubscriptionView {
    pub id: String,
    /// `dialog` (busy lamp), `presence` or `message-summary`.
    pub package: Package,
    /// The watched extension's number.
    pub resource: String,
    /// The subscribing extension's number.
    pub subscriber: String,
    /// The subscriber's address (`ip:port`) and transport.
    pub source: String,
    pub transport: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
pub struct SubscriptionList {
    pub items: Vec<SubscriptionView>,
    pub total: i64,
}

pub struct SubscriptionsApi;

#[OpenApi(prefix_path = "/api/v1")]
impl SubscriptionsApi {
    /// The subscriptions phones hold on this node, oldest first. They live in the node's
    /// memory: after a restart phones subscribe again.
    #[oai(path = "/subscriptions", method = "get", operation_id = "list_subscriptions", tag = "crate::api::state::ApiTag::Registrations")]
    async fn list(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<SubscriptionList>, ApiError> {
        auth.require(Access::Read)?;
        let Some(sip) = &state.sip else { return Err(ApiError::status(StatusCode::NOT_FOUND, "the SIP core is not running")) };
        let items: Vec<SubscriptionView> = sip
            .subscriptions
            .list()
            .iter()
            .map(|s| SubscriptionView {
                id: s.id.clone(),
                package: s.package,
                resource: s.resource.clone(),
                subscriber: s.subscriber.clone(),
                source: s.source.addr.to_string(),
                transport: s.source.proto.as_str().to_owned(),
                created_at: s.created_at,
                expires_at: s.expires_at(),
            })
            .collect();
        Ok(Json(SubscriptionList { total: items.len() as i64, items }))
    }

    /// A mailbox's message counts (zero until set).
    #[oai(path = "/extensions/:id/message-waiting", method = "get", operation_id = "get_message_waiting", tag = "crate::api::state::ApiTag::Extensions")]
    async fn get(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>) -> Result<Json<MessageCounts>, ApiError> {
        auth.require(Access::Read)?;
        let store = state.provisioner.store();
        store.get::<Extension>(&id.0).await?;
        Ok(Json(store.mailbox(&id.0).await?))
    }

    /// Set a mailbox's message counts, as a CRM or an external voicemail knows them: the
    /// extension's phones subscribed to `message-summary` are told (their lamp lights when
    /// `new_messages` > 0), and `message_waiting.changed` is published.
    #[oai(path = "/extensions/:id/message-waiting", method = "put", operation_id = "set_message_waiting", tag = "crate::api::state::ApiTag::Extensions")]
    async fn put(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, id: Path<String>, body: JsonBody<MessageCounts>) -> Result<Json<MessageCounts>, ApiError> {
        auth.require(Access::Admin)?;
        let counts = body.parse()?;
        counts.check()?;
        let store = state.provisioner.store();
        let ext = store.get::<Extension>(&id.0).await?.value;
        let event = Draft::new(EventPayload::MessageWaitingChanged(MessageWaitingData {
            extension_id: ext.id.clone(),
            number: ext.number.to_string(),
            new_messages: counts.new_messages,
            old_messages: counts.old_messages,
            new_urgent: counts.new_urgent,
            old_urgent: counts.old_urgent,
        }));
        store.put_mailbox(&ext.id, counts, &event).await?;
        state.bus.announce_stored(event);
        Ok(Json(counts))
    }
}

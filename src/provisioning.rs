//! The one writer of configuration: validates, commits to the store, applies the change
//! to the snapshot and publishes `config.changed`, in that order and one change at a time,
//! so the snapshot always reflects the commits in the order they happened.

use crate::events::EventPayload;
use crate::events::types::ConfigChangedData;
use std::sync::Arc;

use chrono::Utc;
use tokio::sync::Mutex;

use crate::events::{Draft, EventBus};
use crate::model::feature_codes::FeatureCodes;
use crate::model::{Invalid, Resource, SecretChange, new_id};
use crate::snapshot::{SnapshotHandle, Snapshotted};
use crate::store::{Store, StoreError, Stored};

#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error("invalid request: {0}")]
    Invalid(Invalid),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Invalid> for ProvisionError {
    fn from(e: Invalid) -> Self {
        ProvisionError::Invalid(e)
    }
}

pub struct Provisioner {
    store: Store,
    snapshot: Arc<SnapshotHandle>,
    bus: Arc<EventBus>,
    writer: Mutex<()>,
}

#[derive(Clone, Copy)]
enum Action {
    Created,
    Updated,
    Deleted,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated => "updated",
            Action::Deleted => "deleted",
        }
    }
}

impl Provisioner {
    pub fn new(store: Store, snapshot: Arc<SnapshotHandle>, bus: Arc<EventBus>) -> Self {
        Self { store, snapshot, bus, writer: Mutex::new(()) }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub async fn create<R: Provisioned>(&self, request: R::Create) -> Result<R, ProvisionError> {
        let _writer = self.writer.lock().await;
        let (value, secret) = R::create(new_id(), Utc::now(), request)?;
        value.check_snapshot(&self.snapshot.get())?;
        value.check_runtime()?;
        let event = self.change_event::<R>(value.id(), Action::Created);
        self.store.insert(&value, &secret, Some(&event)).await?;
        let secret = match secret {
            SecretChange::Set(s) => Some(s),
            SecretChange::Keep | SecretChange::Clear => None,
        };
        self.applied(Stored { value: value.clone(), secret, revision: 1 }, event);
        Ok(value)
    }

    pub async fn update<R: Provisioned>(&self, id: &str, patch: R::Patch) -> Result<R, ProvisionError> {
        self.modify::<R>(id, |old| old.patch(Utc::now(), patch)).await
    }

    /// Read-modify-write of one resource under the writer lock.
    pub async fn modify<R: Provisioned>(
        &self,
        id: &str,
        change: impl FnOnce(&R) -> Result<(R, SecretChange), Invalid>,
    ) -> Result<R, ProvisionError> {
        let _writer = self.writer.lock().await;
        let old = self.store.get::<R>(id).await?;
        let (value, secret) = change(&old.value)?;
        value.check_snapshot(&self.snapshot.get())?;
        value.check_runtime()?;
        let event = self.change_event::<R>(value.id(), Action::Updated);
        let stored = self.store.update(&old, &value, &secret, Some(&event)).await?;
        self.applied(stored, event);
        Ok(value)
    }

    pub async fn delete<R: Snapshotted>(&self, id: &str) -> Result<R, ProvisionError> {
        let _writer = self.writer.lock().await;
        let event = self.change_event::<R>(id, Action::Deleted);
        let stored = self.store.delete::<R>(id, Some(&event)).await?;
        self.snapshot.update(|s| R::remove(s, id));
        self.announce(event);
        Ok(stored.value)
    }

    /// Changes the feature codes (`change` gets the current ones): validated, checked
    /// against the numbers in use, stored with their `config.changed`, then in force.
    pub async fn set_feature_codes(&self, change: impl FnOnce(&FeatureCodes) -> FeatureCodes) -> Result<FeatureCodes, ProvisionError> {
        let _writer = self.writer.lock().await;
        let snapshot = self.snapshot.get();
        let next = change(&snapshot.feature_codes);
        next.validate()?;
        let mut taken: Vec<_> = snapshot.numbers.keys().filter_map(|n| next.claims(n).map(|field| (field, n.clone()))).collect();
        taken.sort();
        if let Some((field, number)) = taken.into_iter().next() {
            return Err(Invalid::one(field, format!("collides with the number {number} of an extension or ring group")).into());
        }
        let event = Draft::new(EventPayload::ConfigChanged(ConfigChangedData {
            resource: crate::store::feature_codes::FEATURE_CODES.to_owned(),
            id: "1".to_owned(),
            action: Action::Updated.as_str().to_owned(),
            snapshot_version: snapshot.version + 1,
        }));
        self.store.save_feature_codes(&next, &event).await?;
        let codes = Arc::new(next.clone());
        self.snapshot.update(|s| s.feature_codes = codes);
        self.announce(event);
        Ok(next)
    }

    /// Loads the feature codes another node changed.
    pub async fn reload_feature_codes(&self) -> Result<(), StoreError> {
        let _writer = self.writer.lock().await;
        let codes = Arc::new(self.store.load_feature_codes().await?);
        let version = self.snapshot.update(|s| s.feature_codes = codes);
        tracing::info!(snapshot_version = version, "feature codes changed on another node");
        Ok(())
    }

    /// Applies a change another node committed to resource `kind`/`id`: the resource is read
    /// again from the store and put into the snapshot, or removed when it is gone. Under the
    /// writer lock, so local and remote changes never overwrite each other in the snapshot.
    /// `config.changed` is not published again: the node that made the change did (one
    /// event, one webhook delivery). False for a kind that is no configuration resource.
    pub async fn apply_remote(&self, kind: &str, id: &str, action: &str) -> Result<bool, StoreError> {
        use crate::model::kind::ResourceKind as K;
        use crate::model::{api_token::ApiToken, extension::Extension, ivr_menu::IvrMenu, lua_service::LuaService, ring_group::RingGroup, route::Route, trunk::Trunk, webhook::Webhook};
        let Some(kind) = K::parse(kind) else { return Ok(false) };
        let _writer = self.writer.lock().await;
        match kind {
            K::Extension => self.refresh::<Extension>(id, action).await?,
            K::Trunk => self.refresh::<Trunk>(id, action).await?,
            K::Route => self.refresh::<Route>(id, action).await?,
            K::RingGroup => self.refresh::<RingGroup>(id, action).await?,
            K::Webhook => self.refresh::<Webhook>(id, action).await?,
            K::ApiToken => self.refresh::<ApiToken>(id, action).await?,
            K::LuaService => self.refresh::<LuaService>(id, action).await?,
            K::IvrMenu => self.refresh::<IvrMenu>(id, action).await?,
        }
        Ok(true)
    }

    async fn refresh<R: Snapshotted>(&self, id: &str, action: &str) -> Result<(), StoreError> {
        let version = match self.store.get::<R>(id).await {
            Ok(stored) => self.snapshot.update(|s| R::put(s, stored)),
            Err(StoreError::NotFound { .. }) => self.snapshot.update(|s| R::remove(s, id)),
            Err(e) => return Err(e),
        };
        tracing::info!(resource = R::KIND.as_str(), id, action, snapshot_version = version, "configuration changed on another node");
        // This node's own reactions (a trunk registering again) follow; the event itself
        // is in the stream already, from the node that made the change.
        self.bus.react(config_changed::<R>(id, action, version));
        Ok(())
    }

    /// Rebuilds the whole snapshot from the store (a node that fell too far behind the
    /// change log), under the writer lock.
    pub async fn rebuild(&self) -> Result<u64, StoreError> {
        let _writer = self.writer.lock().await;
        self.snapshot.reload(&self.store).await
    }

    fn applied<R: Snapshotted>(&self, stored: Stored<R>, event: Draft) {
        self.snapshot.update(|s| R::put(s, stored));
        self.announce(event);
    }

    /// The `config.changed` of a change about to be committed (under the writer lock). It
    /// is written by the change's own transaction, so it is never lost nor told of a change
    /// that did not commit. Its `snapshot_version` is the one the change will make: only
    /// this writer moves the snapshot, under that lock.
    fn change_event<R: Resource>(&self, id: &str, action: Action) -> Draft {
        config_changed::<R>(id, action.as_str(), self.snapshot.get().version + 1)
    }

    /// Tells this node's subscribers of a committed change, and the feed.
    fn announce(&self, event: Draft) {
        tracing::info!(change = %event.data, "configuration changed");
        self.bus.announce_stored(event);
    }
}

/// The `config.changed` of resource `R`'s `id`.
fn config_changed<R: Resource>(id: &str, action: &str, snapshot_version: u64) -> Draft {
    Draft::new(EventPayload::ConfigChanged(ConfigChangedData {
        resource: R::KIND.as_str().to_owned(),
        id: id.to_owned(),
        action: action.to_owned(),
        snapshot_version,
    }))
}

/// What the provisioner checks beyond a resource's own validation: that it works in the
/// running system (a Lua service's source compiles in the sandbox with its limits).
pub trait Provisioned: Snapshotted {
    fn check_runtime(&self) -> Result<(), Invalid> {
        Ok(())
    }
}

impl Provisioned for crate::model::extension::Extension {}
impl Provisioned for crate::model::ring_group::RingGroup {}
impl Provisioned for crate::model::trunk::Trunk {}
impl Provisioned for crate::model::webhook::Webhook {}
impl Provisioned for crate::model::route::Route {}
impl Provisioned for crate::model::api_token::ApiToken {}
impl Provisioned for crate::model::ivr_menu::IvrMenu {}

impl Provisioned for crate::model::lua_service::LuaService {
    fn check_runtime(&self) -> Result<(), Invalid> {
        crate::lua::check_source(&self.name, &self.source, self.limits).map_err(|e| Invalid::one("source", e.to_string()))
    }
}

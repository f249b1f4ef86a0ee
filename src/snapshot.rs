//! The immutable in-memory view of configuration that the SIP core and the resolve
//! endpoint read. It is rebuilt from the store at start and then changed by copy-on-write
//! after every committed change, and swapped atomically, so readers never block and never
//! touch the database.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;

use crate::model::api_token::ApiToken;
use crate::model::extension::Extension;
use crate::model::ivr_menu::IvrMenu;
use crate::model::lua_service::LuaService;
use crate::model::ring_group::RingGroup;
use crate::model::route::Route;
use crate::model::trunk::Trunk;
use crate::model::webhook::Webhook;
use crate::model::{Resource, ResourceKind};
use crate::store::{Store, StoreError, Stored};

/// An extension with what the SIP core needs at hand: its password.
#[derive(Debug)]
pub struct ExtensionEntry {
    pub extension: Extension,
    pub password: Option<String>,
}

#[derive(Debug)]
pub struct TrunkEntry {
    pub trunk: Trunk,
    pub password: Option<String>,
}

#[derive(Debug)]
pub struct WebhookEntry {
    pub webhook: Webhook,
    pub secret: Option<String>,
}

/// Who owns a dialable number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberOwner {
    pub kind: ResourceKind,
    pub id: String,
}

#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Bumped on every change; reported by `/api/v1/status` and in resolve answers.
    pub version: u64,
    pub extensions: HashMap<String, Arc<ExtensionEntry>>,
    pub ring_groups: HashMap<String, Arc<RingGroup>>,
    pub trunks: HashMap<String, Arc<TrunkEntry>>,
    pub webhooks: HashMap<String, Arc<WebhookEntry>>,
    pub lua_services: HashMap<String, Arc<LuaService>>,
    pub ivr_menus: HashMap<String, Arc<IvrMenu>>,
    /// Extension, ring-group and IVR menu numbers.
    pub numbers: HashMap<String, NumberOwner>,
    /// Enabled and disabled routes, best first: longest prefix, then lowest priority, then id.
    pub routes: Arc<Vec<Arc<Route>>>,
    /// What phones dial for pickup, park, do-not-disturb and forwarding.
    pub feature_codes: Arc<crate::model::feature_codes::FeatureCodes>,
}

/// How a resource kind enters and leaves the snapshot.
pub trait Snapshotted: Resource {
    fn put(snapshot: &mut Snapshot, stored: Stored<Self>);
    fn remove(snapshot: &mut Snapshot, id: &str);
    /// References only the snapshot can check (built-in Lua services).
    fn check_snapshot(&self, _snapshot: &Snapshot) -> Result<(), crate::model::Invalid> {
        Ok(())
    }
}

/// A number newly given to an extension or ring group must not be a feature code or park
/// slot (a number it already had stays usable; the feature code wins when dialled).
fn check_number_free(s: &Snapshot, number: &str, id: &str) -> Result<(), crate::model::Invalid> {
    if s.numbers.get(number).is_some_and(|owner| owner.id == id) {
        return Ok(());
    }
    match s.feature_codes.claims(number) {
        Some(field) => Err(crate::model::Invalid::one("number", format!("is taken by the feature codes ({field}); see /api/v1/feature-codes"))),
        None => Ok(()),
    }
}

impl Snapshotted for Extension {
    fn check_snapshot(&self, s: &Snapshot) -> Result<(), crate::model::Invalid> {
        check_number_free(s, self.number.as_str(), &self.id)
    }

    fn put(s: &mut Snapshot, stored: Stored<Self>) {
        Self::remove(s, &stored.value.id);
        let ext = stored.value;
        s.numbers.insert(ext.number.as_str().to_owned(), NumberOwner { kind: ResourceKind::Extension, id: ext.id.clone() });
        s.extensions.insert(ext.id.clone(), Arc::new(ExtensionEntry { extension: ext, password: stored.secret }));
    }
    fn remove(s: &mut Snapshot, id: &str) {
        if let Some(old) = s.extensions.remove(id) {
            s.numbers.remove(old.extension.number.as_str());
        }
    }
}

impl Snapshotted for RingGroup {
    /// Its number is free; a voicemail fallback names an extension.
    fn check_snapshot(&self, s: &Snapshot) -> Result<(), crate::model::Invalid> {
        check_number_free(s, self.number.as_str(), &self.id)?;
        match &self.fallback {
            Some(crate::model::values::GroupFallback::Voicemail(n)) if s.extension_by_number(n.as_str()).is_none() => {
                Err(crate::model::Invalid::one("fallback", format!("{n} is no extension (`voicemail:` names the box's extension)")))
            }
            _ => Ok(()),
        }
    }

    fn put(s: &mut Snapshot, stored: Stored<Self>) {
        Self::remove(s, &stored.value.id);
        let g = stored.value;
        s.numbers.insert(g.number.to_string(), NumberOwner { kind: ResourceKind::RingGroup, id: g.id.clone() });
        s.ring_groups.insert(g.id.clone(), Arc::new(g));
    }
    fn remove(s: &mut Snapshot, id: &str) {
        if let Some(old) = s.ring_groups.remove(id) {
            s.numbers.remove(old.number.as_str());
        }
    }
}

impl Snapshotted for IvrMenu {
    /// Its number is free, a voicemail target is an extension's, a Lua service exists.
    fn check_snapshot(&self, s: &Snapshot) -> Result<(), crate::model::Invalid> {
        use crate::model::ivr_menu::IvrTargetKind;
        check_number_free(s, self.number.as_str(), &self.id)?;
        let mut c = crate::model::validate::Checker::new();
        for (field, target) in self.targets() {
            match (target.kind, &target.number, &target.id) {
                (IvrTargetKind::Voicemail, Some(n), _) if s.extension_by_number(n.as_str()).is_none() => {
                    c.fail(format!("{field}.number"), format!("{n} is no extension (a voicemail target names the box's extension)"));
                }
                (IvrTargetKind::LuaService, _, Some(id)) if !s.lua_services.contains_key(id) => {
                    c.fail(format!("{field}.id"), format!("no Lua service has the id {id}"));
                }
                _ => {}
            }
        }
        c.finish()
    }

    fn put(s: &mut Snapshot, stored: Stored<Self>) {
        Self::remove(s, &stored.value.id);
        let m = stored.value;
        s.numbers.insert(m.number.to_string(), NumberOwner { kind: ResourceKind::IvrMenu, id: m.id.clone() });
        s.ivr_menus.insert(m.id.clone(), Arc::new(m));
    }
    fn remove(s: &mut Snapshot, id: &str) {
        if let Some(old) = s.ivr_menus.remove(id) {
            s.numbers.remove(old.number.as_str());
        }
    }
}

impl Snapshotted for Trunk {
    fn put(s: &mut Snapshot, stored: Stored<Self>) {
        s.trunks.insert(stored.value.id.clone(), Arc::new(TrunkEntry { trunk: stored.value, password: stored.secret }));
    }
    fn remove(s: &mut Snapshot, id: &str) {
        s.trunks.remove(id);
    }
}

impl Snapshotted for Webhook {
    fn put(s: &mut Snapshot, stored: Stored<Self>) {
        s.webhooks.insert(stored.value.id.clone(), Arc::new(WebhookEntry { webhook: stored.value, secret: stored.secret }));
    }
    fn remove(s: &mut Snapshot, id: &str) {
        s.webhooks.remove(id);
    }
}

impl Snapshotted for Route {
    fn check_snapshot(&self, s: &Snapshot) -> Result<(), crate::model::Invalid> {
        let target = &self.target;
        if target.kind == crate::model::route::RouteTargetKind::LuaService
            && target.id.starts_with(crate::lua::builtin::PREFIX)
            && !s.lua_services.contains_key(&target.id)
        {
            return Err(crate::model::Invalid::one("target.id", format!("no built-in Lua service `{}`", target.id)));
        }
        Ok(())
    }

    fn put(s: &mut Snapshot, stored: Stored<Self>) {
        let mut routes: Vec<Arc<Route>> = s.routes.iter().filter(|r| r.id != stored.value.id).cloned().collect();
        routes.push(Arc::new(stored.value));
        sort_routes(&mut routes);
        s.routes = Arc::new(routes);
    }
    fn remove(s: &mut Snapshot, id: &str) {
        s.routes = Arc::new(s.routes.iter().filter(|r| r.id != id).cloned().collect());
    }
}

impl Snapshotted for LuaService {
    fn put(s: &mut Snapshot, stored: Stored<Self>) {
        s.lua_services.insert(stored.value.id.clone(), Arc::new(stored.value));
    }
    fn remove(s: &mut Snapshot, id: &str) {
        s.lua_services.remove(id);
    }
}

/// Tokens are checked by the API, not the SIP core.
impl Snapshotted for ApiToken {
    fn put(_: &mut Snapshot, _: Stored<Self>) {}
    fn remove(_: &mut Snapshot, _: &str) {}
}

fn sort_routes(routes: &mut [Arc<Route>]) {
    routes.sort_by(|a, b| {
        b.prefix
            .len()
            .cmp(&a.prefix.len())
            .then(a.priority.cmp(&b.priority))
            .then_with(|| a.id.cmp(&b.id))
    });
}

impl Snapshot {
    /// Builds the whole view from the store.
    pub async fn load(store: &Store) -> Result<Snapshot, StoreError> {
        let mut s = Snapshot::default();
        for e in store.load_all::<Extension>().await? {
            Extension::put(&mut s, e);
        }
        for g in store.load_all::<RingGroup>().await? {
            RingGroup::put(&mut s, g);
        }
        for m in store.load_all::<IvrMenu>().await? {
            IvrMenu::put(&mut s, m);
        }
        for t in store.load_all::<Trunk>().await? {
            Trunk::put(&mut s, t);
        }
        for l in store.load_all::<LuaService>().await? {
            LuaService::put(&mut s, l);
        }
        for w in store.load_all::<Webhook>().await? {
            Webhook::put(&mut s, w);
        }
        let mut routes: Vec<Arc<Route>> = store.load_all::<Route>().await?.into_iter().map(|r| Arc::new(r.value)).collect();
        sort_routes(&mut routes);
        s.routes = Arc::new(routes);
        s.feature_codes = Arc::new(store.load_feature_codes().await?);
        Ok(s)
    }

    pub fn extension_by_number(&self, number: &str) -> Option<&Arc<ExtensionEntry>> {
        match self.numbers.get(number) {
            Some(NumberOwner { kind: ResourceKind::Extension, id }) => self.extensions.get(id),
            _ => None,
        }
    }
}

/// The shared, atomically swapped snapshot.
pub struct SnapshotHandle {
    current: ArcSwap<Snapshot>,
    last_build: std::sync::Mutex<Duration>,
    /// The version now, for whoever waits for a change.
    version: tokio::sync::watch::Sender<u64>,
}

impl SnapshotHandle {
    /// Loads the first snapshot from the store, recording how long the full build took.
    pub async fn load(store: &Store) -> Result<Self, StoreError> {
        let started = Instant::now();
        let snapshot = Snapshot::load(store).await?;
        Ok(Self { current: ArcSwap::from_pointee(snapshot), last_build: std::sync::Mutex::new(started.elapsed()), version: tokio::sync::watch::Sender::new(0) })
    }

    /// The current view; cheap, lock-free, safe to call on every SIP request.
    pub fn get(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// Applies a change by copy-on-write. Callers serialise writers (see `Provisioner`).
    pub fn update(&self, change: impl FnOnce(&mut Snapshot)) -> u64 {
        let mut next = Snapshot::clone(&self.current.load());
        change(&mut next);
        next.version += 1;
        let version = next.version;
        self.current.store(Arc::new(next));
        self.version.send_replace(version);
        version
    }

    /// Wakes on every change of the snapshot (local or applied from another node).
    pub fn watch(&self) -> tokio::sync::watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// Rebuilds from the store (after a change made by another node, or on demand).
    pub async fn reload(&self, store: &Store) -> Result<u64, StoreError> {
        let started = Instant::now();
        let mut fresh = Snapshot::load(store).await?;
        // Built-in Lua services come from files, not the store: they stay.
        for (id, service) in self.current.load().lua_services.iter() {
            if id.starts_with(crate::lua::builtin::PREFIX) {
                fresh.lua_services.insert(id.clone(), service.clone());
            }
        }
        fresh.version = self.current.load().version + 1;
        let version = fresh.version;
        self.current.store(Arc::new(fresh));
        self.version.send_replace(version);
        if let Ok(mut d) = self.last_build.lock() {
            *d = started.elapsed();
        }
        Ok(version)
    }

    /// Duration of the last full build from the store.
    pub fn last_full_build(&self) -> Duration {
        self.last_build.lock().map(|d| *d).unwrap_or_default()
    }
}

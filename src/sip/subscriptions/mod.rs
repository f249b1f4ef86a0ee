//! The notifier (RFC 6665): subscriptions to the dialog (RFC 4235), presence (RFC 3856) and
//! message-summary (RFC 3842) packages of an extension, each a dialog of its own; a NOTIFY
//! when the state changes, when the subscription is made or refreshed, and when it ends.
//!
//! The state comes from the event stream (every node's calls and registrations), so a lamp
//! lights whichever node carries the call. Subscriptions live in the memory of the node
//! that took them: after a restart a refresh gets 481 and the phone subscribes again
//! (RFC 6665 section 4.1.2.2).

pub mod bodies;
pub mod lines;
pub mod package;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use dashmap::DashMap;
use tokio::sync::Mutex;

use self::bodies::{MessageCounts, Presence};
use self::lines::Lines;
use self::package::Package;
use crate::events::Event;
use crate::sip::dialog::Dialog;
use crate::sip::dialog::request as outbound;
use crate::sip::endpoint::Endpoint;
use crate::sip::registrar::Registrar;
use crate::sip::transaction::client::{Outcome, Outgoing};
use crate::sip::transport::Source;
use crate::sip::wire::Method;
use crate::snapshot::SnapshotHandle;

/// Subscriptions one extension may hold at once.
pub const MAX_PER_SUBSCRIBER: usize = 500;
/// Subscriptions one source address may hold at once.
pub const MAX_PER_SOURCE: usize = 2000;

/// One subscription.
#[derive(Debug)]
pub struct Subscription {
    pub id: String,
    pub package: Package,
    /// The `id` parameter of its `Event` header.
    pub event_id: Option<String>,
    /// The watched extension's number.
    pub resource: String,
    /// The domain the subscriber named it under (used in the bodies' URIs).
    pub host: String,
    /// The subscribing extension's number.
    pub subscriber: String,
    pub source: Source,
    pub created_at: DateTime<Utc>,
    /// When it ends unless refreshed (epoch ms).
    expires_at_ms: AtomicI64,
    /// The dialog and the package's counter; held while a NOTIFY is in flight, so the
    /// NOTIFYs of one subscription go out one after the other.
    talk: Mutex<Talk>,
}

#[derive(Debug)]
struct Talk {
    dialog: Dialog,
    /// The next dialog-info `version` (RFC 4235 section 4.1).
    version: u32,
    /// The state last sent: a change that leaves it as it was sends nothing.
    last_state: Option<String>,
}

impl Subscription {
    #[allow(clippy::too_many_arguments)]
    pub fn new(id: String, package: Package, event_id: Option<String>, resource: String, host: String, subscriber: String, source: Source, dialog: Dialog, expires_s: u32) -> Subscription {
        let now = Utc::now();
        Subscription {
            id,
            package,
            event_id,
            resource,
            host,
            subscriber,
            source,
            created_at: now,
            expires_at_ms: AtomicI64::new((now + chrono::Duration::seconds(i64::from(expires_s))).timestamp_millis()),
            talk: Mutex::new(Talk { dialog, version: 0, last_state: None }),
        }
    }

    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.expires_at_ms.load(Ordering::Relaxed)).unwrap_or_default()
    }
}

/// Where a SUBSCRIBE refresh finds its subscription: the dialog and the event id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct DialogKey {
    call_id: String,
    local_tag: String,
    remote_tag: String,
    package: Package,
    event_id: Option<String>,
}

impl DialogKey {
    fn of(s: &Subscription, d: &Dialog) -> DialogKey {
        DialogKey {
            call_id: d.call_id.clone(),
            local_tag: d.local_tag.clone(),
            remote_tag: d.remote_tag.clone().unwrap_or_default(),
            package: s.package,
            event_id: s.event_id.clone(),
        }
    }
}

/// Why a subscription ends (RFC 6665 section 4.2.2 reasons).
#[derive(Debug, Clone, Copy)]
pub enum Ending {
    /// It expired, or the subscriber asked with Expires 0.
    Timeout,
    /// The watched extension is gone.
    NoResource,
    /// Callplane is stopping: subscribe again later.
    Deactivated,
}

impl Ending {
    fn reason(self) -> &'static str {
        match self {
            Ending::Timeout => "timeout",
            Ending::NoResource => "noresource",
            Ending::Deactivated => "deactivated",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SubscribeError {
    #[error("too many subscriptions for this extension")]
    TooManyForSubscriber,
    #[error("too many subscriptions from this address")]
    TooManyForSource,
}

pub struct Notifier {
    endpoint: Arc<Endpoint>,
    snapshot: Arc<SnapshotHandle>,
    registrar: Arc<Registrar>,
    subs: DashMap<String, Arc<Subscription>>,
    by_dialog: DashMap<DialogKey, String>,
    by_resource: DashMap<String, HashSet<String>>,
    lines: std::sync::Mutex<Lines>,
    mailboxes: DashMap<String, MessageCounts>,
    /// Presence last seen per extension, and where `presence.changed` goes: each change is
    /// published by the node whose event caused it (one event per change in a cluster).
    presence: DashMap<String, Presence>,
    bus: Arc<crate::events::EventBus>,
    node: String,
}

impl Notifier {
    pub fn new(endpoint: Arc<Endpoint>, snapshot: Arc<SnapshotHandle>, registrar: Arc<Registrar>, bus: Arc<crate::events::EventBus>, node: String) -> Arc<Notifier> {
        let notifier = Arc::new(Notifier {
            endpoint,
            snapshot,
            registrar,
            subs: DashMap::new(),
            by_dialog: DashMap::new(),
            by_resource: DashMap::new(),
            lines: std::sync::Mutex::default(),
            mailboxes: DashMap::new(),
            presence: DashMap::new(),
            bus,
            node,
        });
        let weak = Arc::downgrade(&notifier);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                let Some(n) = weak.upgrade() else { break };
                let now = Utc::now();
                let expired: Vec<String> = n.subs.iter().filter(|e| e.value().expires_at() <= now).map(|e| e.key().clone()).collect();
                for id in expired {
                    n.end(&id, Ending::Timeout).await;
                }
            }
        });
        notifier
    }

    /// Follows the event stream: call and registration events change lines and presence;
    /// `message_waiting.changed` changes a mailbox.
    pub fn follow(self: &Arc<Self>, feed: &crate::events::feed::Feed) {
        let mut rx = feed.subscribe();
        // Presence as it is now (phones registered before this start): changes from here.
        for e in self.snapshot.get().extensions.values() {
            let number = e.extension.number.as_str();
            self.presence.insert(number.to_owned(), self.presence_of(number));
        }
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                let event = match rx.recv().await {
                    Ok(e) => e,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(missed = n, "the notifier fell behind the event stream; sending every state again");
                        let Some(notifier) = weak.upgrade() else { break };
                        for number in notifier.watched() {
                            notifier.changed(&number, &[Package::Dialog, Package::Presence]);
                        }
                        continue;
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                };
                let Some(notifier) = weak.upgrade() else { break };
                notifier.apply(&event);
            }
        });
    }

    fn apply(self: &Arc<Self>, event: &Event) {
        if event.kind.starts_with("call.") {
            let snapshot = self.snapshot.get();
            // Extensions have lines, and so do park slots (a lamp per slot).
            let watchable = |n: &str| snapshot.extension_by_number(n).is_some() || snapshot.feature_codes.is_park_slot(n);
            let changed = self.lines.lock().map(|mut l| l.apply(&event.kind, &event.data, watchable)).unwrap_or_default();
            for number in changed {
                self.changed(&number, &[Package::Dialog, Package::Presence]);
                self.presence_may_change(&number, event);
            }
        } else if event.kind == "config.changed" && event.data.get("resource").and_then(|v| v.as_str()) == Some("extension") {
            // Do-not-disturb lives in the extension.
            let id = event.data.get("id").and_then(|v| v.as_str()).unwrap_or_default();
            if let Some(e) = self.snapshot.get().extensions.get(id) {
                self.changed(e.extension.number.as_str(), &[Package::Presence]);
                self.presence_may_change(e.extension.number.as_str(), event);
            }
        } else if event.kind.starts_with("registration.") {
            if let Some(aor) = event.data.get("aor").and_then(|v| v.as_str()) {
                self.changed(aor, &[Package::Presence]);
                self.presence_may_change(aor, event);
            }
        } else if event.kind == "message_waiting.changed" {
            let count = |name: &str| event.data.get(name).and_then(|v| v.as_u64()).map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX));
            if let Some(number) = event.data.get("number").and_then(|v| v.as_str()) {
                let counts = MessageCounts { new_messages: count("new_messages"), old_messages: count("old_messages"), new_urgent: count("new_urgent"), old_urgent: count("old_urgent") };
                self.mailboxes.insert(number.to_owned(), counts);
                self.changed(number, &[Package::MessageSummary]);
                self.unsolicited_mwi(number, counts);
            }
        }
    }

    /// RFC 3842 section 3.3: a message-waiting NOTIFY outside any subscription, to each
    /// device of `number` registered with this node (every node sees the event; each tells
    /// its own devices), when the extension asks for it.
    fn unsolicited_mwi(self: &Arc<Self>, number: &str, counts: MessageCounts) {
        let snapshot = self.snapshot.get();
        if !snapshot.extension_by_number(number).is_some_and(|e| e.extension.mwi_unsolicited) {
            return;
        }
        for b in self.registrar.table.lookup(number, Utc::now()) {
            if !self.registrar.owns(&b) {
                continue;
            }
            let endpoint = &self.endpoint;
            let Some(mut d) = Dialog::toward_device(&b, |d| endpoint.local_addr_on(d.addr.ip(), d.proto), number, None, number) else { continue };
            let local = d.local;
            let body = bodies::message_summary(number, &local.ip().to_string(), counts);
            let branch = crate::sip::endpoint::ids::new_branch();
            let extra = [("Event", Package::MessageSummary.as_str().to_owned())];
            let bytes = outbound::build_sized(&mut d, |d| outbound::request(d, &Method::Notify, d.cseq, &branch, &extra, Some((Package::MessageSummary.content_type(), body.as_bytes()))));
            let mut rx = self.endpoint.client.start(self.endpoint.transports.clone(), Outgoing { bytes, branch, method: Method::Notify, target: d.dest, ack_for: None });
            tokio::spawn(async move { while rx.recv().await.is_some() {} });
        }
    }

    /// `presence.changed` when `number`'s presence is not what it was, published by the
    /// node that published `cause` (every node follows the same events).
    fn presence_may_change(&self, number: &str, cause: &Event) {
        if self.snapshot.get().extension_by_number(number).is_none() {
            return;
        }
        let now = self.presence_of(number);
        // An extension nobody has seen yet (just created) was offline.
        let previous = self.presence.insert(number.to_owned(), now).unwrap_or(Presence::Offline);
        if previous == now || cause.node.as_deref() != Some(self.node.as_str()) {
            return;
        }
        self.bus.publish(crate::events::EventPayload::PresenceChanged(crate::events::types::PresenceChangedData {
            number: number.to_owned(),
            state: now.as_event(),
            previous: previous.as_event(),
        }));
    }

    /// Numbers somebody watches.
    fn watched(&self) -> Vec<String> {
        self.by_resource.iter().map(|e| e.key().clone()).collect()
    }

    /// Sends the new state of `number` to its subscriptions of `packages`.
    pub fn changed(self: &Arc<Self>, number: &str, packages: &[Package]) {
        let ids: Vec<String> = self.by_resource.get(number).map(|s| s.iter().cloned().collect()).unwrap_or_default();
        for id in ids {
            let Some(sub) = self.subs.get(&id).map(|s| s.value().clone()) else { continue };
            if !packages.contains(&sub.package) {
                continue;
            }
            let me = self.clone();
            tokio::spawn(async move { me.notify_change(&sub).await });
        }
    }

    /// Puts a mailbox's counts in force (at start, from the store).
    pub fn set_mailbox(&self, number: &str, counts: MessageCounts) {
        self.mailboxes.insert(number.to_owned(), counts);
    }

    /// What presence says of `number` now.
    pub fn presence_of(&self, number: &str) -> Presence {
        let snapshot = self.snapshot.get();
        let dnd = snapshot.extension_by_number(number).is_some_and(|e| e.extension.do_not_disturb);
        let registered = !self.registrar.table.lookup(number, Utc::now()).is_empty();
        let busy = self.lines.lock().map(|l| l.busy(number)).unwrap_or(false);
        match (registered, dnd, busy) {
            (false, _, _) => Presence::Offline,
            (true, true, _) => Presence::DoNotDisturb,
            (true, false, true) => Presence::OnThePhone,
            (true, false, false) => Presence::Available,
        }
    }

    /// The state of `s`'s package now, and the body that tells it (a dialog-info body
    /// takes its version when it is sent).
    fn state(&self, s: &Subscription) -> (String, Box<dyn FnOnce(u32) -> String + Send>) {
        let (resource, host) = (s.resource.clone(), s.host.clone());
        match s.package {
            Package::Dialog => {
                let calls = self.lines.lock().map(|l| l.of(&s.resource)).unwrap_or_default();
                (format!("{calls:?}"), Box::new(move |version| bodies::dialog_info(&resource, &host, version, &calls)))
            }
            Package::Presence => {
                let p = self.presence_of(&s.resource);
                (p.as_str().to_owned(), Box::new(move |_| bodies::pidf(&resource, &host, p)))
            }
            Package::MessageSummary => {
                let counts = self.mailboxes.get(&s.resource).map(|c| *c).unwrap_or_default();
                (format!("{counts:?}"), Box::new(move |_| bodies::message_summary(&resource, &host, counts)))
            }
        }
    }

    /// Whether one more subscription like `s` is allowed.
    pub fn check(&self, s: &Subscription) -> Result<(), SubscribeError> {
        if self.subs.iter().filter(|e| e.value().subscriber == s.subscriber).count() >= MAX_PER_SUBSCRIBER {
            return Err(SubscribeError::TooManyForSubscriber);
        }
        if self.subs.iter().filter(|e| e.value().source.addr.ip() == s.source.addr.ip()).count() >= MAX_PER_SOURCE {
            return Err(SubscribeError::TooManyForSource);
        }
        Ok(())
    }

    /// A fetch (Expires 0): one NOTIFY with the state, terminated.
    pub async fn fetch(self: &Arc<Self>, s: Subscription) {
        self.notify(&s, Some(Ending::Timeout)).await;
    }

    /// Takes a new subscription (the 200 has been sent) and sends its first NOTIFY.
    pub async fn add(self: &Arc<Self>, s: Subscription) {
        let id = s.id.clone();
        let key = DialogKey::of(&s, &s.talk.lock().await.dialog);
        self.by_dialog.insert(key, id.clone());
        self.by_resource.entry(s.resource.clone()).or_default().insert(id.clone());
        let sub = Arc::new(s);
        self.subs.insert(id, sub.clone());
        self.notify(&sub, None).await;
    }

    /// The subscription a request in dialog names (`call_id`, our tag, their tag, event).
    pub fn find(&self, call_id: &str, local_tag: &str, remote_tag: &str, package: Package, event_id: Option<&str>) -> Option<String> {
        let key = DialogKey { call_id: call_id.to_owned(), local_tag: local_tag.to_owned(), remote_tag: remote_tag.to_owned(), package, event_id: event_id.map(str::to_owned) };
        self.by_dialog.get(&key).map(|id| id.clone())
    }

    /// Refreshes subscription `id` for `expires` seconds (0 ends it) and sends the state.
    pub async fn refresh(self: &Arc<Self>, id: &str, expires: u32) {
        if expires == 0 {
            self.end(id, Ending::Timeout).await;
            return;
        }
        let Some(sub) = self.subs.get(id).map(|s| s.value().clone()) else { return };
        let until = Utc::now() + chrono::Duration::seconds(i64::from(expires));
        sub.expires_at_ms.store(until.timestamp_millis(), Ordering::Relaxed);
        self.notify(&sub, None).await;
    }

    /// Ends subscription `id` with a final NOTIFY.
    pub async fn end(self: &Arc<Self>, id: &str, why: Ending) {
        let Some((_, sub)) = self.subs.remove(id) else { return };
        let key = DialogKey::of(&sub, &sub.talk.lock().await.dialog);
        self.forget(&sub, &key);
        self.notify(&sub, Some(why)).await;
    }

    /// Ends every subscription (Callplane is stopping), bounded.
    pub async fn end_all(self: &Arc<Self>) {
        let ids: Vec<String> = self.subs.iter().map(|e| e.key().clone()).collect();
        let ends = ids.iter().map(|id| self.end(id, Ending::Deactivated));
        let _ = tokio::time::timeout(Duration::from_secs(2), futures_util::future::join_all(ends)).await;
    }

    fn forget(&self, s: &Subscription, key: &DialogKey) {
        self.by_dialog.remove(key);
        if let Some(mut set) = self.by_resource.get_mut(&s.resource) {
            set.remove(&s.id);
        }
        self.by_resource.remove_if(&s.resource, |_, set| set.is_empty());
    }

    /// Sends one NOTIFY on `s` (RFC 6665 section 4.2.2), the final one when `ending`. A
    /// NOTIFY answered 481 or not answered at all ends the subscription (same section).
    async fn notify(self: &Arc<Self>, s: &Subscription, ending: Option<Ending>) {
        self.send_notify(s, ending, true).await;
    }

    /// A NOTIFY if the state changed since the last one (`force`: whatever it is).
    async fn notify_change(self: &Arc<Self>, s: &Subscription) {
        self.send_notify(s, None, false).await;
    }

    async fn send_notify(self: &Arc<Self>, s: &Subscription, ending: Option<Ending>, force: bool) {
        let mut talk = s.talk.lock().await;
        // Ended while this NOTIFY waited its turn (a phone that stopped answering): the
        // changes queued behind the failure are not sent.
        if ending.is_none() && !self.subs.contains_key(&s.id) {
            return;
        }
        let (key, make) = self.state(s);
        if !force && talk.last_state.as_deref() == Some(key.as_str()) {
            return;
        }
        talk.last_state = Some(key);
        let version = talk.version;
        talk.version = talk.version.wrapping_add(1);
        let body = make(version);
        let state = match ending {
            Some(why) => format!("terminated;reason={}", why.reason()),
            None => format!("active;expires={}", (s.expires_at() - Utc::now()).num_seconds().max(0)),
        };
        let event = match &s.event_id {
            Some(id) => format!("{};id={id}", s.package.as_str()),
            None => s.package.as_str().to_owned(),
        };
        talk.dialog.cseq += 1;
        let branch = crate::sip::endpoint::ids::new_branch();
        let extra = [("Event", event), ("Subscription-State", state)];
        let content_type = s.package.content_type();
        let bytes = outbound::build_sized(&mut talk.dialog, |d| outbound::request(d, &Method::Notify, d.cseq, &branch, &extra, Some((content_type, body.as_bytes()))));
        let target = talk.dialog.dest;
        let mut rx = self.endpoint.client.start(self.endpoint.transports.clone(), Outgoing { bytes, branch, method: Method::Notify, target, ack_for: None });
        let failed = loop {
            match rx.recv().await {
                Some(Outcome::Response(r)) => match r.status() {
                    Some(code) if code < 200 => continue,
                    Some(code) if code < 300 => break false,
                    Some(code) => break matches!(code, 404 | 405 | 408 | 410 | 480 | 481 | 489 | 501),
                    None => continue,
                },
                Some(Outcome::Timeout) | None => break true,
            }
        };
        if failed && ending.is_none() {
            tracing::info!(subscription = %s.id, resource = %s.resource, "a NOTIFY failed: the subscription ends");
            self.subs.remove(&s.id);
            let key = DialogKey::of(s, &talk.dialog);
            self.forget(s, &key);
        }
    }

    /// Every subscription, for the API.
    pub fn list(&self) -> Vec<Arc<Subscription>> {
        let mut all: Vec<Arc<Subscription>> = self.subs.iter().map(|e| e.value().clone()).collect();
        all.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        all
    }

    /// How many subscriptions watch each number (for the API and metrics).
    pub fn counts(&self) -> HashMap<String, usize> {
        self.by_resource.iter().map(|e| (e.key().clone(), e.value().len())).collect()
    }
}

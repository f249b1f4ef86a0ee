//! Config fan-out: the changes other nodes commit (the store's change log) applied here.
//!
//! PostgreSQL `LISTEN` is the wake-up; the change log is what is read, from the last seq
//! applied, so nothing is lost when a notification is (the connection dropped, the node was
//! away): every wake-up, and a poll every few seconds, reads whatever came after. A node
//! that fell behind further than the log keeps rebuilds its snapshot whole.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;

use crate::auth::TokenSigner;
use crate::model::api_token::ApiToken;
use crate::provisioning::Provisioner;
use crate::sip::registrar::Registrar;
use crate::sip::security::Guard;
use crate::store::bindings::BINDINGS_CHANNEL;
use crate::store::events::EVENTS_CHANNEL;
use crate::store::changes::{CHANNEL, Change};
use crate::store::{Store, StoreError};

/// Without a notification, the log is read this often anyway.
const POLL: Duration = Duration::from_secs(5);
/// Other nodes' registrations are read again whole this often (a lost notification).
const BINDINGS_RESYNC: Duration = Duration::from_secs(30);

/// What a change is applied to on this node.
pub struct Targets {
    pub provisioner: Arc<Provisioner>,
    pub signer: Arc<TokenSigner>,
    pub security: Option<Arc<Guard>>,
    /// Other nodes' registrations are taken in here.
    pub registrar: Option<Arc<Registrar>>,
    /// The API token keys are the store's (not fixed by the configuration).
    pub keys_from_store: bool,
    /// Woken when any node committed events.
    pub bus: Option<Arc<crate::events::EventBus>>,
}

impl Targets {
    async fn apply(&self, store: &Store, change: &Change) -> Result<(), StoreError> {
        use crate::store::security::{BAN, SECURITY_SETTINGS};
        use crate::store::signing_keys::SIGNING_KEY;
        match change.kind.as_str() {
            BAN => {
                if let (Some(guard), Ok(ip)) = (&self.security, change.id.parse()) {
                    guard.adopt_ban(ip, store.load_ban(ip, chrono::Utc::now()).await?);
                }
            }
            SIGNING_KEY if self.keys_from_store => self.signer.set_keys(&store.signing_keys().await?),
            SIGNING_KEY => {}
            crate::store::feature_codes::FEATURE_CODES => self.provisioner.reload_feature_codes().await?,
            SECURITY_SETTINGS => {
                if let Some(guard) = &self.security {
                    guard.adopt_settings(store.load_security_settings().await?.unwrap_or_default());
                }
            }
            kind => {
                // A revocation is in force before the change is announced here.
                if kind == crate::model::kind::ResourceKind::ApiToken.as_str()
                    && let Ok(t) = store.get::<ApiToken>(&change.id).await
                    && t.value.revoked_at.is_some()
                {
                    self.signer.revoke(&t.value.id);
                }
                if !self.provisioner.apply_remote(kind, &change.id, &change.action).await? {
                    tracing::warn!(kind, id = %change.id, "a change of an unknown kind in the change log (a newer node?)");
                }
            }
        }
        Ok(())
    }
}

impl Targets {
    /// Takes in everything again: the configuration, the security settings, the running
    /// bans and the revoked tokens.
    async fn rebuild(&self, store: &Store) -> Result<(), StoreError> {
        self.provisioner.rebuild().await?;
        if let Some(guard) = &self.security {
            guard.adopt_settings(store.load_security_settings().await?.unwrap_or_default());
            for ban in store.load_bans(chrono::Utc::now()).await? {
                guard.adopt_ban(ban.ip, Some(ban));
            }
        }
        if self.keys_from_store {
            self.signer.set_keys(&store.signing_keys().await?);
        }
        let revoked = store.load_all::<ApiToken>().await?.into_iter().filter(|t| t.value.revoked_at.is_some()).map(|t| t.value.id);
        self.signer.set_revoked(revoked);
        Ok(())
    }
}

/// Follows the change log of the PostgreSQL store at `url` from `after` (the newest seq
/// this node's state already includes), for as long as the process runs.
pub fn start(url: String, store: Store, targets: Targets, after: i64) {
    tokio::spawn(async move {
        let mut follower = Follower { store, targets, last: after };
        follower.run(&url).await;
    });
}

struct Follower {
    store: Store,
    targets: Targets,
    last: i64,
}

impl Follower {
    async fn run(&mut self, url: &str) {
        let mut backoff = Duration::from_millis(100);
        loop {
            let mut listener = match PgListener::connect(url).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for other nodes' changes; retrying");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(POLL);
                    continue;
                }
            };
            if let Err(e) = listener.listen_all([CHANNEL, BINDINGS_CHANNEL, EVENTS_CHANNEL]).await {
                tracing::warn!(error = %e, "cannot listen for other nodes' changes; retrying");
                tokio::time::sleep(backoff).await;
                continue;
            }
            backoff = Duration::from_millis(100);
            tracing::info!(after = self.last, "following other nodes' changes");
            // Registrations made elsewhere while not listening.
            let mut resynced = tokio::time::Instant::now();
            if let Some(registrar) = &self.targets.registrar {
                registrar.resync_from_store().await;
            }
            // Whatever happened while not listening is in the log.
            let mut log_due = true;
            loop {
                if resynced.elapsed() >= BINDINGS_RESYNC {
                    resynced = tokio::time::Instant::now();
                    if let Some(registrar) = &self.targets.registrar {
                        registrar.resync_from_store().await;
                    }
                }
                if log_due {
                    log_due = false;
                    if let Err(e) = self.catch_up().await {
                        tracing::warn!(error = %e, "cannot read the change log");
                    }
                }
                match tokio::time::timeout(POLL, listener.try_recv()).await {
                    // Events committed (by any node): the feed reads them.
                    Ok(Ok(Some(n))) if n.channel() == EVENTS_CHANNEL => {
                        if let Some(bus) = &self.targets.bus {
                            bus.wake_feed();
                        }
                    }
                    Ok(Ok(Some(n))) if n.channel() == BINDINGS_CHANNEL => {
                        if let Some(registrar) = &self.targets.registrar {
                            registrar.refresh_from_store(n.payload()).await;
                        }
                    }
                    // A configuration change, or a quiet while: read the log.
                    Err(_) | Ok(Ok(Some(_))) => log_due = true,
                    // The connection dropped: listen again (the log covers the gap).
                    Ok(Ok(None)) => break,
                    Ok(Err(e)) => {
                        tracing::warn!(error = %e, "lost the change notifications; listening again");
                        break;
                    }
                }
            }
        }
    }

    /// Applies every change after the last one applied (others' only: this node applied
    /// its own when it made them).
    async fn catch_up(&mut self) -> Result<(), StoreError> {
        let first = self.store.first_change_seq().await?;
        if first > self.last + 1 {
            tracing::warn!(last = self.last, oldest_kept = first, "this node missed more changes than the log keeps: rebuilding its configuration");
            let newest = self.store.last_change_seq().await?;
            self.targets.rebuild(&self.store).await?;
            self.last = newest;
        }
        loop {
            let batch = self.store.changes_after(self.last, 500).await?;
            let Some(end) = batch.last().map(|c| c.seq) else { return Ok(()) };
            for change in batch.iter().filter(|c| c.node != self.store.node()) {
                tracing::debug!(seq = change.seq, kind = %change.kind, id = %change.id, node = %change.node, "applying another node's change");
                self.targets.apply(&self.store, change).await?;
            }
            self.last = end;
        }
    }
}

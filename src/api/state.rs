//! What every operation of the API reaches, and the tags that group them.

use std::sync::Arc;
use std::time::Instant;

use poem_openapi::Tags;

use crate::auth::TokenSigner;
use crate::events::EventBus;
use crate::provisioning::Provisioner;
use crate::snapshot::SnapshotHandle;

/// What every operation can reach.
pub struct ApiState {
    pub provisioner: Arc<Provisioner>,
    /// The other nodes' APIs (several nodes on one PostgreSQL); `None` on a single node.
    pub peers: Option<crate::cluster::peers::Peers>,
    pub snapshot: Arc<SnapshotHandle>,
    pub signer: Arc<TokenSigner>,
    /// The signing key comes from the configuration (`jwt_secret`): it cannot be rotated
    /// through the API.
    pub fixed_signing_key: bool,
    pub bus: Arc<EventBus>,
    pub started: Instant,
    pub max_body_bytes: usize,
    /// The SIP core, when it runs.
    pub sip: Option<Arc<crate::sip::core::SipCore>>,
    /// Events as the store committed them (every node's), for live streams.
    pub feed: Arc<crate::events::feed::Feed>,
    /// Becomes `true` when Callplane stops: open event streams close ("going away") so their
    /// clients reconnect and resume elsewhere or after the restart.
    pub stopping: tokio::sync::watch::Sender<bool>,
    /// The server certificates, when TLS is set up.
    pub certificates: Option<Arc<crate::tls::certs::CertStore>>,
}

#[derive(Tags)]
pub enum ApiTag {
    /// Phones' numbers, passwords, trusted addresses and forwarding.
    Extensions,
    /// External lines and peer trunks, with per-carrier quirks.
    Trunks,
    /// The dial plan.
    Routes,
    /// Numbers that ring several members.
    RingGroups,
    /// IVR menus: a prompt, and where each key leads.
    IvrMenus,
    /// What phones dial for pickup, park, do-not-disturb and forwarding.
    FeatureCodes,
    /// Event deliveries to your URLs.
    Webhooks,
    /// API credentials.
    ApiTokens,
    /// Registered devices (runtime state).
    Registrations,
    /// Live calls and call detail records.
    Calls,
    /// Call recordings (WAV).
    Recordings,
    /// Voicemail boxes' messages.
    Voicemail,
    /// The event log and the schema of every event.
    Events,
    /// Fail-to-ban, scanner signatures, limits.
    Security,
    /// Routing scripts in sandboxed Lua VMs.
    LuaServices,
    /// Health and status.
    System,
}


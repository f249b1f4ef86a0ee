//! What calls work with: the endpoint below them, the configuration snapshot, the
//! registrar's bindings, the call registry, the CDR writer, the event bus and the Lua
//! services. Built once by the SIP core; calls never see the dispatcher above them.

use std::sync::Arc;

use super::Calls;
use super::cdr::CdrWriter;
use crate::config::SipSettings;
use crate::events::EventBus;
use crate::lua::LuaEngine;
use crate::sip::endpoint::Endpoint;
use crate::sip::registrar::Registrar;
use crate::snapshot::SnapshotHandle;

pub struct CallEnv {
    pub endpoint: Arc<Endpoint>,
    pub snapshot: Arc<SnapshotHandle>,
    pub registrar: Arc<Registrar>,
    pub calls: Calls,
    pub cdrs: CdrWriter,
    /// Answered calls in the store (finished by whoever outlives this node).
    pub live: super::live_calls::LiveCalls,
    pub bus: Arc<EventBus>,
    pub lua: LuaEngine,
    pub settings: SipSettings,
    /// The media relay (rtpengine); disabled when none is configured.
    pub media: Arc<crate::media::MediaRelay>,
    /// Voicemail boxes (`None` when Callplane runs without a data directory for them).
    pub voicemail: Option<Arc<crate::voicemail::Voicemail>>,
    /// IVR menus' prompts (`None` like `voicemail`).
    pub menus: Option<Arc<crate::ivr::MenuPrompts>>,
    /// Fail-to-ban: wrong voicemail PINs count as authentication failures.
    pub security: Arc<crate::sip::security::Guard>,
}

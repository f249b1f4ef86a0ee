//! Trunks: external lines that register to a carrier, and peer trunks to other PBXs.

use chrono::{DateTime, Utc};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Enum, Object, Union};
use serde::{Deserialize, Serialize};

use super::extension::yes;
use super::validate::Checker;
use super::media_mode::{MediaMode, RecordingMode};
use super::values::{Cidr, Host, HostPort, Number};
use super::{Invalid, Resource, ResourceKind, SecretChange, patch_nullable, values};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum Transport {
    Udp,
    Tcp,
    Tls,
}

/// Per-trunk interoperability switches; each cures a symptom of a real carrier (docs/trunks.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct TrunkQuirks {
    /// `false`: every REGISTER gets a new Call-ID and CSeq restarts
    /// (cures `400 Bad Request` / `P-Registrar-Error: Invalid CSeq number`).
    #[serde(default = "yes")]
    #[oai(default = "yes")]
    pub register_same_call_id: bool,
    /// Appended to the Request-URI of REGISTER and INVITE, e.g. `user=phone`.
    #[serde(default)]
    #[oai(default)]
    pub request_uri_params: String,
    /// Do not offer or require 100rel (cures carriers that answer PRACK with 405).
    #[serde(default)]
    #[oai(default)]
    pub disable_100rel: bool,
    /// CANCEL unanswered outbound calls after this many seconds and try the next route.
    #[serde(default)]
    pub no_answer_timeout_s: Option<u32>,
    /// Map inbound `tel:` Request-URIs and To headers to numbers.
    #[serde(default = "yes")]
    #[oai(default = "yes")]
    pub accept_tel_uri: bool,
    /// Send requests larger than 1300 bytes over TCP (RFC 3261 section 18.1.1).
    #[serde(default = "yes")]
    #[oai(default = "yes")]
    pub force_tcp_for_large: bool,
}

impl Default for TrunkQuirks {
    fn default() -> Self {
        Self {
            register_same_call_id: true,
            request_uri_params: String::new(),
            disable_100rel: false,
            no_answer_timeout_s: None,
            accept_tel_uri: true,
            force_tcp_for_large: true,
        }
    }
}

/// Inbound calls come from addresses in these blocks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
pub struct InboundBySource {
    /// IPs or CIDRs; empty means the trunk's own `host`.
    #[serde(default)]
    #[oai(default)]
    pub cidrs: Vec<Cidr>,
}

/// Inbound calls are addressed to the contact user this trunk registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
pub struct InboundByRegistration {}

/// Inbound calls carry this user in the To header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
pub struct InboundByToUser {
    pub user: String,
}

/// How Callplane recognises calls arriving from this trunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Union)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[oai(discriminator_name = "kind")]
pub enum InboundMatch {
    #[oai(mapping = "source")]
    Source(InboundBySource),
    #[oai(mapping = "registration")]
    Registration(InboundByRegistration),
    #[oai(mapping = "to_user")]
    ToUser(InboundByToUser),
}

/// Caller identity presented on outbound calls through this trunk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct CallerId {
    /// Number in the From user part; absent keeps the caller's own number.
    #[serde(default)]
    pub number: Option<Number>,
    #[serde(default)]
    pub display_name: Option<String>,
    /// Also send `P-Asserted-Identity` with this identity.
    #[serde(default)]
    #[oai(default)]
    pub p_asserted_identity: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Trunk {
    pub id: String,
    /// Unique name, e.g. `carrier-a` or `office-b`.
    pub name: String,
    pub host: Host,
    /// Absent: the carrier's DNS names the port (SRV, RFC 3263), else 5060 (5061 for TLS).
    pub port: Option<u16>,
    /// Absent: the carrier's DNS chooses (NAPTR, RFC 3263), else UDP.
    pub transport: Option<Transport>,
    /// `true`: an external line that registers to the carrier; `false`: a peer trunk.
    pub register: bool,
    pub username: Option<String>,
    /// Digest user name when it differs from `username`.
    pub auth_username: Option<String>,
    pub has_password: bool,
    pub realm: Option<String>,
    pub expires_s: u32,
    /// `host[:port]` to send requests through instead of `host`.
    pub outbound_proxy: Option<HostPort>,
    pub inbound_match: InboundMatch,
    /// Number that inbound calls go to when the called number has no route.
    pub inbound_destination: Option<Number>,
    pub caller_id: CallerId,
    /// OPTIONS keep-alive interval; absent disables it.
    pub keepalive_s: Option<u32>,
    /// Concurrent calls through this trunk (both directions), at most; absent: no limit.
    /// Beyond it an outgoing call tries the next route, an incoming one gets 503.
    pub max_calls: Option<u32>,
    /// How this trunk's calls' media flows: `auto` (through the relay when a party is behind NAT
    /// or a trunk is involved), `relay` or `direct`.
    #[serde(default)]
    pub media_mode: MediaMode,
    /// When this party's calls are recorded: `never`, `on_demand` (through the API) or
    /// `always` (relayed calls only).
    #[serde(default)]
    pub recording: RecordingMode,
    pub enabled: bool,
    pub quirks: TrunkQuirks,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct TrunkCreate {
    pub name: String,
    pub host: Host,
    /// Omit to let the carrier's DNS name servers and ports (NAPTR and SRV, RFC 3263).
    #[serde(default)]
    pub port: Option<u16>,
    /// Omit to let the carrier's DNS choose (NAPTR), else UDP.
    #[serde(default)]
    pub transport: Option<Transport>,
    #[serde(default)]
    #[oai(default)]
    pub register: bool,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub auth_username: Option<String>,
    #[serde(default)]
    #[oai(write_only)]
    pub password: Option<String>,
    #[serde(default)]
    pub realm: Option<String>,
    #[serde(default = "default_expires")]
    #[oai(default = "default_expires")]
    pub expires_s: u32,
    #[serde(default)]
    pub outbound_proxy: Option<HostPort>,
    /// Defaults to `registration` for registering trunks and `source` (the host) otherwise.
    #[serde(default)]
    pub inbound_match: Option<InboundMatch>,
    #[serde(default)]
    pub inbound_destination: Option<Number>,
    #[serde(default)]
    pub caller_id: Option<CallerId>,
    #[serde(default)]
    pub keepalive_s: Option<u32>,
    /// Concurrent calls through this trunk, 1–10000; absent: no limit.
    #[serde(default)]
    pub max_calls: Option<u32>,
    #[serde(default = "yes")]
    #[oai(default = "yes")]
    pub enabled: bool,
    #[serde(default)]
    pub quirks: Option<TrunkQuirks>,
    #[serde(default)]
    #[oai(default)]
    pub media_mode: MediaMode,
    #[serde(default)]
    #[oai(default)]
    pub recording: RecordingMode,
}

#[derive(Debug, Clone, Default, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
#[oai(deny_unknown_fields)]
pub struct TrunkPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub host: Option<Host>,
    /// `null`: the carrier's DNS decides.
    #[serde(default)]
    pub port: MaybeUndefined<u16>,
    /// `null`: the carrier's DNS decides.
    #[serde(default)]
    pub transport: MaybeUndefined<Transport>,
    #[serde(default)]
    pub register: Option<bool>,
    #[serde(default)]
    pub username: MaybeUndefined<String>,
    #[serde(default)]
    pub auth_username: MaybeUndefined<String>,
    #[serde(default)]
    #[oai(write_only)]
    pub password: MaybeUndefined<String>,
    #[serde(default)]
    pub realm: MaybeUndefined<String>,
    #[serde(default)]
    pub expires_s: Option<u32>,
    #[serde(default)]
    pub outbound_proxy: MaybeUndefined<HostPort>,
    #[serde(default)]
    pub inbound_match: Option<InboundMatch>,
    #[serde(default)]
    pub inbound_destination: MaybeUndefined<Number>,
    #[serde(default)]
    pub caller_id: Option<CallerId>,
    #[serde(default)]
    pub keepalive_s: MaybeUndefined<u32>,
    #[serde(default)]
    pub max_calls: MaybeUndefined<u32>,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub quirks: Option<TrunkQuirks>,
    #[serde(default)]
    pub media_mode: Option<MediaMode>,
    #[serde(default)]
    pub recording: Option<RecordingMode>,
}

fn default_expires() -> u32 {
    3600
}

impl Trunk {
    fn validate(&self, secret: &SecretChange) -> Result<(), Invalid> {
        let mut c = Checker::new();
        c.check("name", values::sip_token(&self.name, 64));
        if self.port == Some(0) {
            c.fail("port", "must be between 1 and 65535");
        }
        for (field, v) in [("username", &self.username), ("auth_username", &self.auth_username), ("realm", &self.realm)] {
            if let Some(v) = v {
                c.check(field, values::sip_token(v, 128));
            }
        }
        if !(60..=86_400).contains(&self.expires_s) {
            c.fail("expires_s", "must be between 60 and 86400 seconds");
        }
        if let Some(k) = self.keepalive_s {
            if !(5..=3_600).contains(&k) {
                c.fail("keepalive_s", "must be between 5 and 3600 seconds");
            }
        }
        if self.max_calls.is_some_and(|m| m == 0 || m > 10_000) {
            c.fail("max_calls", "must be between 1 and 10000");
        }
        if self.register {
            if self.username.is_none() {
                c.fail("username", "is required when register is true");
            }
            if !self.has_password {
                c.fail("password", "is required when register is true");
            }
        }
        if let SecretChange::Set(p) = secret {
            c.check("password", values::text(p, 128));
            if p.is_empty() {
                c.fail("password", "must not be empty");
            }
        }
        match &self.inbound_match {
            InboundMatch::Source(_) => {}
            InboundMatch::ToUser(u) => c.check("inbound_match.user", values::sip_token(&u.user, 64)),
            InboundMatch::Registration(_) => {
                if !self.register {
                    c.fail("inbound_match", "`registration` needs a trunk with register: true");
                }
            }
        }
        if let Some(n) = &self.caller_id.display_name {
            c.check("caller_id.display_name", values::text(n, 64));
        }
        let q = &self.quirks;
        let params = q.request_uri_params.trim_start_matches(';');
        if !params.is_empty() {
            let ok = params.split(';').all(|p| {
                !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || "-_.!~*'=+%".contains(c))
            });
            if !ok {
                c.fail("quirks.request_uri_params", "must be `name=value` pairs separated by `;` (e.g. `user=phone`)");
            }
        }
        if let Some(t) = q.no_answer_timeout_s {
            if !(5..=600).contains(&t) {
                c.fail("quirks.no_answer_timeout_s", "must be between 5 and 600 seconds");
            }
        }
        c.finish()
    }
}

impl Resource for Trunk {
    const KIND: ResourceKind = ResourceKind::Trunk;
    type Create = TrunkCreate;
    type Patch = TrunkPatch;

    fn id(&self) -> &str {
        &self.id
    }

    fn timestamps(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.created_at, self.updated_at)
    }

    fn unique_key(&self) -> Option<(&'static str, &str)> {
        Some(("name", &self.name))
    }

    fn create(id: String, now: DateTime<Utc>, r: TrunkCreate) -> Result<(Self, SecretChange), Invalid> {
        let secret = r.password.map_or(SecretChange::Keep, SecretChange::Set);
        let inbound_match = r.inbound_match.unwrap_or(if r.register {
            InboundMatch::Registration(InboundByRegistration {})
        } else {
            InboundMatch::Source(InboundBySource { cidrs: vec![] })
        });
        let trunk = Trunk {
            id,
            name: r.name,
            host: r.host,
            port: r.port,
            transport: r.transport,
            register: r.register,
            username: r.username,
            auth_username: r.auth_username,
            has_password: matches!(secret, SecretChange::Set(_)),
            realm: r.realm,
            expires_s: r.expires_s,
            outbound_proxy: r.outbound_proxy,
            inbound_match,
            inbound_destination: r.inbound_destination,
            caller_id: r.caller_id.unwrap_or_default(),
            keepalive_s: r.keepalive_s,
            max_calls: r.max_calls,
            enabled: r.enabled,
            quirks: r.quirks.unwrap_or_default(),
            media_mode: r.media_mode,
            recording: r.recording,
            created_at: now,
            updated_at: now,
        };
        trunk.validate(&secret)?;
        Ok((trunk, secret))
    }

    fn patch(&self, now: DateTime<Utc>, p: TrunkPatch) -> Result<(Self, SecretChange), Invalid> {
        let mut t = self.clone();
        let secret = SecretChange::from_patch(p.password);
        if let Some(v) = p.name {
            t.name = v;
        }
        if let Some(v) = p.host {
            t.host = v;
        }
        super::patch_nullable(&mut t.port, p.port);
        super::patch_nullable(&mut t.transport, p.transport);
        if let Some(v) = p.register {
            t.register = v;
        }
        patch_nullable(&mut t.username, p.username);
        patch_nullable(&mut t.auth_username, p.auth_username);
        patch_nullable(&mut t.realm, p.realm);
        if let Some(v) = p.expires_s {
            t.expires_s = v;
        }
        patch_nullable(&mut t.outbound_proxy, p.outbound_proxy);
        if let Some(v) = p.inbound_match {
            t.inbound_match = v;
        }
        patch_nullable(&mut t.inbound_destination, p.inbound_destination);
        if let Some(v) = p.caller_id {
            t.caller_id = v;
        }
        patch_nullable(&mut t.keepalive_s, p.keepalive_s);
        patch_nullable(&mut t.max_calls, p.max_calls);
        if let Some(v) = p.enabled {
            t.enabled = v;
        }
        if let Some(v) = p.quirks {
            t.quirks = v;
        }
        if let Some(v) = p.media_mode {
            t.media_mode = v;
        }
        if let Some(v) = p.recording {
            t.recording = v;
        }
        secret.apply_to(&mut t.has_password);
        t.updated_at = now;
        t.validate(&secret)?;
        Ok((t, secret))
    }
}

//! `/api/v1/security`: fail-to-ban settings, scanner signatures and limits; the bans; what
//! was dropped.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use poem::http::StatusCode;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use serde::Deserialize;

use super::state::ApiState;
use super::auth::BearerToken;
use super::body::JsonBody;
use super::error::ApiError;
use crate::auth::scope::Access;
use crate::sip::core::SipCore;
use crate::sip::security::bans::Ban;
use crate::model::security_settings::{SecuritySettings, SecuritySettingsPatch};
use crate::sip::security::{SecurityCounters, SettingsError};

/// A banned source address.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct BanView {
    pub ip: String,
    /// `auth_failures`, `scanner` or `api`.
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

impl From<Ban> for BanView {
    fn from(b: Ban) -> Self {
        BanView { ip: b.ip.to_string(), reason: b.reason, created_at: b.created_at, until: b.until }
    }
}

/// A ban added by hand.
#[derive(Debug, Deserialize, Object)]
#[oai(skip_serializing_if_is_none)]
#[serde(deny_unknown_fields)]
pub struct BanCreate {
    /// IPv4 or IPv6 address.
    pub ip: String,
    /// How long, seconds (1–2592000; default: the fail-to-ban period).
    pub duration_s: Option<u32>,
}

pub struct SecurityApi;

fn sip(state: &ApiState) -> Result<&Arc<SipCore>, ApiError> {
    state.sip.as_ref().ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "the SIP core is not running"))
}

fn parse_ip(field: &str, ip: &str) -> Result<IpAddr, ApiError> {
    ip.trim().parse().map_err(|_| ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, field, format!("`{ip}` is not an IP address")))
}

#[OpenApi(prefix_path = "/api/v1")]
impl SecurityApi {
    /// Fail-to-ban, whitelist, rate limit and scanner signatures in force.
    #[oai(path = "/security/settings", method = "get", operation_id = "get_security_settings", tag = "crate::api::state::ApiTag::Security")]
    async fn settings(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<SecuritySettings>, ApiError> {
        auth.require(Access::Read)?;
        Ok(Json(sip(&state)?.security.settings()))
    }

    /// Change the settings: each top-level field given replaces that part (so
    /// `signatures` replaces the whole list). Stored, then in force for the next packet.
    #[oai(path = "/security/settings", method = "patch", operation_id = "update_security_settings", tag = "crate::api::state::ApiTag::Security")]
    async fn update_settings(
        &self,
        state: poem::web::Data<&Arc<ApiState>>,
        auth: BearerToken,
        body: JsonBody<SecuritySettingsPatch>,
    ) -> Result<Json<SecuritySettings>, ApiError> {
        auth.require(Access::Admin)?;
        let patch = body.parse()?;
        let sip = sip(&state)?;
        let store = state.provisioner.store();
        let next = sip
            .security
            .set_settings(store, |current| {
                let next = current.apply(patch);
                next.validate()?;
                Ok(next)
            })
            .await
            .map_err(|e| match e {
                SettingsError::Invalid(i) => ApiError::from(i),
                SettingsError::Store(s) => ApiError::from(s),
            })?;
        Ok(Json(next))
    }

    /// Sources banned now.
    #[oai(path = "/security/bans", method = "get", operation_id = "list_bans", tag = "crate::api::state::ApiTag::Security")]
    async fn bans(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<Vec<BanView>>, ApiError> {
        auth.require(Access::Read)?;
        let now = Utc::now();
        Ok(Json(sip(&state)?.security.bans.all().into_iter().filter(|b| b.until > now).map(BanView::from).collect()))
    }

    /// Ban a source by hand (replaces a running ban of the same address).
    #[oai(path = "/security/bans", method = "post", operation_id = "create_ban", tag = "crate::api::state::ApiTag::Security")]
    async fn ban(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, body: JsonBody<BanCreate>) -> Result<super::Created<BanView>, ApiError> {
        auth.require(Access::Admin)?;
        let body = body.parse()?;
        let ip = parse_ip("ip", &body.ip)?;
        let sip = sip(&state)?;
        let seconds = match body.duration_s {
            Some(s) if !(1..=2_592_000).contains(&s) => {
                return Err(ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "duration_s", "must be between 1 and 2592000"));
            }
            Some(s) => s,
            None => sip.security.settings().fail2ban.ban_s,
        };
        let ban = sip
            .security
            .ban(ip, "api", Duration::from_secs(u64::from(seconds)))
            .map_err(|e| ApiError::field(StatusCode::CONFLICT, "ip", e.to_string()))?;
        Ok(super::Created::Created(Json(ban.into())))
    }

    /// Lift a ban: the source is answered again at once.
    #[oai(path = "/security/bans/:ip", method = "delete", operation_id = "delete_ban", tag = "crate::api::state::ApiTag::Security")]
    async fn unban(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken, ip: Path<String>) -> Result<super::Deleted, ApiError> {
        auth.require(Access::Admin)?;
        // Something that is not an address is not banned either.
        let addr: IpAddr = ip.0.trim().parse().map_err(|_| ApiError::status(StatusCode::NOT_FOUND, format!("`{}` is not banned", ip.0)))?;
        match sip(&state)?.security.unban(addr, "api") {
            Some(_) => Ok(super::Deleted::Deleted),
            None => Err(ApiError::status(StatusCode::NOT_FOUND, format!("{addr} is not banned"))),
        }
    }

    /// What the guard dropped since start, and matches per scanner signature.
    #[oai(path = "/security/counters", method = "get", operation_id = "get_security_counters", tag = "crate::api::state::ApiTag::Security")]
    async fn counters(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<SecurityCounters>, ApiError> {
        auth.require(Access::Read)?;
        Ok(Json(sip(&state)?.security.counters()))
    }
}

//! The kinds of configuration resources.

use poem_openapi::Enum;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Enum)]
#[serde(rename_all = "snake_case")]
#[oai(rename_all = "snake_case")]
pub enum ResourceKind {
    Extension,
    Trunk,
    Route,
    RingGroup,
    Webhook,
    ApiToken,
    LuaService,
    IvrMenu,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 8] = [
        ResourceKind::Extension,
        ResourceKind::Trunk,
        ResourceKind::Route,
        ResourceKind::RingGroup,
        ResourceKind::Webhook,
        ResourceKind::ApiToken,
        ResourceKind::LuaService,
        ResourceKind::IvrMenu,
    ];

    /// The kind named `name` (as `as_str` writes it).
    pub fn parse(name: &str) -> Option<ResourceKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Extension => "extension",
            ResourceKind::Trunk => "trunk",
            ResourceKind::Route => "route",
            ResourceKind::RingGroup => "ring_group",
            ResourceKind::Webhook => "webhook",
            ResourceKind::ApiToken => "api_token",
            ResourceKind::LuaService => "lua_service",
            ResourceKind::IvrMenu => "ivr_menu",
        }
    }

    /// The store table, when the kind is stored.
    pub fn table(self) -> Option<&'static str> {
        match self {
            ResourceKind::Extension => Some("extensions"),
            ResourceKind::Trunk => Some("trunks"),
            ResourceKind::Route => Some("routes"),
            ResourceKind::RingGroup => Some("ring_groups"),
            ResourceKind::Webhook => Some("webhooks"),
            ResourceKind::ApiToken => Some("api_tokens"),
            ResourceKind::LuaService => Some("lua_services"),
            ResourceKind::IvrMenu => Some("ivr_menus"),
        }
    }
}

impl std::fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

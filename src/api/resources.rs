//! The configuration resources' CRUD operations.

use super::crud::crud_api;
use super::pagination::page_type;
use crate::model::extension::Extension;
use crate::model::ivr_menu::IvrMenu;
use crate::model::lua_service::LuaService;
use crate::model::ring_group::RingGroup;
use crate::model::route::Route;
use crate::model::trunk::Trunk;
use crate::model::webhook::Webhook;

page_type!(ExtensionPage, Extension);
page_type!(TrunkPage, Trunk);
page_type!(RoutePage, Route);
page_type!(RingGroupPage, RingGroup);
page_type!(WebhookPage, Webhook);
page_type!(LuaServicePage, LuaService);
page_type!(IvrMenuPage, IvrMenu);

crud_api!(
    ExtensionsApi, Extension, ExtensionPage, "/extensions", "/extensions/:id", "crate::api::state::ApiTag::Extensions",
    "list_extensions", "create_extension", "get_extension", "update_extension", "delete_extension"
);
crud_api!(
    TrunksApi, Trunk, TrunkPage, "/trunks", "/trunks/:id", "crate::api::state::ApiTag::Trunks",
    "list_trunks", "create_trunk", "get_trunk", "update_trunk", "delete_trunk"
);
crud_api!(
    RoutesApi, Route, RoutePage, "/routes", "/routes/:id", "crate::api::state::ApiTag::Routes",
    "list_routes", "create_route", "get_route", "update_route", "delete_route"
);
crud_api!(
    RingGroupsApi, RingGroup, RingGroupPage, "/ring-groups", "/ring-groups/:id", "crate::api::state::ApiTag::RingGroups",
    "list_ring_groups", "create_ring_group", "get_ring_group", "update_ring_group", "delete_ring_group"
);
crud_api!(
    WebhooksApi, Webhook, WebhookPage, "/webhooks", "/webhooks/:id", "crate::api::state::ApiTag::Webhooks",
    "list_webhooks", "create_webhook", "get_webhook", "update_webhook", "delete_webhook"
);
crud_api!(
    LuaServicesApi, LuaService, LuaServicePage, "/lua-services", "/lua-services/:id", "crate::api::state::ApiTag::LuaServices",
    "list_lua_services", "create_lua_service", "get_lua_service", "update_lua_service", "delete_lua_service"
);
crud_api!(
    IvrMenusCrudApi, IvrMenu, IvrMenuPage, "/ivr-menus", "/ivr-menus/:id", "crate::api::state::ApiTag::IvrMenus",
    "list_ivr_menus", "create_ivr_menu", "get_ivr_menu", "update_ivr_menu", "delete_ivr_menu"
);

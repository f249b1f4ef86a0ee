//! The HTTP API: poem-openapi operations under `/api/v1`, the OpenAPI document, the docs UI.

pub mod allow;
pub mod auth;
pub mod body;
pub mod calls;
pub mod certificates;
mod console;
pub mod recordings;
mod crud;
pub mod error;
pub mod event_log;
pub mod event_stream;
pub mod feature_codes;
pub mod https;
pub mod lua_runtime;
pub mod mail;
pub mod metrics;
mod pagination;
pub mod resolve;
pub mod registrations;
pub mod resources;
pub mod security;
pub mod signing_keys;
pub mod sip_traces;
pub mod state;
mod spec_document;
pub mod status;
pub mod subscriptions;
pub mod tokens;
pub mod voicemail;
pub mod voicemail_settings;
pub mod ivr_menus;
pub mod trunk_status;
pub mod webhook_deliveries;

use std::sync::Arc;

use poem::{EndpointExt, Route};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, LicenseObject, OpenApiService, ServerObject};


pub use self::state::{ApiState, ApiTag};

#[derive(ApiResponse)]
pub enum Created<T: poem_openapi::types::ToJSON + Send + Sync> {
    #[oai(status = 201)]
    Created(Json<T>),
}

#[derive(ApiResponse)]
pub enum Deleted {
    #[oai(status = 204)]
    Deleted,
}

type Apis = (
    (status::StatusApi, metrics::MetricsApi, sip_traces::SipTracesApi),
    resources::ExtensionsApi,
    resources::TrunksApi,
    resolve::ResolveApi,
    resources::RoutesApi,
    (resources::RingGroupsApi, feature_codes::FeatureCodesApi, resources::IvrMenusCrudApi, ivr_menus::IvrMenusApi),
    resources::WebhooksApi,
    tokens::TokensApi,
    (registrations::RegistrationsApi, subscriptions::SubscriptionsApi),
    (calls::CallsApi, recordings::RecordingsApi, voicemail::VoicemailApi, mail::MailApi, voicemail_settings::VoicemailSettingsApi),
    trunk_status::TrunkStatusApi,
    webhook_deliveries::WebhookDeliveriesApi,
    event_log::EventLogApi,
    (security::SecurityApi, signing_keys::SigningKeysApi, certificates::CertificatesApi),
    resources::LuaServicesApi,
    lua_runtime::LuaRuntimeApi,
);

fn service() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            (status::StatusApi, metrics::MetricsApi, sip_traces::SipTracesApi),
            resources::ExtensionsApi,
            resources::TrunksApi,
            resolve::ResolveApi,
            resources::RoutesApi,
            (resources::RingGroupsApi, feature_codes::FeatureCodesApi, resources::IvrMenusCrudApi, ivr_menus::IvrMenusApi),
            resources::WebhooksApi,
            tokens::TokensApi,
            (registrations::RegistrationsApi, subscriptions::SubscriptionsApi),
            (calls::CallsApi, recordings::RecordingsApi, voicemail::VoicemailApi, mail::MailApi, voicemail_settings::VoicemailSettingsApi),
            trunk_status::TrunkStatusApi,
            webhook_deliveries::WebhookDeliveriesApi,
            event_log::EventLogApi,
            (security::SecurityApi, signing_keys::SigningKeysApi, certificates::CertificatesApi),
            resources::LuaServicesApi,
            lua_runtime::LuaRuntimeApi,
        ),
        "Callplane API",
        env!("CARGO_PKG_VERSION"),
    )
    .server(ServerObject::new("/").description("The Callplane instance serving this document"))
    .license(LicenseObject::new(env!("CARGO_PKG_LICENSE")).url("https://www.apache.org/licenses/LICENSE-2.0"))
    .description(
        "Configuration and runtime API of the Callplane PBX. Every operation but /health needs \
         `Authorization: Bearer <JWT>`; scopes: admin (everything), read (GET), calls, events.",
    )
}

/// The HTTP application: API, OpenAPI document (YAML and JSON) and the docs UI.
pub fn app(state: Arc<ApiState>) -> impl poem::Endpoint {
    let api = service();
    let document = spec_json();
    let json = document.to_string();
    let yaml = yaml_of(&document);
    let allow = Arc::new(allow::AllowTable::from_spec(&json, &[("/api/v1/events", "GET")]));
    let docs = api.swagger_ui();
    Route::new()
        .at("/api/v1/events", poem::get(event_stream::events))
        .nest("/", api)
        .at("/openapi.yaml", poem::get(poem::endpoint::make_sync(move |_| spec_response(&yaml, "application/yaml"))))
        .at("/openapi.json", poem::get(poem::endpoint::make_sync(move |_| spec_response(&json, "application/json"))))
        .nest("/docs", docs)
        .nest("/console", console::routes())
        .data(body::BodyLimit(state.max_body_bytes))
        .data(state)
        .around(error::problem_bodies)
        .around(move |ep, req| allow::add_allow(allow.clone(), ep, req))
}

/// The OpenAPI document as YAML, exactly what `callplane openapi` prints and
/// `openapi/callplane.yaml` holds.
pub fn spec_yaml() -> String {
    yaml_of(&spec_json())
}

fn yaml_of(document: &serde_json::Value) -> String {
    serde_yaml::to_string(document).unwrap_or_else(|e| unreachable!("a JSON value always serialises to YAML: {e}"))
}

/// The OpenAPI document as poem-openapi emits it, before `spec_document`'s normalisation.
pub fn spec_yaml_as_emitted() -> String {
    service().spec_yaml()
}

/// The OpenAPI document as JSON: poem-openapi's, normalised for SDK generators
/// (see `spec_document`).
pub fn spec_json() -> serde_json::Value {
    spec_document::normalise(&service().spec())
        .unwrap_or_else(|e| unreachable!("poem-openapi always emits valid JSON: {e}"))
}

fn spec_response(body: &str, content_type: &'static str) -> poem::Response {
    poem::Response::builder().content_type(content_type).body(body.to_owned())
}

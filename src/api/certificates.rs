//! `/api/v1/tls/certificates`: which server names have a certificate of their own, and
//! reading the files again on request (they are also read again when they change).

use std::sync::Arc;

use poem::http::StatusCode;
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

use super::auth::BearerToken;
use super::error::ApiError;
use super::state::ApiState;
use crate::auth::scope::Access;

/// The certificates in service.
#[derive(Debug, Object)]
pub struct CertificatesView {
    /// Server names with a certificate of their own (from the certificate directory),
    /// chosen by the name a client asks for (SNI); `*.example.com` covers one level.
    pub names: Vec<String>,
    /// Whether a default certificate serves clients asking for another name, or none.
    pub default: bool,
}

pub struct CertificatesApi;

fn view(store: &crate::tls::certs::CertStore) -> CertificatesView {
    CertificatesView { names: store.names(), default: store.has_default() }
}

fn store(state: &ApiState) -> Result<Arc<crate::tls::certs::CertStore>, ApiError> {
    state.certificates.clone().ok_or_else(|| ApiError::status(StatusCode::NOT_FOUND, "TLS is not set up (--tls-cert/--tls-key or --tls-cert-dir)"))
}

#[OpenApi(prefix_path = "/api/v1")]
impl CertificatesApi {
    /// The server certificates in service.
    #[oai(path = "/tls/certificates", method = "get", operation_id = "list_tls_certificates", tag = "crate::api::state::ApiTag::Security")]
    async fn list(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<CertificatesView>, ApiError> {
        auth.require(Access::Read)?;
        Ok(Json(view(&*store(&state)?)))
    }

    /// Read the certificate files again now (a renewed certificate serves new connections
    /// at once; open ones keep theirs). A file that does not load keeps the certificate
    /// before it in service; a default pair that does not load is a 422 with the reason.
    #[oai(path = "/tls/certificates/reload", method = "post", operation_id = "reload_tls_certificates", tag = "crate::api::state::ApiTag::Security")]
    async fn reload(&self, state: poem::web::Data<&Arc<ApiState>>, auth: BearerToken) -> Result<Json<CertificatesView>, ApiError> {
        auth.require(Access::Admin)?;
        let store = store(&state)?;
        store.reload().map_err(|e| ApiError::status(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
        Ok(Json(view(&store)))
    }
}

//! Bearer-token authentication for every operation, and the scope check.

use std::sync::Arc;

use poem::Request;
use poem::http::StatusCode;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;

use super::state::ApiState;
use super::error::{ApiError, Problem};
use crate::auth::Claims;
use crate::auth::scope::Access;

/// `Authorization: Bearer <JWT>` with a token minted by `callplane token create` or
/// `POST /api/v1/api-tokens`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "JWT", checker = "check_bearer")]
pub struct BearerToken(pub Claims);

async fn check_bearer(req: &Request, bearer: Bearer) -> poem::Result<Claims> {
    let state = req
        .data::<Arc<ApiState>>()
        .ok_or_else(|| poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR))?;
    state.signer.verify(&bearer.token).map_err(|e| {
        poem::Error::from_response(Problem::new(StatusCode::UNAUTHORIZED, e.to_string()).into_response())
    })
}

impl BearerToken {
    /// 403 unless the token's scope allows `access`.
    pub fn require(&self, access: Access) -> Result<(), ApiError> {
        if self.0.scope.allows(access) {
            Ok(())
        } else {
            let needed = match access {
                Access::Read => "admin or read",
                Access::Admin => "admin",
                Access::Calls => "admin or calls",
                Access::Events => "admin or events",
                Access::Metrics => "admin or metrics",
            };
            Err(ApiError::status(
                StatusCode::FORBIDDEN,
                format!("this operation needs a token with scope {needed}; this token has scope {}", self.0.scope),
            ))
        }
    }
}

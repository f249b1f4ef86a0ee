//! The five operations every configuration resource has (create, list, get, update,
//! delete), generated once for each resource with its own paths, tag and operation ids.

/// `crud_api!(Api, Resource, Page, "/things", "/things/:id", "Tags::Things", "list_things", "create_thing", "get_thing", "update_thing", "delete_thing")`
macro_rules! crud_api {
    (
        $api:ident, $res:ty, $page:ident, $path:tt, $item_path:tt, $tag:tt,
        $list_op:tt, $create_op:tt, $get_op:tt, $update_op:tt, $delete_op:tt
    ) => {
        pub struct $api;

        #[poem_openapi::OpenApi(prefix_path = "/api/v1")]
        impl $api {
            /// List, oldest first, with keyset pagination.
            ///
            /// `prefix` filters by number (extensions, ring groups) or name (trunks).
            #[oai(path = $path, method = "get", operation_id = $list_op, tag = $tag)]
            async fn list(
                &self,
                state: poem::web::Data<&std::sync::Arc<crate::api::ApiState>>,
                auth: crate::api::auth::BearerToken,
                /// Page size, 1 to 500 (default 50).
                #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
                limit: poem_openapi::param::Query<Option<u32>>,
                /// `next_cursor` of the previous page.
                cursor: poem_openapi::param::Query<Option<String>>,
                /// Only items whose number or name starts with this.
                prefix: poem_openapi::param::Query<Option<String>>,
            ) -> Result<poem_openapi::payload::Json<$page>, crate::api::error::ApiError> {
                auth.require(crate::auth::scope::Access::Read)?;
                let page = crate::api::pagination::page_request(limit.0, cursor.0, prefix.0)?;
                let page = state.provisioner.store().list::<$res>(&page).await?;
                Ok(poem_openapi::payload::Json(page.into()))
            }

            /// Create. Secrets in the body are stored but never returned.
            #[oai(path = $path, method = "post", operation_id = $create_op, tag = $tag)]
            async fn create(
                &self,
                state: poem::web::Data<&std::sync::Arc<crate::api::ApiState>>,
                auth: crate::api::auth::BearerToken,
                body: crate::api::body::JsonBody<<$res as crate::model::Resource>::Create>,
            ) -> Result<crate::api::Created<$res>, crate::api::error::ApiError> {
                auth.require(crate::auth::scope::Access::Admin)?;
                let value = state.provisioner.create::<$res>(body.parse()?).await?;
                Ok(crate::api::Created::Created(poem_openapi::payload::Json(value)))
            }

            /// Get one by id.
            #[oai(path = $item_path, method = "get", operation_id = $get_op, tag = $tag)]
            async fn get(
                &self,
                state: poem::web::Data<&std::sync::Arc<crate::api::ApiState>>,
                auth: crate::api::auth::BearerToken,
                id: poem_openapi::param::Path<String>,
            ) -> Result<poem_openapi::payload::Json<$res>, crate::api::error::ApiError> {
                auth.require(crate::auth::scope::Access::Read)?;
                let stored = state.provisioner.store().get::<$res>(&id.0).await?;
                Ok(poem_openapi::payload::Json(stored.value))
            }

            /// Change the fields present in the body; absent fields keep their value.
            #[oai(path = $item_path, method = "patch", operation_id = $update_op, tag = $tag)]
            async fn update(
                &self,
                state: poem::web::Data<&std::sync::Arc<crate::api::ApiState>>,
                auth: crate::api::auth::BearerToken,
                id: poem_openapi::param::Path<String>,
                body: crate::api::body::JsonBody<<$res as crate::model::Resource>::Patch>,
            ) -> Result<poem_openapi::payload::Json<$res>, crate::api::error::ApiError> {
                auth.require(crate::auth::scope::Access::Admin)?;
                let value = state.provisioner.update::<$res>(&id.0, body.parse()?).await?;
                Ok(poem_openapi::payload::Json(value))
            }

            /// Delete. Refused with 409 while a route still targets it.
            #[oai(path = $item_path, method = "delete", operation_id = $delete_op, tag = $tag)]
            async fn delete(
                &self,
                state: poem::web::Data<&std::sync::Arc<crate::api::ApiState>>,
                auth: crate::api::auth::BearerToken,
                id: poem_openapi::param::Path<String>,
            ) -> Result<crate::api::Deleted, crate::api::error::ApiError> {
                auth.require(crate::auth::scope::Access::Admin)?;
                state.provisioner.delete::<$res>(&id.0).await?;
                Ok(crate::api::Deleted::Deleted)
            }
        }
    };
}
pub(crate) use crud_api;

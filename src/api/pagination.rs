//! Query parameters of list operations and the page objects they return.

use poem::http::StatusCode;

use super::error::ApiError;
use crate::model::values;
use crate::store::PageRequest;
use crate::store::page::{DEFAULT_LIMIT, MAX_LIMIT};

/// Checks `limit`, `cursor` and the number/name prefix filter of a list call.
pub fn page_request(limit: Option<u32>, cursor: Option<String>, prefix: Option<String>) -> Result<PageRequest, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "limit", format!("must be between 1 and {MAX_LIMIT}")));
    }
    if let Some(p) = &prefix {
        let ok = p.len() <= 64 && p.chars().all(|c| c.is_ascii_alphanumeric() || "+*#-_.".contains(c));
        if !ok {
            return Err(ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "prefix", "may contain letters, digits and + * # - _ . only"));
        }
    }
    if let Some(c) = &cursor {
        values::text(c, 64).map_err(|e| ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "cursor", e))?;
    }
    Ok(PageRequest { limit, after: cursor.filter(|c| !c.is_empty()), key_prefix: prefix.filter(|p| !p.is_empty()) })
}

/// Declares the page object of a resource list.
macro_rules! page_type {
    ($page:ident, $item:ty) => {
        /// One page of a list; pass `next_cursor` as `cursor` to get the next one.
        #[derive(Debug, poem_openapi::Object)]
        #[oai(skip_serializing_if_is_none)]
        pub struct $page {
            pub items: Vec<$item>,
            /// Items matching the filter over all pages.
            pub total: i64,
            /// Absent on the last page.
            pub next_cursor: Option<String>,
        }

        impl From<crate::store::Page<$item>> for $page {
            fn from(p: crate::store::Page<$item>) -> Self {
                Self { items: p.items, total: p.total, next_cursor: p.next_cursor }
            }
        }
    };
}
pub(crate) use page_type;

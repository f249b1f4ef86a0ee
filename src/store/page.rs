//! Keyset pagination: items come in id order (UUIDv7, i.e. creation order); the cursor is
//! the last id of the previous page, so pages stay stable while items are added.

/// Largest page a client may ask for.
pub const MAX_LIMIT: u32 = 500;
pub const DEFAULT_LIMIT: u32 = 50;

#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub limit: u32,
    /// Return items after this id.
    pub after: Option<String>,
    /// Only items whose unique key (number, name) starts with this.
    pub key_prefix: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Items matching the filter, over all pages.
    pub total: i64,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

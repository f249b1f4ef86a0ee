//! Built-in services: every `*.lua` file of the services directory (default
//! `lua/services`) is loaded at start as a read-only service with id `builtin:<file stem>`.
//! They live in the snapshot only (not in the store): change them by changing the files
//! and restarting, or copy one into a stored service through the API.

use std::path::Path;

use chrono::Utc;

use crate::model::lua_service::{LuaLimits, LuaService};

/// Id prefix of built-in services.
pub const PREFIX: &str = "builtin:";

/// The valid services in `dir`, sorted by id; files that do not load are logged and skipped.
pub fn load(dir: &Path) -> Vec<LuaService> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("lua") {
            continue;
        }
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else { continue };
        let source = match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(path = %path.display(), error = %e, "cannot read a built-in Lua service");
                continue;
            }
        };
        let limits = LuaLimits::default();
        if let Err(e) = super::check_source(&stem, &source, limits) {
            tracing::error!(path = %path.display(), error = %e, "skipping a built-in Lua service that does not load");
            continue;
        }
        let now = Utc::now();
        out.push(LuaService {
            id: format!("{PREFIX}{stem}"),
            name: stem,
            description: format!("built in, from {}", path.display()),
            source,
            enabled: true,
            limits,
            created_at: now,
            updated_at: now,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

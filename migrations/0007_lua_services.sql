-- Lua services (routing scripts), stored like the other configuration resources.
CREATE TABLE lua_services (
    id TEXT PRIMARY KEY, unique_key TEXT UNIQUE, ref_kind TEXT, ref_id TEXT,
    body TEXT NOT NULL, secret TEXT, revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);

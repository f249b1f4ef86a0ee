-- IVR menus: a configuration resource like ring groups (its number is in dial_numbers).
CREATE TABLE ivr_menus (
    id TEXT PRIMARY KEY, unique_key TEXT UNIQUE, ref_kind TEXT, ref_id TEXT,
    body TEXT NOT NULL, secret TEXT, revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);

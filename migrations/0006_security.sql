-- Fail-to-ban: active bans survive restarts; expired rows are removed when read or swept.
CREATE TABLE bans (
    ip          TEXT PRIMARY KEY,
    reason      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    until       BIGINT NOT NULL
);
-- Security settings: one JSON document (fail-to-ban, whitelist, signatures, limits).
CREATE TABLE security_settings (
    id          BIGINT PRIMARY KEY,
    body        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

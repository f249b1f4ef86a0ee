-- Configuration resources. Portable SQL: the same file runs on SQLite and PostgreSQL.
--
-- Each resource table keeps the resource as JSON in `body` (the public API object) plus
-- the columns the store must index or constrain:
--   unique_key  a value unique within the table (extension number, trunk name, ...)
--   ref_kind/ref_id  the resource this one refers to by id (a route's target)
--   secret      the write-only secret (digest password, webhook secret), never in `body`
--   revision    bumped on every update; a stale read-modify-write fails instead of losing data

-- One namespace for everything a caller can dial: extensions and ring groups.
CREATE TABLE dial_numbers (
    number     TEXT PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    owner_id   TEXT NOT NULL
);

CREATE TABLE extensions (
    id TEXT PRIMARY KEY, unique_key TEXT UNIQUE, ref_kind TEXT, ref_id TEXT,
    body TEXT NOT NULL, secret TEXT, revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);

CREATE TABLE trunks (
    id TEXT PRIMARY KEY, unique_key TEXT UNIQUE, ref_kind TEXT, ref_id TEXT,
    body TEXT NOT NULL, secret TEXT, revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);

CREATE TABLE routes (
    id TEXT PRIMARY KEY, unique_key TEXT UNIQUE, ref_kind TEXT, ref_id TEXT,
    body TEXT NOT NULL, secret TEXT, revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);
CREATE INDEX routes_ref ON routes (ref_kind, ref_id);

CREATE TABLE ring_groups (
    id TEXT PRIMARY KEY, unique_key TEXT UNIQUE, ref_kind TEXT, ref_id TEXT,
    body TEXT NOT NULL, secret TEXT, revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);

CREATE TABLE webhooks (
    id TEXT PRIMARY KEY, unique_key TEXT UNIQUE, ref_kind TEXT, ref_id TEXT,
    body TEXT NOT NULL, secret TEXT, revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY, unique_key TEXT UNIQUE, ref_kind TEXT, ref_id TEXT,
    body TEXT NOT NULL, secret TEXT, revision BIGINT NOT NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL
);

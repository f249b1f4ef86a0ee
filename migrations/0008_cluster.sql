-- Cluster coordination. The change log: one row per configuration, ban, security-settings
-- or token change, so every node applies the changes other nodes commit (PostgreSQL
-- LISTEN/NOTIFY wakes them; the log is what they read, in seq order, and catch up from).
-- seq is gap-free and in commit order: writers take it under a table lock.
CREATE TABLE config_changes (
    seq    BIGINT PRIMARY KEY,
    kind   TEXT NOT NULL,
    id     TEXT NOT NULL,
    action TEXT NOT NULL,
    node   TEXT NOT NULL,
    at     BIGINT NOT NULL
);
CREATE INDEX config_changes_at ON config_changes (at);
-- The keys API tokens are signed with, shared by every node (newest signs, all verify).
CREATE TABLE signing_keys (
    id          TEXT PRIMARY KEY,
    secret      TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

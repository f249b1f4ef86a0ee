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
-- Answered calls, written when answered and deleted when they end: what a node that dies
-- mid-call leaves behind, so its CDR is written (`node_lost`) and its parties get a BYE by
-- the node when it restarts, or by another node. `body` holds the CDR so far and the
-- dialogs of the parties.
CREATE TABLE live_calls (
    id          TEXT PRIMARY KEY,
    node        TEXT NOT NULL,
    answered_at BIGINT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX live_calls_node ON live_calls (node);
-- Each node's last sign of life (every 2 s): how long a dead node's calls lasted, and which
-- nodes are dead.
CREATE TABLE nodes (
    id           TEXT PRIMARY KEY,
    started_at   BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    -- Where its API answers other nodes (live calls are listed and acted on through it).
    api_url      TEXT
);

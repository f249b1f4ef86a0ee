-- Feature codes (pickup, park, do-not-disturb, forwarding): one JSON document; absent
-- until first changed, when the defaults apply.
CREATE TABLE feature_codes (
    id          BIGINT PRIMARY KEY,
    body        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

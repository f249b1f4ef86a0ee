-- Call detail records; `body` is the CDR as the API shows it.
CREATE TABLE cdrs (
    id          TEXT PRIMARY KEY,
    started_at  BIGINT NOT NULL,
    caller      TEXT NOT NULL,
    dialed      TEXT NOT NULL,
    callee      TEXT,
    disposition TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX cdrs_started ON cdrs (started_at);

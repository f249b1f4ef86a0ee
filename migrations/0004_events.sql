-- The event log: every event on the bus, in sequence order, so WebSocket clients can resume
-- with since_seq. Trimmed by age and row count.
CREATE TABLE events (
    seq    BIGINT PRIMARY KEY,
    type   TEXT NOT NULL,
    time   BIGINT NOT NULL,
    body   TEXT NOT NULL
);

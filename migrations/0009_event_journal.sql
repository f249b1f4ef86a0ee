-- One event stream for every node on this store. `event_counter.last` is the newest seq
-- handed out: a writer takes the next numbers by updating this one row, and holds the row
-- until it commits, so seq is gap-free and in commit order across nodes (a reader that
-- has seen N never misses a smaller number that commits later).
CREATE TABLE event_counter (
    id   BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);
INSERT INTO event_counter (id, last) SELECT 1, COALESCE(MAX(seq), 0) FROM events;
-- Which node published each event.
ALTER TABLE events ADD COLUMN node TEXT;
-- How far webhook deliveries have been queued from the event log. One node at a time moves
-- it, in the transaction that queues the deliveries: each event is queued once.
CREATE TABLE webhook_cursor (
    id       BIGINT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);
INSERT INTO webhook_cursor (id, last_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM events;
-- The node attempting a delivery right now: a node found dead leaves its attempts due
-- again at once instead of at the end of their lease.
ALTER TABLE webhook_deliveries ADD COLUMN claimed_by TEXT;

-- Message counts per extension's mailbox (message-waiting lamps, RFC 3842), set through
-- the API by a CRM or an external voicemail, later by Callplane's own voicemail.
CREATE TABLE mailboxes (
    extension_id TEXT PRIMARY KEY,
    new_messages BIGINT NOT NULL,
    old_messages BIGINT NOT NULL,
    new_urgent   BIGINT NOT NULL,
    old_urgent   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- Voicemail messages: the recording is a WAV file under the data directory
-- (voicemail/<extension_id>/<id>.wav); its metadata lives here.
CREATE TABLE voicemail_messages (
    id           TEXT PRIMARY KEY,
    extension_id TEXT NOT NULL,
    number       TEXT NOT NULL,
    caller       TEXT NOT NULL,
    call_id      TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    duration_ms  BIGINT NOT NULL,
    heard        BIGINT NOT NULL
);
CREATE INDEX voicemail_messages_box ON voicemail_messages (extension_id, received_at);

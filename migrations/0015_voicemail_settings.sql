-- Voicemail settings for every box (limits, retention): one JSON document.
CREATE TABLE voicemail_settings (
    id          BIGINT PRIMARY KEY,
    body        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX voicemail_messages_age ON voicemail_messages (received_at);

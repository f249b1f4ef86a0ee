-- The SMTP server voicemail e-mails go through: one JSON document (with its password).
CREATE TABLE smtp_settings (
    id          BIGINT PRIMARY KEY,
    body        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
-- Voicemail e-mails waiting to be sent, written with the message they carry; each node
-- sends those of the messages it recorded (the WAV is on its disk).
CREATE TABLE mail_outbox (
    id              TEXT PRIMARY KEY,
    message_id      TEXT NOT NULL,
    extension_id    TEXT NOT NULL,
    to_address      TEXT NOT NULL,
    node            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    attempts        BIGINT NOT NULL,
    last_error      TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (node, next_attempt_at);

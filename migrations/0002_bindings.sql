-- Registrations (bindings), written through from the in-memory table so they survive a
-- restart. `body` is the binding as the API shows it.
CREATE TABLE bindings (
    id         TEXT PRIMARY KEY,
    aor        TEXT NOT NULL,
    body       TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX bindings_aor ON bindings (aor);

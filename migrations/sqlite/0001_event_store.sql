-- The append-only event log (see migrations/postgres/0001 for the meaning of each column).
-- SQLite has one writer at a time, so the autoincrement global_position is commit order and
-- needs no transaction id.
CREATE TABLE events
(
    global_position INTEGER PRIMARY KEY AUTOINCREMENT,
    aggregate_type  TEXT    NOT NULL,
    aggregate_id    TEXT    NOT NULL,
    sequence        INTEGER NOT NULL CHECK (sequence >= 1),
    event_type      TEXT    NOT NULL,
    event_version   TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    metadata        TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL,
    prev_hash       BLOB    NOT NULL CHECK (length(prev_hash) = 32),
    hash            BLOB    NOT NULL CHECK (length(hash) = 32),
    UNIQUE (aggregate_type, aggregate_id, sequence)
) STRICT;

CREATE INDEX events_recorded_at ON events (recorded_at);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only (UPDATE refused)');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only (DELETE refused)');
END;

CREATE TABLE snapshots
(
    aggregate_type   TEXT    NOT NULL,
    aggregate_id     TEXT    NOT NULL,
    last_sequence    INTEGER NOT NULL CHECK (last_sequence >= 0),
    current_snapshot INTEGER NOT NULL CHECK (current_snapshot >= 0),
    payload          TEXT    NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id)
) STRICT;

CREATE TABLE projection_checkpoints
(
    name           TEXT    PRIMARY KEY,
    position       INTEGER NOT NULL,
    transaction_id INTEGER NOT NULL,
    events_applied INTEGER NOT NULL,
    updated_at     TEXT    NOT NULL
) STRICT;

CREATE TABLE subject_keys
(
    subject_id  TEXT PRIMARY KEY,
    wrapped_key BLOB,
    nonce       BLOB,
    created_at  TEXT NOT NULL,
    erased_at   TEXT,
    CHECK ((erased_at IS NULL) = (wrapped_key IS NOT NULL AND nonce IS NOT NULL))
) STRICT;

-- The append-only event log, with the columns cqrs-es/postgres-es read
-- (aggregate_type ... metadata) and the ones this project adds:
--   global_position  unique, assigned at insert; identifies an event in the global log
--   transaction_id   the writing transaction (xid8): readers order by (transaction_id,
--                    global_position) and read only below the oldest running transaction,
--                    so an event committed late is never skipped (see docs/adr/0002)
--   recorded_at      when the platform recorded it (also in metadata), for "as of" reads
--   prev_hash, hash  the hash chain of the stream (docs/adr/0003)
-- payload and metadata are `json`, not `jsonb`: the exact text written is the text hashed.
CREATE TABLE events
(
    aggregate_type  text        NOT NULL,
    aggregate_id    text        NOT NULL,
    sequence        bigint      NOT NULL CHECK (sequence >= 1),
    event_type      text        NOT NULL,
    event_version   text        NOT NULL,
    payload         json        NOT NULL,
    metadata        json        NOT NULL,
    global_position bigint      GENERATED ALWAYS AS IDENTITY,
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    recorded_at     timestamptz NOT NULL,
    prev_hash       bytea       NOT NULL CHECK (length(prev_hash) = 32),
    hash            bytea       NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (aggregate_type, aggregate_id, sequence),
    UNIQUE (global_position)
);

CREATE INDEX events_log_order ON events (transaction_id, global_position);
CREATE INDEX events_recorded_at ON events (recorded_at);

-- Events are never changed or removed: personal data is erased by destroying its key.
CREATE FUNCTION events_are_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'events are append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();

CREATE TRIGGER events_no_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only();

-- cqrs-es snapshots (one row per aggregate).
CREATE TABLE snapshots
(
    aggregate_type   text   NOT NULL,
    aggregate_id     text   NOT NULL,
    last_sequence    bigint NOT NULL CHECK (last_sequence >= 0),
    current_snapshot bigint NOT NULL CHECK (current_snapshot >= 0),
    payload          json   NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id)
);

-- Where each projection stands in the global log. Written in the same transaction as the
-- projection's rows; portable column types because projections write through sqlx::Any.
CREATE TABLE projection_checkpoints
(
    name           text   PRIMARY KEY,
    position       bigint NOT NULL,
    transaction_id bigint NOT NULL,
    events_applied bigint NOT NULL,
    updated_at     text   NOT NULL
);

-- The key vault: one data key per data subject, wrapped under the master key. Erasure
-- deletes the key and keeps a tombstone. May live in another database (vault.url).
CREATE TABLE subject_keys
(
    subject_id  text PRIMARY KEY,
    wrapped_key bytea,
    nonce       bytea,
    created_at  timestamptz NOT NULL,
    erased_at   timestamptz,
    CHECK ((erased_at IS NULL) = (wrapped_key IS NOT NULL AND nonce IS NOT NULL))
);

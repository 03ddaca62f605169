-- The notification outbox (see migrations/postgres/0002 for the meaning of each column).
CREATE TABLE outbox
(
    id              TEXT    PRIMARY KEY,
    channel         TEXT    NOT NULL,
    destination     TEXT    NOT NULL,
    message         TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
) STRICT;

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_dead ON outbox (created_at) WHERE status = 'dead';

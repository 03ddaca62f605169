-- Obligations with a due date (see migrations/postgres/0006).
CREATE TABLE obligations
(
    id               TEXT    PRIMARY KEY,
    kind             TEXT    NOT NULL,
    aggregate_type   TEXT    NOT NULL,
    aggregate_id     TEXT    NOT NULL,
    reference        TEXT    NOT NULL,
    responsible      TEXT    NOT NULL,
    escalation       TEXT    NOT NULL,
    due_at           INTEGER NOT NULL,
    deadline         TEXT,
    calendar_version TEXT,
    status           TEXT    NOT NULL CHECK (status IN ('open', 'suspended', 'met', 'cancelled')),
    reminded         INTEGER NOT NULL DEFAULT 0,
    escalation_level INTEGER NOT NULL DEFAULT 0,
    next_action_at   INTEGER
) STRICT;

CREATE INDEX obligations_next_action ON obligations (next_action_at) WHERE status = 'open';
CREATE INDEX obligations_aggregate ON obligations (aggregate_type, aggregate_id);

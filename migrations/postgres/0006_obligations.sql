-- Obligations with a due date, as the domains' rules declare them (projection
-- "obligations"), and where the reminder worker stands with each: reminded before the due
-- date, then escalation levels once overdue. Times are Unix milliseconds.
CREATE TABLE obligations
(
    id               text   PRIMARY KEY,
    kind             text   NOT NULL,
    aggregate_type   text   NOT NULL,
    aggregate_id     text   NOT NULL,
    reference        text   NOT NULL,
    responsible      text   NOT NULL,
    escalation       text   NOT NULL,
    due_at           bigint NOT NULL,
    deadline         text,
    calendar_version text,
    status           text   NOT NULL CHECK (status IN ('open', 'suspended', 'met', 'cancelled')),
    reminded         bigint NOT NULL DEFAULT 0,
    escalation_level bigint NOT NULL DEFAULT 0,
    next_action_at   bigint
);

CREATE INDEX obligations_next_action ON obligations (next_action_at) WHERE status = 'open';
CREATE INDEX obligations_aggregate ON obligations (aggregate_type, aggregate_id);

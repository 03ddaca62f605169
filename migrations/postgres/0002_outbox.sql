-- The notification outbox: messages to deliver (e-mail, webhook, event feed), written by
-- projections in the same transaction as their checkpoint, delivered at least once by the
-- outbox worker. `id` is the idempotency key (derived from the causing event and the
-- recipient), so a replay never queues a message twice. Times are Unix milliseconds
-- (portable: projections write through sqlx::Any).
CREATE TABLE outbox
(
    id              text   PRIMARY KEY,
    channel         text   NOT NULL,
    destination     text   NOT NULL,
    message         text   NOT NULL,
    status          text   NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        bigint NOT NULL DEFAULT 0,
    next_attempt_at bigint NOT NULL,
    last_error      text,
    created_at      bigint NOT NULL,
    delivered_at    bigint
);

-- The worker asks for the next due message: an index, not a scan.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_dead ON outbox (created_at) WHERE status = 'dead';

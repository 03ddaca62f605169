-- Signed tree heads over the global log (ADR 0008): the RFC 9162 Merkle root of the first
-- `tree_size` events in log order, signed with the log's Ed25519 key. Append-only: a head,
-- once published, is never changed.
CREATE TABLE tree_heads
(
    tree_size bigint PRIMARY KEY,
    root_hash text   NOT NULL,
    -- RFC 3339 with nanoseconds: the signed bytes hold the exact instant.
    signed_at text   NOT NULL,
    key_id    text   NOT NULL,
    signature text   NOT NULL
);

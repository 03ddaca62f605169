-- The secret of each citizen file's tracking code, hashed (see migrations/postgres/0010).
CREATE TABLE tracking_secrets
(
    tracking_code TEXT PRIMARY KEY,
    file_id       TEXT    NOT NULL UNIQUE,
    secret_sha256 TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

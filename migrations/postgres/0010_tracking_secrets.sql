-- The secret given with each citizen file's tracking code at receipt: whoever holds both
-- reads the file without an account. Only the SHA-256 of the secret is kept (the secret has
-- 256 random bits, so a plain hash cannot be reversed by guessing); the gateway compares
-- digests in constant time.
CREATE TABLE tracking_secrets
(
    tracking_code text PRIMARY KEY,
    file_id       text   NOT NULL UNIQUE,
    secret_sha256 text   NOT NULL,
    created_at    bigint NOT NULL
);

-- Identity and access (see migrations/postgres/0008 and ADR 0007).
CREATE TABLE organisations
(
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    name_ar     TEXT NOT NULL,
    name_fr     TEXT NOT NULL,
    parent_id   TEXT REFERENCES organisations (id),
    governorate TEXT
) STRICT;

CREATE TABLE accounts
(
    id           TEXT   PRIMARY KEY,
    kind         TEXT   NOT NULL CHECK (kind IN ('citizen', 'agent', 'system')),
    email        TEXT   NOT NULL UNIQUE,
    status       TEXT   NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
    language     TEXT   NOT NULL DEFAULT 'ar',
    subject_id   TEXT   NOT NULL,
    created_at   INTEGER NOT NULL,
    confirmed_at INTEGER
) STRICT;

CREATE TABLE credentials
(
    account_id      TEXT   PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    password_hash   TEXT   NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER,
    changed_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE role_grants
(
    account_id      TEXT   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role            TEXT   NOT NULL,
    organisation_id TEXT   NOT NULL REFERENCES organisations (id),
    granted_by      TEXT,
    granted_at      INTEGER NOT NULL,
    PRIMARY KEY (account_id, role, organisation_id)
) STRICT;

CREATE TABLE sessions
(
    token_hash   TEXT   PRIMARY KEY,
    account_id   TEXT   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER
) STRICT;
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE one_time_tokens
(
    token_hash TEXT   PRIMARY KEY,
    account_id TEXT   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose    TEXT   NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password', 'invitation')),
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;

CREATE TABLE external_identities
(
    provider   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (provider, subject)
) STRICT;

CREATE TABLE access_audit
(
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    account_id TEXT,
    action     TEXT   NOT NULL,
    detail     TEXT,
    request_id TEXT
) STRICT;

CREATE TRIGGER access_audit_no_update BEFORE UPDATE ON access_audit
BEGIN
    SELECT RAISE(ABORT, 'the access audit is append-only');
END;

CREATE TRIGGER access_audit_no_delete BEFORE DELETE ON access_audit
BEGIN
    SELECT RAISE(ABORT, 'the access audit is append-only');
END;

CREATE TABLE idempotency_keys
(
    scope        TEXT   NOT NULL,
    key          TEXT   NOT NULL,
    request_hash TEXT   NOT NULL,
    status       INTEGER,
    content_type TEXT,
    body         TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) STRICT;

CREATE TABLE attachments
(
    hash        TEXT   PRIMARY KEY,
    media_type  TEXT   NOT NULL,
    size        INTEGER NOT NULL,
    uploaded_by TEXT   NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE attachment_links
(
    hash           TEXT NOT NULL REFERENCES attachments (hash),
    aggregate_type TEXT NOT NULL,
    aggregate_id   TEXT NOT NULL,
    PRIMARY KEY (hash, aggregate_type, aggregate_id)
) STRICT;

CREATE TABLE tracking_secrets
(
    file_id       TEXT   PRIMARY KEY,
    tracking_code TEXT   NOT NULL UNIQUE,
    secret_hash   TEXT   NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

-- Identity and access (ADR 0007): accounts, credentials, sessions, one-time tokens, role
-- grants, external identities, the access audit trail, the organisation directory,
-- idempotency keys, attachments and tracking secrets. Times are Unix milliseconds.
CREATE TABLE organisations
(
    id          text PRIMARY KEY,
    kind        text NOT NULL,
    name_ar     text NOT NULL,
    name_fr     text NOT NULL,
    parent_id   text REFERENCES organisations (id),
    governorate text
);

CREATE TABLE accounts
(
    id           text   PRIMARY KEY,
    kind         text   NOT NULL CHECK (kind IN ('citizen', 'agent', 'system')),
    email        text   NOT NULL UNIQUE,
    status       text   NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
    language     text   NOT NULL DEFAULT 'ar',
    subject_id   text   NOT NULL,
    created_at   bigint NOT NULL,
    confirmed_at bigint
);

CREATE TABLE credentials
(
    account_id      text   PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    password_hash   text   NOT NULL,
    failed_attempts bigint NOT NULL DEFAULT 0,
    locked_until    bigint,
    changed_at      bigint NOT NULL
);

CREATE TABLE role_grants
(
    account_id      text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role            text   NOT NULL,
    organisation_id text   NOT NULL REFERENCES organisations (id),
    granted_by      text,
    granted_at      bigint NOT NULL,
    PRIMARY KEY (account_id, role, organisation_id)
);

CREATE TABLE sessions
(
    token_hash   text   PRIMARY KEY,
    account_id   text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   bigint NOT NULL,
    last_seen_at bigint NOT NULL,
    expires_at   bigint NOT NULL,
    revoked_at   bigint
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE one_time_tokens
(
    token_hash text   PRIMARY KEY,
    account_id text   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose    text   NOT NULL CHECK (purpose IN ('confirm_email', 'reset_password', 'invitation')),
    expires_at bigint NOT NULL,
    used_at    bigint
);

CREATE TABLE external_identities
(
    provider   text NOT NULL,
    subject    text NOT NULL,
    account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (provider, subject)
);

CREATE TABLE access_audit
(
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         bigint NOT NULL,
    account_id text,
    action     text   NOT NULL,
    detail     text,
    request_id text
);

CREATE TRIGGER access_audit_append_only
    BEFORE UPDATE OR DELETE ON access_audit
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();

CREATE TABLE idempotency_keys
(
    scope        text   NOT NULL,
    key          text   NOT NULL,
    request_hash text   NOT NULL,
    status       bigint,
    content_type text,
    body         text,
    created_at   bigint NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE TABLE attachments
(
    hash        text   PRIMARY KEY,
    media_type  text   NOT NULL,
    size        bigint NOT NULL,
    uploaded_by text   NOT NULL,
    created_at  bigint NOT NULL
);

CREATE TABLE attachment_links
(
    hash           text NOT NULL REFERENCES attachments (hash),
    aggregate_type text NOT NULL,
    aggregate_id   text NOT NULL,
    PRIMARY KEY (hash, aggregate_type, aggregate_id)
);

CREATE TABLE tracking_secrets
(
    file_id       text   PRIMARY KEY,
    tracking_code text   NOT NULL UNIQUE,
    secret_hash   text   NOT NULL,
    created_at    bigint NOT NULL
);

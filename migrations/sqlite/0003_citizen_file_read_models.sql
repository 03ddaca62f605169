-- Read models of citizen files and of the forum (see migrations/postgres/0003 for the
-- meaning of each table and column).
CREATE TABLE cf_file_folds
(
    file_id TEXT PRIMARY KEY,
    fold    TEXT NOT NULL
) STRICT;

CREATE TABLE cf_files
(
    file_id        TEXT    PRIMARY KEY,
    tracking_code  TEXT    NOT NULL UNIQUE,
    kind           TEXT    NOT NULL,
    urgency        TEXT,
    channel        TEXT    NOT NULL,
    handled_by     TEXT    NOT NULL,
    author_account TEXT,
    status         TEXT    NOT NULL,
    received_at    INTEGER NOT NULL,
    reply_due_at   INTEGER,
    answered_at    INTEGER,
    updated_at     INTEGER NOT NULL
) STRICT;

CREATE INDEX cf_files_author ON cf_files (author_account, received_at, file_id);

CREATE TABLE cf_file_followers
(
    file_id TEXT NOT NULL,
    account TEXT NOT NULL,
    PRIMARY KEY (file_id, account)
) STRICT;

CREATE INDEX cf_file_followers_account ON cf_file_followers (account);

CREATE TABLE cf_timeline
(
    file_id  TEXT    NOT NULL,
    sequence INTEGER NOT NULL,
    at       INTEGER NOT NULL,
    entry    TEXT    NOT NULL,
    PRIMARY KEY (file_id, sequence)
) STRICT;

CREATE TABLE cf_inbox_folds
(
    file_id TEXT PRIMARY KEY,
    fold    TEXT NOT NULL
) STRICT;

CREATE TABLE cf_inbox
(
    file_id       TEXT    NOT NULL,
    organisation  TEXT    NOT NULL,
    duty          TEXT    NOT NULL CHECK (duty IN ('handling', 'referral')),
    referral_id   TEXT,
    tracking_code TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    urgency       TEXT,
    state         TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    received_at   INTEGER NOT NULL,
    obligation    TEXT,
    due_at        INTEGER,
    due_sort      INTEGER NOT NULL,
    PRIMARY KEY (file_id, organisation)
) STRICT;

CREATE INDEX cf_inbox_queue ON cf_inbox (organisation, due_sort, received_at, file_id);
CREATE INDEX cf_inbox_due ON cf_inbox (due_sort);

CREATE TABLE cf_forum_topics
(
    topic_id     TEXT    PRIMARY KEY,
    organisation TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    question     TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    opened_at    INTEGER NOT NULL,
    closes_at    INTEGER NOT NULL,
    closed_at    INTEGER,
    synthesis    TEXT,
    synthesis_at INTEGER,
    posts        INTEGER NOT NULL,
    hidden_posts INTEGER NOT NULL
) STRICT;

CREATE INDEX cf_forum_topics_listing ON cf_forum_topics (opened_at, topic_id);

CREATE TABLE cf_forum_posts
(
    post_id            TEXT    PRIMARY KEY,
    topic_id           TEXT    NOT NULL,
    in_reply_to        TEXT,
    author             TEXT    NOT NULL,
    body               TEXT    NOT NULL,
    posted_at          INTEGER NOT NULL,
    hidden             INTEGER NOT NULL CHECK (hidden IN (0, 1)),
    hidden_reason      TEXT,
    hidden_explanation TEXT,
    hidden_at          INTEGER,
    reports            INTEGER NOT NULL
) STRICT;

CREATE INDEX cf_forum_posts_topic ON cf_forum_posts (topic_id, posted_at, post_id);
CREATE INDEX cf_forum_posts_reported ON cf_forum_posts (reports) WHERE hidden = 0 AND reports > 0;

-- Read models of citizen files and of the forum (crates/projections/src/citizen_file).
--
-- Each table belongs to one projection, which writes it through sqlx::Any in the
-- transaction that moves its checkpoint, and deletes all of it before a rebuild. Portable
-- types only: text, bigint; times are Unix milliseconds, booleans 0/1, JSON is text.
-- Personal data stays sealed: the JSON of `Sealed<T>` values (ciphertext under the data
-- subject's key), never clear text.

-- Projection `citizen_file.files`: the file as folded from its events (the agents' file
-- page: referral chain, deadlines with their explanation), one row per file.
CREATE TABLE cf_file_folds
(
    file_id text PRIMARY KEY,
    fold    text NOT NULL
);

-- Projection `citizen_file.files`: one row per file, for the author's list and the lookup
-- by tracking code.
CREATE TABLE cf_files
(
    file_id        text   PRIMARY KEY,
    tracking_code  text   NOT NULL UNIQUE,
    kind           text   NOT NULL,
    urgency        text,
    channel        text   NOT NULL,
    handled_by     text   NOT NULL,
    -- The author's platform account; NULL for files registered for someone without one
    -- (those are reached by tracking code).
    author_account text,
    -- `FileStatus` as JSON (`"under_study"`, `{"closed":"inadmissible"}`...).
    status         text   NOT NULL,
    received_at    bigint NOT NULL,
    reply_due_at   bigint,
    answered_at    bigint,
    updated_at     bigint NOT NULL
);

CREATE INDEX cf_files_author ON cf_files (author_account, received_at, file_id);

-- Projection `citizen_file.files`: accounts following a file a duplicate of theirs was
-- merged into.
CREATE TABLE cf_file_followers
(
    file_id text NOT NULL,
    account text NOT NULL,
    PRIMARY KEY (file_id, account)
);

CREATE INDEX cf_file_followers_account ON cf_file_followers (account);

-- Projection `citizen_file.files`: what the author may see of their file, one entry per
-- visible event (`entry` is a `TimelineEntry` as JSON).
CREATE TABLE cf_timeline
(
    file_id  text   NOT NULL,
    sequence bigint NOT NULL,
    at       bigint NOT NULL,
    entry    text   NOT NULL,
    PRIMARY KEY (file_id, sequence)
);

-- Projection `citizen_file.inbox`: its own fold of each file (a projection never reads
-- another's tables, so that each can be rebuilt alone).
CREATE TABLE cf_inbox_folds
(
    file_id text PRIMARY KEY,
    fold    text NOT NULL
);

-- Projection `citizen_file.inbox`: one row per file per organisation that has to act on it.
CREATE TABLE cf_inbox
(
    file_id       text   NOT NULL,
    organisation  text   NOT NULL,
    -- `handling` (the office or the Central Bureau) or `referral` (a structure).
    duty          text   NOT NULL CHECK (duty IN ('handling', 'referral')),
    referral_id   text,
    tracking_code text   NOT NULL,
    kind          text   NOT NULL,
    urgency       text,
    state         text   NOT NULL,
    channel       text   NOT NULL,
    received_at   bigint NOT NULL,
    -- What is owed first (`file.reply`, `file.first-response`, `referral.reply`) and when;
    -- NULL while the clock is stopped or nothing is due.
    obligation    text,
    due_at        bigint,
    -- `due_at`, or the largest bigint when NULL: "due date, nulls last" as one indexable
    -- ascending order on both backends (PostgreSQL sorts NULL last, SQLite first).
    due_sort      bigint NOT NULL,
    PRIMARY KEY (file_id, organisation)
);

CREATE INDEX cf_inbox_queue ON cf_inbox (organisation, due_sort, received_at, file_id);
CREATE INDEX cf_inbox_due ON cf_inbox (due_sort);

-- Projection `citizen_file.forum`: topics, with the administration's public words in clear.
CREATE TABLE cf_forum_topics
(
    topic_id     text   PRIMARY KEY,
    organisation text   NOT NULL,
    title        text   NOT NULL,
    question     text   NOT NULL,
    status       text   NOT NULL,
    opened_at    bigint NOT NULL,
    closes_at    bigint NOT NULL,
    closed_at    bigint,
    synthesis    text,
    synthesis_at bigint,
    posts        bigint NOT NULL,
    hidden_posts bigint NOT NULL
);

CREATE INDEX cf_forum_topics_listing ON cf_forum_topics (opened_at, topic_id);

-- Projection `citizen_file.forum`: messages; `body` is the sealed text. A hidden message
-- keeps its body (moderation history) and why it was hidden.
CREATE TABLE cf_forum_posts
(
    post_id            text   PRIMARY KEY,
    topic_id           text   NOT NULL,
    in_reply_to        text,
    author             text   NOT NULL,
    body               text   NOT NULL,
    posted_at          bigint NOT NULL,
    hidden             bigint NOT NULL CHECK (hidden IN (0, 1)),
    hidden_reason      text,
    hidden_explanation text,
    hidden_at          bigint,
    reports            bigint NOT NULL
);

CREATE INDEX cf_forum_posts_topic ON cf_forum_posts (topic_id, posted_at, post_id);
CREATE INDEX cf_forum_posts_reported ON cf_forum_posts (reports) WHERE hidden = 0 AND reports > 0;

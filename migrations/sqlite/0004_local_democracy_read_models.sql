-- Read models of the local registers (see migrations/postgres/0004 for the meaning of each
-- column): the same tables, SQLite spelling (INTEGER, STRICT).

-- The civil-society register of each local authority (art. 3-5, 8, 17).
CREATE TABLE ld_cso_registers
(
    local_authority  TEXT PRIMARY KEY,
    opened_on        TEXT NOT NULL,
    migration_due_on TEXT NOT NULL,
    migration_window TEXT NOT NULL, -- MonthTerm
    requirements     TEXT NOT NULL, -- RegistrationRequirements
    bureau           TEXT           -- the president's order, names sealed
) STRICT;

-- One entry of a register: its public part and the bureau's part.
CREATE TABLE ld_cso_entries
(
    organisation_id             TEXT   PRIMARY KEY,
    local_authority             TEXT   NOT NULL,
    name                        TEXT   NOT NULL,
    name_key                    TEXT   NOT NULL, -- folded for "name contains"
    legal_form                  TEXT,
    national_register_number    TEXT,
    legal_publication_reference TEXT,
    registered_office           TEXT,
    fields                      TEXT   NOT NULL, -- JSON array, as registered
    status                      TEXT   NOT NULL, -- OrganisationStatus
    standing                    TEXT   NOT NULL, -- the public standing
    registered_on               TEXT   NOT NULL,
    imported                    INTEGER NOT NULL,
    channel                     TEXT,
    request_reference           TEXT,
    received_on                 TEXT,
    paper_reference             TEXT,
    imported_on                 TEXT,
    eligibility                 TEXT,
    representative              TEXT,            -- sealed
    documents                   TEXT   NOT NULL,
    missing                     TEXT   NOT NULL, -- JSON array of art. 8 items
    regularisation_due_on       TEXT,
    last_step_on                TEXT   NOT NULL,
    updated_on                  TEXT
) STRICT;

CREATE INDEX ld_cso_entries_register ON ld_cso_entries (local_authority, registered_on, organisation_id);
CREATE INDEX ld_cso_entries_standing ON ld_cso_entries (local_authority, standing);
CREATE INDEX ld_cso_entries_status ON ld_cso_entries (local_authority, status);
CREATE INDEX ld_cso_entries_number ON ld_cso_entries (local_authority, national_register_number);

-- The fields of activity of each entry, for the field filter.
CREATE TABLE ld_cso_fields
(
    organisation_id TEXT   NOT NULL,
    ordinal         INTEGER NOT NULL,
    field           TEXT   NOT NULL,
    field_key       TEXT   NOT NULL, -- folded
    PRIMARY KEY (organisation_id, ordinal)
) STRICT;

CREATE INDEX ld_cso_fields_key ON ld_cso_fields (field_key, organisation_id);

-- Every dated act on an entry (registration, import, update, art. 9 steps, withdrawal).
CREATE TABLE ld_cso_steps
(
    organisation_id TEXT   NOT NULL,
    sequence        INTEGER NOT NULL,
    step            TEXT   NOT NULL,
    on_date         TEXT   NOT NULL,
    reference       TEXT,
    detail          TEXT   NOT NULL, -- JSON
    PRIMARY KEY (organisation_id, sequence)
) STRICT;

-- The register of opinions and questions (art. 10-13): one row per entry.
CREATE TABLE ld_opinion_entries
(
    entry_id          TEXT   PRIMARY KEY,
    local_authority   TEXT   NOT NULL,
    number            INTEGER NOT NULL,
    section_number    INTEGER NOT NULL,
    section           TEXT   NOT NULL, -- Section (JSON)
    draft_by_law      TEXT,
    finance_topic     TEXT,
    deliberation_on   TEXT,
    kind              TEXT   NOT NULL,
    author_kind       TEXT   NOT NULL,
    residence_ground  TEXT,
    organisation_id   TEXT,
    addresses         TEXT   NOT NULL,
    contact           TEXT   NOT NULL, -- sealed
    entry_text        TEXT   NOT NULL, -- sealed
    filed_at          INTEGER NOT NULL,
    answers           INTEGER NOT NULL,
    first_answered_at INTEGER,
    last_answered_at  INTEGER,
    consultations     INTEGER NOT NULL,
    proposals         INTEGER NOT NULL,
    correspondences   INTEGER NOT NULL,
    meetings          INTEGER NOT NULL,
    minutes           INTEGER NOT NULL
) STRICT;

CREATE INDEX ld_opinion_entries_register ON ld_opinion_entries (local_authority, number, entry_id);
CREATE INDEX ld_opinion_entries_section ON ld_opinion_entries (local_authority, section_number, number);
CREATE INDEX ld_opinion_entries_kind ON ld_opinion_entries (local_authority, kind, number);
CREATE INDEX ld_opinion_entries_answers ON ld_opinion_entries (local_authority, answers, number);

CREATE TABLE ld_opinion_answers
(
    entry_id    TEXT   NOT NULL,
    answer      INTEGER NOT NULL,
    answered_at INTEGER NOT NULL,
    answered_by TEXT   NOT NULL,
    role        TEXT   NOT NULL,
    answer_text TEXT   NOT NULL, -- sealed
    PRIMARY KEY (entry_id, answer)
) STRICT;

-- The committee's acts of art. 13 on an entry.
CREATE TABLE ld_opinion_committee_acts
(
    entry_id      TEXT   NOT NULL,
    sequence      INTEGER NOT NULL,
    act           TEXT   NOT NULL,
    number        INTEGER,
    proposal_kind TEXT,
    acted_at      INTEGER NOT NULL,
    meeting_at    INTEGER,
    by_actor      TEXT   NOT NULL,
    role          TEXT,
    channels      TEXT   NOT NULL,
    sealed_text   TEXT,            -- sealed
    PRIMARY KEY (entry_id, sequence)
) STRICT;

-- The council's sessions, reports and summaries (art. 14-15): public data only.
CREATE TABLE ld_council_sessions
(
    session_id          TEXT PRIMARY KEY,
    local_authority     TEXT NOT NULL,
    session_date        TEXT NOT NULL,
    first_scheduled_for TEXT NOT NULL,
    status              TEXT NOT NULL,
    report_due_on       TEXT,
    report_due_at       INTEGER,
    report_filed_at     INTEGER,
    report              TEXT,
    public_summary      TEXT,
    held_on             TEXT,
    posting_due_on      TEXT,
    posting_due_at      INTEGER,
    posted_at           INTEGER,
    posted_late         INTEGER,
    display_until_on    TEXT,
    display_until_at    INTEGER,
    taken_down_at       INTEGER
) STRICT;

CREATE INDEX ld_council_sessions_calendar ON ld_council_sessions (local_authority, session_date, session_id);
CREATE INDEX ld_council_sessions_status ON ld_council_sessions (local_authority, status);
